package xobito

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testSecret = []byte("whsec-test-secret")

func TestVerifySignature(t *testing.T) {
	t.Parallel()
	body := []byte(readTestdata(t, "webhooks_contact_created.json"))
	// Computed independently of this package (Python's hmac module).
	const good = "cde4868ffde30231b0d60e975ab2b32dfd7eaa2e81abc400c9bfe2972107334b"
	if got := SignWebhook(testSecret, body); got != good {
		t.Fatalf("SignWebhook = %s", got)
	}
	// The widely published HMAC-SHA256 example for "key" / the fox sentence.
	if got := SignWebhook([]byte("key"), []byte("The quick brown fox jumps over the lazy dog")); got != "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8" {
		t.Fatalf("SignWebhook(fox) = %s", got)
	}
	altered := bytes.Replace(body, []byte("Amina"), []byte("Amino"), 1)
	for _, tc := range []struct {
		name   string
		secret []byte
		body   []byte
		sig    string
		want   error // nil: verifies
	}{
		{"valid", testSecret, body, good, nil},
		{"valid with surrounding space", testSecret, body, " " + good + "\n", nil},
		{"missing", testSecret, body, "", ErrSignatureMissing},
		{"blank", testSecret, body, "   ", ErrSignatureMissing},
		{"short", testSecret, body, good[:63], ErrSignatureMalformed},
		{"long", testSecret, body, good + "0", ErrSignatureMalformed},
		{"uppercase", testSecret, body, strings.ToUpper(good), ErrSignatureMalformed},
		{"prefixed", testSecret, body, "sha256=" + good, ErrSignatureMalformed},
		{"not hex", testSecret, body, strings.Repeat("zz", 32), ErrSignatureMalformed},
		{"altered body", testSecret, altered, good, ErrSignatureMismatch},
		{"other secret", []byte("another-secret"), body, good, ErrSignatureMismatch},
		{"empty body", testSecret, nil, good, ErrSignatureMismatch},
	} {
		err := VerifySignature(tc.secret, tc.body, tc.sig)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var se *SignatureError
		if !errors.Is(err, tc.want) || !errors.Is(err, ErrInvalidSignature) || !errors.As(err, &se) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if err := VerifySignature(nil, body, good); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("empty secret: err = %v", err)
	}
}

func TestParseWebhook(t *testing.T) {
	t.Parallel()
	const wamid = "wamid.HBgNMjM0ODAzMTIzNDU2NxUCABEYEjk3QkM2RkE0NkE3RjYzRjg0QQA="
	const contactModel = `App\Models\Tenant\Contact`
	for _, tc := range []struct {
		file  string
		kind  WebhookKind
		key   WebhookKey
		check func(t *testing.T, ev *WebhookEvent)
	}{
		{"webhooks_contact_created.json", WebhookContact,
			WebhookKey{contactModel, "123", "created", "2026-04-16T12:34:56+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				c := ev.Contact
				if c == nil || c.ID != 123 || c.FirstName != "Amina" || !c.IsEnabled || len(c.GroupIDs) != 2 || c.GroupIDs[1] != 9 {
					t.Errorf("contact %+v", c)
				}
				if ev.OriginalContact != nil || !ev.Time.Equal(time.Date(2026, 4, 16, 12, 34, 56, 0, time.UTC)) {
					t.Errorf("original %+v, time %v", ev.OriginalContact, ev.Time)
				}
			}},
		{"webhooks_contact_updated.json", WebhookContact,
			WebhookKey{contactModel, "123", "updated", "2026-04-16T13:00:00+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				if ev.Contact.LastName != "Okafor-Bello" || ev.Contact.StatusID != 6 {
					t.Errorf("contact %+v", ev.Contact)
				}
				if o := ev.OriginalContact; o == nil || o.LastName != "Okafor" || o.StatusID != 5 || o.Type != "lead" {
					t.Errorf("original %+v", o)
				}
			}},
		{"webhooks_contact_deleted.json", WebhookContact,
			WebhookKey{contactModel, "123", "deleted", "2026-04-16T14:00:00+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				if ev.Contact.ID != 123 || !ev.Contact.IsEnabled || len(ev.Contact.GroupIDs) != 0 {
					t.Errorf("contact %+v", ev.Contact)
				}
			}},
		{"webhooks_status_updated.json", WebhookStatus,
			WebhookKey{`App\Models\Tenant\Status`, "5", "updated", "2026-04-16T09:00:00+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				if ev.Status == nil || !ev.Status.IsDefault || ev.Status.Name != "Qualified" {
					t.Errorf("status %+v", ev.Status)
				}
				// "original" wrapped in {"attributes": …} is read too.
				if o := ev.OriginalStatus; o == nil || o.IsDefault || o.Name != "Qualified lead" {
					t.Errorf("original %+v", o)
				}
			}},
		{"webhooks_source_created.json", WebhookSource,
			WebhookKey{`App\Models\Tenant\Source`, "4", "created", "2026-04-05T08:00:00+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				want := Source{ID: 4, TenantID: 7, Name: "Referral", CreatedAt: ts("2026-04-05T08:00:00Z"), UpdatedAt: ts("2026-04-05T08:00:00Z")}
				if ev.Source == nil || *ev.Source != want {
					t.Errorf("source %+v", ev.Source)
				}
			}},
		{"webhooks_message_sent.json", WebhookMessage,
			WebhookKey{"WhatsAppMessage", wamid, "message.sent", "2026-04-16T12:40:00+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				m := ev.Message
				if m.MessageID != wamid || m.Status != "sent" || m.Text != "Your order has shipped" || m.Type != "text" || m.TenantID != 7 {
					t.Errorf("message %+v", m)
				}
			}},
		{"webhooks_message_delivered.json", WebhookMessage,
			WebhookKey{"WhatsAppMessage", wamid, "message.delivered", "2026-04-16T12:40:05+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				if ev.Message.Status != "delivered" || ev.Message.Text != "" {
					t.Errorf("message %+v", ev.Message)
				}
			}},
		{"webhooks_message_read.json", WebhookMessage,
			WebhookKey{"WhatsAppMessage", wamid, "message.read", "2026-04-16T12:41:00+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				if ev.Message.Status != "read" {
					t.Errorf("message %+v", ev.Message)
				}
			}},
		{"webhooks_message_failed.json", WebhookMessage,
			WebhookKey{"WhatsAppMessage", "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA", "message.failed", "2026-04-16T12:42:00+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				if ev.Message.ErrorMessage != "Message outside 24-hour window" || ev.Message.Status != "failed" {
					t.Errorf("message %+v", ev.Message)
				}
			}},
		{"webhooks_message_received.json", WebhookMessage,
			WebhookKey{"WhatsAppMessage", "wamid.HBgNMjM0ODAzMTIzNDU2NxIAEhggQTFCMkMzRDRFNUY2", "message.received", "2026-04-16T12:43:00+00:00"},
			func(t *testing.T, ev *WebhookEvent) {
				if ev.Message.Text != "Is the shop open today?" || !bytes.Contains(ev.Message.Data, []byte(`"from":"+2348031234567"`)) {
					t.Errorf("message %+v", ev.Message)
				}
			}},
		{"webhooks_unknown.json", WebhookUnknown,
			WebhookKey{contactModel, "123", "restored", "2026-04-16T15:00:00+00:00"}, nil},
		{"webhooks_group_created.json", WebhookUnknown,
			WebhookKey{`App\Models\Tenant\Group`, "9", "created", "2026-04-16T15:00:00+00:00"}, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			body := []byte(readTestdata(t, tc.file))
			ev, err := ParseWebhook(body)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Kind != tc.kind || ev.Key() != tc.key {
				t.Fatalf("kind %q key %+v, want %q %+v", ev.Kind, ev.Key(), tc.kind, tc.key)
			}
			if !bytes.Equal(ev.Raw, body) {
				t.Error("Raw is not the body")
			}
			set := 0
			for _, p := range []bool{ev.Contact != nil, ev.Status != nil, ev.Source != nil, ev.Message != nil} {
				if p {
					set++
				}
			}
			if want := map[bool]int{true: 0, false: 1}[tc.kind == WebhookUnknown]; set != want {
				t.Errorf("%d content fields set, want %d", set, want)
			}
			if tc.check != nil {
				tc.check(t, ev)
			}
		})
	}
}

func TestParseWebhookRefuses(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		``,
		`not json`,
		`[]`,
		`null`,
		`{"model":"WhatsAppMessage","data":{}}`,
		`{"event":"","data":{}}`,
		`{"event":7}`,
		`{"event":"created","model":"App\\Models\\Tenant\\Contact","data":{"id":1}}`,
		`{"event":"created","model":"App\\Models\\Tenant\\Contact","data":{"id":1,"attributes":[]}}`,
		`{"event":"created","model":"App\\Models\\Tenant\\Contact","data":{"id":1,"attributes":{"firstname":5}}}`,
		`{"event":"updated","model":"App\\Models\\Tenant\\Status","data":{"id":1,"attributes":{}},"original":{"isdefault":"maybe"}}`,
		`{"event":"message.sent","model":"WhatsAppMessage","data":null}`,
		`{"event":"message.read","model":"WhatsAppMessage","data":{"message_id":"w","tenant_id":"x"}}`,
	} {
		ev, err := ParseWebhook([]byte(body))
		if !errors.Is(err, ErrWebhookPayload) || ev != nil {
			t.Errorf("%s: got %+v, %v", body, ev, err)
		}
	}
	// Tolerated: nulls inside a record, numbers as strings, odd timestamps.
	ev, err := ParseWebhook([]byte(`{"event":"deleted","model":"Source","data":{"id":"4","attributes":{"id":4,"name":null,"created_at":null}},"original":[],"timestamp":1713270896}`))
	if err != nil || ev.Kind != WebhookSource || ev.Source.ID != 4 || ev.ID != "4" || ev.OriginalSource != nil || ev.Timestamp != "1713270896" || !ev.Time.IsZero() {
		t.Errorf("got %+v, %v", ev, err)
	}
}

// postWebhook sends body to h with the given signature and method.
func postWebhook(h http.Handler, method string, body []byte, sig string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/hooks/xobito", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set(WebhookSignatureHeader, sig)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestWebhookHandler(t *testing.T) {
	t.Parallel()
	body := []byte(readTestdata(t, "webhooks_message_delivered.json"))
	good := SignWebhook(testSecret, body)
	unknown := []byte(readTestdata(t, "webhooks_unknown.json"))
	notPayload := []byte(`{"hello":"world"}`)
	failing := errors.New("database down")
	for _, tc := range []struct {
		name     string
		method   string
		body     []byte
		sig      string
		fnErr    error
		opts     []WebhookHandlerOption
		status   int
		wantCall bool
	}{
		{"delivered", "POST", body, good, nil, nil, http.StatusNoContent, true},
		{"unknown event is passed on", "POST", unknown, SignWebhook(testSecret, unknown), nil, nil, http.StatusNoContent, true},
		{"callback fails", "POST", body, good, failing, nil, http.StatusInternalServerError, true},
		{"GET", "GET", nil, "", nil, nil, http.StatusMethodNotAllowed, false},
		{"PUT", "PUT", body, good, nil, nil, http.StatusMethodNotAllowed, false},
		{"no signature", "POST", body, "", nil, nil, http.StatusUnauthorized, false},
		{"malformed signature", "POST", body, "sha256=" + good, nil, nil, http.StatusUnauthorized, false},
		{"wrong signature", "POST", body, SignWebhook([]byte("other"), body), nil, nil, http.StatusUnauthorized, false},
		{"not a payload", "POST", notPayload, SignWebhook(testSecret, notPayload), nil, nil, http.StatusBadRequest, false},
		{"too large", "POST", body, good, nil, []WebhookHandlerOption{WithWebhookMaxBody(int64(len(body) - 1))}, http.StatusRequestEntityTooLarge, false},
		{"exactly the limit", "POST", body, good, nil, []WebhookHandlerOption{WithWebhookMaxBody(int64(len(body)))}, http.StatusNoContent, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got *WebhookEvent
			h := NewWebhookHandler(testSecret, func(ctx context.Context, ev *WebhookEvent) error {
				if ctx == nil {
					t.Error("nil context")
				}
				got = ev
				return tc.fnErr
			}, tc.opts...)
			rec := postWebhook(h, tc.method, tc.body, tc.sig)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tc.status, rec.Body)
			}
			if (got != nil) != tc.wantCall {
				t.Fatalf("callback called: %v, want %v", got != nil, tc.wantCall)
			}
			if tc.status == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != "POST" {
				t.Errorf("Allow %q", rec.Header().Get("Allow"))
			}
			if got != nil && !bytes.Equal(got.Raw, tc.body) {
				t.Errorf("event body %s", got.Raw)
			}
		})
	}
}

func TestWebhookHandlerKeepsItsSecret(t *testing.T) {
	t.Parallel()
	secret := []byte("mutable-secret")
	h := NewWebhookHandler(secret, func(context.Context, *WebhookEvent) error { return nil })
	body := []byte(readTestdata(t, "webhooks_message_read.json"))
	sig := SignWebhook(secret, body)
	secret[0] = 'X' // the caller reuses its buffer
	if rec := postWebhook(h, "POST", body, sig); rec.Code != http.StatusNoContent {
		t.Fatalf("status %d", rec.Code)
	}
	for _, bad := range []func(){
		func() { NewWebhookHandler(nil, func(context.Context, *WebhookEvent) error { return nil }) },
		func() { NewWebhookHandler(secret, nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic for a misconfigured handler")
				}
			}()
			bad()
		}()
	}
}

func TestWebhookDedupKey(t *testing.T) {
	t.Parallel()
	seen := map[WebhookKey]int{}
	for _, f := range []string{"webhooks_message_sent.json", "webhooks_message_delivered.json", "webhooks_message_sent.json",
		"webhooks_contact_created.json", "webhooks_contact_created.json", "webhooks_contact_updated.json"} {
		ev, err := ParseWebhook([]byte(readTestdata(t, f)))
		if err != nil {
			t.Fatal(err)
		}
		seen[ev.Key()]++
	}
	if len(seen) != 4 {
		t.Fatalf("%d distinct keys, want 4: %v", len(seen), seen)
	}
}

func FuzzWebhook(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "webhooks_*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint(7), byte(1))
	}
	f.Add([]byte(`{"event":"message.sent","data":{"message_id":1}}`), uint(0), byte(0x80))
	f.Add([]byte(`{"event":"created","model":"Contact","data":{"attributes":{"group_id":"[\"x\"]"}}}`), uint(3), byte(2))
	f.Fuzz(func(t *testing.T, body []byte, pos uint, flip byte) {
		// Parsing never panics, and what it accepts is coherent.
		if ev, err := ParseWebhook(body); err == nil {
			if ev.Kind == "" || ev.Event == "" || ev.Key().Event != ev.Event {
				t.Fatalf("incoherent event %+v", ev)
			}
		} else if !errors.Is(err, ErrWebhookPayload) {
			t.Fatalf("error %v does not match ErrWebhookPayload", err)
		}
		sig := SignWebhook(testSecret, body)
		if err := VerifySignature(testSecret, body, sig); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
		// The body used as a signature never verifies (nor panics).
		if VerifySignature(testSecret, body, string(body)) == nil {
			t.Fatal("the body verified as its own signature")
		}
		if flip == 0 {
			flip = 1
		}
		if len(body) > 0 {
			changed := bytes.Clone(body)
			changed[pos%uint(len(changed))] ^= flip
			if err := VerifySignature(testSecret, changed, sig); !errors.Is(err, ErrSignatureMismatch) {
				t.Fatalf("a changed body byte verified: %v", err)
			}
			if err := VerifySignature(testSecret, append(bytes.Clone(body), flip), sig); err == nil {
				t.Fatal("an appended byte verified")
			}
		}
		s := []byte(sig)
		s[pos%uint(len(s))] ^= flip
		if VerifySignature(testSecret, body, string(s)) == nil {
			t.Fatal("a changed signature byte verified")
		}
	})
}

func ExampleNewWebhookHandler() {
	secret := []byte("signing-secret-from-the-dashboard")
	seen := map[WebhookKey]bool{} // use a shared store when running several receivers
	h := NewWebhookHandler(secret, func(ctx context.Context, ev *WebhookEvent) error {
		if seen[ev.Key()] {
			return nil // a retried delivery
		}
		seen[ev.Key()] = true
		switch ev.Kind {
		case WebhookContact:
			fmt.Println(ev.Event, "contact", ev.Contact.ID)
		case WebhookMessage:
			fmt.Println(ev.Event, ev.Message.MessageID)
		}
		return nil
	})
	// In a server: http.Handle("/hooks/xobito", h)

	body := []byte(`{"event":"message.delivered","model":"WhatsAppMessage",` +
		`"data":{"message_id":"wamid.ABC=","status":"delivered","tenant_id":7},"timestamp":"2026-04-16T12:40:05+00:00"}`)
	for range 2 {
		req := httptest.NewRequest(http.MethodPost, "/hooks/xobito", bytes.NewReader(body))
		req.Header.Set(WebhookSignatureHeader, SignWebhook(secret, body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// message.delivered wamid.ABC=
	// 204
	// 204
}

func ExampleVerifySignature() {
	secret := []byte("signing-secret-from-the-dashboard")
	body := []byte(`{"event":"created","model":"App\\Models\\Tenant\\Source","data":{"id":4,"attributes":{"id":4,"name":"Referral"}},"original":null,"timestamp":"2026-04-05T08:00:00+00:00"}`)
	sig := SignWebhook(secret, body) // what arrives in X-Webhook-Signature

	if err := VerifySignature(secret, body, sig); err == nil {
		ev, _ := ParseWebhook(body)
		fmt.Println(ev.Kind, ev.Event, ev.Source.Name)
	}
	tampered := bytes.Replace(body, []byte("Referral"), []byte("Referrer"), 1)
	err := VerifySignature(secret, tampered, sig)
	fmt.Println(errors.Is(err, ErrSignatureMismatch))
	// Output:
	// source created Referral
	// true
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestWebhookHandlerLogsRefusals(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := NewWebhookHandler(testSecret, func(context.Context, *WebhookEvent) error { return nil },
		WithWebhookLogger(slog.New(slog.NewTextHandler(&logs, nil))), nil)
	body := []byte(readTestdata(t, "webhooks_message_read.json"))
	if rec := postWebhook(h, "POST", body, SignWebhook([]byte("other"), body)); rec.Code != http.StatusUnauthorized {
		t.Fatalf("status %d", rec.Code)
	}
	if !strings.Contains(logs.String(), "status=401") || !strings.Contains(logs.String(), ErrSignatureMismatch.Error()) {
		t.Errorf("log %q", logs.String())
	}
	// A body that cannot be read is a bad request.
	req := httptest.NewRequest(http.MethodPost, "/hooks/xobito", failingReader{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(logs.String(), "connection reset") {
		t.Errorf("status %d, log %q", rec.Code, logs.String())
	}
}
