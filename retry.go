package xobito

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

// RetryPolicy decides which failed attempts are sent again and how long to
// wait first. The rules:
//
//   - 429: every method is retried (a throttled request was refused before
//     any work) after the server's retry_after (else its Retry-After
//     header), never less, plus up to RateLimitJitter; with neither, after
//     the backoff below. A wait longer than MaxRateLimitWait is not slept:
//     the *RateLimitError comes back at once.
//   - 500, 502, 503, 504 and network errors: GET, PUT and DELETE are retried
//     with capped exponential backoff and full jitter. POST is retried only
//     when the request provably never reached the server (the dial, name
//     lookup or proxy connect failed), unless RetryUnsafe is set: the API
//     has no idempotency key, and a repeated POST /messages/send sends the
//     message twice.
//
// No wait is slept that would outlast the context's deadline. Whenever the
// client stops retrying — last attempt, a wait too long, a failing Sleep —
// the caller gets the typed error built from the last answer.
type RetryPolicy struct {
	// MaxRetries is how many times a request may be sent again after the
	// first attempt; 0 turns retries off.
	MaxRetries int
	// MinBackoff and MaxBackoff bound the exponential backoff of server and
	// network failures (zero: 500ms and 20s).
	MinBackoff, MaxBackoff time.Duration
	// MaxRateLimitWait is the longest 429 wait the client sleeps through
	// (zero: 90s).
	MaxRateLimitWait time.Duration
	// RateLimitJitter is the most added to a 429 wait, so that throttled
	// clients do not all come back at once (zero: 1s).
	RateLimitJitter time.Duration
	// RetryUnsafe retries POST requests on server and network failures even
	// when they may have reached the server. Leave it off for sends.
	RetryUnsafe bool
	// Sleep waits d or until ctx ends; nil uses a timer. Tests set it to move
	// a fake clock instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultRetryPolicy is the policy New uses: 3 retries, backoff from 500ms
// to 20s, 429 waits up to 90s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 3}.withDefaults()
}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxRetries < 0:
		return invalid("retry policy", "MaxRetries is negative")
	case p.MaxRetries > 100:
		return invalid("retry policy", "MaxRetries is over 100")
	case p.MinBackoff < 0, p.MaxBackoff < 0, p.MaxRateLimitWait < 0, p.RateLimitJitter < 0:
		return invalid("retry policy", "durations must not be negative")
	case p.MaxBackoff != 0 && p.MinBackoff > p.MaxBackoff:
		return invalid("retry policy", "MinBackoff is larger than MaxBackoff")
	}
	return nil
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MinBackoff == 0 {
		p.MinBackoff = 500 * time.Millisecond
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = max(20*time.Second, p.MinBackoff)
	}
	if p.MaxRateLimitWait == 0 {
		p.MaxRateLimitWait = 90 * time.Second
	}
	if p.RateLimitJitter == 0 {
		p.RateLimitJitter = time.Second
	}
	return p
}

// backoff is capped exponential backoff with full jitter for retry n (1 for
// the first retry): a uniform wait in [0, min(MaxBackoff, MinBackoff·2^(n-1))].
func (p RetryPolicy) backoff(n int) time.Duration {
	ceiling := p.MaxBackoff
	if n <= 30 {
		ceiling = min(ceiling, p.MinBackoff<<(n-1))
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// rateLimitWait is the server's wait plus upward jitter. A zero retry_after
// means the window ends within the second: a short wait.
func (p RetryPolicy) rateLimitWait(server time.Duration) time.Duration {
	if p.RateLimitJitter <= 0 {
		return server
	}
	return server + rand.N(p.RateLimitJitter)
}

func (p RetryPolicy) sleep(ctx context.Context, d time.Duration) error {
	if p.Sleep != nil {
		return p.Sleep(ctx, d)
	}
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// checkRetry is the one place that decides retries. It runs after every
// attempt, and sleeps here (not in go-retryablehttp's timer) so that the
// wait can use the response body and the caller's Sleep. Whenever it does
// not retry, the caller gets the last answer as it is.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if resp != nil {
		c.afterAttempt(ctx, resp) // before any wait, so hooks and logs see answers in order
	}
	if cerr := ctx.Err(); cerr != nil {
		return false, cerr
	}
	cl, _ := ctx.Value(callKey{}).(*call)
	if cl == nil || !cl.replayable || int(cl.attempts.Load()) > c.policy.MaxRetries {
		return false, nil
	}
	wait, ok := c.retryWait(cl, resp, err)
	if !ok {
		return false, nil
	}
	if deadline, has := ctx.Deadline(); has && time.Until(deadline) < wait {
		return false, nil // the wait would outlive the caller: answer now
	}
	if c.logger.Enabled(ctx, slog.LevelDebug) {
		reason := "network error"
		if resp != nil {
			reason = resp.Status
		}
		c.logger.LogAttrs(ctx, slog.LevelDebug, "xobito: retrying",
			slog.String("method", cl.method), slog.String("after", reason), slog.Duration("wait", wait),
			slog.Int("attempt", int(cl.attempts.Load())))
	}
	if err := c.policy.sleep(ctx, wait); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return false, cerr
		}
		return false, nil // a failing Sleep stops the retries
	}
	return true, nil
}

// retryWait says whether the attempt's outcome may be retried, and after
// how long.
func (c *Client) retryWait(cl *call, resp *http.Response, err error) (time.Duration, bool) {
	n := int(cl.attempts.Load())
	switch {
	case err != nil:
		if !retryableNetError(err) {
			return 0, false
		}
		// A POST is sent again only when it provably never left: no
		// connection was made. Anything later may have reached the server.
		if !cl.idempotent && !c.policy.RetryUnsafe && (cl.gotConn.Load() || !neverConnected(err)) {
			return 0, false
		}
		return c.policy.backoff(n), true
	case resp.StatusCode == http.StatusTooManyRequests:
		// Read the wait now: go-retryablehttp drains the body before any
		// backoff runs. The body is put back for the caller.
		body, truncated := readBounded(resp.Body, maxErrorBody)
		resp.Body.Close()
		resp.Body = bytesBody(body)
		rl, _ := newAPIError(resp, body, truncated).(*RateLimitError)
		switch {
		case rl == nil || !rl.hinted:
			return c.policy.backoff(n), true // no wait given: back off
		case rl.RetryAfter > c.policy.MaxRateLimitWait:
			return 0, false
		}
		return c.policy.rateLimitWait(rl.RetryAfter), true
	case retryableStatus(resp.StatusCode):
		if !cl.idempotent && !c.policy.RetryUnsafe {
			return 0, false
		}
		return c.policy.backoff(n), true
	}
	return 0, false
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableNetError is false for failures that another attempt cannot mend.
func retryableNetError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		certVerify       *tls.CertificateVerificationError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded) && !isTimeout(err):
		return false
	case errors.As(err, &unknownAuthority), errors.As(err, &certVerify):
		return false
	}
	return true
}

// neverConnected reports a failure to reach the server at all: a failed
// dial, name lookup or proxy connect. Such a request was never sent.
func neverConnected(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
