package mockserver

import (
	"bytes"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Bounds of the logs.
const (
	maxLogEntries = 1000 // the request and delivery logs keep the newest ones
	maxLogBody    = 4096 // bytes of a request body kept in the log
)

// loggedHeaders are the request headers the log keeps.
func loggedHeaders() []string {
	return []string{"Accept", "Authorization", "Content-Type", "Content-Length", "User-Agent"}
}

// RequestRecord is one request as Server.Requests lists it.
type RequestRecord struct {
	Time   time.Time `json:"time"` // mock time of arrival
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query"`
	Status int       `json:"status"` // 0 when the connection was dropped
	// Header holds selected headers; the Authorization value is replaced by
	// "REDACTED".
	Header http.Header `json:"header"`
	Body   string      `json:"body"` // the first bytes of the body the server read
}

// bodyCapture keeps the first maxLogBody bytes read through it.
type bodyCapture struct {
	io.ReadCloser
	buf bytes.Buffer
}

func (c *bodyCapture) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if room := maxLogBody - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(n, room)])
	}
	return n, err
}

type pendingRecord struct {
	rec  RequestRecord
	body *bodyCapture
	done bool // logged already
}

func (s *Server) startRecord(r *http.Request) *pendingRecord {
	p := &pendingRecord{rec: RequestRecord{
		Time: s.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: http.Header{},
	}}
	for _, k := range loggedHeaders() {
		if v := r.Header.Values(k); len(v) > 0 {
			p.rec.Header[k] = append([]string(nil), v...)
		}
	}
	if _, ok := p.rec.Header["Authorization"]; ok {
		p.rec.Header["Authorization"] = []string{"REDACTED"}
	}
	if r.Body != nil && r.Body != http.NoBody {
		p.body = &bodyCapture{ReadCloser: r.Body}
		r.Body = p.body
	}
	return p
}

func (s *Server) finishRecord(p *pendingRecord, status int) {
	if p.done {
		return
	}
	p.done = true
	p.rec.Status = status
	if p.body != nil {
		p.rec.Body = p.body.buf.String()
	}
	s.logger.Debug("request", "method", p.rec.Method, "path", p.rec.Path, "status", status)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests.add(p.rec)
}

// ring keeps the newest maxLogEntries values appended to it, without
// copying the others when it is full.
type ring[T any] struct {
	buf  []T // grows up to maxLogEntries, then is reused
	next int // where the next value goes once buf is full
}

func (r *ring[T]) add(v T) {
	if len(r.buf) < maxLogEntries {
		r.buf = append(r.buf, v)
		return
	}
	r.buf[r.next] = v
	r.next = (r.next + 1) % maxLogEntries
}

// all returns a copy of the values, oldest first; never nil.
func (r *ring[T]) all() []T {
	out := make([]T, 0, len(r.buf))
	return append(append(out, r.buf[r.next:]...), r.buf[:r.next]...)
}

func (r *ring[T]) clear() { *r = ring[T]{} }

// Requests returns the logged requests (the newest 1000), oldest first.
func (s *Server) Requests() []RequestRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests.all()
}

// ClearRequests empties the request log.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests.clear()
}

// Fault makes the next API requests (below /api/v1/) that match it
// misbehave; requests to the admin API below /_mock/ are never affected.
type Fault struct {
	Method string // matches any method when empty
	// Path is a path.Match pattern for the request path, e.g.
	// "/api/v1/acme/contacts" or "/api/v1/*/contacts/*"; any API path when
	// empty.
	Path  string
	Times int // how many requests it affects; 0 means until ClearFaults
	// Latency delays the request (real time) before anything else
	// happens. When the request's context ends first (the client gave up,
	// or the server is shutting down), the connection is dropped.
	Latency time.Duration
	// Drop closes the connection without an answer. Where the response
	// writer cannot hand its connection over (an HTTP/2 connection, or
	// httptest.ResponseRecorder when ServeHTTP is called directly), the
	// request is answered 502 "Bad Gateway" in the error envelope instead.
	Drop bool
	// Status, when not 0, answers it with Body (default: the error envelope
	// with the status text) of ContentType (default application/json).
	Status      int
	Body        string
	ContentType string
	// EmptyBody answers Status with no body at all, as some proxies do.
	EmptyBody bool
	// TruncateAt, when between 0 and len(Body), declares Body's full length
	// but sends only its first TruncateAt bytes, then closes the
	// connection: an answer cut off in transit.
	TruncateAt int
}

type fault struct {
	Fault
	left int // requests left when Times > 0
}

// InjectFault adds a fault; the first matching fault applies to a request.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{Fault: f, left: f.Times})
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Faults returns the faults still active.
func (s *Server) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Fault
	for _, f := range s.faults {
		g := f.Fault
		if g.Times > 0 {
			g.Times = f.left
		}
		out = append(out, g)
	}
	return out
}

// takeFault returns the first fault matching r and uses one of its times.
// Faults apply to API requests only: the admin API below /_mock/ must stay
// usable to clear them.
func (s *Server) takeFault(r *http.Request) *Fault {
	if !strings.HasPrefix(r.URL.Path, apiPrefix) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && f.Method != r.Method {
			continue
		}
		if f.Path != "" {
			if ok, _ := path.Match(f.Path, r.URL.Path); !ok {
				continue
			}
		}
		if f.Times > 0 {
			f.left--
			if f.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		g := f.Fault
		return &g
	}
	return nil
}

// apply plays the fault; it reports whether the request was answered (or
// dropped), or should go on as usual. beforeDrop runs just before a dropped
// connection closes, so that the request is logged before the client can
// notice the drop.
func (f *Fault) apply(w http.ResponseWriter, r *http.Request, beforeDrop func()) bool {
	if f.Latency > 0 {
		// Read the body first: net/http notices a client that gave up only
		// once the body is consumed. The handler still gets every byte.
		if r.Body != nil && r.Body != http.NoBody {
			head, _ := io.ReadAll(io.LimitReader(r.Body, maxJSONBody))
			r.Body = splicedBody{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		}
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			// The client gave up, or the server is shutting down: end the
			// request as a dropped connection rather than an empty 200.
			t.Stop()
			dropConn(w, beforeDrop)
			return true
		}
	}
	switch {
	case f.Drop:
		if !dropConn(w, beforeDrop) {
			// No connection to drop (an httptest.ResponseRecorder, HTTP/2):
			// answer what a proxy answers for an upstream that hung up.
			writeResponse(w, failure(http.StatusBadGateway, http.StatusText(http.StatusBadGateway)))
		}
		return true
	case f.Status != 0 && f.EmptyBody:
		w.WriteHeader(f.Status)
		return true
	case f.Status != 0:
		if f.Body == "" {
			writeResponse(w, failure(f.Status, http.StatusText(f.Status)))
			return true
		}
		ct := f.ContentType
		if ct == "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		body := f.Body
		if f.TruncateAt > 0 && f.TruncateAt < len(body) {
			// net/http closes the connection once the handler returns short
			// of the declared length.
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			body = body[:f.TruncateAt]
		}
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, body)
		return true
	}
	return false
}

// dropConn closes the request's connection without an answer, running
// beforeDrop just before; it reports false, doing nothing, when the writer
// cannot hand its connection over.
func dropConn(w http.ResponseWriter, beforeDrop func()) bool {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return false
	}
	beforeDrop()
	_ = conn.Close()
	return true
}

// splicedBody reads from one reader and closes another.
type splicedBody struct {
	io.Reader
	io.Closer
}
