// Package xobito is a client for the Xobito REST API: contacts, statuses,
// sources and groups, WhatsApp templates, template and message bots,
// message sends and delivery status, phone validation and signed webhooks.
//
// A Client is built for one workspace (its subdomain) and its API token:
//
//	c, err := xobito.New("acme", token)
//	contacts, resp, err := c.Contacts.List(ctx, nil)
//
// Every non-2xx answer becomes an *APIError (a *RateLimitError for 429)
// that matches sentinels such as ErrInvalidToken, ErrAPIDisabled or
// ErrValidation with errors.Is. Requests that the server throttled are
// retried after the wait it asked for; idempotent requests are also retried
// on server and network failures. Message sends are never retried once they
// may have reached the server, so a WhatsApp message is not sent twice.
//
// The package mockserver is a faithful fake of the API for tests.
package xobito

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-querystring/query"
	"github.com/hashicorp/go-retryablehttp"
)

// Version is the SDK's version, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultBaseURL is the API root; the workspace subdomain is appended to it
// as a path segment.
const DefaultBaseURL = "https://dash.xobito.com/api/v1/"

// DefaultUserAgent names the SDK and its version.
const DefaultUserAgent = "xobito-go/" + Version

// defaultTimeout bounds one attempt when the caller brings no http.Client.
const defaultTimeout = 60 * time.Second

// maxResponseBody bounds how much of a success answer is decoded.
const maxResponseBody = 64 << 20

// Client talks to one workspace of the Xobito API. It is safe for
// concurrent use; build it with New.
type Client struct {
	base         string // API root + escaped subdomain + "/"
	token        secret
	userAgent    string
	http         *retryablehttp.Client
	policy       RetryPolicy
	logger       *slog.Logger
	requestHook  func(*http.Request)
	responseHook func(*http.Response)

	// Contacts manages contacts (/contacts).
	Contacts *ContactsService
	// Statuses manages contact statuses (/statuses).
	Statuses *StatusesService
	// Sources manages contact sources (/sources).
	Sources *SourcesService
	// Groups manages contact groups (/groups).
	Groups *GroupsService
	// Templates lists WhatsApp templates (/templates).
	Templates *TemplatesService
	// TemplateBots reads and deletes template bots (/templatebots).
	TemplateBots *TemplateBotsService
	// MessageBots manages message bots (/messagebots).
	MessageBots *MessageBotsService
	// Messages sends messages and reads their delivery status (/messages).
	Messages *MessagesService
	// Phone validates phone number formats (/phone/validate).
	Phone *PhoneService
}

// Each service is a tiny struct pointing back at the client.
type (
	// ContactsService manages contacts.
	ContactsService struct{ client *Client }
	// StatusesService manages contact statuses.
	StatusesService struct{ client *Client }
	// SourcesService manages contact sources.
	SourcesService struct{ client *Client }
	// GroupsService manages contact groups.
	GroupsService struct{ client *Client }
	// TemplatesService lists WhatsApp templates.
	TemplatesService struct{ client *Client }
	// TemplateBotsService reads and deletes template bots.
	TemplateBotsService struct{ client *Client }
	// MessageBotsService manages message bots.
	MessageBotsService struct{ client *Client }
	// MessagesService sends messages and reads delivery status.
	MessagesService struct{ client *Client }
	// PhoneService validates phone number formats.
	PhoneService struct{ client *Client }
)

// secret holds the token; every fmt verb prints it redacted.
type secret string

func (secret) String() string                 { return "[redacted]" }
func (secret) GoString() string               { return `"[redacted]"` }
func (s secret) Format(f fmt.State, _ rune)   { io.WriteString(f, s.String()) }
func (s secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Option configures a Client. Options validate their input; New returns
// the first error.
type Option func(*config) error

type config struct {
	baseURL      string
	httpClient   *http.Client
	userAgent    string
	policy       RetryPolicy
	logger       *slog.Logger
	requestHook  func(*http.Request)
	responseHook func(*http.Response)
}

// WithBaseURL sets the API root, such as "http://127.0.0.1:8080/api/v1/"
// for the mock server; the subdomain is appended to it. It must be HTTPS,
// except for loopback hosts.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		u, err := url.Parse(raw)
		if err != nil {
			return invalid("base URL", "%v", err)
		}
		if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return invalid("base URL", "want scheme://host/path with no credentials, query or fragment")
		}
		switch {
		case u.Scheme == "https":
		case u.Scheme == "http" && isLoopback(u.Hostname()):
		default:
			return invalid("base URL", "must use https (plain http only for loopback hosts)")
		}
		c.baseURL = strings.TrimSuffix(u.String(), "/") + "/"
		return nil
	}
}

// WithHTTPClient sets the http.Client that carries the requests. The client
// is copied, never modified; its Timeout bounds each attempt.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return invalid("http client", "is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return invalid("user agent", "must be non-empty, on one line")
		}
		c.userAgent = ua
		return nil
	}
}

// WithRetry sets the retry policy; see RetryPolicy.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.policy = p.withDefaults()
		return nil
	}
}

// WithLogger sets a logger for attempts and retries (debug level). The
// default logs nothing. The token is never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return invalid("logger", "is nil")
		}
		c.logger = l
		return nil
	}
}

// WithRequestHook calls fn before every attempt with a copy of the request
// whose Authorization header is redacted. fn must not read the body.
func WithRequestHook(fn func(*http.Request)) Option {
	return func(c *config) error { c.requestHook = fn; return nil }
}

// WithResponseHook calls fn with every response received, before it is
// decoded. fn must not read or close the body.
func WithResponseHook(fn func(*http.Response)) Option {
	return func(c *config) error { c.responseHook = fn; return nil }
}

// New returns a client for the workspace with the given subdomain and API
// token. It checks its input and sends nothing.
func New(subdomain, token string, opts ...Option) (*Client, error) {
	if err := checkSubdomain(subdomain); err != nil {
		return nil, err
	}
	if err := checkToken(token); err != nil {
		return nil, err
	}
	cfg := config{baseURL: DefaultBaseURL, userAgent: DefaultUserAgent, policy: DefaultRetryPolicy()}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	c := &Client{
		base:         cfg.baseURL + url.PathEscape(subdomain) + "/",
		token:        secret(token),
		userAgent:    cfg.userAgent,
		policy:       cfg.policy,
		logger:       cfg.logger,
		requestHook:  cfg.requestHook,
		responseHook: cfg.responseHook,
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	c.http = &retryablehttp.Client{
		HTTPClient:     copyHTTPClient(cfg.httpClient),
		RetryMax:       c.policy.MaxRetries,
		CheckRetry:     c.checkRetry,
		Backoff:        func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 },
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: c.beforeAttempt,
	}
	c.Contacts = &ContactsService{c}
	c.Statuses = &StatusesService{c}
	c.Sources = &SourcesService{c}
	c.Groups = &GroupsService{c}
	c.Templates = &TemplatesService{c}
	c.TemplateBots = &TemplateBotsService{c}
	c.MessageBots = &MessageBotsService{c}
	c.Messages = &MessagesService{c}
	c.Phone = &PhoneService{c}
	return c, nil
}

// Format prints the client without its token, whatever the verb.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "xobito.Client{base: %s, token: %s}", c.base, c.token)
}

// BaseURL is the workspace's API address the client sends to.
func (c *Client) BaseURL() string { return c.base }

func checkSubdomain(s string) error {
	switch {
	case s == "":
		return invalid("subdomain", "is empty")
	case s == "." || s == "..":
		return invalid("subdomain", "must be a single path segment")
	case strings.ContainsAny(s, "/?#%\\"):
		return invalid("subdomain", "must be a single path segment, without / ? # %% or \\")
	case hasSpaceOrControl(s):
		return invalid("subdomain", "contains whitespace or control characters")
	}
	return nil
}

func checkToken(t string) error {
	switch {
	case t == "":
		return invalid("token", "is empty")
	case hasSpaceOrControl(t):
		return invalid("token", "contains whitespace or control characters")
	}
	return nil
}

// hasSpaceOrControl reports white space, control or invisible format
// characters (such as a zero-width space), none of which a token or a
// subdomain holds.
func hasSpaceOrControl(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// copyHTTPClient copies the caller's client (or builds one) and makes its
// redirects drop Authorization when they leave the original host.
func copyHTTPClient(hc *http.Client) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	} else {
		cp = http.Client{Timeout: defaultTimeout, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	next := cp.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && (!strings.EqualFold(req.URL.Host, via[0].URL.Host) || req.URL.Scheme != via[0].URL.Scheme) {
			req.Header.Del("Authorization") // another host, or https downgraded to http
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// Response is the HTTP response of a call, with what the SDK read from it.
// Its body is already read and closed.
type Response struct {
	*http.Response

	// Attempts is how many times the request was sent.
	Attempts int
	// Message is the envelope's "message" (present on writes).
	Message string

	// Page numbers of a list answer; zero on other calls.
	CurrentPage, LastPage, PerPage, Total int

	// Rate limit headers, when the server sends them (the real server does
	// not; the mock can). Limit is -1 when absent.
	RateLimit, RateRemaining int
}

// payload is a request body, built completely before the first attempt so
// that every attempt sends the same bytes.
type payload struct {
	contentType string
	data        []byte                        // a JSON body, or
	open        func() (io.ReadCloser, error) // a streamed body, opened per attempt
	length      int64                         // -1 when unknown (sent chunked)
	oneShot     bool                          // the stream can be sent only once
}

func jsonPayload(v any) (*payload, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("xobito: encoding request body: %w", err)
	}
	return &payload{contentType: "application/json", data: b, length: int64(len(b))}, nil
}

// call is the state of one call, shared by its attempts through the
// request context.
type call struct {
	method     string
	idempotent bool
	replayable bool
	attempts   atomic.Int32
	gotConn    atomic.Bool // a connection was obtained by the current attempt
}

type callKey struct{}

// lenReader lets go-retryablehttp learn a streamed body's length.
type lenReader struct {
	io.ReadCloser
	n int64
}

func (r lenReader) Len() int { return int(r.n) }

// do is the one place that sends requests: it builds the URL from path
// (already escaped) and query (a go-querystring struct), sends body with
// retries, and decodes the envelope's data into out (when non-nil). Every
// non-2xx answer becomes an *APIError.
func (c *Client) do(ctx context.Context, method, path string, q any, body *payload, out any) (*Response, error) {
	if ctx == nil {
		return nil, invalid("context", "is nil")
	}
	u := c.base + path
	if q != nil {
		v, err := query.Values(q)
		if err != nil {
			return nil, fmt.Errorf("xobito: encoding query: %w", err)
		}
		if enc := v.Encode(); enc != "" {
			u += "?" + enc
		}
	}
	cl := &call{method: method, replayable: body == nil || !body.oneShot}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		cl.idempotent = true
	default:
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			GotConn: func(httptrace.GotConnInfo) { cl.gotConn.Store(true) },
		})
	}
	ctx = context.WithValue(ctx, callKey{}, cl)

	var raw any
	if body != nil {
		if body.open != nil {
			open := body.open
			raw = retryablehttp.ReaderFunc(func() (io.Reader, error) {
				r, err := open()
				if err != nil || body.length < 0 {
					return r, err
				}
				return lenReader{r, body.length}, nil
			})
		} else {
			raw = body.data
		}
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u, raw)
	if err != nil {
		return nil, fmt.Errorf("xobito: building request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+string(c.token))
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", body.contentType)
	}

	resp, err := c.http.Do(req)
	if resp != nil {
		resp.Request = redacted(resp.Request) // the caller keeps it: no token in it
	}
	r := &Response{Response: resp, Attempts: int(cl.attempts.Load()), RateLimit: -1, RateRemaining: -1}
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		if cerr := ctx.Err(); cerr != nil {
			return r, cerr
		}
		return r, fmt.Errorf("xobito: %s %s: %w", method, redact(u), err)
	}
	defer resp.Body.Close()
	r.RateLimit = headerInt(resp.Header, "X-RateLimit-Limit")
	r.RateRemaining = headerInt(resp.Header, "X-RateLimit-Remaining")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, truncated := readBounded(resp.Body, maxErrorBody)
		return r, newAPIError(resp, b, truncated)
	}
	env := envelope{Data: out}
	dec := json.NewDecoder(io.LimitReader(resp.Body, maxResponseBody))
	if err := dec.Decode(&env); err != nil {
		if out == nil && errors.Is(err, io.EOF) {
			return r, nil // an empty 2xx body carries nothing to read
		}
		return r, fmt.Errorf("%w: %s %s (status %d): %w", ErrUnexpectedResponse, method, redact(u), resp.StatusCode, err)
	}
	if out != nil && env.Data == nil {
		return r, fmt.Errorf("%w: %s %s (status %d): data is null", ErrUnexpectedResponse, method, redact(u), resp.StatusCode)
	}
	r.Message = env.Message
	return r, nil
}

// doInto sends one request and decodes the answer's data into a new T.
// body is nil, a *payload, or a value sent as JSON.
func doInto[T any](ctx context.Context, c *Client, method, path string, body any) (*T, *Response, error) {
	p, ok := body.(*payload)
	if !ok && body != nil {
		var err error
		if p, err = jsonPayload(body); err != nil {
			return nil, nil, err
		}
	}
	out := new(T)
	resp, err := c.do(ctx, method, path, nil, p, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// envelope is the success shape {"status","data","message"}; Data points at
// the caller's value so the body is decoded in one pass.
type envelope struct {
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

// beforeAttempt counts attempts and shows the caller's hook a redacted copy.
func (c *Client) beforeAttempt(_ retryablehttp.Logger, req *http.Request, attempt int) {
	if cl, ok := req.Context().Value(callKey{}).(*call); ok {
		cl.attempts.Store(int32(attempt + 1))
		cl.gotConn.Store(false)
	}
	if c.logger.Enabled(req.Context(), slog.LevelDebug) {
		c.logger.LogAttrs(req.Context(), slog.LevelDebug, "xobito: sending",
			slog.String("method", req.Method), slog.String("url", req.URL.Redacted()), slog.Int("attempt", attempt+1))
	}
	if c.requestHook != nil {
		c.requestHook(redacted(req))
	}
}

// afterAttempt logs an answer and shows the caller's hook a copy whose
// request is redacted; checkRetry calls it for every answer, before
// deciding anything.
func (c *Client) afterAttempt(ctx context.Context, resp *http.Response) {
	if c.logger.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{slog.Int("status", resp.StatusCode)}
		if resp.Request != nil {
			attrs = append(attrs, slog.String("method", resp.Request.Method), slog.String("url", resp.Request.URL.Redacted()))
		}
		c.logger.LogAttrs(ctx, slog.LevelDebug, "xobito: answered", attrs...)
	}
	if c.responseHook != nil {
		cp := *resp
		cp.Request = redacted(resp.Request)
		c.responseHook(&cp)
	}
}

// redacted copies a request without its body and with the token replaced,
// for everything the caller gets to see: hooks, errors, Response.
func redacted(req *http.Request) *http.Request {
	if req == nil {
		return nil
	}
	cp := req.Clone(req.Context())
	cp.Body, cp.GetBody = nil, nil
	if cp.Header.Get("Authorization") != "" {
		cp.Header.Set("Authorization", "Bearer [redacted]")
	}
	return cp
}

// readBounded reads at most limit bytes and reports whether more followed.
// A read error keeps what arrived: a truncated body is still a body.
func readBounded(r io.Reader, limit int64) ([]byte, bool) {
	b, _ := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(b)) > limit {
		return b[:limit], true
	}
	return b, false
}

func headerInt(h http.Header, key string) int {
	v := h.Get(key)
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// bytesBody restores a response body that CheckRetry had to read.
func bytesBody(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
