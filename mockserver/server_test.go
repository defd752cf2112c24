package mockserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// start is the fixed clock time of the tests: 2026-04-16 12:34:56.5 UTC.
var testStart = time.Date(2026, 4, 16, 12, 34, 56, 500_000_000, time.UTC)

// newTestServer is a server on a fixed clock with the default workspace.
func newTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := New(append([]Option{WithClock(FixedClock(testStart)), WithToken(testToken)}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

const testToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// call sends one request to h and returns the status, headers and the
// decoded JSON body (nil when empty).
func call(t testing.TB, h http.Handler, method, target, token, body string) (int, http.Header, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var v map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %v: %s", method, target, err, rec.Body)
		}
	}
	return rec.Code, rec.Header(), v
}

func TestUnroutedPaths(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/"},
		{"GET", "/api/v1/acme/nothing"},
		{"GET", "/api/v1/nosuch/nothing"},
		{"GET", "/api/v1/acme//contacts"},
		{"GET", "/_mock/nothing"},
	} {
		code, _, body := call(t, s, tc.method, tc.path, testToken, "")
		if code != 404 || body["status"] != "error" || body["message"] != "Not found" {
			t.Errorf("%s %s: %d %v, want 404 Not found", tc.method, tc.path, code, body)
		}
	}
	code, h, body := call(t, s, "DELETE", "/_mock/clock", "", "")
	if code != 405 || h.Get("Allow") != "GET, HEAD" || body["message"] != "Method not allowed" {
		t.Errorf("DELETE /_mock/clock: %d %q %v", code, h.Get("Allow"), body)
	}
}

// jsonOf encodes v as JSON for messages and comparisons.
func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHead: HEAD on a GET route answers as GET, headers included, without
// the body.
func TestHead(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, target := range []string{"/api/v1/acme/contacts?per_page=2", "/_mock/clock"} {
		get := httptest.NewRecorder()
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		s.ServeHTTP(get, req)
		head := httptest.NewRecorder()
		req = httptest.NewRequest("HEAD", target, nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		s.ServeHTTP(head, req)
		if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != get.Header().Get("Content-Length") ||
			head.Header().Get("Content-Type") != "application/json" {
			t.Errorf("HEAD %s: %d %q %v, want GET's headers (%v) and no body", target, head.Code, head.Body, head.Header(), get.Header())
		}
	}
	if code, h, _ := call(t, s, "HEAD", "/api/v1/acme/messages/send", testToken, ""); code != 405 || h.Get("Allow") != "POST" {
		t.Errorf("HEAD on a POST route: %d Allow %q", code, h.Get("Allow"))
	}
}
