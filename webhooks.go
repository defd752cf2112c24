package xobito

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Webhooks: Xobito POSTs events to the workspace's webhook URL, signed with
// the workspace's signing secret. NewWebhookHandler turns them into calls
// of a function; VerifySignature and ParseWebhook are its two steps, for
// servers that read the body themselves.

// Webhook headers set by Xobito.
const (
	// WebhookSignatureHeader carries the body's HMAC-SHA256, lowercase hex.
	WebhookSignatureHeader = "X-Webhook-Signature"
	// WebhookEventHeader carries the event name.
	WebhookEventHeader = "X-Webhook-Event"
	// WebhookTimestampHeader carries the time of the delivery attempt.
	WebhookTimestampHeader = "X-Webhook-Timestamp"
)

// Signature failures. VerifySignature returns a *SignatureError that
// matches one of these, and ErrInvalidSignature, with errors.Is.
var (
	// ErrInvalidSignature matches every signature failure.
	ErrInvalidSignature = errors.New("xobito: invalid webhook signature")
	// ErrSignatureMissing: the request carried no signature.
	ErrSignatureMissing = errors.New("xobito: webhook signature missing")
	// ErrSignatureMalformed: the signature is not 64 lowercase hex digits.
	ErrSignatureMalformed = errors.New("xobito: webhook signature malformed")
	// ErrSignatureMismatch: the signature is not the body's under the secret;
	// the body was altered, or signed with another secret.
	ErrSignatureMismatch = errors.New("xobito: webhook signature mismatch")
)

// ErrWebhookPayload matches every error of ParseWebhook: the body is not a
// webhook payload, or a known event's record does not decode.
var ErrWebhookPayload = errors.New("xobito: malformed webhook payload")

// SignatureError is a webhook signature that does not verify.
type SignatureError struct {
	// Kind is ErrSignatureMissing, ErrSignatureMalformed or
	// ErrSignatureMismatch.
	Kind error
}

// Error names the failure.
func (e *SignatureError) Error() string { return e.Kind.Error() }

// Is matches the error's Kind and ErrInvalidSignature.
func (e *SignatureError) Is(target error) bool {
	return target == e.Kind || target == ErrInvalidSignature
}

// VerifySignature checks that signature (the X-Webhook-Signature header) is
// the HMAC-SHA256 of the raw body under secret, as lowercase hex. It
// compares in constant time. Verify the bytes exactly as received, before
// any decoding.
func VerifySignature(secret, body []byte, signature string) error {
	if len(secret) == 0 {
		return invalid("secret", "is empty")
	}
	signature = strings.TrimSpace(signature)
	if signature == "" {
		return &SignatureError{ErrSignatureMissing}
	}
	if len(signature) != hex.EncodedLen(sha256.Size) || strings.ToLower(signature) != signature {
		return &SignatureError{ErrSignatureMalformed}
	}
	got, err := hex.DecodeString(signature)
	if err != nil {
		return &SignatureError{ErrSignatureMalformed}
	}
	if !hmac.Equal(got, sign(secret, body)) {
		return &SignatureError{ErrSignatureMismatch}
	}
	return nil
}

// SignWebhook returns the signature Xobito sends for body under secret:
// the HMAC-SHA256 as lowercase hex. It is useful to test a receiver.
func SignWebhook(secret, body []byte) string { return hex.EncodeToString(sign(secret, body)) }

func sign(secret, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return m.Sum(nil)
}

// WebhookKind is what a webhook event is about.
type WebhookKind string

// The kinds of webhook events.
const (
	WebhookContact WebhookKind = "contact" // a contact record event: WebhookEvent.Contact
	WebhookStatus  WebhookKind = "status"  // a status record event: WebhookEvent.Status
	WebhookSource  WebhookKind = "source"  // a source record event: WebhookEvent.Source
	WebhookMessage WebhookKind = "message" // a message.* event: WebhookEvent.Message
	// WebhookUnknown is an event this version of the SDK does not know;
	// its body is in WebhookEvent.Raw.
	WebhookUnknown WebhookKind = "unknown"
)

// Webhook event names ("event").
const (
	EventCreated          = "created"           // a contact, status or source was created
	EventUpdated          = "updated"           // a contact, status or source was changed
	EventDeleted          = "deleted"           // a contact, status or source was deleted
	EventMessageSent      = "message.sent"      // an outgoing message was sent
	EventMessageDelivered = "message.delivered" // an outgoing message reached the recipient
	EventMessageRead      = "message.read"      // an outgoing message was read
	EventMessageFailed    = "message.failed"    // an outgoing message failed; see MessageEvent.ErrorMessage
	EventMessageReceived  = "message.received"  // an inbound message arrived
)

// WebhookEvent is one decoded webhook delivery. Exactly one of the record
// pointers (with its Original* twin when the payload carried "original")
// or Message is set, according to Kind; an unknown event sets none.
type WebhookEvent struct {
	// Kind says which field holds the event's content.
	Kind WebhookKind
	// Event is the event name: EventCreated, EventMessageSent, …
	Event string
	// Model is the sender's model name, such as
	// `App\Models\Tenant\Contact` or "WhatsAppMessage".
	Model string
	// ID is data.id (record events) or data.message_id (message events),
	// as text.
	ID string
	// Timestamp is "timestamp" exactly as sent; it is part of the Key.
	Timestamp string
	// Time is Timestamp parsed, or the zero time when it does not parse.
	Time time.Time

	// Contact is the record of a contact event (data.attributes);
	// OriginalContact is the record before the change, when the payload
	// had "original".
	Contact, OriginalContact *Contact
	// Status is the record of a status event; OriginalStatus is the
	// record before the change, when the payload had "original".
	Status, OriginalStatus *Status
	// Source is the record of a source event; OriginalSource is the
	// record before the change, when the payload had "original".
	Source, OriginalSource *Source

	// Message is the data of a message.* event.
	Message *MessageEvent

	// Raw is the whole body as received.
	Raw json.RawMessage
}

// MessageEvent is the data of a message.sent, .delivered, .read, .failed
// or .received event.
type MessageEvent struct {
	MessageID string `json:"message_id"` // the wamid
	Status    string `json:"status"`     // "sent", "delivered", "read", "failed", …
	// ErrorMessage says why a message.failed message failed.
	ErrorMessage string `json:"error_message"`
	Text         string `json:"text"` // on message.sent (and received)
	Type         string `json:"type"` // on message.sent (and received)
	// TenantID is the id of the workspace the message belongs to.
	TenantID int64 `json:"tenant_id"`
	// Data is the whole "data" object, for fields not listed here (such as
	// those of message.received).
	Data json.RawMessage `json:"-"`
}

// WebhookKey identifies a delivery for deduplication: Xobito retries with
// the same body, so the same key means the same event. It is comparable
// and can key a map.
type WebhookKey struct {
	// Model is the payload's "model", as in WebhookEvent.Model.
	Model string
	// ID is data.id or data.message_id, as in WebhookEvent.ID.
	ID string
	// Event is the event name, as in WebhookEvent.Event.
	Event string
	// Timestamp is "timestamp" exactly as sent, as in
	// WebhookEvent.Timestamp.
	Timestamp string
}

// Key returns the event's deduplication key: (model, data.id or
// data.message_id, event, timestamp).
func (e *WebhookEvent) Key() WebhookKey {
	return WebhookKey{Model: e.Model, ID: e.ID, Event: e.Event, Timestamp: e.Timestamp}
}

// webhookBody is the payload shape shared by every event.
type webhookBody struct {
	Event     *string         `json:"event"`
	Model     flexString      `json:"model"`
	Data      json.RawMessage `json:"data"`
	Original  json.RawMessage `json:"original"`
	Timestamp flexString      `json:"timestamp"`
}

// webhookData holds the keys of "data" that identify the subject.
type webhookData struct {
	ID         flexString      `json:"id"`
	MessageID  flexString      `json:"message_id"`
	Attributes json.RawMessage `json:"attributes"`
}

// ParseWebhook decodes a webhook body. Verify its signature first. An event
// the SDK does not know is returned with Kind WebhookUnknown and no error;
// errors (matching ErrWebhookPayload) mean the body is not a webhook
// payload or a known event's record does not decode.
func ParseWebhook(body []byte) (*WebhookEvent, error) {
	var b webhookBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWebhookPayload, err)
	}
	if b.Event == nil || *b.Event == "" {
		return nil, fmt.Errorf("%w: no event name", ErrWebhookPayload)
	}
	var d webhookData
	if isJSONObject(b.Data) {
		if err := json.Unmarshal(b.Data, &d); err != nil {
			return nil, fmt.Errorf("%w: data: %v", ErrWebhookPayload, err)
		}
	}
	ev := &WebhookEvent{
		Kind:      WebhookUnknown,
		Event:     *b.Event,
		Model:     string(b.Model),
		ID:        cmp.Or(string(d.ID), string(d.MessageID)),
		Timestamp: string(b.Timestamp),
		Raw:       append(json.RawMessage(nil), body...),
	}
	var t Time
	if quoted, err := json.Marshal(ev.Timestamp); err == nil && t.UnmarshalJSON(quoted) == nil {
		ev.Time = t.Time
	}

	switch ev.Event {
	case EventCreated, EventUpdated, EventDeleted:
		var err error
		switch model := ev.Model[strings.LastIndexAny(ev.Model, `\/.`)+1:]; model {
		case "Contact":
			ev.Kind = WebhookContact
			ev.Contact, ev.OriginalContact, err = decodeRecord[Contact](d.Attributes, b.Original)
		case "Status":
			ev.Kind = WebhookStatus
			ev.Status, ev.OriginalStatus, err = decodeRecord[Status](d.Attributes, b.Original)
		case "Source":
			ev.Kind = WebhookSource
			ev.Source, ev.OriginalSource, err = decodeRecord[Source](d.Attributes, b.Original)
		}
		if err != nil {
			return nil, err
		}
	case EventMessageSent, EventMessageDelivered, EventMessageRead, EventMessageFailed, EventMessageReceived:
		if !isJSONObject(b.Data) {
			return nil, fmt.Errorf("%w: %s without a data object", ErrWebhookPayload, ev.Event)
		}
		m := &MessageEvent{Data: append(json.RawMessage(nil), b.Data...)}
		if err := json.Unmarshal(b.Data, m); err != nil {
			return nil, fmt.Errorf("%w: data: %v", ErrWebhookPayload, err)
		}
		ev.Kind, ev.Message = WebhookMessage, m
	}
	return ev, nil
}

// decodeRecord decodes a record event's data.attributes, and its
// "original" when present (flat, or wrapped in {"attributes": …}).
func decodeRecord[T any](attrs, original json.RawMessage) (*T, *T, error) {
	if !isJSONObject(attrs) {
		return nil, nil, fmt.Errorf("%w: data.attributes is not an object", ErrWebhookPayload)
	}
	rec := new(T)
	if err := json.Unmarshal(attrs, rec); err != nil {
		return nil, nil, fmt.Errorf("%w: data.attributes: %v", ErrWebhookPayload, err)
	}
	if !isJSONObject(original) {
		return rec, nil, nil
	}
	var wrapped struct {
		Attributes json.RawMessage `json:"attributes"`
	}
	if json.Unmarshal(original, &wrapped) == nil && isJSONObject(wrapped.Attributes) {
		original = wrapped.Attributes
	}
	orig := new(T)
	if err := json.Unmarshal(original, orig); err != nil {
		return nil, nil, fmt.Errorf("%w: original: %v", ErrWebhookPayload, err)
	}
	return rec, orig, nil
}

func isJSONObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

// DefaultWebhookMaxBody bounds the body NewWebhookHandler reads.
const DefaultWebhookMaxBody = 1 << 20

// WebhookHandlerOption configures NewWebhookHandler.
type WebhookHandlerOption func(*webhookHandler)

// WithWebhookMaxBody sets the largest body accepted (default 1 MiB);
// larger ones are answered 413.
func WithWebhookMaxBody(n int64) WebhookHandlerOption {
	return func(h *webhookHandler) {
		if n > 0 {
			h.maxBody = n
		}
	}
}

// WithWebhookLogger logs refused deliveries and failures of the callback
// (at warn level). The default logs nothing.
func WithWebhookLogger(l *slog.Logger) WebhookHandlerOption {
	return func(h *webhookHandler) {
		if l != nil {
			h.logger = l
		}
	}
}

type webhookHandler struct {
	secret  []byte
	fn      func(context.Context, *WebhookEvent) error
	maxBody int64
	logger  *slog.Logger
}

// NewWebhookHandler returns an http.Handler that receives Xobito's
// webhooks: it reads the body once (at most 1 MiB unless set otherwise),
// verifies X-Webhook-Signature against secret, decodes the event and calls
// fn with the request's context. It answers:
//
//   - 204 when fn returns nil (unknown events are passed to fn too);
//   - 405 for a method other than POST, 413 for a body over the limit;
//   - 401 for a missing, malformed or mismatched signature;
//   - 400 for a body that is not a webhook payload;
//   - 500 when fn returns an error, so that Xobito delivers it again.
//
// Xobito waits at most 30 s per attempt and retries with the same body: fn
// should be quick (hand slow work to a queue) and idempotent; use
// WebhookEvent.Key to drop repeats. It panics if secret is empty or fn is
// nil, as both are programming errors.
func NewWebhookHandler(secret []byte, fn func(context.Context, *WebhookEvent) error, opts ...WebhookHandlerOption) http.Handler {
	if len(secret) == 0 {
		panic("xobito: NewWebhookHandler: empty secret")
	}
	if fn == nil {
		panic("xobito: NewWebhookHandler: nil callback")
	}
	h := &webhookHandler{
		secret:  bytes.Clone(secret),
		fn:      fn,
		maxBody: DefaultWebhookMaxBody,
		logger:  slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		if opt != nil {
			opt(h)
		}
	}
	return h
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, nil)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, err)
		} else {
			h.refuse(w, r, http.StatusBadRequest, err)
		}
		return
	}
	if err := VerifySignature(h.secret, body, r.Header.Get(WebhookSignatureHeader)); err != nil {
		h.refuse(w, r, http.StatusUnauthorized, err)
		return
	}
	ev, err := ParseWebhook(body)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, err)
		return
	}
	if err := h.fn(r.Context(), ev); err != nil {
		h.refuse(w, r, http.StatusInternalServerError, fmt.Errorf("handling %s %s: %w", ev.Model, ev.Event, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *webhookHandler) refuse(w http.ResponseWriter, r *http.Request, status int, err error) {
	if err != nil && h.logger.Enabled(r.Context(), slog.LevelWarn) {
		h.logger.LogAttrs(r.Context(), slog.LevelWarn, "xobito: webhook refused",
			slog.Int("status", status), slog.String("error", err.Error()))
	}
	http.Error(w, http.StatusText(status), status)
}
