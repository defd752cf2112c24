package xobito_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xobito/xobito-go"
)

// The webhook loop: the mock delivers signed events to a receiver built
// with the SDK's handler, which verifies and decodes them.

const hookSecret = "whsec-test-4f1d"

// receiver is an httptest server running xobito.NewWebhookHandler. fail
// decides, per delivery attempt, whether the callback fails (so the handler
// answers 500 and the mock tries again).
type receiver struct {
	srv    *httptest.Server
	events chan *xobito.WebhookEvent

	mu     sync.Mutex
	bodies [][]byte
}

func newReceiver(t *testing.T, fail func(attempt int) bool) *receiver {
	t.Helper()
	r := &receiver{events: make(chan *xobito.WebhookEvent, 64)}
	attempt := 0
	handler := xobito.NewWebhookHandler([]byte(hookSecret), func(_ context.Context, ev *xobito.WebhookEvent) error {
		r.mu.Lock()
		attempt++
		n := attempt
		r.mu.Unlock()
		r.events <- ev
		if fail != nil && fail(n) {
			return errors.New("not now")
		}
		return nil
	})
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, body)
		r.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(body))
		handler.ServeHTTP(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// next waits for the next verified event the handler passed on.
func (r *receiver) next(t *testing.T) *xobito.WebhookEvent {
	t.Helper()
	select {
	case ev := <-r.events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook arrived")
		return nil
	}
}

func TestE2EWebhooksArriveVerifiedAndInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := newReceiver(t, nil)
	e.ws.SetWebhook(r.srv.URL, hookSecret)
	c := e.c

	srcs := must(c.Sources.List(ctx, nil)).ok(t)
	sts := must(c.Statuses.List(ctx, nil)).ok(t)
	ct := must(c.Contacts.Create(ctx, &xobito.ContactCreateRequest{FirstName: "Mary", Phone: "+16505550177",
		Type: "lead", SourceID: srcs[0].ID, StatusID: sts[0].ID})).ok(t)
	must(c.Contacts.Update(ctx, ct.ID, &xobito.ContactUpdateRequest{FirstName: "Mary", LastName: "Jackson",
		Phone: "+16505550177", Type: "customer"})).ok(t)
	if _, err := c.Contacts.Delete(ctx, ct.ID); err != nil {
		t.Fatal(err)
	}
	// The seed's contact, so the send creates no contact of its own.
	sent := must(c.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+14155550123", Body: "Hello Alan"})).ok(t)
	for _, status := range []string{"delivered", "read"} {
		if err := e.ws.SetMessageStatus(sent.MessageID, status, ""); err != nil {
			t.Fatal(err)
		}
	}

	id := strconv.FormatInt(ct.ID, 10)
	want := []struct {
		kind       xobito.WebhookKind
		event, id  string
		checkExtra func(*xobito.WebhookEvent) bool
	}{
		{xobito.WebhookContact, xobito.EventCreated, id, func(ev *xobito.WebhookEvent) bool { return ev.Contact.FirstName == "Mary" }},
		{xobito.WebhookContact, xobito.EventUpdated, id, func(ev *xobito.WebhookEvent) bool { return ev.Contact.LastName == "Jackson" }},
		{xobito.WebhookContact, xobito.EventDeleted, id, func(ev *xobito.WebhookEvent) bool { return ev.Contact.ID == ct.ID }},
		{xobito.WebhookMessage, xobito.EventMessageSent, sent.MessageID, func(ev *xobito.WebhookEvent) bool { return ev.Message.Text == "Hello Alan" }},
		{xobito.WebhookMessage, xobito.EventMessageDelivered, sent.MessageID, func(ev *xobito.WebhookEvent) bool { return ev.Message.Status == "delivered" }},
		{xobito.WebhookMessage, xobito.EventMessageRead, sent.MessageID, func(ev *xobito.WebhookEvent) bool { return ev.Message.Status == "read" }},
	}
	keys := map[xobito.WebhookKey]bool{}
	for i, w := range want {
		ev := r.next(t)
		if ev.Kind != w.kind || ev.Event != w.event || ev.ID != w.id || !w.checkExtra(ev) {
			t.Fatalf("event %d: got %s %s %s, want %s %s %s", i, ev.Kind, ev.Event, ev.ID, w.kind, w.event, w.id)
		}
		if keys[ev.Key()] {
			t.Fatalf("event %d repeats the key %+v", i, ev.Key())
		}
		keys[ev.Key()] = true
	}
}

func TestE2EWebhookRetriedWithTheSameBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := newReceiver(t, func(attempt int) bool { return attempt <= 2 })
	e.ws.SetWebhook(r.srv.URL, hookSecret)

	must(e.c.Sources.Create(ctx, &xobito.NameRequest{Name: "Podcast"})).ok(t)
	first := r.next(t) // attempt 1, answered 500
	e.ts.Advance(time.Second)
	second := r.next(t) // attempt 2, after 1 s on the mock clock, answered 500
	e.ts.Advance(2 * time.Second)
	third := r.next(t) // attempt 3, after 2 s more, answered 200
	if first.Key() != second.Key() || second.Key() != third.Key() || third.Source.Name != "Podcast" {
		t.Fatalf("keys differ: %+v %+v %+v", first.Key(), second.Key(), third.Key())
	}

	// No fourth attempt however far the clock moves.
	if err := e.ts.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	e.ts.Advance(time.Hour)
	if err := e.ts.WaitWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-r.events:
		t.Fatalf("a fourth attempt: %+v", ev)
	default:
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bodies) != 3 {
		t.Fatalf("%d attempts, want 3", len(r.bodies))
	}
	if !bytes.Equal(r.bodies[0], r.bodies[1]) || !bytes.Equal(r.bodies[1], r.bodies[2]) {
		t.Fatalf("bodies differ across attempts:\n%s\n%s\n%s", r.bodies[0], r.bodies[1], r.bodies[2])
	}
	var statuses []int
	for _, d := range e.ts.Deliveries() {
		statuses = append(statuses, d.Status)
	}
	if len(statuses) != 3 || statuses[0] != 500 || statuses[1] != 500 || statuses[2]/100 != 2 {
		t.Fatalf("the mock's delivery log: %v", statuses)
	}
}
