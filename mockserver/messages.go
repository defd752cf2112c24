package mockserver

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SentMessage is a message a workspace sent, as Workspace.Messages lists
// it.
type SentMessage struct {
	ID string `json:"message_id"` // "wamid.…"
	// Type is text, interactive, cta_url, template, or the media type
	// (image, video, document, audio).
	Type string `json:"type"`
	// Text is the text sent, the template's body with its variables filled
	// in, or the media caption.
	Text      string `json:"text"`
	Phone     string `json:"phone"`
	ContactID int64  `json:"contact_id"`
	ChatID    int64  `json:"chat_id"`
	Template  string `json:"template,omitempty"`
	Language  string `json:"language,omitempty"`
	MediaType string `json:"media_type,omitempty"`
	MediaURL  string `json:"media_url,omitempty"`
	Filename  string `json:"filename,omitempty"`
	FileSize  int64  `json:"file_size,omitempty"` // bytes of an uploaded file
	// Status is the delivery status: pending, sent, delivered, read or
	// failed; ErrorMessage is set when it is failed.
	Status       string    `json:"status"`
	ErrorMessage string    `json:"error_message,omitempty"`
	SentAt       time.Time `json:"sent_at"`
	LastUpdated  time.Time `json:"last_updated"`
}

// deliveryStatuses are the delivery statuses of the contract, with their
// descriptions as the status endpoint lists them.
var deliveryStatuses = []string{"pending", "sent", "delivered", "read", "failed"}

type statusDescriptions struct {
	Sent      string `json:"sent"`
	Delivered string `json:"delivered"`
	Read      string `json:"read"`
	Failed    string `json:"failed"`
	Pending   string `json:"pending"`
}

var describeStatuses = statusDescriptions{
	Sent:      "Message accepted by WhatsApp",
	Delivered: "Message delivered to recipient phone",
	Read:      "Recipient opened/read the message",
	Failed:    "Message delivery failed",
	Pending:   "Message queued, not yet sent",
}

// msgOutsideWindow is the error of a message failed for want of an open
// customer-care window, the default error of SetMessageStatus.
const msgOutsideWindow = "Message outside 24-hour window"

// ErrMessageNotFound is returned by SetMessageStatus for an unknown id.
var ErrMessageNotFound = errors.New("mockserver: message not found")

// Messages returns the messages the workspace sent, oldest first.
func (ws *Workspace) Messages() []SentMessage {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	out := make([]SentMessage, 0, len(ws.msg.sent))
	for _, id := range ws.msg.sent {
		out = append(out, *ws.msg.messages[id])
	}
	return out
}

// Message returns the message of a wamid.
func (ws *Workspace) Message(id string) (SentMessage, bool) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if m := ws.msg.messages[id]; m != nil {
		return *m, true
	}
	return SentMessage{}, false
}

// SetMessageStatus changes a message's delivery status (pending, sent,
// delivered, read or failed), as WhatsApp's reports would, and sends the
// webhook event message.<status> (none for pending). errorMessage is kept
// for failed only and defaults to "Message outside 24-hour window".
func (ws *Workspace) SetMessageStatus(id, status, errorMessage string) error {
	if !slices.Contains(deliveryStatuses, status) {
		return fmt.Errorf("mockserver: delivery status %q is none of %s", status, strings.Join(deliveryStatuses, ", "))
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	m := ws.msg.messages[id]
	if m == nil {
		return ErrMessageNotFound
	}
	m.Status, m.ErrorMessage, m.LastUpdated = status, "", ws.s.Now()
	if status == "failed" {
		m.ErrorMessage = orDefault(errorMessage, msgOutsideWindow)
	}
	if status != "pending" {
		ws.s.emitMessage(ws, "message."+status, messageEvent(ws, m))
	}
	return nil
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// messageEventData is the data of a message webhook event (§7): text and
// type only on message.sent, error_message only on message.failed.
type messageEventData struct {
	MessageID    string  `json:"message_id"`
	Status       string  `json:"status"`
	ErrorMessage *string `json:"error_message,omitempty"`
	Text         *string `json:"text,omitempty"`
	Type         *string `json:"type,omitempty"`
	TenantID     int64   `json:"tenant_id"`
}

func messageEvent(ws *Workspace, m *SentMessage) messageEventData {
	d := messageEventData{MessageID: m.ID, Status: m.Status, TenantID: ws.tenantID}
	if m.Status == "failed" {
		msg := m.ErrorMessage
		d.ErrorMessage = &msg
	}
	if m.Status == "sent" {
		text, typ := m.Text, m.Type
		d.Text, d.Type = &text, &typ
	}
	return d
}

// send records m as sent to phone, creating the contact when the number is
// none of the workspace's (from who, if given), and emits message.sent. A
// number that would create a contact must be E.164 once given its "+"
// (422 naming phone_number otherwise), as contact create requires. It
// answers the contact, whether it was created and the stored message.
// Called with ws.mu held.
func (s *Server) send(ws *Workspace, r *request, phone string, who *contactInput, m SentMessage) (*contact, bool, *SentMessage, *response) {
	digits := digitsOf(phone)
	c := ws.crm.contacts.find(func(c *contact) bool { return digitsOf(c.Phone) == digits })
	created := c == nil
	if created {
		// A contact's phone is E.164, as on contact create.
		if !isE164("+" + digits) {
			return nil, false, nil, fieldError("phone_number", "The phone number field format is invalid.").result()
		}
		var res *response
		if c, res = newContact(s, ws, r.now, "+"+digits, who); res != nil {
			return nil, false, nil, res
		}
	}
	st := &ws.msg
	if st.messages == nil {
		st.messages, st.chats = map[string]*SentMessage{}, map[int64]int64{}
	}
	chat := st.chats[c.ID]
	if chat == 0 {
		chat = s.nextID()
		st.chats[c.ID] = chat
	}
	m.ID = st.newWamid(digits)
	m.Phone, m.ContactID, m.ChatID = c.Phone, c.ID, chat
	m.Status, m.SentAt, m.LastUpdated = "sent", r.now, r.now
	st.messages[m.ID] = &m
	st.sent = append(st.sent, m.ID)
	s.emitMessage(ws, "message.sent", messageEvent(ws, &m))
	return c, created, &m, nil
}

// newWamid returns a new message id shaped like WhatsApp's: "wamid." and
// the base64 of a small record holding the recipient's digits and a random
// key. Every id holds a "+", a "/" and "=" padding, so that a client that
// does not escape it in a path fails at once.
func (st *messagingState) newWamid(digits string) string {
	head := append([]byte{0x1c, 0x18, byte(len(digits))}, digits...)
	head = append(head, 0x15, 0x02, 0x00, 0x11, 0x18)
	key := make([]byte, 16)
	if (len(head)+1+len(key)+1)%3 == 0 {
		key = key[:15]
	}
	for {
		_, _ = rand.Read(key)
		raw := append(append(append(slices.Clip(head), byte(len(key))), key...), 0x00)
		id := "wamid." + base64.StdEncoding.EncodeToString(raw)
		if strings.Contains(id, "+") && strings.Contains(id, "/") && st.messages[id] == nil {
			return id
		}
	}
}

// contactInput is the optional contact object of a send, used when the
// number is not yet a contact.
type contactInput struct {
	firstname, lastname, email *string
	assignedID                 *int64
	groups                     []string
}

// readContact reads the contact field: an object of firstname, lastname,
// email, country, assigned_id and groups (comma-separated names).
func readContact(f *form) *contactInput {
	if f.isNull("contact") {
		return nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(f.fields["contact"], &fields) != nil || fields == nil {
		f.fail("contact", "The %s field must be an object.")
		return nil
	}
	sub := newForm(fields)
	in := &contactInput{
		firstname: sub.text("firstname", false, 0, 255),
		lastname:  sub.text("lastname", false, 0, 255),
		email:     sub.text("email", false, 0, 191),
	}
	sub.email("email", in.email)
	sub.text("country", false, 0, 255)
	in.assignedID = sub.integer("assigned_id", false)
	in.groups = groupNames(sub)
	f.merge("contact.", sub)
	return in
}

// newContact creates the contact of a send to an unknown number: firstname
// the number unless given, type lead, the default status.
func newContact(s *Server, ws *Workspace, now time.Time, phone string, who *contactInput) (*contact, *response) {
	crm := &ws.crm
	if ws.contactLimit > 0 && crm.contacts.len() >= ws.contactLimit {
		res := failure(http.StatusForbidden, msgContactLimit)
		return nil, &res
	}
	c := &contact{ID: s.nextID(), TenantID: ws.tenantID, Firstname: phone, Type: "lead", Phone: phone,
		GroupID: []int64{}, IsEnabled: true, CreatedAt: stamp(now), UpdatedAt: stamp(now)}
	if def := crm.statuses.find(func(v *status) bool { return bool(v.IsDefault) }); def != nil {
		id := def.ID
		c.StatusID = &id
	}
	if who != nil {
		if who.email != nil && crm.contacts.find(func(k *contact) bool { return k.Email != nil && strings.EqualFold(*k.Email, *who.email) }) != nil {
			return nil, fieldError("contact.email", "The contact.email has already been taken.").result()
		}
		if who.firstname != nil {
			c.Firstname = *who.firstname
		}
		c.Lastname, c.Email, c.AssignedID = who.lastname, who.email, who.assignedID
		c.GroupID = groupIDs(s, ws, stamp(now), who.groups)
	}
	crm.contacts.put(c.ID, c)
	s.emitRecord(ws, "created", modelContact, c.ID, c, nil)
	return c, nil
}

// sendResult is the data of a text or media send (§5.5).
type sendResult struct {
	MessageID      string  `json:"message_id"`
	ContactID      int64   `json:"contact_id"`
	Phone          string  `json:"phone"`
	Status         string  `json:"status"`
	SentAt         string  `json:"sent_at"`
	ChatID         int64   `json:"chat_id"`
	ContactCreated bool    `json:"contact_created"`
	Message        *string `json:"message,omitempty"`
}

func newSendResult(m *SentMessage, created bool, sentAt string) sendResult {
	return sendResult{MessageID: m.ID, ContactID: m.ContactID, Phone: m.Phone, Status: m.Status,
		SentAt: sentAt, ChatID: m.ChatID, ContactCreated: created}
}

// textSentAt is the send-text result's sent_at format, which is not the
// contract's usual timestamp (§1).
const textSentAt = "2006-01-02 15:04:05"

// sendText answers POST /messages/send: a text, interactive (reply
// buttons) or cta_url (one URL button) message.
func sendText(s *Server, ws *Workspace, r *request) response {
	fields, res := r.jsonBody()
	if res != nil {
		return *res
	}
	f := newForm(fields)
	phone := f.text("phone_number", true, 0, 0)
	f.e164("phone_number", phone)
	body := f.text("message_body", true, 0, 4096)
	typ := f.text("message_type", false, 0, 0)
	f.oneOf("message_type", typ, "text", "interactive", "cta_url")
	kind := "text"
	if typ != nil && !f.errs.has("message_type") {
		kind = *typ
	}
	rich := "The %s field is prohibited unless message type is interactive or cta_url."
	f.textIf("header", kind != "text", rich, false, 60)
	f.textIf("footer", kind != "text", rich, false, 60)
	readButtons(f, kind == "interactive")
	cta := "The %s field is prohibited unless message type is cta_url."
	f.textIf("button_text", kind == "cta_url", cta, kind == "cta_url", 20)
	f.httpURL("button_url", f.textIf("button_url", kind == "cta_url", cta, kind == "cta_url", 2048))
	who := readContact(f)
	if res := f.result(); res != nil {
		return *res
	}
	_, created, m, res := s.send(ws, r, *phone, who, SentMessage{Type: kind, Text: *body})
	if res != nil {
		return *res
	}
	out := newSendResult(m, created, m.SentAt.UTC().Format(textSentAt))
	out.Message = &m.Text
	return written(http.StatusOK, "Message sent successfully", out)
}

// readButtons reads the reply buttons of an interactive message: 1 to 3
// objects {id ≤ 256, title ≤ 20}, required when want, refused otherwise.
func readButtons(f *form, want bool) {
	const field = "buttons"
	if f.isNull(field) {
		if want {
			f.fail(field, "The %s field is required when message type is interactive.")
		}
		return
	}
	if !want {
		f.fail(field, "The %s field is prohibited unless message type is interactive.")
		return
	}
	var items []json.RawMessage
	switch {
	case json.Unmarshal(f.fields[field], &items) != nil:
		f.fail(field, "The %s field must be an array.")
		return
	case len(items) < 1 || len(items) > 3:
		f.fail(field, "The %s field must have between 1 and 3 items.")
		return
	}
	for i, raw := range items {
		var obj map[string]json.RawMessage
		at := field + "." + strconv.Itoa(i)
		if json.Unmarshal(raw, &obj) != nil || obj == nil {
			f.fail(at, "The %s field must be an object.")
			continue
		}
		sub := newForm(obj)
		sub.text("id", true, 0, 256)
		sub.text("title", true, 0, 20)
		f.merge(at+".", sub)
	}
}

// sendMedia answers POST /messages/media, with ws.mu held.
func sendMedia(s *Server, ws *Workspace, r *request, up *upload) response {
	f := newForm(up.fields)
	phone := f.text("phone_number", true, 10, 15)
	f.phoneDigits("phone_number", phone)
	typ := f.text("media_type", true, 0, 0)
	f.oneOf("media_type", typ, "image", "document", "video", "audio")
	kind := ""
	if typ != nil && !f.errs.has("media_type") {
		kind = *typ
	}
	u := f.text("media_url", false, 0, 2048)
	f.httpURL("media_url", u)
	file := up.file(f, "media_file", mediaLimit(kind))
	switch {
	case u != nil && file != nil:
		f.fail("media_url", "The %s field is prohibited when media file is present.")
	case u == nil && file == nil && !f.errs.has("media_url") && !f.errs.has("media_file"):
		f.fail("media_url", "The %s field is required when media file is not present.")
	}
	caption := f.textIf("caption", kind != "audio", "The %s field is prohibited when media type is audio.", false, 1024)
	filename := f.text("filename", false, 0, 255)
	who := readContact(f)
	if res := f.result(); res != nil {
		return *res
	}
	m := SentMessage{Type: kind, MediaType: kind}
	if caption != nil {
		m.Text = *caption
	}
	if u != nil {
		m.MediaURL, m.Filename = *u, path.Base(strings.SplitN(*u, "?", 2)[0])
	} else {
		m.MediaURL, m.Filename, m.FileSize = storedURL(r, ws, file), file.Filename, file.Size
	}
	if filename != nil {
		m.Filename = *filename
	}
	_, created, sent, res := s.send(ws, r, *phone, who, m)
	if res != nil {
		return *res
	}
	return written(http.StatusOK, "Media message sent successfully",
		newSendResult(sent, created, sent.SentAt.UTC().Format(stampFormat)))
}

// mediaLimit is the upload limit of a media type (the largest for an
// unknown one).
func mediaLimit(kind string) int64 {
	if n, ok := uploadLimits[kind]; ok {
		return n
	}
	return maxDocumentUpload
}

// messageStatusData is the data of GET /messages/{message_id}/status.
type messageStatusData struct {
	MessageID      string             `json:"message_id"`
	DeliveryStatus string             `json:"delivery_status"`
	ErrorMessage   *string            `json:"error_message"`
	Source         string             `json:"source"`
	LastUpdated    stamp              `json:"last_updated"`
	Statuses       statusDescriptions `json:"statuses"`
}

func messageStatus(_ *Server, ws *Workspace, r *request) response {
	m := ws.msg.messages[r.param("message_id")]
	if m == nil {
		return failure(http.StatusNotFound, "Message not found")
	}
	d := messageStatusData{MessageID: m.ID, DeliveryStatus: m.Status, Source: "chat",
		LastUpdated: stamp(m.LastUpdated), Statuses: describeStatuses}
	if m.ErrorMessage != "" {
		msg := m.ErrorMessage
		d.ErrorMessage = &msg
	}
	return ok(d)
}

func adminListMessages(_ *Server, ws *Workspace, _ *request) response {
	return adminOK(map[string]any{"messages": ws.Messages()})
}

func adminSetMessageStatus(_ *Server, ws *Workspace, r *request) response {
	var in struct {
		Status       string `json:"status"`
		ErrorMessage string `json:"error_message"`
	}
	if res := decodeAdmin(r, &in); res != nil {
		return *res
	}
	id := r.param("message_id")
	switch err := ws.SetMessageStatus(id, in.Status, in.ErrorMessage); {
	case errors.Is(err, ErrMessageNotFound):
		return failure(http.StatusNotFound, "Message not found")
	case err != nil:
		return validationFailed(fieldError("status", "The status field must be one of "+strings.Join(deliveryStatuses, ", ")+"."))
	}
	m, _ := ws.Message(id)
	return adminOK(m)
}

// str returns a string field's trimmed value; "" when absent, null or not
// a string.
func (f *form) str(field string) string {
	var s string
	if f.isNull(field) || json.Unmarshal(f.fields[field], &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

// textIf reads a string field that may only be sent when allowed; sent
// otherwise, it fails with prohibited (a format whose %s is the label).
func (f *form) textIf(field string, allowed bool, prohibited string, required bool, max int) *string {
	if !allowed {
		if !f.isNull(field) {
			f.fail(field, prohibited)
		}
		return nil
	}
	return f.text(field, required, 0, max)
}

// httpURL checks that a read value is an absolute http(s) URL.
func (f *form) httpURL(field string, v *string) {
	if v == nil || f.errs.has(field) {
		return
	}
	u, err := url.Parse(*v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		f.fail(field, "The %s field must be a valid URL.")
	}
}

// phoneDigits checks that a read value is digits, with an optional leading
// "+".
func (f *form) phoneDigits(field string, v *string) {
	if v == nil || f.errs.has(field) {
		return
	}
	d := strings.TrimPrefix(*v, "+")
	if d == "" || strings.Trim(d, "0123456789") != "" {
		f.fail(field, "The %s field format is invalid.")
	}
}

// merge adds the errors of a nested object's form under prefix
// ("contact."), naming the nested field as Laravel does.
func (f *form) merge(prefix string, sub *form) {
	for _, k := range sub.errs.keys {
		for _, m := range sub.errs.msgs[k] {
			f.errs.add(prefix+k, strings.Replace(m, label(k), label(prefix+k), 1))
		}
	}
}

// digitsOf returns the ASCII digits of s.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
