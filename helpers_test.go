package xobito

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// Helpers shared by the package's unit tests.

const (
	testSubdomain = "acme"
	testToken     = "3f1c9a0b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a"
	testBase      = "https://dash.xobito.com/api/v1/acme/"
)

// sleepRecorder replaces real sleeping in retry tests and records each wait.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newMockClient returns a client whose requests go to a fresh httpmock
// transport (one per test, so tests run in parallel) and whose retries
// record their waits instead of sleeping.
func newMockClient(t testing.TB, opts ...Option) (*Client, *httpmock.MockTransport, *sleepRecorder) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	rec := &sleepRecorder{}
	base := []Option{
		WithHTTPClient(&http.Client{Transport: mt}),
		WithRetry(RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}),
	}
	c, err := New(testSubdomain, testToken, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, mt, rec
}

// jsonResponder answers status with body as application/json.
func jsonResponder(status int, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		resp.Request = req
		return resp, nil
	}
}

// capture records the requests a responder sees, with their bodies.
type capture struct {
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
}

// then wraps next so every request passing through is recorded.
func (c *capture) then(next httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var b []byte
		if req.Body != nil {
			b, _ = io.ReadAll(req.Body)
		}
		c.mu.Lock()
		c.reqs = append(c.reqs, req)
		c.body = append(c.body, b)
		c.mu.Unlock()
		return next(req)
	}
}

func (c *capture) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.reqs)
}

func (c *capture) last(t testing.TB) (*http.Request, []byte) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.reqs) == 0 {
		t.Fatal("no request was sent")
	}
	return c.reqs[len(c.reqs)-1], c.body[len(c.body)-1]
}

// jsonEqual fails the test unless got and want hold the same JSON value.
func jsonEqual(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("body\n got: %s\nwant: %s", gb, wb)
	}
}
