package xobito

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// sequence answers the given responders in turn, repeating the last.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int32
	return func(req *http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		return rs[min(i, len(rs)-1)](req)
	}
}

func sendText(c *Client) (*Response, error) {
	body, _ := jsonPayload(map[string]string{"phone_number": "+14155550100", "message_body": "hi"})
	return c.do(context.Background(), http.MethodPost, "messages/send", nil, body, nil)
}

const (
	tooMany = `{"message":"Too many requests","retry_after":2}`
	sent    = `{"status":"success","message":"Message sent successfully","data":{"message_id":"wamid.x"}}`
)

func TestSendAnswered503IsSentExactlyOnce(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504} {
		c, mt, rec := newMockClient(t)
		var cp capture
		mt.RegisterResponder(http.MethodPost, testBase+"messages/send", cp.then(jsonResponder(status, `{"status":"error","message":"Failed to send message"}`)))
		resp, err := sendText(c)
		if !errors.Is(err, ErrServer) {
			t.Fatalf("%d: err = %v", status, err)
		}
		if cp.count() != 1 || resp.Attempts != 1 || len(rec.Waits()) != 0 {
			t.Fatalf("%d: sent %d times (attempts %d, waits %v), want once", status, cp.count(), resp.Attempts, rec.Waits())
		}
	}
}

func TestRateLimitedTwiceThenOKWaitsWhatTheServerSaid(t *testing.T) {
	t.Parallel()
	c, mt, rec := newMockClient(t)
	var cp capture
	mt.RegisterResponder(http.MethodPost, testBase+"messages/send", cp.then(sequence(
		jsonResponder(429, tooMany), jsonResponder(429, `{"message":"Too many requests","retry_after":0}`), jsonResponder(200, sent))))
	resp, err := sendText(c)
	if err != nil {
		t.Fatal(err)
	}
	if cp.count() != 3 || resp.Attempts != 3 || resp.Message != "Message sent successfully" {
		t.Fatalf("sent %d times, attempts %d", cp.count(), resp.Attempts)
	}
	waits := rec.Waits()
	if len(waits) != 2 {
		t.Fatalf("waits %v", waits)
	}
	for i, server := range []time.Duration{2 * time.Second, 0} {
		if waits[i] < server || waits[i] >= server+time.Second {
			t.Errorf("wait %d = %v, want %v plus less than 1s of jitter", i, waits[i], server)
		}
	}
	_, b1 := cp.reqs[0], cp.body[0]
	if string(b1) != string(cp.body[2]) {
		t.Errorf("retried body differs: %s vs %s", b1, cp.body[2])
	}
}

func TestRateLimitWaitFromTheHeader(t *testing.T) {
	t.Parallel()
	c, mt, rec := newMockClient(t)
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", sequence(
		func(req *http.Request) (*http.Response, error) {
			resp, _ := jsonResponder(429, "")(req)
			resp.Header.Set("Retry-After", "5")
			return resp, nil
		},
		jsonResponder(200, `{"status":"success","data":null}`)))
	if _, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if w := rec.Waits(); len(w) != 1 || w[0] < 5*time.Second {
		t.Fatalf("waits %v", w)
	}
}

func TestRateLimitLongerThanAllowedReturnsAtOnce(t *testing.T) {
	t.Parallel()
	c, mt, rec := newMockClient(t, WithRetry(RetryPolicy{MaxRetries: 3, MaxRateLimitWait: time.Second, Sleep: func(context.Context, time.Duration) error {
		t.Error("slept")
		return nil
	}}))
	var cp capture
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", cp.then(jsonResponder(429, tooMany)))
	_, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil)
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second || cp.count() != 1 {
		t.Fatalf("err %v after %d requests", err, cp.count())
	}
	_ = rec
}

func TestRateLimitLongerThanTheContextReturnsAtOnce(t *testing.T) {
	t.Parallel()
	c, mt, rec := newMockClient(t)
	var cp capture
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", cp.then(sequence(jsonResponder(429, tooMany), jsonResponder(200, `{"status":"success","data":null}`), jsonResponder(429, tooMany))))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := c.do(ctx, http.MethodGet, "contacts", nil, nil, nil); err != nil {
		t.Fatalf("a 2s wait inside a minute's context should be taken: %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel2()
	before := len(rec.Waits())
	_, err := c.do(ctx2, http.MethodGet, "contacts", nil, nil, nil)
	if !errors.Is(err, ErrRateLimited) || len(rec.Waits()) != before {
		t.Fatalf("err %v, waits %v", err, rec.Waits())
	}
}

func TestIdempotentMethodsRetryServerErrorsWithCappedBackoff(t *testing.T) {
	t.Parallel()
	policy := RetryPolicy{MaxRetries: 3, MinBackoff: 100 * time.Millisecond, MaxBackoff: 250 * time.Millisecond}
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		rec := &sleepRecorder{}
		policy.Sleep = rec.Sleep
		c, mt, _ := newMockClient(t, WithRetry(policy))
		var cp capture
		mt.RegisterResponder(method, testBase+"contacts/1", cp.then(jsonResponder(503, `{"status":"error","message":"Failed to update contact"}`)))
		resp, err := c.do(context.Background(), method, "contacts/1", nil, nil, nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Message != "Failed to update contact" {
			t.Fatalf("%s: want the typed error of the last answer, got %v", method, err)
		}
		if cp.count() != 4 || resp.Attempts != 4 {
			t.Fatalf("%s: sent %d times, attempts %d", method, cp.count(), resp.Attempts)
		}
		waits := rec.Waits()
		ceilings := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 250 * time.Millisecond}
		for i, w := range waits {
			if w < 0 || w > ceilings[i] {
				t.Errorf("%s: wait %d = %v, ceiling %v", method, i, w, ceilings[i])
			}
		}
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 401, 403, 404, 405, 413, 422} {
		c, mt, _ := newMockClient(t)
		var cp capture
		mt.RegisterResponder(http.MethodGet, testBase+"contacts", cp.then(jsonResponder(status, `{"status":"error","message":"no"}`)))
		if _, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil); err == nil || cp.count() != 1 {
			t.Fatalf("%d: err %v, sent %d times", status, err, cp.count())
		}
	}
}

func TestRetryUnsafeOptIn(t *testing.T) {
	t.Parallel()
	rec := &sleepRecorder{}
	c, mt, _ := newMockClient(t, WithRetry(RetryPolicy{MaxRetries: 2, RetryUnsafe: true, Sleep: rec.Sleep}))
	var cp capture
	mt.RegisterResponder(http.MethodPost, testBase+"messages/send", cp.then(sequence(jsonResponder(503, ""), jsonResponder(200, sent))))
	if _, err := sendText(c); err != nil || cp.count() != 2 {
		t.Fatalf("err %v, sent %d times", err, cp.count())
	}
}

func TestContextEndingDuringTheWait(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	c, mt, _ := newMockClient(t, WithRetry(RetryPolicy{MaxRetries: 3, Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}}))
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", jsonResponder(429, tooMany))
	if _, err := c.do(ctx, http.MethodGet, "contacts", nil, nil, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestPOSTNetworkFailures uses real connections: a POST that never got a
// connection is retried; one that reached the server and lost its
// connection before the answer is not.
func TestPOSTNetworkFailures(t *testing.T) {
	t.Parallel()
	t.Run("connection refused is retried", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		rec := &sleepRecorder{}
		c, err := New("acme", testToken, WithBaseURL("http://"+addr+"/api/v1/"), WithRetry(RetryPolicy{MaxRetries: 2, Sleep: rec.Sleep}))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := sendText(c)
		if err == nil || resp.Attempts != 3 {
			t.Fatalf("err %v, attempts %d", err, resp.Attempts)
		}
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			t.Fatalf("a transport failure became an APIError: %v", err)
		}
	})
	t.Run("dropped after the request arrived is not retried", func(t *testing.T) {
		t.Parallel()
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}))
		defer srv.Close()
		rec := &sleepRecorder{}
		c, err := New("acme", testToken, WithBaseURL(srv.URL+"/api/v1/"), WithHTTPClient(srv.Client()), WithRetry(RetryPolicy{MaxRetries: 3, Sleep: rec.Sleep}))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := sendText(c)
		if err == nil || hits.Load() != 1 || resp.Attempts != 1 {
			t.Fatalf("err %v, server saw %d requests, attempts %d", err, hits.Load(), resp.Attempts)
		}
		// The same failure on a GET is retried.
		if resp, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil); err == nil || resp.Attempts != 4 {
			t.Fatalf("GET: err %v, attempts %d", err, resp.Attempts)
		}
	})
}

func TestPolicyDefaults(t *testing.T) {
	t.Parallel()
	p := DefaultRetryPolicy()
	if p.MaxRetries != 3 || p.MinBackoff <= 0 || p.MaxBackoff < p.MinBackoff || p.MaxRateLimitWait < time.Minute || p.RateLimitJitter <= 0 {
		t.Fatalf("defaults %+v", p)
	}
	for n := 1; n < 80; n++ {
		if w := p.backoff(n); w < 0 || w > p.MaxBackoff {
			t.Fatalf("backoff(%d) = %v", n, w)
		}
	}
}

// TestHooksSeeEachAnswerBeforeItsWait: the response hook runs as soon as an
// answer arrives, before the retry's wait, so a Sleep can know why it waits.
func TestHooksSeeEachAnswerBeforeItsWait(t *testing.T) {
	t.Parallel()
	var events []string
	record := func(e string) { events = append(events, e) }
	c, mt, _ := newMockClient(t,
		WithResponseHook(func(r *http.Response) { record(strconv.Itoa(r.StatusCode)) }),
		WithRetry(RetryPolicy{MaxRetries: 2, Sleep: func(ctx context.Context, d time.Duration) error {
			record("wait")
			return nil
		}}))
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", sequence(jsonResponder(429, tooMany), jsonResponder(200, `{"status":"success","data":null}`)))
	if _, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(events, ", "); got != "429, wait, 200" {
		t.Fatalf("order: %s", got)
	}
}

// TestPOSTNotRetriedAfterAFailureThatMayHaveReachedTheServer: a transport
// that reports no connection events (httpmock here, many wrappers
// elsewhere) must not make a send look unsent. Only an error that proves
// no connection was made lets a POST go again.
func TestPOSTNotRetriedAfterAFailureThatMayHaveReachedTheServer(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	var cp capture
	mt.RegisterResponder(http.MethodPost, testBase+"messages/send", cp.then(httpmock.NewErrorResponder(errors.New("read: connection reset by peer"))))
	resp, err := sendText(c)
	if err == nil || cp.count() != 1 || resp.Attempts != 1 {
		t.Fatalf("err %v, sent %d times", err, cp.count())
	}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	c2, mt2, _ := newMockClient(t)
	var cp2 capture
	mt2.RegisterResponder(http.MethodPost, testBase+"messages/send", cp2.then(sequence(httpmock.NewErrorResponder(refused), jsonResponder(200, sent))))
	if _, err := sendText(c2); err != nil || cp2.count() != 2 {
		t.Fatalf("a refused dial: err %v, sent %d times", err, cp2.count())
	}
}

func TestRateLimitWithoutAWaitBacksOff(t *testing.T) {
	t.Parallel()
	rec := &sleepRecorder{}
	c, mt, _ := newMockClient(t, WithRetry(RetryPolicy{MaxRetries: 10, MinBackoff: 10 * time.Second, MaxBackoff: 10 * time.Second, Sleep: rec.Sleep}))
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(429, "<html>slow down</html>")
		resp.Header.Set("Content-Type", "text/html")
		return resp, nil
	})
	if _, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err %v", err)
	}
	waits := rec.Waits()
	longest := slices.Max(waits)
	if len(waits) != 10 || longest < time.Second || longest > 10*time.Second {
		t.Fatalf("waits %v: want the policy's backoff (up to 10s), not a jitter under 1s", waits)
	}
}

func TestBackoffLongerThanTheContextReturnsTheAnswer(t *testing.T) {
	t.Parallel()
	c, mt, rec := newMockClient(t, WithRetry(RetryPolicy{MaxRetries: 3, MinBackoff: time.Hour, MaxBackoff: time.Hour}))
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", jsonResponder(503, `{"status":"error","message":"Failed to list contacts"}`))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The hour-long backoff is a ceiling: it may draw a short wait, so try a
	// few times; every answer must be the typed 503, never the context's error.
	for range 5 {
		if _, err := c.do(ctx, http.MethodGet, "contacts", nil, nil, nil); !errors.Is(err, ErrServer) {
			t.Fatalf("err = %v, want the 503", err)
		}
	}
	_ = rec
}

func TestFailingSleepGivesTheLastAnswer(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t, WithRetry(RetryPolicy{MaxRetries: 3, Sleep: func(context.Context, time.Duration) error {
		return errors.New("clock stopped")
	}}))
	var cp capture
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", cp.then(jsonResponder(503, `{"status":"error","message":"Failed to list contacts"}`)))
	if _, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil); !errors.Is(err, ErrServer) || cp.count() != 1 {
		t.Fatalf("err %v after %d requests", err, cp.count())
	}
}
