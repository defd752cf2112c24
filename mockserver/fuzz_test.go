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
// panic nor answer 5xx, and every answer must be JSON. fault, when not 0,
// injects a one-time fault first (a dropped connection, a status with a
// body, an empty status), whose answer an API request must get instead.
//
// Every input gets a fresh server, so that an admin call that changes the
// server (rotating the token, switching the API off, removing an ability,
// a reset) cannot leave later inputs with nothing but the 401 path.
func FuzzHandler(f *testing.F) {
	for _, seed := range []struct {
		method, target, ctype, auth, body string
		fault                             uint8
	}{
		{"GET", "/api/v1/acme/contacts?page=2&per_page=1", "", "Bearer " + testToken, "", 0},
		{"POST", "/api/v1/acme/contacts", "application/json", "Bearer " + testToken, `{"firstname":"A","phone":"+15550000000","type":"lead","source_id":5,"status_id":1,"groups":"a,b"}`, 0},
		{"PUT", "/api/v1/acme/contacts/10", "application/json", "Bearer " + testToken, `{"firstname":null,"phone":[],"status_id":{}}`, 0},
		{"PUT", "/api/v1/acme/statuses/1", "application/json", "Bearer " + testToken, `{"isdefault":"yes","name":1e400}`, 0},
		{"DELETE", "/api/v1/acme/groups/9", "", "Bearer " + testToken, "", 0},
		{"POST", "/api/v1/acme/sources", "text/plain", "Bearer " + testToken, `name=x`, 0},
		{"GET", "/api/v1/%zz/contacts", "", "", "", 0},
		{"GET", "/api/v1/acme/contacts/%2F..%2F?page=99999999999999999999", "", "Bearer x", "", 0},
		{"OPTIONS", "/api/v1/acme/messages/wamid.A%2BB%3D/status", "", "Bearer " + testToken, "", 0},
		{"HEAD", "/api/v1/acme/templates", "", "Bearer " + testToken, "", 0},
		{"GET", "/api/v1/acme/groups", "", "Bearer " + testToken, "", 1},
		{"POST", "/api/v1/acme/messages/send", "application/json", "Bearer " + testToken, `{}`, 2},
		{"GET", "/_mock/faults", "", "", "", 3},
		{"POST", "/_mock/faults", "application/json", "", `{"status":1000}`, 0},
		{"POST", "/_mock/faults", "application/json", "", `{"drop":true}`, 0},
		{"POST", "/_mock/clock/advance", "application/json", "", `{"duration":"-1h"}`, 0},
		{"POST", "/_mock/clock/advance", "application/json", "", `{"seconds":1e308}`, 0},
		{"PUT", "/_mock/workspaces/acme/rate-limit", "application/json", "", `{"max":"x"}`, 0},
		{"POST", "/_mock/workspaces/acme/token/rotate", "", "", "", 0},
		{"POST", "/_mock/workspaces/acme/api/disable", "", "", "", 0},
		{"POST", "/_mock/workspaces/acme/abilities/remove", "application/json", "", `{"ability":"contacts.read"}`, 0},
		{"POST", "/_mock/reset", "", "", "", 0},
	} {
		f.Add(seed.method, seed.target, seed.ctype, seed.auth, []byte(seed.body), seed.fault)
	}
	f.Fuzz(func(t *testing.T, method, target, ctype, auth string, body []byte, fault uint8) {
		u, err := url.ParseRequestURI(target)
		if err != nil || method == "" || strings.ContainsAny(method, " \t\r\n") {
			t.Skip()
		}
		s := New(WithClock(FixedClock(testStart)), WithToken(testToken), WithRateLimit(1<<30, 1))
		defer s.Close()
		want := 0 // the status an injected fault answers, 0: none
		switch fault % 4 {
		case 1:
			s.InjectFault(Fault{Times: 1, Drop: true})
			want = http.StatusBadGateway // a recorder has no connection to drop
		case 2:
			s.InjectFault(Fault{Times: 1, Status: http.StatusTeapot, Body: `{"status":"error"}`})
			want = http.StatusTeapot
		case 3:
			s.InjectFault(Fault{Times: 1, Status: http.StatusTooManyRequests, EmptyBody: true})
			want = http.StatusTooManyRequests
		}
		if !strings.HasPrefix(u.Path, apiPrefix) {
			want = 0 // faults spare the admin API and other paths
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
		switch {
		case want != 0 && rec.Code != want:
			t.Fatalf("%s %s under fault %d: %d %s, want %d", method, target, fault%4, rec.Code, rec.Body, want)
		case want == 0 && (rec.Code >= 500 || rec.Code < 200):
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
		}
		if b := bytes.TrimSpace(rec.Body.Bytes()); len(b) > 0 && b[0] != '{' {
			t.Fatalf("%s %s: body is not a JSON object: %s", method, target, b)
		}
		if log := s.Requests(); len(log) != 1 || log[0].Status != rec.Code {
			t.Fatalf("%s %s: answered %d, logged %+v", method, target, rec.Code, log)
		}
	})
}

func httptestBody(b []byte) *readCloser { return &readCloser{bytes.NewReader(b)} }

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
