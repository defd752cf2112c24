package mockserver

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzHandler throws arbitrary requests at the handler: it must never
// panic nor answer 5xx, and every answer must be JSON.
func FuzzHandler(f *testing.F) {
	for _, seed := range []struct{ method, target, ctype, auth, body string }{
		{"GET", "/api/v1/acme/contacts?page=2&per_page=1", "", "Bearer " + testToken, ""},
		{"POST", "/api/v1/acme/contacts", "application/json", "Bearer " + testToken, `{"firstname":"A","phone":"+15550000000","type":"lead","source_id":5,"status_id":1,"groups":"a,b"}`},
		{"PUT", "/api/v1/acme/contacts/10", "application/json", "Bearer " + testToken, `{"firstname":null,"phone":[],"status_id":{}}`},
		{"PUT", "/api/v1/acme/statuses/1", "application/json", "Bearer " + testToken, `{"isdefault":"yes","name":1e400}`},
		{"DELETE", "/api/v1/acme/groups/9", "", "Bearer " + testToken, ""},
		{"POST", "/api/v1/acme/sources", "text/plain", "Bearer " + testToken, `name=x`},
		{"GET", "/api/v1/%zz/contacts", "", "", ""},
		{"GET", "/api/v1/acme/contacts/%2F..%2F?page=99999999999999999999", "", "Bearer x", ""},
		{"OPTIONS", "/api/v1/acme/messages/wamid.A%2BB%3D/status", "", "Bearer " + testToken, ""},
		{"POST", "/_mock/faults", "application/json", "", `{"status":1000}`},
		{"POST", "/_mock/clock/advance", "application/json", "", `{"duration":"-1h"}`},
		{"PUT", "/_mock/workspaces/acme/rate-limit", "application/json", "", `{"max":"x"}`},
	} {
		f.Add(seed.method, seed.target, seed.ctype, seed.auth, []byte(seed.body))
	}
	s := New(WithClock(FixedClock(testStart)), WithToken(testToken), WithRateLimit(1<<30, 1))
	f.Cleanup(s.Close)
	f.Fuzz(func(t *testing.T, method, target, ctype, auth string, body []byte) {
		u, err := url.ParseRequestURI(target)
		if err != nil || method == "" || strings.ContainsAny(method, " \t\r\n") {
			t.Skip()
		}
		if strings.HasPrefix(u.Path, "/_mock/reset") || strings.HasPrefix(u.Path, "/_mock/faults") && method == "POST" {
			t.Skip() // would change what later inputs see, not what this one gets
		}
		req := &http.Request{Method: method, URL: u, Host: "example.com", Header: http.Header{},
			Body: http.NoBody, RequestURI: target}
		if len(body) > 0 {
			req.Body = httptestBody(body)
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 || rec.Code < 200 {
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
		}
		if b := bytes.TrimSpace(rec.Body.Bytes()); len(b) > 0 && b[0] != '{' {
			t.Fatalf("%s %s: body is not a JSON object: %s", method, target, b)
		}
	})
}

func httptestBody(b []byte) *readCloser { return &readCloser{bytes.NewReader(b)} }

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
