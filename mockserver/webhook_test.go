package mockserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// hookHit is one request a test receiver got.
type hookHit struct {
	header http.Header
	body   []byte
}

// hookReceiver answers the statuses in turn (then 200) and passes every
// request it gets to the returned channel.
func hookReceiver(t *testing.T, statuses ...int) (string, <-chan hookHit) {
	t.Helper()
	hits := make(chan hookHit, 16)
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hits <- hookHit{r.Header.Clone(), body}
		mu.Lock()
		status := http.StatusOK
		if n < len(statuses) {
			status = statuses[n]
		}
		n++
		mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hits
}

func nextHit(t *testing.T, hits <-chan hookHit) hookHit {
	t.Helper()
	select {
	case h := <-hits:
		return h
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook arrived")
		return hookHit{}
	}
}

func TestWebhookRetriesOnTheMockClock(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	url, hits := hookReceiver(t, 500, 503)
	s.Default().SetWebhook(url, "s3cret")
	do(t, s, "POST", "sources", `{"name":"Fair"}`, 201)

	var got []hookHit
	got = append(got, nextHit(t, hits))
	s.Advance(time.Second)
	got = append(got, nextHit(t, hits))
	s.Advance(2 * time.Second)
	got = append(got, nextHit(t, hits))

	wantStamps := []time.Time{testStart, testStart.Add(time.Second), testStart.Add(3 * time.Second)}
	for i, h := range got {
		if string(h.body) != string(got[0].body) {
			t.Errorf("attempt %d body differs:\n%s\n%s", i+1, h.body, got[0].body)
		}
		mac := hmac.New(sha256.New, []byte("s3cret"))
		mac.Write(h.body)
		if sig := h.header.Get("X-Webhook-Signature"); sig != hex.EncodeToString(mac.Sum(nil)) {
			t.Errorf("attempt %d: bad signature %q", i+1, sig)
		}
		if h.header.Get("X-Webhook-Event") != "created" || h.header.Get("Content-Type") != "application/json" {
			t.Errorf("attempt %d headers %v", i+1, h.header)
		}
		if ts := h.header.Get("X-Webhook-Timestamp"); ts != fmt.Sprint(wantStamps[i].Unix()) {
			t.Errorf("attempt %d timestamp %s, want %d", i+1, ts, wantStamps[i].Unix())
		}
	}
	var p map[string]any
	if err := json.Unmarshal(got[0].body, &p); err != nil {
		t.Fatal(err)
	}
	data := p["data"].(map[string]any)
	if p["event"] != "created" || p["model"] != `App\Models\Tenant\Source` || p["original"] != nil ||
		p["timestamp"] != "2026-04-16T12:34:56+00:00" || data["attributes"].(map[string]any)["name"] != "Fair" ||
		data["id"] != data["attributes"].(map[string]any)["id"] || jsonOf(t, data["relations"]) != "{}" {
		t.Errorf("payload %s", got[0].body)
	}
	// The third attempt succeeded: no fourth, and the log shows all three.
	s.Advance(time.Hour)
	do(t, s, "POST", "statuses", `{"name":"Next"}`, 201)
	if h := nextHit(t, hits); h.header.Get("X-Webhook-Event") != "created" || string(h.body) == string(got[0].body) {
		t.Errorf("after three attempts, got %s", h.body)
	}
	var statuses []int
	for _, d := range s.Deliveries()[:3] {
		statuses = append(statuses, d.Status)
	}
	if fmt.Sprint(statuses) != "[500 503 200]" {
		t.Errorf("deliveries %v", statuses)
	}
}

// hookedServer is a test server whose default workspace sends its
// webhooks to a receiver that always answers 200.
func hookedServer(t *testing.T) (*Server, <-chan hookHit) {
	t.Helper()
	s := newTestServer(t)
	url, hits := hookReceiver(t)
	s.Default().SetWebhook(url, "k")
	return s, hits
}

func TestWebhookOrderAndModels(t *testing.T) {
	t.Parallel()
	s, hits := hookedServer(t)
	src, st := idOf(t, s, "sources", "Website"), idOf(t, s, "statuses", "New")
	c := do(t, s, "POST", "contacts", fmt.Sprintf(`{"firstname":"A","phone":"+15550001111","type":"lead","source_id":%d,"status_id":%d}`, src, st), 201)
	path := fmt.Sprint("contacts/", int64(c["id"].(float64)))
	do(t, s, "PUT", path, `{"firstname":"B","lastname":"C","phone":"+15550001111","type":"customer"}`, 200)
	do(t, s, "POST", "groups", `{"name":"No hooks"}`, 201)
	do(t, s, "DELETE", path, "", 200)
	s.emitMessage(s.Default(), "message.read", map[string]any{"message_id": "wamid.X", "status": "read", "tenant_id": 1})

	for i, want := range []string{"created A <nil>", "updated B A", "deleted B <nil>", "message.read"} {
		var p struct {
			Event string
			Model string
			Data  struct {
				Attributes struct{ Firstname string }
			}
			Original *struct{ Firstname string }
		}
		h := nextHit(t, hits)
		if err := json.Unmarshal(h.body, &p); err != nil {
			t.Fatal(err)
		}
		got := p.Event
		if p.Model == `App\Models\Tenant\Contact` {
			orig := "<nil>"
			if p.Original != nil {
				orig = p.Original.Firstname
			}
			got = fmt.Sprint(p.Event, " ", p.Data.Attributes.Firstname, " ", orig)
		} else if p.Model != "WhatsAppMessage" {
			t.Errorf("event %d: model %q", i, p.Model)
		}
		if got != want || h.header.Get("X-Webhook-Event") != p.Event {
			t.Errorf("event %d: %q (header %q), want %q", i, got, h.header.Get("X-Webhook-Event"), want)
		}
	}
}

// TestWebhookCloseStopsRetries closes the server while a delivery waits for
// its retry: Close must return, and no goroutine is left (goleak elsewhere).
func TestWebhookCloseStopsRetries(t *testing.T) {
	t.Parallel()
	s := New(WithClock(FixedClock(testStart)), WithToken(testToken))
	url, hits := hookReceiver(t, 500)
	s.Default().SetWebhook(url, "k")
	do(t, s, "POST", "sources", `{"name":"Fair"}`, 201)
	nextHit(t, hits)
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not stop a waiting retry")
	}
	do(t, s, "POST", "sources", `{"name":"After close"}`, 201) // answered, not delivered
	if n := len(s.Deliveries()); n != 1 {
		t.Errorf("%d deliveries after Close, want 1", n)
	}
}

// TestDefaultStatusWebhooks: a status that takes the default flag sends
// its event with the true original; every status that loses the flag is
// updated (updated_at bumped) and sends its own "updated" event first.
func TestDefaultStatusWebhooks(t *testing.T) {
	t.Parallel()
	s, hits := hookedServer(t)
	newID, wonID := idOf(t, s, "statuses", "New"), idOf(t, s, "statuses", "Won")
	type statusJSON struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		IsDefault int    `json:"isdefault"`
		UpdatedAt string `json:"updated_at"`
	}
	next := func() (event string, attrs, orig statusJSON) {
		var p struct {
			Event string
			Data  struct{ Attributes statusJSON }
			Orig  *statusJSON `json:"original"`
		}
		if err := json.Unmarshal(nextHit(t, hits).body, &p); err != nil {
			t.Fatal(err)
		}
		if p.Orig != nil {
			orig = *p.Orig
		}
		return p.Event, p.Data.Attributes, orig
	}
	const seeded, later = "2026-04-16T12:34:56.500000Z", "2026-04-16T12:35:56.500000Z"

	// Setting the flag on the default status again: its original still
	// shows it as the default.
	do(t, s, "PUT", fmt.Sprint("statuses/", newID), `{"isdefault":true}`, 200)
	if ev, a, o := next(); ev != "updated" || a.ID != newID || a.IsDefault != 1 || o.IsDefault != 1 {
		t.Errorf("re-default New: %s %+v original %+v", ev, a, o)
	}

	s.Advance(time.Minute)
	do(t, s, "PUT", fmt.Sprint("statuses/", wonID), `{"isdefault":true}`, 200)
	if ev, a, o := next(); ev != "updated" || a.ID != newID || a.IsDefault != 0 || a.UpdatedAt != later ||
		o.IsDefault != 1 || o.UpdatedAt != seeded {
		t.Errorf("New losing the flag: %s %+v original %+v", ev, a, o)
	}
	if ev, a, o := next(); ev != "updated" || a.ID != wonID || a.IsDefault != 1 || o.IsDefault != 0 || o.Name != "Won" {
		t.Errorf("Won taking the flag: %s %+v original %+v", ev, a, o)
	}
	if got := do(t, s, "GET", fmt.Sprint("statuses/", newID), "", 200); got["isdefault"] != float64(0) || got["updated_at"] != later {
		t.Errorf("New after losing the flag: %v", got)
	}

	do(t, s, "POST", "statuses", `{"name":"Urgent","isdefault":true}`, 201)
	if ev, a, o := next(); ev != "updated" || a.ID != wonID || a.IsDefault != 0 || o.IsDefault != 1 {
		t.Errorf("Won losing the flag: %s %+v original %+v", ev, a, o)
	}
	if ev, a, _ := next(); ev != "created" || a.Name != "Urgent" || a.IsDefault != 1 {
		t.Errorf("Urgent created: %s %+v", ev, a)
	}
}
