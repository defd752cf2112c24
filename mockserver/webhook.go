package mockserver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Webhook models of the contract (§7).
const (
	modelContact = `App\Models\Tenant\Contact`
	modelStatus  = `App\Models\Tenant\Status`
	modelSource  = `App\Models\Tenant\Source`
	modelMessage = "WhatsAppMessage"
)

// Delivery policy of the contract (§7).
const (
	hookAttempts = 3
	hookTimeout  = 30 * time.Second
)

// Delivery is one webhook attempt, as Server.Deliveries lists it.
type Delivery struct {
	Time      time.Time `json:"time"` // mock time at which the attempt started
	Workspace string    `json:"workspace"`
	URL       string    `json:"url"`
	Event     string    `json:"event"`
	Attempt   int       `json:"attempt"` // 1 to 3
	Status    int       `json:"status"`  // the receiver's status, 0 when it did not answer
	Error     string    `json:"error"`   // why the attempt failed without a status
	Body      string    `json:"body"`    // the exact bytes sent
}

// webhookQueue is a workspace's webhook target and its events waiting for
// delivery, sent in order by at most one goroutine at a time.
type webhookQueue struct {
	mu      sync.Mutex
	url     string
	secret  string
	pending []hookEvent
	running bool
}

type hookEvent struct {
	event, url, secret string
	body               []byte
}

func (q *webhookQueue) setTarget(url, secret string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.url, q.secret = url, secret
}

// hookTimestamp is the payload's timestamp format: ISO-8601 with offset.
const hookTimestamp = "2006-01-02T15:04:05+00:00"

// recordPayload is the CRUD event body (§7).
type recordPayload struct {
	Event     string     `json:"event"`
	Model     string     `json:"model"`
	Data      recordData `json:"data"`
	Original  any        `json:"original"`
	Timestamp string     `json:"timestamp"`
}

type recordData struct {
	ID         int64    `json:"id"`
	Attributes any      `json:"attributes"`
	Relations  struct{} `json:"relations"`
}

// emitRecord queues a CRUD event ("created", "updated", "deleted") for the
// record id of model; original is the record before an update, else nil.
func (s *Server) emitRecord(ws *Workspace, event, model string, id int64, attrs, original any) {
	s.emit(ws, event, recordPayload{
		Event: event, Model: model,
		Data:      recordData{ID: id, Attributes: attrs},
		Original:  original,
		Timestamp: s.Now().UTC().Format(hookTimestamp),
	})
}

// messagePayload is the message event body (§7).
type messagePayload struct {
	Event     string `json:"event"`
	Model     string `json:"model"`
	Data      any    `json:"data"`
	Timestamp string `json:"timestamp"`
}

// emitMessage queues a message event ("message.sent", "message.delivered",
// "message.read", "message.failed", "message.received") with its data
// ({message_id, status, error_message?, text?, type?, tenant_id}).
func (s *Server) emitMessage(ws *Workspace, event string, data any) {
	s.emit(ws, event, messagePayload{
		Event: event, Model: modelMessage, Data: data,
		Timestamp: s.Now().UTC().Format(hookTimestamp),
	})
}

// emit queues the webhook body for the workspace's target, if it has one,
// and returns at once. The body is encoded now, so every attempt sends the
// same bytes. It may be called with or without ws.mu held.
func (s *Server) emit(ws *Workspace, event string, body any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(body) != nil {
		return
	}
	q := &ws.hook
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.url == "" {
		return
	}
	q.pending = append(q.pending, hookEvent{event: event, url: q.url, secret: q.secret,
		body: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))})
	if q.running {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		q.pending = nil
		return
	}
	q.running = true
	s.hookActive++
	s.wg.Add(1)
	go s.deliverQueue(ws)
}

// WaitWebhooks blocks until every queued webhook has been delivered or has
// used up its attempts, or until ctx ends. A delivery waiting to retry waits
// on the mock clock: advance it, or WaitWebhooks waits with it.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	s.mu.Lock()
	if s.hookActive == 0 {
		s.mu.Unlock()
		return nil
	}
	if s.hookIdle == nil {
		s.hookIdle = make(chan struct{})
	}
	idle := s.hookIdle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// queueDone notes that a workspace's delivery goroutine ended, waking
// WaitWebhooks when it was the last.
func (s *Server) queueDone() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookActive--
	if s.hookActive == 0 && s.hookIdle != nil {
		close(s.hookIdle)
		s.hookIdle = nil
	}
}

// deliverQueue sends the workspace's pending events in order and ends when
// none is left or the server is closed.
func (s *Server) deliverQueue(ws *Workspace) {
	defer s.wg.Done()
	q := &ws.hook
	for {
		q.mu.Lock()
		if len(q.pending) == 0 || s.ctx.Err() != nil {
			q.running = false
			q.pending = nil
			q.mu.Unlock()
			s.queueDone()
			return
		}
		ev := q.pending[0]
		q.pending = q.pending[1:]
		q.mu.Unlock()
		s.deliver(ws, ev)
	}
}

// deliver makes up to three attempts, waiting 1 s then 2 s on the mock
// clock.
//
// The project's decision: the 1 s and 2 s waits count from the start of
// the previous attempt. A test that advances the mock clock as soon as it
// sees an attempt arrive (while the attempt may still be running) then
// never misses the wake-up of the retry; counted from the attempt's end,
// that advance could come too early and the retry would wait forever on a
// fixed clock.
func (s *Server) deliver(ws *Workspace, ev hookEvent) {
	for attempt := 1; attempt <= hookAttempts; attempt++ {
		start := s.Now()
		d := s.post(ev, start)
		d.Workspace, d.Attempt = ws.sub, attempt
		s.mu.Lock()
		s.deliveries.add(d)
		s.mu.Unlock()
		if d.Status >= 200 && d.Status < 300 || attempt == hookAttempts {
			return
		}
		if s.time.waitUntil(s.ctx, start.Add(time.Duration(attempt)*time.Second)) != nil {
			return
		}
	}
}

// post makes one attempt.
func (s *Server) post(ev hookEvent, start time.Time) Delivery {
	d := Delivery{Time: start, URL: ev.url, Event: ev.event, Body: string(ev.body)}
	ctx, cancel := context.WithTimeout(s.ctx, hookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ev.url, bytes.NewReader(ev.body))
	if err != nil {
		d.Error = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Webhook-Signature", sign(ev.secret, ev.body))
	req.Header.Set("X-Webhook-Event", ev.event)
	req.Header.Set("X-Webhook-Timestamp", strconv.FormatInt(start.Unix(), 10))
	resp, err := s.hooks.Do(req)
	if err != nil {
		d.Error = err.Error()
		return d
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	d.Status = resp.StatusCode
	return d
}

// sign is the lowercase hex HMAC-SHA256 of body with secret.
func sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Deliveries returns the webhook attempts so far (the newest 1000),
// oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deliveries.all()
}
