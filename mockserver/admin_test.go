package mockserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// admin calls the control API and returns the status and decoded body.
func admin(t *testing.T, s *Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	code, _, v := call(t, s, method, "/_mock/"+path, "", body)
	return code, v
}

func TestAdminControls(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	get := func(token string) int {
		code, _, _ := call(t, s, "GET", "/api/v1/acme/groups", token, "")
		return code
	}
	steps := []struct {
		method, path, body string
		wantAdmin          int
		token              func() string
		wantAPI            int
	}{
		{"POST", "workspaces/acme/api/disable", "", 200, func() string { return testToken }, 403},
		{"POST", "workspaces/acme/api/enable", "", 200, func() string { return testToken }, 200},
		{"POST", "workspaces/acme/abilities/remove", `{"ability":"groups.read"}`, 200, func() string { return testToken }, 403},
		{"POST", "workspaces/acme/abilities/restore", `{"ability":"groups.read"}`, 200, func() string { return testToken }, 200},
		{"PUT", "workspaces/acme/rate-limit", `{"max":1,"window_seconds":60}`, 200, func() string { return testToken }, 200},
		{"GET", "workspaces/acme", "", 200, func() string { return testToken }, 429},
		{"POST", "clock/advance", `{"duration":"1m"}`, 200, func() string { return testToken }, 200},
		{"POST", "workspaces/acme/token/rotate", "", 200, func() string { return testToken }, 401},
		{"POST", "workspaces/nosuch/token/rotate", "", 404, nil, 0},
		{"PUT", "workspaces/acme/rate-limit", `{"max":0}`, 422, nil, 0},
		{"POST", "clock/advance", `{"duration":"-1s"}`, 422, nil, 0},
		{"POST", "clock/advance", `{`, 422, nil, 0},
	}
	for _, st := range steps {
		code, body := admin(t, s, st.method, st.path, st.body)
		if code != st.wantAdmin {
			t.Fatalf("%s %s: %d %v, want %d", st.method, st.path, code, body, st.wantAdmin)
		}
		if st.token != nil {
			if got := get(st.token()); got != st.wantAPI {
				t.Fatalf("after %s %s: API answers %d, want %d", st.method, st.path, got, st.wantAPI)
			}
		}
	}
	_, info := admin(t, s, "GET", "workspaces/acme", "")
	if info["token"] == testToken || len(info["token"].(string)) != 64 || info["rate_limit_max"] != float64(1) ||
		info["base_url"] != "http://example.com/api/v1/acme/" {
		t.Errorf("workspace info %v", info)
	}
	if _, clock := admin(t, s, "GET", "clock", ""); clock["now"] != "2026-04-16T12:35:56.5Z" {
		t.Errorf("clock %v", clock)
	}

	code, body := admin(t, s, "POST", "workspaces", `{"subdomain":"beta","token":"`+strings.Repeat("1", 64)+`","seed":true,"api":"none"}`)
	if code != 201 || body["api_set_up"] != false {
		t.Fatalf("add workspace: %d %v", code, body)
	}
	if code, _, _ := call(t, s, "GET", "/api/v1/beta/contacts", "", ""); code != 404 {
		t.Errorf("workspace without API: %d", code)
	}
	admin(t, s, "POST", "workspaces/beta/api/enable", "")
	if code, _, v := call(t, s, "GET", "/api/v1/beta/contacts", strings.Repeat("1", 64), ""); code != 200 || v["data"].(map[string]any)["total"] != float64(4) {
		t.Errorf("seeded workspace: %d %v", code, v)
	}
	if code, _ := admin(t, s, "POST", "workspaces", `{"subdomain":"acme"}`); code != 422 {
		t.Errorf("adding a taken subdomain: %d, want 422", code)
	}
	if _, list := admin(t, s, "GET", "workspaces", ""); len(list["workspaces"].([]any)) != 2 {
		t.Errorf("workspaces %v", list)
	}

	admin(t, s, "POST", "reset", "")
	if s.Workspace("beta") != nil || get(testToken) != 200 {
		t.Error("reset did not restore the initial state")
	}
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	call(t, s, "POST", "/api/v1/acme/groups?x=1", testToken, `{"name":"Logged"}`)
	log := s.Requests()
	if len(log) != 1 {
		t.Fatalf("log %v", log)
	}
	r := log[0]
	if r.Method != "POST" || r.Path != "/api/v1/acme/groups" || r.Query != "x=1" || r.Status != 201 ||
		r.Body != `{"name":"Logged"}` || r.Header.Get("Authorization") != "REDACTED" || !r.Time.Equal(testStart) {
		t.Errorf("record %+v", r)
	}
	_, v := admin(t, s, "GET", "requests", "")
	if strings.Contains(jsonOf(t, v), testToken) || len(v["requests"].([]any)) != 1 {
		t.Errorf("admin log %v", v)
	}
	s.ClearRequests()
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d records after clear", n)
	}
	for i := range maxLogEntries + 5 {
		call(t, s, "GET", fmt.Sprint("/nothing/", i), "", "")
	}
	log = s.Requests()
	if n := len(log); n != maxLogEntries {
		t.Fatalf("log holds %d, want %d", n, maxLogEntries)
	}
	for i, r := range log { // the newest ones, oldest first
		if want := fmt.Sprint("/nothing/", i+5); r.Path != want {
			t.Fatalf("record %d: %s, want %s", i, r.Path, want)
		}
	}
}

// TestEmptyLogsAreLists: the admin API shows empty logs as [], not null.
func TestEmptyLogsAreLists(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, path := range []string{"requests", "deliveries", "faults"} {
		_, _, v := call(t, s, "GET", "/_mock/"+path, "", "")
		if list, ok := v[path].([]any); !ok || len(list) != 0 {
			t.Errorf("GET /_mock/%s: %s, want an empty list", path, jsonOf(t, v))
		}
		s.ClearRequests()
	}
	if s.Requests() == nil || s.Deliveries() == nil {
		t.Error("an empty log is nil")
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	ts := NewTest(t, WithClock(FixedClock(testStart)), WithToken(testToken))
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	get := func(ctx context.Context, path string) (int, string, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.DefaultBaseURL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), nil
	}
	ctx := context.Background()

	ts.InjectFault(Fault{Method: "GET", Path: "/api/v1/*/groups", Times: 2, Status: 502, Body: "<html>bad gateway</html>", ContentType: "text/html"})
	for i, want := range []int{502, 502, 200} {
		if code, body, err := get(ctx, "groups"); code != want || err != nil || (want == 502 && body != "<html>bad gateway</html>") {
			t.Errorf("request %d: %d %q %v, want %d", i+1, code, body, err, want)
		}
	}
	if code, _, _ := get(ctx, "sources"); code != 200 {
		t.Errorf("another path: %d", code)
	}

	ts.InjectFault(Fault{Path: "/api/v1/acme/sources", Times: 1, Drop: true})
	client.CloseIdleConnections() // a GET on a reused connection would be retried by the transport
	if _, _, err := get(ctx, "sources"); err == nil {
		t.Error("dropped connection gave no error")
	}

	ts.InjectFault(Fault{Path: "/api/v1/acme/statuses", Latency: time.Hour})
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, _, err := get(short, "statuses"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("latency fault: %v, want the client's deadline", err)
	}
	if fs := ts.Faults(); len(fs) != 1 || fs[0].Times != 0 {
		t.Errorf("active faults %+v", fs)
	}
	ts.ClearFaults()
	if code, _, _ := get(ctx, "statuses"); code != 200 {
		t.Errorf("after ClearFaults: %d", code)
	}

	code, v := admin(t, ts.Server, "POST", "faults", `{"path":"/api/v1/acme/groups","times":1,"status":500}`)
	if code != 201 || len(v["faults"].([]any)) != 1 {
		t.Fatalf("admin fault: %d %v", code, v)
	}
	if code, body, _ := get(ctx, "groups"); code != 500 || !strings.Contains(body, `"status":"error"`) {
		t.Errorf("admin fault answered %d %s", code, body)
	}
}

// TestFaultsSpareTheAdminAPI: a fault with no path applies to every API
// request, but never to the admin API, which must stay usable to clear it.
func TestFaultsSpareTheAdminAPI(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	if code, v := admin(t, s, "POST", "faults", `{"status":503}`); code != 201 {
		t.Fatalf("add fault: %d %v", code, v)
	}
	if code, _ := api(t, s, "GET", "groups", ""); code != 503 {
		t.Errorf("API request under the fault: %d, want 503", code)
	}
	if code, v := admin(t, s, "GET", "faults", ""); code != 200 || len(v["faults"].([]any)) != 1 {
		t.Errorf("GET /_mock/faults under the fault: %d %v", code, v)
	}
	if code, v := admin(t, s, "DELETE", "faults", ""); code != 200 || len(v["faults"].([]any)) != 0 {
		t.Errorf("DELETE /_mock/faults under the fault: %d %v", code, v)
	}
	if code, _ := api(t, s, "GET", "groups", ""); code != 200 {
		t.Errorf("API request after clearing: %d, want 200", code)
	}
}

// TestAdvanceSaturates: time never moves back, however far it is advanced,
// and a negative advance is refused.
func TestAdvanceSaturates(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.Advance(math.MaxInt64)
	first := s.Now()
	s.Advance(math.MaxInt64)
	if now := s.Now(); now.Before(first) || !first.After(testStart) {
		t.Errorf("after two maximal advances: %v, then %v (start %v)", first, now, testStart)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Advance(-1) did not panic")
			}
		}()
		s.Advance(-1)
	}()
	if !s.Now().Equal(first) {
		t.Errorf("time moved on a refused advance: %v", s.Now())
	}

	s = newTestServer(t)
	for _, tc := range []struct {
		body string
		code int
	}{
		{`{"seconds":-1}`, 422},
		{`{"duration":"-1ns"}`, 422},
		{`{"duration":"9999999h"}`, 422}, // not a valid Duration
		{`{"seconds":1e300}`, 200},
		{`{"seconds":1e300}`, 200},
	} {
		before := s.Now()
		if code, v := admin(t, s, "POST", "clock/advance", tc.body); code != tc.code {
			t.Errorf("%s: %d %v, want %d", tc.body, code, v, tc.code)
		}
		if s.Now().Before(before) {
			t.Errorf("%s moved time back: %v -> %v", tc.body, before, s.Now())
		}
	}
}

// TestDropWithoutConnection: a drop fault on a writer that cannot be
// hijacked answers 502 instead of panicking.
func TestDropWithoutConnection(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.InjectFault(Fault{Drop: true, Times: 1})
	code, v := api(t, s, "GET", "groups", "")
	if code != 502 || v["status"] != "error" || v["message"] != "Bad Gateway" {
		t.Errorf("drop on a recorder: %d %v, want 502", code, v)
	}
	if log := s.Requests(); len(log) != 1 || log[0].Status != 502 {
		t.Errorf("log %+v", log)
	}
}

// errReader fails every read.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// TestBodyErrors: every buffered body, API or admin, answers 413 only when
// too large, and 400 when it cannot be read.
func TestBodyErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, target := range []string{"/_mock/faults", "/api/v1/acme/groups", "/api/v1/acme/messages/media"} {
		for _, tc := range []struct {
			body io.Reader
			want int
		}{
			{io.MultiReader(strings.NewReader(`{"x":"`), strings.NewReader(strings.Repeat("x", maxJSONBody))), 413},
			{errReader{}, 400},
		} {
			req := httptest.NewRequest("POST", target, tc.body)
			req.Header.Set("Authorization", "Bearer "+testToken)
			req.Header.Set("Content-Type", "application/json")
			if code, v := serve(t, s, req); code != tc.want {
				t.Errorf("POST %s: %d %v, want %d", target, code, v, tc.want)
			}
		}
	}
}
