package xobito

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
)

func TestNewRefusesBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, sub, token string
		opts             []Option
		field            string
	}{
		{"empty subdomain", "", testToken, nil, "subdomain"},
		{"subdomain with a slash", "acme/other", testToken, nil, "subdomain"},
		{"subdomain dot-dot", "..", testToken, nil, "subdomain"},
		{"subdomain with a query", "acme?x=1", testToken, nil, "subdomain"},
		{"subdomain with a space", "ac me", testToken, nil, "subdomain"},
		{"empty token", "acme", "", nil, "token"},
		{"token with a space", "acme", "abc def", nil, "token"},
		{"token with a newline", "acme", testToken + "\n", nil, "token"},
		{"token with a tab", "acme", "\t" + testToken, nil, "token"},
		{"token with a NUL", "acme", "abc\x00", nil, "token"},
		{"token with an em space", "acme", "abc\u2003def", nil, "token"},
		{"token with a zero-width space", "acme", "abc\u200bdef", nil, "token"},
		{"token with invalid UTF-8", "acme", "abc\xffdef", nil, "token"},
		{"subdomain with an ideographic space", "ac\u3000me", testToken, nil, "subdomain"},
		{"plain http to a remote host", "acme", testToken, []Option{WithBaseURL("http://dash.xobito.com/api/v1/")}, "base URL"},
		{"base URL without a host", "acme", testToken, []Option{WithBaseURL("/api/v1/")}, "base URL"},
		{"base URL with credentials", "acme", testToken, []Option{WithBaseURL("https://u:p@dash.xobito.com/api/v1/")}, "base URL"},
		{"nil http client", "acme", testToken, []Option{WithHTTPClient(nil)}, "http client"},
		{"empty user agent", "acme", testToken, []Option{WithUserAgent(" ")}, "user agent"},
		{"negative retries", "acme", testToken, []Option{WithRetry(RetryPolicy{MaxRetries: -1})}, "retry policy"},
		{"nil logger", "acme", testToken, []Option{WithLogger(nil)}, "logger"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tc.sub, tc.token, tc.opts...)
			var in *InputError
			if c != nil || !errors.As(err, &in) || in.Field != tc.field || !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("New = %v, %v; want an *InputError for %q", c, err, tc.field)
			}
			if tc.token != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.token)) {
				t.Fatalf("error shows the token: %v", err)
			}
		})
	}
}

func TestNewAcceptsLoopbackAndOpaqueTokens(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://127.0.0.1:8080/api/v1", "http://localhost/api/v1/", "http://[::1]:9/api/v1/", "https://eu.example.com/api/v1/"} {
		c, err := New("acme", "apitk_"+strings.Repeat("a", 64), WithBaseURL(base))
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		if !strings.HasSuffix(c.BaseURL(), "/api/v1/acme/") {
			t.Errorf("%s: base %q", base, c.BaseURL())
		}
	}
}

func TestEveryRequestCarriesTheHeaders(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	var cp capture
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", cp.then(jsonResponder(200, `{"status":"success","data":{"id":1}}`)))
	mt.RegisterResponder(http.MethodPost, testBase+"contacts", cp.then(jsonResponder(201, `{"status":"success","message":"Contact created successfully","data":{"id":2}}`)))

	var out struct{ ID int }
	if _, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, &out); err != nil || out.ID != 1 {
		t.Fatalf("GET: %v %+v", err, out)
	}
	req, _ := cp.last(t)
	if got := req.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization %q", got)
	}
	if req.Header.Get("Accept") != "application/json" || req.Header.Get("Content-Type") != "" {
		t.Errorf("GET headers %v", req.Header)
	}
	if ua := req.Header.Get("User-Agent"); !strings.HasPrefix(ua, "xobito-go/") {
		t.Errorf("User-Agent %q", ua)
	}

	body, _ := jsonPayload(map[string]string{"firstname": "Ada"})
	resp, err := c.do(context.Background(), http.MethodPost, "contacts", nil, body, &out)
	if err != nil || out.ID != 2 || resp.Message != "Contact created successfully" || resp.StatusCode != 201 || resp.Attempts != 1 {
		t.Fatalf("POST: %v %+v %+v", err, out, resp)
	}
	req, b := cp.last(t)
	if req.Header.Get("Content-Type") != "application/json" || req.Header.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("POST headers %v", req.Header)
	}
	jsonEqual(t, b, `{"firstname":"Ada"}`)
}

func TestUserAgentOption(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t, WithUserAgent("crm-sync/2.1"))
	var cp capture
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", cp.then(jsonResponder(200, `{"status":"success","data":null}`)))
	if _, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if req, _ := cp.last(t); req.Header.Get("User-Agent") != "crm-sync/2.1" {
		t.Fatalf("User-Agent %q", req.Header.Get("User-Agent"))
	}
}

func TestQueryEncoding(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	var cp capture
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", cp.then(jsonResponder(200, `{"status":"success","data":{"current_page":2,"data":[],"per_page":"50","total":51,"last_page":2}}`)))
	q := struct {
		ListOptions
		Type string `url:"type,omitempty"`
	}{ListOptions{Page: 2, PerPage: 50}, "lead"}
	_, resp, err := list[struct{}](context.Background(), c, "contacts", q, q.ListOptions)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := cp.last(t)
	if got := req.URL.RawQuery; got != "page=2&per_page=50&type=lead" {
		t.Errorf("query %q", got)
	}
	if resp.CurrentPage != 2 || resp.LastPage != 2 || resp.PerPage != 50 || resp.Total != 51 {
		t.Errorf("paging %+v", resp)
	}
	if _, _, err := list[struct{}](context.Background(), c, "contacts", nil, ListOptions{PerPage: 101}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("per_page 101: %v", err)
	}
	if cp.count() != 1 {
		t.Errorf("invalid options were sent")
	}
}

// TestTokenNeverLeaks captures every place a token could show up — error
// strings, log lines, hooks' view of the request, fmt of the client and of
// its options — and greps them for the token.
func TestTokenNeverLeaks(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var mu sync.Mutex
	var seen []string
	hookReq := func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, fmt.Sprintf("%v %+v %#v", r.Header, r, r.Header))
	}
	hookResp := func(r *http.Response) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, fmt.Sprintf("%v %v", r.Header, r.Request.Header))
	}
	opts := []Option{
		WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithRequestHook(hookReq), WithResponseHook(hookResp),
	}
	c, mt, _ := newMockClient(t, opts...)
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", jsonResponder(401, `{"status":"error","message":"Invalid API token"}`))
	mt.RegisterResponder(http.MethodGet, testBase+"statuses", jsonResponder(503, `<html>down</html>`))
	mt.RegisterResponder(http.MethodGet, testBase+"sources", httpmock.NewErrorResponder(errors.New("connection reset")))

	var outputs []string
	for _, path := range []string{"contacts", "statuses", "sources"} {
		resp, err := c.do(context.Background(), http.MethodGet, path, nil, nil, nil)
		if err == nil {
			t.Fatalf("%s: no error", path)
		}
		outputs = append(outputs, err.Error(), fmt.Sprintf("%+v %#v", err, err))
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			outputs = append(outputs, fmt.Sprintf("%v", apiErr.Response.Request.Header))
		}
		if resp.Response != nil {
			outputs = append(outputs, fmt.Sprintf("%v", resp.Request.Header))
		}
	}
	outputs = append(outputs, logs.String(), fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s %q %x", c, c, c))
	outputs = append(outputs, fmt.Sprintf("%v %+v", opts, c.token), fmt.Sprintf("%#v", c.token))
	mu.Lock()
	outputs = append(outputs, seen...)
	mu.Unlock()
	if !strings.Contains(logs.String(), "xobito: sending") || len(seen) == 0 {
		t.Fatal("logger or hooks were not called: the test would prove nothing")
	}
	for _, out := range outputs {
		if strings.Contains(out, testToken) {
			t.Fatalf("token leaked in: %s", out)
		}
	}
}

func TestAuthorizationIsNotForwardedToAnotherHost(t *testing.T) {
	t.Parallel()
	var otherAuth, sameAuth string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherAuth = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"success","data":null}`))
	}))
	defer other.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/acme/same":
			http.Redirect(w, r, "/api/v1/acme/landing", http.StatusFound)
		case "/api/v1/acme/landing":
			sameAuth = r.Header.Get("Authorization")
			w.Write([]byte(`{"status":"success","data":null}`))
		default:
			// 127.0.0.1 and localhost are different hosts to the client.
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/elsewhere", http.StatusFound)
		}
	}))
	defer origin.Close()
	c, err := New("acme", testToken, WithBaseURL(origin.URL+"/api/v1/"), WithHTTPClient(origin.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.do(context.Background(), http.MethodGet, "away", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if otherAuth != "" {
		t.Fatalf("Authorization forwarded to another host: %q", otherAuth)
	}
	if _, err := c.do(context.Background(), http.MethodGet, "same", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if sameAuth != "Bearer "+testToken {
		t.Fatalf("same-host redirect lost Authorization: %q", sameAuth)
	}
}

func TestAuthorizationIsDroppedOnADowngradeToHTTP(t *testing.T) {
	t.Parallel()
	hc := copyHTTPClient(nil)
	from, _ := http.NewRequest(http.MethodGet, "https://dash.xobito.com/api/v1/acme/contacts", nil)
	to, _ := http.NewRequest(http.MethodGet, "http://dash.xobito.com/api/v1/acme/contacts", nil)
	to.Header.Set("Authorization", "Bearer "+testToken)
	if err := hc.CheckRedirect(to, []*http.Request{from}); err != nil {
		t.Fatal(err)
	}
	if got := to.Header.Get("Authorization"); got != "" {
		t.Fatalf("Authorization kept on https -> http: %q", got)
	}
}

func TestNullDataIsAnUnexpectedResponse(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, testBase+"contacts/1", jsonResponder(200, `{"status":"success","data":null}`))
	var out struct{ ID int }
	if _, err := c.do(context.Background(), http.MethodGet, "contacts/1", nil, nil, &out); !errors.Is(err, ErrUnexpectedResponse) {
		t.Fatalf("err = %v", err)
	}
}

func TestHTTPClientIsCopiedNotModified(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	if _, err := New("acme", testToken, WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil {
		t.Fatal("the caller's http.Client was modified")
	}
}

func TestCancelledContextReturnsTheContextError(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", func(req *http.Request) (*http.Response, error) {
		cancel()
		return nil, req.Context().Err()
	})
	_, err := c.do(ctx, http.MethodGet, "contacts", nil, nil, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestSuccessBodiesThatDoNotDecode(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", jsonResponder(200, `{"status":"success","data":{"id":`))
	var out struct{ ID int }
	resp, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, &out)
	if !errors.Is(err, ErrUnexpectedResponse) || resp == nil || resp.StatusCode != 200 {
		t.Fatalf("truncated success body: %v %v", resp, err)
	}
}
