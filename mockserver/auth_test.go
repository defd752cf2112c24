package mockserver

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestAuthChainOrder breaks every step of the chain at once and repairs one
// at a time: each answer must be the first failing step's.
func TestAuthChainOrder(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ws := s.AddWorkspace("beta", WorkspaceWithoutAPI())
	ws.RemoveAbility("groups.read")
	get := func(sub, token string) (int, string) {
		code, _, body := call(t, s, "GET", "/api/v1/"+sub+"/groups", token, "")
		msg, _ := body["message"].(string)
		return code, msg
	}
	check := func(step string, code int, msg string, wantCode int, wantMsg string) {
		t.Helper()
		if code != wantCode || msg != wantMsg {
			t.Errorf("%s: %d %q, want %d %q", step, code, msg, wantCode, wantMsg)
		}
	}
	code, msg := get("nosuch", "")
	check("subdomain", code, msg, 400, "Validation failed")
	code, msg = get("beta", "")
	check("not set up", code, msg, 404, "API settings not found for this tenant")
	ws.EnableAPI()
	ws.DisableAPI()
	code, msg = get("beta", "wrong")
	check("disabled", code, msg, 403, "API access is disabled")
	ws.EnableAPI()
	code, msg = get("beta", "")
	check("no token", code, msg, 401, "API token is required")
	code, msg = get("beta", testToken) // the default workspace's token
	check("foreign token", code, msg, 401, "Invalid API token")
	code, msg = get("beta", ws.Token())
	check("ability", code, msg, 403, "Token does not have the required ability: groups.read")
	ws.RestoreAbility("groups.read")
	code, _ = get("beta", ws.Token())
	check("all good", code, "", 200, "")

	old := ws.Token()
	nt := ws.RotateToken()
	if nt == old || len(nt) != 64 {
		t.Fatalf("rotated token %q", nt)
	}
	code, msg = get("beta", old)
	check("rotated away", code, msg, 401, "Invalid API token")
	code, _ = get("beta", nt)
	check("new token", code, "", 200, "")

	req, _ := http.NewRequest("GET", "/api/v1/beta/groups", nil)
	req.Header.Set("Authorization", "Basic "+nt)
	if bearerToken(req) != "" {
		t.Error("a Basic header is no bearer token")
	}
}

// TestRateLimitWindow walks a window of 3 requests per minute on the fixed
// clock, checking retry_after at its edges.
func TestRateLimitWindow(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithRateLimit(3, time.Minute)) // starts at 12:34:56.5
	get := func() (int, map[string]any) {
		code, _, body := call(t, s, "GET", "/api/v1/acme/sources", testToken, "")
		return code, body
	}
	// Requests that fail auth or routing are not counted.
	call(t, s, "GET", "/api/v1/acme/sources", "", "")
	call(t, s, "GET", "/api/v1/acme/nothing", testToken, "")
	for i := range 3 {
		if code, _ := get(); code != 200 {
			t.Fatalf("request %d: %d", i+1, code)
		}
	}
	wantRetry := func(want float64) {
		t.Helper()
		code, body := get()
		if code != 429 || body["retry_after"] != want || body["message"] != "Too many requests" {
			t.Fatalf("at %s: %d %v, want 429 retry_after %v", s.Now().Format("15:04:05.000"), code, body, want)
		}
		if _, has := body["status"]; has {
			t.Error("429 body has a status key")
		}
	}
	wantRetry(59)                                    // 12:34:56.5, window ends 12:35:56: 59.5 s left
	s.Advance(58*time.Second + 400*time.Millisecond) // 12:35:54.9
	wantRetry(1)
	s.Advance(200 * time.Millisecond) // 12:35:55.1: the last second
	wantRetry(0)
	s.Advance(800 * time.Millisecond) // 12:35:55.9
	wantRetry(0)
	s.Advance(100 * time.Millisecond) // 12:35:56.0: a new window opens
	for i := range 3 {
		if code, _ := get(); code != 200 {
			t.Fatalf("new window, request %d: %d", i+1, code)
		}
	}
	wantRetry(60) // this window opened on a whole second
}

func TestRateLimitPerWorkspace(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, WithRateLimit(1, time.Minute))
	other := s.AddWorkspace("other")
	for _, c := range []struct {
		sub, token string
		want       int
	}{{"acme", testToken, 200}, {"acme", testToken, 429}, {"other", other.Token(), 200}, {"other", other.Token(), 429}} {
		if code, _, _ := call(t, s, "GET", "/api/v1/"+c.sub+"/groups", c.token, ""); code != c.want {
			t.Errorf("%s: %d, want %d", c.sub, code, c.want)
		}
	}
	// A rotated token is a new key with a fresh window.
	nt := other.RotateToken()
	if code, _, _ := call(t, s, "GET", "/api/v1/other/groups", nt, ""); code != 200 {
		t.Errorf("after rotation: %d, want 200", code)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{false, true} {
		t.Run(fmt.Sprint(on), func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, WithRateLimit(2, time.Minute), WithRateLimitHeaders(on))
			var got []string
			for range 3 {
				_, h, _ := call(t, s, "GET", "/api/v1/acme/groups", testToken, "")
				got = append(got, h.Get("X-RateLimit-Limit")+"/"+h.Get("X-RateLimit-Remaining")+"/"+h.Get("Retry-After"))
			}
			want := []string{"//", "//", "//"}
			if on {
				want = []string{"2/1/", "2/0/", "2/0/59"}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("limit/remaining/retry-after = %q, want %q", got, want)
			}
		})
	}
}
