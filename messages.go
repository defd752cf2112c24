package xobito

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Limits of the message endpoints, from the API contract. Text lengths
// count characters (runes); file sizes are in kilobytes of 1024 bytes.
const (
	maxMessageBody      = 4096 // message_body of a text send
	maxHeaderFooter     = 60   // header and footer of interactive and CTA sends
	maxReplyButtons     = 3    // buttons of an interactive send
	maxButtonID         = 256  // a reply button's id
	maxButtonTitle      = 20   // a reply button's title, and a CTA's button_text
	maxBodyParams       = 10   // field_1..field_10 of a template send
	maxButtonParams     = 3    // button_0..button_2 of a template send
	maxCopyCode         = 100  // copy_code of a template send
	maxCaption          = 1024 // caption of a media send
	maxFileName         = 255  // filename and header_document_name
	maxHeaderImageKB    = 5120
	maxHeaderVideoKB    = 16384
	maxHeaderDocKB      = 102400
	templatePhoneMin    = 8
	templatePhoneMax    = 15
	mediaPhoneMin       = 10
	mediaPhoneMax       = 15
	templateLanguageMin = 2
	templateLanguageMax = 10
)

// MessageContact describes the contact to create when a message goes to a
// number that is not a contact of the workspace yet. Without it the API
// creates a lead whose first name is the number. It is the "contact" object
// of every send.
//
// Groups are written by name (GroupNames, sent as the comma-separated
// "groups"), while a Contact read back lists its groups by id in group_id.
type MessageContact struct {
	// FirstName is the new contact's first name ("firstname"); "" lets
	// the server use the phone number.
	FirstName string `json:"firstname,omitempty"`
	// LastName is the new contact's last name ("lastname").
	LastName string `json:"lastname,omitempty"`
	// Email is the new contact's email address.
	Email string `json:"email,omitempty"`
	// Country is the country's name or code, as a string.
	Country string `json:"country,omitempty"`
	// AssignedID is the id of the staff member the contact is assigned to.
	AssignedID int64 `json:"assigned_id,omitempty"`
	// GroupNames are group names (not ids), sent as "groups": "a,b";
	// unknown names are created. A name must not contain a comma.
	GroupNames []string `json:"-"`
}

// MarshalJSON writes the contact with its groups as one comma-separated
// string, as the API takes them.
func (c MessageContact) MarshalJSON() ([]byte, error) {
	type plain MessageContact
	return json.Marshal(struct {
		plain
		Groups *string `json:"groups,omitempty"`
	}{plain(c), joinGroups(c.GroupNames)})
}

func (c *MessageContact) validate() error {
	if c == nil {
		return nil
	}
	return nested("contact",
		optionalID("assigned_id", c.AssignedID),
		groupNames("groups", c.GroupNames),
	)
}

// ReplyButton is one reply button of an interactive message.
type ReplyButton struct {
	// ID comes back in the webhook when the button is pressed; at most 256
	// characters.
	ID string `json:"id"`
	// Title is the button's label; at most 20 characters.
	Title string `json:"title"`
}

// TextMessage is a plain text message.
type TextMessage struct {
	// PhoneNumber is the recipient in E.164 form, such as "+14155552671".
	PhoneNumber string
	// Body is the text (message_body), at most 4096 characters.
	Body string
	// Contact creates the contact when the number is not one yet; optional.
	Contact *MessageContact
}

// ButtonsMessage is an interactive message with one to three reply buttons
// (message_type "interactive").
type ButtonsMessage struct {
	// PhoneNumber is the recipient in E.164 form, such as "+14155552671".
	PhoneNumber string
	// Body is the text (message_body), at most 4096 characters.
	Body string
	// Header and Footer are optional, at most 60 characters each.
	Header, Footer string
	// Buttons are the 1 to 3 reply buttons.
	Buttons []ReplyButton
	// Contact creates the contact when the number is not one yet; optional.
	Contact *MessageContact
}

// CTAMessage is a message with one call-to-action button that opens a URL
// (message_type "cta_url").
type CTAMessage struct {
	// PhoneNumber is the recipient in E.164 form, such as "+14155552671".
	PhoneNumber string
	// Body is the text (message_body), at most 4096 characters.
	Body string
	// Header and Footer are optional, at most 60 characters each.
	Header, Footer string
	// ButtonText is the button's label (button_text), at most 20 characters.
	ButtonText string
	// ButtonURL is the http(s) URL the button opens (button_url).
	ButtonURL string
	// Contact creates the contact when the number is not one yet; optional.
	Contact *MessageContact
}

// Message types of POST /messages/send.
const (
	messageTypeText        = "text"
	messageTypeInteractive = "interactive"
	messageTypeCTA         = "cta_url"
)

// sendBody is the JSON body of POST /messages/send, for every message type.
type sendBody struct {
	PhoneNumber string          `json:"phone_number"`
	MessageBody string          `json:"message_body"`
	MessageType string          `json:"message_type"`
	Header      string          `json:"header,omitempty"`
	Footer      string          `json:"footer,omitempty"`
	Buttons     []ReplyButton   `json:"buttons,omitempty"`
	ButtonText  string          `json:"button_text,omitempty"`
	ButtonURL   string          `json:"button_url,omitempty"`
	Contact     *MessageContact `json:"contact,omitempty"`
}

func (b *sendBody) validate() error {
	var kind error // the rules of the message type
	switch b.MessageType {
	case messageTypeInteractive:
		kind = replyButtons(b.Buttons)
	case messageTypeCTA:
		kind = check(text("button_text", b.ButtonText, 1, maxButtonTitle), httpURL("button_url", b.ButtonURL, true))
	}
	return check(
		text("phone_number", b.PhoneNumber, 1, 0),
		text("message_body", b.MessageBody, 1, maxMessageBody),
		text("header", b.Header, 0, maxHeaderFooter),
		text("footer", b.Footer, 0, maxHeaderFooter),
		b.Contact.validate(),
		kind,
	)
}

// replyButtons checks the buttons of an interactive message.
func replyButtons(buttons []ReplyButton) error {
	return check(
		refuseIf(len(buttons) < 1 || len(buttons) > maxReplyButtons,
			"buttons", "takes 1 to %d buttons, got %d", maxReplyButtons, len(buttons)),
		each(buttons, func(i int, b ReplyButton) error {
			return nested("buttons["+strconv.Itoa(i)+"]",
				text("id", b.ID, 1, maxButtonID),
				text("title", b.Title, 1, maxButtonTitle),
			)
		}),
	)
}

// SendResult is the answer to a text, interactive, CTA or media send.
type SendResult struct {
	// MessageID is WhatsApp's id ("wamid.…"), the key of Status.
	MessageID string `json:"message_id"`
	// ContactID is the id of the recipient contact ("contact_id").
	ContactID int64 `json:"contact_id"`
	// Phone is the recipient contact's number.
	Phone string `json:"phone"`
	// Status is "sent": delivery is reported later by Status and webhooks.
	Status string `json:"status"`
	// SentAt is when the message was sent ("sent_at", UTC; sent as
	// ISO-8601 or as "2026-04-08 14:30:25").
	SentAt Time `json:"sent_at"`
	// ChatID is the id of the workspace's conversation with the contact
	// ("chat_id").
	ChatID int64 `json:"chat_id"`
	// ContactCreated is true when the number was not a contact and one was
	// created for it.
	ContactCreated bool `json:"contact_created"`
	// Message is the text sent (text sends only).
	Message string `json:"message"`
}

// UnmarshalJSON reads the answer, taking contact_created as true/false or
// 0/1.
func (r *SendResult) UnmarshalJSON(data []byte) error {
	type plain SendResult
	return json.Unmarshal(data, &struct {
		*plain
		ContactCreated boolInto `json:"contact_created"`
	}{(*plain)(r), boolInto{&r.ContactCreated}})
}

// SendText sends a plain text message.
//
// POST /messages/send (message_type "text"); ability messages.send. A send
// is not retried once it may have reached the server, except after a 429.
func (s *MessagesService) SendText(ctx context.Context, m *TextMessage) (*SendResult, *Response, error) {
	if m == nil {
		return nil, nil, nilBody()
	}
	return s.send(ctx, &sendBody{
		PhoneNumber: m.PhoneNumber, MessageBody: m.Body, MessageType: messageTypeText, Contact: m.Contact,
	})
}

// SendButtons sends an interactive message with one to three reply buttons.
//
// POST /messages/send (message_type "interactive"); ability messages.send.
func (s *MessagesService) SendButtons(ctx context.Context, m *ButtonsMessage) (*SendResult, *Response, error) {
	if m == nil {
		return nil, nil, nilBody()
	}
	return s.send(ctx, &sendBody{
		PhoneNumber: m.PhoneNumber, MessageBody: m.Body, MessageType: messageTypeInteractive,
		Header: m.Header, Footer: m.Footer, Buttons: m.Buttons, Contact: m.Contact,
	})
}

// SendCTA sends a message with a call-to-action button that opens a URL.
//
// POST /messages/send (message_type "cta_url"); ability messages.send.
func (s *MessagesService) SendCTA(ctx context.Context, m *CTAMessage) (*SendResult, *Response, error) {
	if m == nil {
		return nil, nil, nilBody()
	}
	return s.send(ctx, &sendBody{
		PhoneNumber: m.PhoneNumber, MessageBody: m.Body, MessageType: messageTypeCTA,
		Header: m.Header, Footer: m.Footer, ButtonText: m.ButtonText, ButtonURL: m.ButtonURL, Contact: m.Contact,
	})
}

func (s *MessagesService) send(ctx context.Context, b *sendBody) (*SendResult, *Response, error) {
	if err := b.validate(); err != nil {
		return nil, nil, err
	}
	return doInto[SendResult](ctx, s.client, http.MethodPost, "messages/send", b)
}

// TemplateMessage is a send of an approved WhatsApp template. Header media
// go by URL or as an uploaded file, at most one of the six header fields.
type TemplateMessage struct {
	// PhoneNumber is the recipient, 8 to 15 characters.
	PhoneNumber string
	// TemplateName and TemplateLanguage (2 to 10 characters, such as
	// "en_US") name an APPROVED template of the workspace.
	TemplateName, TemplateLanguage string
	// FromPhoneNumberID picks the sending WhatsApp number; optional.
	FromPhoneNumberID string

	// Header media by URL (header_image_url, header_video_url,
	// header_document_url) …
	HeaderImageURL, HeaderVideoURL, HeaderDocumentURL string
	// … or by upload (header_image_file ≤ 5120 KB, header_video_file
	// ≤ 16384 KB, header_document_file ≤ 102400 KB). A file makes the
	// request multipart/form-data.
	HeaderImageFile, HeaderVideoFile, HeaderDocumentFile *Upload
	// HeaderDocumentName is the document's file name shown to the
	// recipient, at most 255 characters.
	HeaderDocumentName string

	// HeaderParam is the variable of a text header (header_field_1).
	HeaderParam string
	// BodyParams fill the body's {{1}}…{{10}} (field_1…field_10). Empty
	// entries are not sent.
	BodyParams []string
	// ButtonParams fill the variable parts of URL and phone buttons by
	// button position (button_0…button_2). Empty entries are not sent, so
	// []string{"", "ABC"} sets button_1 only.
	ButtonParams []string
	// CopyCode is the code of a copy-code button, at most 100 characters.
	CopyCode string

	// Contact creates the contact when the number is not one yet; optional.
	Contact *MessageContact
}

// headerMedia lists the six header media fields in contract order.
func (m *TemplateMessage) headerMedia() []mediaField {
	return []mediaField{
		{name: "header_image_url", url: m.HeaderImageURL},
		{name: "header_image_file", file: m.HeaderImageFile, limitKB: maxHeaderImageKB},
		{name: "header_video_url", url: m.HeaderVideoURL},
		{name: "header_video_file", file: m.HeaderVideoFile, limitKB: maxHeaderVideoKB},
		{name: "header_document_url", url: m.HeaderDocumentURL},
		{name: "header_document_file", file: m.HeaderDocumentFile, limitKB: maxHeaderDocKB},
	}
}

// validate checks the message and returns its header media (a zero
// mediaField when there is none).
func (m *TemplateMessage) validate() (mediaField, error) {
	if m == nil {
		return mediaField{}, nilBody()
	}
	media, mediaErr := oneMedia(m.headerMedia(), false)
	return media, check(
		text("phone_number", m.PhoneNumber, templatePhoneMin, templatePhoneMax),
		text("template_name", m.TemplateName, 1, 0),
		text("template_language", m.TemplateLanguage, templateLanguageMin, templateLanguageMax),
		text("header_document_name", m.HeaderDocumentName, 0, maxFileName),
		text("copy_code", m.CopyCode, 0, maxCopyCode),
		atMost("field_", 1, m.BodyParams, maxBodyParams),
		atMost("button_", 0, m.ButtonParams, maxButtonParams),
		m.Contact.validate(),
		mediaErr,
	)
}

// mediaField is one way of giving media: a URL or an upload with its
// size limit (0: none known).
type mediaField struct {
	name    string
	url     string
	file    *Upload
	limitKB int64
	size    int64 // the file's size, -1 when unknown; set by oneMedia
}

func (f mediaField) set() bool { return f.url != "" || f.file != nil }

// TemplateResult is the answer to a template send.
type TemplateResult struct {
	// Contact is the recipient contact.
	Contact TemplateContact `json:"contact"`
	// Template describes the template sent.
	Template TemplateSent `json:"template"`
	// WhatsAppResponse is WhatsApp's answer ("whatsapp_response"); it
	// holds the message id, which MessageID returns.
	WhatsAppResponse WhatsAppResponse `json:"whatsapp_response"`
	// MediaInfo describes the header media; nil when there was none.
	MediaInfo *MediaInfo `json:"media_info"`
}

// MessageID is the sent message's WhatsApp id
// (whatsapp_response.messages[0].id), or "" when the answer holds none.
func (r *TemplateResult) MessageID() string {
	if r == nil || len(r.WhatsAppResponse.Messages) == 0 {
		return ""
	}
	return r.WhatsAppResponse.Messages[0].ID
}

// TemplateContact is the recipient contact of a template send. Its name
// fields are first_name and last_name here, unlike on Contact.
type TemplateContact struct {
	// ID is the contact's id, as in Contact.ID.
	ID int64 `json:"id"`
	// Phone is the contact's number.
	Phone string `json:"phone"`
	// FirstName is the contact's first name ("first_name").
	FirstName string `json:"first_name"`
	// LastName is the contact's last name ("last_name"); "" when unset.
	LastName string `json:"last_name"`
	// Email is the contact's email address; "" when unset.
	Email string `json:"email"`
	// Created is true when the contact was created by this send.
	Created bool `json:"created"`
}

// UnmarshalJSON reads the contact, taking created as true/false or 0/1.
func (c *TemplateContact) UnmarshalJSON(data []byte) error {
	type plain TemplateContact
	return json.Unmarshal(data, &struct {
		*plain
		Created boolInto `json:"created"`
	}{(*plain)(c), boolInto{&c.Created}})
}

// TemplateSent describes the template that was sent.
type TemplateSent struct {
	// TemplateName is the name of the template sent ("template_name").
	TemplateName string `json:"template_name"`
	// Language is the template's language code, such as "en_US".
	Language string `json:"language"`
	// Sent reports whether the template was sent (true on success).
	Sent bool `json:"sent"`
	// HeaderFormat is TEXT, IMAGE, VIDEO or DOCUMENT; "" without a header.
	HeaderFormat string `json:"header_format"`
	// HasMedia reports whether the send carried header media
	// ("has_media"); MediaInfo then describes it.
	HasMedia bool `json:"has_media"`
}

// UnmarshalJSON reads the template, taking sent and has_media as
// true/false or 0/1.
func (t *TemplateSent) UnmarshalJSON(data []byte) error {
	type plain TemplateSent
	return json.Unmarshal(data, &struct {
		*plain
		Sent     boolInto `json:"sent"`
		HasMedia boolInto `json:"has_media"`
	}{(*plain)(t), boolInto{&t.Sent}, boolInto{&t.HasMedia}})
}

// WhatsAppResponse is WhatsApp Cloud API's answer, passed through.
type WhatsAppResponse struct {
	// MessagingProduct is always "whatsapp" ("messaging_product").
	MessagingProduct string `json:"messaging_product"`
	// Contacts lists the recipient: its number as given and its WhatsApp id.
	Contacts []WhatsAppContact `json:"contacts"`
	// Messages lists the message created; the first one's ID is the
	// message id (see TemplateResult.MessageID).
	Messages []WhatsAppMessage `json:"messages"`
}

// WhatsAppContact is one recipient in a WhatsAppResponse.
type WhatsAppContact struct {
	// Input is the phone number as given in the request.
	Input string `json:"input"`
	// WaID is the recipient's WhatsApp id ("wa_id"): the number's digits,
	// without "+".
	WaID string `json:"wa_id"`
}

// WhatsAppMessage is one message in a WhatsAppResponse.
type WhatsAppMessage struct {
	// ID is the message's WhatsApp id ("wamid.…"), the key of
	// MessagesService.Status.
	ID string `json:"id"`
}

// MediaInfo describes the header media of a template send.
type MediaInfo struct {
	// Filename is the header media's file name.
	Filename string `json:"filename"`
	// MediaURL is where the header media is ("media_url"): the URL given,
	// or where the server stored the uploaded file.
	MediaURL string `json:"media_url"`
	// MediaType is the kind of header media ("media_type"), such as
	// "image", "video" or "document".
	MediaType string `json:"media_type"`
}

// SendTemplate sends an approved template with its variables. The request is
// JSON, or multipart/form-data when a header file is uploaded; an upload
// from an *os.File is streamed, not loaded into memory.
//
// POST /messages/template; ability messages.send. An unknown or unapproved
// template answers ErrValidation with Fields["template"]; missing variables
// answer ErrValidation with Fields["template_fields"].
func (s *MessagesService) SendTemplate(ctx context.Context, m *TemplateMessage) (*TemplateResult, *Response, error) {
	media, err := m.validate()
	if err != nil {
		return nil, nil, err
	}

	p := formParams{}
	p.set("phone_number", m.PhoneNumber)
	p.set("template_name", m.TemplateName)
	p.set("template_language", m.TemplateLanguage)
	p.set("from_phone_number_id", m.FromPhoneNumberID)
	p.set(media.name, media.url)
	p.set("header_document_name", m.HeaderDocumentName)
	p.set("header_field_1", m.HeaderParam)
	for i, v := range m.BodyParams {
		p.set("field_"+strconv.Itoa(i+1), v)
	}
	for i, v := range m.ButtonParams {
		p.set("button_"+strconv.Itoa(i), v)
	}
	p.set("copy_code", m.CopyCode)
	if m.Contact != nil {
		p["contact"] = m.Contact
	}
	body, err := formPayload(p, media)
	if err != nil {
		return nil, nil, err
	}
	return doInto[TemplateResult](ctx, s.client, http.MethodPost, "messages/template", body)
}

// MediaType is the kind of a media message.
type MediaType string

// Media types of SendMedia.
const (
	MediaImage    MediaType = "image"    // a picture, with an optional caption
	MediaDocument MediaType = "document" // a file; MediaMessage.Filename names it
	MediaVideo    MediaType = "video"    // a video, with an optional caption
	MediaAudio    MediaType = "audio"    // a sound file; takes no caption
)

// MediaMessage is an image, document, video or audio message, by URL or by
// upload (exactly one of MediaURL and MediaFile).
type MediaMessage struct {
	// PhoneNumber is the recipient, 10 to 15 characters.
	PhoneNumber string
	// MediaType is the kind of media ("media_type"), required.
	MediaType MediaType
	// MediaURL is an http(s) URL the server fetches the media from.
	MediaURL string
	// MediaFile is uploaded as media_file (multipart/form-data). The API
	// states no size limit for it: a body larger than the server takes
	// answers ErrTooLarge.
	MediaFile *Upload
	// Caption is at most 1024 characters; audio takes none.
	Caption string
	// Filename is the name shown for a document, at most 255 characters.
	Filename string
	// Contact creates the contact when the number is not one yet; optional.
	Contact *MessageContact
}

// validate checks the message and returns its media.
func (m *MediaMessage) validate() (mediaField, error) {
	if m == nil {
		return mediaField{}, nilBody()
	}
	media, mediaErr := oneMedia([]mediaField{
		{name: "media_url", url: m.MediaURL},
		{name: "media_file", file: m.MediaFile},
	}, true)
	return media, check(
		text("phone_number", m.PhoneNumber, mediaPhoneMin, mediaPhoneMax),
		oneOf("media_type", string(m.MediaType), true, string(MediaImage), string(MediaDocument), string(MediaVideo), string(MediaAudio)),
		text("caption", m.Caption, 0, maxCaption),
		text("filename", m.Filename, 0, maxFileName),
		m.Contact.validate(),
		mediaErr,
		httpURL("media_url", m.MediaURL, false),
		refuseIf(m.MediaType == MediaAudio && m.Caption != "", "caption", "audio messages take no caption"),
	)
}

// SendMedia sends an image, document, video or audio message. The request
// is JSON with media_url, or multipart/form-data with an uploaded
// media_file; an upload from an *os.File is streamed, not loaded into
// memory.
//
// POST /messages/media; ability messages.send.
func (s *MessagesService) SendMedia(ctx context.Context, m *MediaMessage) (*SendResult, *Response, error) {
	media, err := m.validate()
	if err != nil {
		return nil, nil, err
	}

	p := formParams{}
	p.set("phone_number", m.PhoneNumber)
	p.set("media_type", string(m.MediaType))
	p.set("media_url", m.MediaURL)
	p.set("caption", m.Caption)
	p.set("filename", m.Filename)
	if m.Contact != nil {
		p["contact"] = m.Contact
	}
	body, err := formPayload(p, media)
	if err != nil {
		return nil, nil, err
	}
	return doInto[SendResult](ctx, s.client, http.MethodPost, "messages/media", body)
}

// formParams are the fields of a send that goes as JSON, or as
// multipart/form-data when it carries a file.
type formParams map[string]any

// set records a string field; empty strings are left out.
func (p formParams) set(name, value string) {
	if name != "" && value != "" {
		p[name] = value
	}
}

// formPayload encodes params as JSON, or, when media holds a file, as
// multipart/form-data with the file streamed in media.name. The form
// fields are derived from the JSON encoding, so both carry the same names;
// nested objects become name[key] fields.
func formPayload(params formParams, media mediaField) (*payload, error) {
	body, err := jsonPayload(params)
	if err != nil || media.file == nil {
		return body, err
	}
	fields, err := formFields(body.data)
	if err != nil {
		return nil, err
	}
	if body, err = multipartPayload(fields, media.name, media.file, media.size); err != nil {
		return nil, fmt.Errorf("xobito: building form: %w", err)
	}
	return body, nil
}

// formFields flattens a JSON object into form fields in name order:
// strings and numbers as they are, an object's members as name[key]; nulls
// are left out.
func formFields(data []byte) ([]formField, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, fmt.Errorf("xobito: building form: %w", err)
	}
	var fields []formField
	var walk func(prefix string, obj map[string]any) error
	walk = func(prefix string, obj map[string]any) error {
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			name := k
			if prefix != "" {
				name = prefix + "[" + k + "]"
			}
			switch v := obj[k].(type) {
			case nil:
			case string:
				fields = append(fields, formField{name, v})
			case json.Number:
				fields = append(fields, formField{name, v.String()})
			case map[string]any:
				if err := walk(name, v); err != nil {
					return err
				}
			default:
				return fmt.Errorf("xobito: building form: field %s has an unsupported type %T", name, v)
			}
		}
		return nil
	}
	return fields, walk("", obj)
}

// DeliveryStatus is a message's delivery state.
type DeliveryStatus string

// Delivery states of a message.
const (
	DeliveryPending   DeliveryStatus = "pending"   // queued, not yet sent
	DeliverySent      DeliveryStatus = "sent"      // accepted by WhatsApp
	DeliveryDelivered DeliveryStatus = "delivered" // reached the recipient's device
	DeliveryRead      DeliveryStatus = "read"      // read by the recipient
	DeliveryFailed    DeliveryStatus = "failed"    // not delivered; see MessageStatus.ErrorMessage
)

// MessageStatus is the delivery status of a sent message.
type MessageStatus struct {
	// MessageID is the message's WhatsApp id ("wamid.…").
	MessageID string `json:"message_id"`
	// DeliveryStatus is the message's current state ("delivery_status").
	DeliveryStatus DeliveryStatus `json:"delivery_status"`
	// ErrorMessage says why delivery failed; nil unless DeliveryStatus is
	// failed (such as "Message outside 24-hour window").
	ErrorMessage *string `json:"error_message"`
	// Source is where the message was recorded ("chat").
	Source string `json:"source"`
	// LastUpdated is when the status was last updated ("last_updated").
	LastUpdated Time `json:"last_updated"`
	// Statuses maps each delivery status to a one-line description.
	Statuses map[DeliveryStatus]string `json:"statuses"`
}

// Status reads the delivery status of a sent message by its WhatsApp id
// ("wamid.…"). The id is escaped as one path segment.
//
// GET /messages/{message_id}/status; ability messages.send. An unknown id
// answers ErrNotFound.
func (s *MessagesService) Status(ctx context.Context, messageID string) (*MessageStatus, *Response, error) {
	if err := text("message_id", messageID, 1, 0); err != nil {
		return nil, nil, err
	}
	return doInto[MessageStatus](ctx, s.client, http.MethodGet, "messages/"+pathSegment(messageID)+"/status", nil)
}

// pathSegment percent-encodes every byte outside RFC 3986's unreserved
// characters, so that s stays one path segment whatever it holds (a wamid
// carries "=", "+" and "/"). The segments "." and ".." are encoded whole.
func pathSegment(s string) string {
	if s == "." || s == ".." {
		return strings.Repeat("%2E", len(s))
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// oneMedia checks that at most one of fields is given (exactly one when
// required) and that a file is named, readable and, when its size is known,
// within its limit. It returns the field given, or a zero mediaField.
func oneMedia(fields []mediaField, required bool) (mediaField, error) {
	var got mediaField
	for _, f := range fields {
		if !f.set() {
			continue
		}
		if got.name != "" {
			return mediaField{}, invalid(f.name, "give only one of %s", mediaNames(fields))
		}
		got = f
	}
	switch {
	case got.name == "" && required:
		return got, invalid(fields[0].name, "one of %s is required", mediaNames(fields))
	case got.file == nil:
		return got, nil
	case strings.TrimSpace(got.file.Name) == "":
		return got, invalid(got.name, "needs a Name: the server ignores an unnamed file")
	case got.file.Content == nil:
		return got, invalid(got.name, "has no Content")
	}
	var err error
	got.size, err = got.file.size()
	switch {
	case err != nil:
		return got, invalid(got.name, "cannot be measured: %v", err)
	case got.limitKB > 0 && got.size > got.limitKB<<10:
		return got, invalid(got.name, "is %d bytes; the API takes at most %d KB", got.size, got.limitKB)
	}
	return got, nil
}

func mediaNames(fields []mediaField) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}
