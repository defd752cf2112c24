package mockserver

import (
	"net/http/httptest"
	"testing"
)

// TestServer is a Server listening on loopback for one test.
type TestServer struct {
	*Server
	// URL is the server's root, e.g. "http://127.0.0.1:53412".
	URL string
	// HTTP is the underlying httptest server.
	HTTP *httptest.Server
}

// NewTest starts a Server on a loopback port and stops it (webhook
// delivery included) when the test ends.
func NewTest(t testing.TB, opts ...Option) *TestServer {
	t.Helper()
	s := New(opts...)
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		hs.Close()
		s.Close()
	})
	return &TestServer{Server: s, URL: hs.URL, HTTP: hs}
}

// BaseURL returns the API base URL of a workspace: URL + "/api/v1/<sub>/".
func (ts *TestServer) BaseURL(subdomain string) string {
	return ts.URL + apiPrefix + subdomain + "/"
}

// DefaultBaseURL returns the default workspace's API base URL.
func (ts *TestServer) DefaultBaseURL() string { return ts.BaseURL(ts.Default().Subdomain()) }
