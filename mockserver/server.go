package mockserver

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of a new Server.
const (
	DefaultSubdomain  = "acme"
	DefaultRateMax    = 60
	DefaultRateWindow = time.Minute

	apiPrefix   = "/api/v1/"
	adminPrefix = "/_mock/"
	// maxJSONBody bounds the body of a route that is not raw.
	maxJSONBody = 1 << 20
)

// Server is the fake Xobito API. It is an http.Handler; create it with New
// and stop its background work with Close.
type Server struct {
	cfg    config
	time   *mockTime
	logger *slog.Logger
	api    *routeTable
	admin  *routeTable

	ids     atomic.Int64 // record ids, unique across workspaces and tables
	tenants atomic.Int64 // tenant ids

	mu         sync.Mutex
	workspaces map[string]*Workspace
	def        *Workspace
	faults     []*fault
	requests   ring[RequestRecord]
	deliveries ring[Delivery]

	// Background webhook delivery.
	closed bool // guarded by mu
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// hookActive counts running webhook queues; hookIdle is closed when it
	// drops to zero (WaitWebhooks).
	hookActive int
	hookIdle   chan struct{}
	hooks      *http.Client
}

type config struct {
	clock       Clock
	logger      *slog.Logger
	rateHeaders bool
	ws          workspaceConfig
}

// Option configures a Server.
type Option func(*config)

// WithClock sets the clock (default RealClock). Use FixedClock in tests and
// move time with Server.Advance.
func WithClock(c Clock) Option { return func(cfg *config) { cfg.clock = c } }

// WithSubdomain sets the default workspace's subdomain (default "acme").
func WithSubdomain(s string) Option { return func(cfg *config) { cfg.ws.subdomain = s } }

// WithToken sets the default workspace's token (default: 64 random
// lowercase hex characters).
func WithToken(t string) Option { return func(cfg *config) { cfg.ws.token = t } }

// WithSeed turns the default workspace's seed data on or off (default on).
func WithSeed(on bool) Option { return func(cfg *config) { cfg.ws.seed = on } }

// WithRateLimit sets the rate limit of every workspace created by the
// server: max requests per window (default 60 per minute).
func WithRateLimit(max int, window time.Duration) Option {
	return func(cfg *config) { cfg.ws.rateMax, cfg.ws.rateWindow = max, window }
}

// WithRateLimitHeaders makes the server send Retry-After (on 429),
// X-RateLimit-Limit and X-RateLimit-Remaining, which the real API does not.
func WithRateLimitHeaders(on bool) Option { return func(cfg *config) { cfg.rateHeaders = on } }

// WithLogger sets a logger for one debug line per request (default silent).
func WithLogger(l *slog.Logger) Option { return func(cfg *config) { cfg.logger = l } }

// New returns a Server holding one default workspace.
func New(opts ...Option) *Server {
	cfg := config{
		clock:  RealClock(),
		logger: slog.New(slog.DiscardHandler),
		ws: workspaceConfig{
			subdomain: DefaultSubdomain, seed: true, apiSetUp: true, apiEnabled: true,
			rateMax: DefaultRateMax, rateWindow: DefaultRateWindow,
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg:        cfg,
		time:       newMockTime(cfg.clock),
		logger:     cfg.logger,
		api:        newRouteTable(apiRoutes()),
		admin:      newRouteTable(adminRoutes(), messagingAdminRoutes()),
		workspaces: map[string]*Workspace{},
		ctx:        ctx,
		cancel:     cancel,
		hooks:      &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}
	s.AddWorkspace(cfg.ws.subdomain, func(c *workspaceConfig) { *c = cfg.ws })
	return s
}

// Close stops webhook delivery and waits for it to end. The Server still
// answers requests afterwards, but sends no more webhooks.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	s.hooks.CloseIdleConnections()
}

// Now returns the server's current time.
func (s *Server) Now() time.Time { return s.time.now() }

// Advance moves the server's time forward by d at once, waking everything
// that waits for a time (webhook retries). The total advance saturates at
// the largest time.Duration (about 292 years) instead of overflowing; a
// negative d panics, as time only moves forward.
func (s *Server) Advance(d time.Duration) { s.time.advance(d) }

// Default returns the default workspace.
func (s *Server) Default() *Workspace {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.def
}

// Workspace returns the workspace of subdomain, or nil.
func (s *Server) Workspace(subdomain string) *Workspace {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.workspaces[subdomain]
}

// Reset restores the server to its state after New: only the default
// workspace remains, with its initial token, settings and seed data; faults
// and logs are cleared. Time is not moved back.
func (s *Server) Reset() {
	s.mu.Lock()
	def := s.def
	s.workspaces = map[string]*Workspace{def.sub: def}
	s.faults = nil
	s.requests.clear()
	s.deliveries.clear()
	s.mu.Unlock()
	def.reset()
}

func (s *Server) nextID() int64 { return s.ids.Add(1) }

// newToken returns 64 random lowercase hex characters.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ServeHTTP answers one request: an injected fault, an admin request, or an
// API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := s.startRecord(r)
	// HEAD is answered as GET, headers included, without the body.
	sw := &statusWriter{ResponseWriter: w, noBody: r.Method == http.MethodHead}
	defer func() { s.finishRecord(rec, sw.status) }()

	if f := s.takeFault(r); f != nil {
		if f.apply(sw, r, func() { s.finishRecord(rec, 0) }) {
			return
		}
	}
	path := r.URL.EscapedPath()
	switch {
	case strings.HasPrefix(path, adminPrefix):
		s.serveAdmin(sw, r, strings.TrimPrefix(path, adminPrefix))
	case strings.HasPrefix(path, apiPrefix):
		s.serveAPI(sw, r, strings.TrimPrefix(path, apiPrefix))
	default:
		writeResponse(sw, failure(http.StatusNotFound, "Not found"))
	}
}

// serveAPI routes first (404, 405, as Laravel does before any middleware),
// then runs the auth chain and the rate limit, then the handler.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, rest string) {
	sub, rest, _ := strings.Cut(rest, "/")
	segs, okPath := splitPath(rest)
	rt, params, allow := s.api.match(r.Method, segs)
	if !okPath || rt == nil {
		notRouted(w, allow)
		return
	}
	sub, err := url.PathUnescape(sub)
	ws := s.Workspace(sub)
	if err != nil || ws == nil {
		writeResponse(w, validationFailed("Invalid tenant subdomain").withStatus(http.StatusBadRequest))
		return
	}
	req := &request{Request: r, params: params, apiURL: requestRoot(r) + "/api/v1/" + ws.sub}

	ws.mu.Lock()
	req.now = s.Now()
	res, rateHeader := ws.authorize(r, rt.ability, req.now, s.cfg.rateHeaders)
	ws.mu.Unlock()
	if res == nil {
		res = s.handle(ws, rt, req)
	}
	for k, v := range rateHeader {
		w.Header()[k] = v
	}
	writeResponse(w, *res)
}

// handle reads the body of a buffered route and calls its handler under the
// workspace lock, with req.now read under it; a raw route's handler is
// called as it is, and must do the same (see uploadRoute).
func (s *Server) handle(ws *Workspace, rt *route, req *request) *response {
	if rt.raw {
		res := rt.handler(s, ws, req)
		return &res
	}
	if res := req.readBody(); res != nil {
		return res
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	// The time is read under the lock that orders the writes, so that
	// created_at and the ids and list positions given out agree.
	req.now = s.Now()
	res := rt.handler(s, ws, req)
	res.encode()
	return &res
}

func (res response) withStatus(status int) response { res.status = status; return res }

// notRouted answers 405 with Allow when the path takes other methods, else
// 404.
func notRouted(w http.ResponseWriter, allow []string) {
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeResponse(w, failure(http.StatusMethodNotAllowed, "Method not allowed"))
		return
	}
	writeResponse(w, failure(http.StatusNotFound, "Not found"))
}

// requestRoot is the absolute URL of the server as the client addressed it.
func requestRoot(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// bearerToken returns the token of an "Authorization: Bearer" header, or "".
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return ""
	}
	return strings.TrimSpace(h[7:])
}

// authorize runs the auth chain (§2, steps 1–5) and the rate limit (§3) for
// a request needing ability at now; it answers nil when the request may
// proceed, and the rate headers to send when they are switched on. Called
// with ws.mu held.
func (ws *Workspace) authorize(r *http.Request, ability string, now time.Time, headers bool) (*response, http.Header) {
	fail := func(status int, msg string) (*response, http.Header) {
		res := failure(status, msg)
		return &res, nil
	}
	switch token := bearerToken(r); {
	case !ws.apiSetUp:
		return fail(http.StatusNotFound, "API settings not found for this tenant")
	case !ws.apiEnabled:
		return fail(http.StatusForbidden, "API access is disabled")
	case token == "":
		return fail(http.StatusUnauthorized, "API token is required")
	case subtle.ConstantTimeCompare([]byte(token), []byte(ws.token)) != 1:
		return fail(http.StatusUnauthorized, "Invalid API token")
	case ws.removed[ability]:
		return fail(http.StatusForbidden, "Token does not have the required ability: "+ability)
	}

	sec := now.Unix()
	if ws.rlCount == 0 || sec >= ws.rlEnd {
		ws.rlCount = 0
		ws.rlEnd = sec + max(int64(ws.rateWindow/time.Second), 1)
	}
	var h http.Header
	if headers {
		h = http.Header{}
		h.Set("X-RateLimit-Limit", strconv.Itoa(ws.rateMax))
	}
	if ws.rlCount >= ws.rateMax {
		// Whole seconds until the window's end, truncated: 0 in its last second.
		retry := int64(time.Unix(ws.rlEnd, 0).Sub(now) / time.Second)
		if h != nil {
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("Retry-After", strconv.FormatInt(retry, 10))
		}
		return &response{status: http.StatusTooManyRequests,
			body: rateLimited{Message: "Too many requests", RetryAfter: retry}}, h
	}
	ws.rlCount++
	if h != nil {
		h.Set("X-RateLimit-Remaining", strconv.Itoa(ws.rateMax-ws.rlCount))
	}
	return nil, h
}

// rateLimited is the 429 body (§3): no status key.
type rateLimited struct {
	Message    string `json:"message"`
	RetryAfter int64  `json:"retry_after"`
}

// statusWriter remembers the status written; with noBody it writes no
// body (an answer to HEAD).
type statusWriter struct {
	http.ResponseWriter
	status int
	noBody bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.noBody {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
