package xobito

import (
	"context"
	"encoding/json"
	"iter"
	"strconv"
	"strings"
)

// ReplyType says when a bot answers ("reply_type").
type ReplyType int

// The reply types of template and message bots.
const (
	ReplyExactMatch   ReplyType = 1 // the message is one of the trigger keywords
	ReplyContains     ReplyType = 2 // the message contains a trigger keyword
	ReplyFirstMessage ReplyType = 3 // the contact's first message
	ReplyFallback     ReplyType = 4 // when no other bot answered
)

// UnmarshalJSON reads a number or a numeric string.
func (r *ReplyType) UnmarshalJSON(data []byte) error {
	var n flexInt
	err := n.UnmarshalJSON(data)
	*r = ReplyType(n)
	return err
}

// TemplateBot answers incoming messages with a WhatsApp template.
type TemplateBot struct {
	// ID is the bot's id in the workspace.
	ID int64 `json:"id"`
	// TenantID is the id of the workspace that owns the bot.
	TenantID int64 `json:"tenant_id"`
	// Name is the bot's name as shown on the dashboard.
	Name string `json:"name"`
	// RelType is the kind of contact the bot answers: "lead" or "customer".
	RelType string `json:"rel_type"`
	// ReplyType says when the bot answers ("reply_type", 1 to 4).
	ReplyType ReplyType `json:"reply_type"`
	// Trigger holds the comma-separated keywords of ReplyExactMatch and
	// ReplyContains.
	Trigger string `json:"trigger"`
	// TemplateID is Meta's id of the template sent.
	TemplateID string `json:"template_id"`
	// HeaderParams is "header_params": a string holding JSON, such as
	// "[]"; decode it with json.Unmarshal when needed.
	HeaderParams string `json:"header_params"`
	// BodyParams is "body_params", a string holding JSON like HeaderParams.
	BodyParams string `json:"body_params"`
	// FooterParams is "footer_params", a string holding JSON like
	// HeaderParams.
	FooterParams string `json:"footer_params"`
	// Filename is the header media file the bot sends; "" when none.
	Filename string `json:"filename"`
	// IsBotActive reports whether the bot answers ("is_bot_active", sent
	// as 0/1 or true/false).
	IsBotActive bool `json:"is_bot_active"`
	// SendingCount is how many times the bot has answered
	// ("sending_count", a number or a numeric string).
	SendingCount int `json:"sending_count"`
	// CreatedAt is when the bot was created.
	CreatedAt Time `json:"created_at"`
	// UpdatedAt is when the bot was last changed.
	UpdatedAt Time `json:"updated_at"`
}

// UnmarshalJSON reads a template bot, taking template_id as a string or a
// number, the params as strings or as JSON values (kept as their text) and
// is_bot_active as true/false or 0/1.
func (b *TemplateBot) UnmarshalJSON(data []byte) error {
	type plain TemplateBot
	aux := struct {
		*plain
		TemplateID   flexString `json:"template_id"`
		HeaderParams flexString `json:"header_params"`
		BodyParams   flexString `json:"body_params"`
		FooterParams flexString `json:"footer_params"`
		SendingCount flexInt    `json:"sending_count"`
		IsBotActive  boolInto   `json:"is_bot_active"`
	}{plain: (*plain)(b), IsBotActive: boolInto{&b.IsBotActive}}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	b.TemplateID, b.HeaderParams = string(aux.TemplateID), string(aux.HeaderParams)
	b.BodyParams, b.FooterParams = string(aux.BodyParams), string(aux.FooterParams)
	b.SendingCount = int(aux.SendingCount)
	return nil
}

// MessageBot answers incoming messages with a text, optionally with reply
// buttons or one call-to-action URL button.
type MessageBot struct {
	// ID is the bot's id in the workspace.
	ID int64 `json:"id"`
	// TenantID is the id of the workspace that owns the bot.
	TenantID int64 `json:"tenant_id"`
	// Name is the bot's name as shown on the dashboard.
	Name string `json:"name"`
	// RelType is the kind of contact the bot answers: "lead" or "customer".
	RelType string `json:"rel_type"`
	// ReplyType says when the bot answers ("reply_type", 1 to 4).
	ReplyType ReplyType `json:"reply_type"`
	// Trigger holds the comma-separated keywords of ReplyExactMatch and
	// ReplyContains.
	Trigger string `json:"trigger"`
	// ReplyText is the text the bot sends ("reply_text").
	ReplyText string `json:"reply_text"`
	// BotHeader is the header above the reply ("bot_header"); "" when none.
	BotHeader string `json:"bot_header"`
	// BotFooter is the footer below the reply ("bot_footer"); "" when none.
	BotFooter string `json:"bot_footer"`
	// Button1 is the title of the first reply button; "" when none.
	Button1 string `json:"button1"`
	// Button1ID is the id of the first reply button ("button1_id").
	Button1ID string `json:"button1_id"`
	// Button2 is the title of the second reply button; "" when none.
	Button2 string `json:"button2"`
	// Button2ID is the id of the second reply button ("button2_id").
	Button2ID string `json:"button2_id"`
	// Button3 is the title of the third reply button; "" when none.
	Button3 string `json:"button3"`
	// Button3ID is the id of the third reply button ("button3_id").
	Button3ID string `json:"button3_id"`
	// ButtonName is the label of the call-to-action button
	// ("button_name"); "" when the bot has none.
	ButtonName string `json:"button_name"`
	// ButtonURL is the URL the call-to-action button opens ("button_url").
	ButtonURL string `json:"button_url"`
	// Filename is the media file sent with the reply; "" when none.
	Filename string `json:"filename"`
	// AddedFrom is the id of the staff member who made the bot
	// ("addedfrom", a number or a numeric string).
	AddedFrom int64 `json:"addedfrom"`
	// IsBotActive reports whether the bot answers ("is_bot_active", sent
	// as true/false or 0/1).
	IsBotActive bool `json:"is_bot_active"`
	// SendingCount is how many times the bot has answered
	// ("sending_count", a number or a numeric string).
	SendingCount int `json:"sending_count"`
	// CreatedAt is when the bot was created.
	CreatedAt Time `json:"created_at"`
	// UpdatedAt is when the bot was last changed.
	UpdatedAt Time `json:"updated_at"`
}

// UnmarshalJSON reads a message bot, taking is_bot_active as true/false or
// 0/1, and sending_count and addedfrom as numbers or numeric strings.
func (b *MessageBot) UnmarshalJSON(data []byte) error {
	type plain MessageBot
	aux := struct {
		*plain
		AddedFrom    flexInt  `json:"addedfrom"`
		SendingCount flexInt  `json:"sending_count"`
		IsBotActive  boolInto `json:"is_bot_active"`
	}{plain: (*plain)(b), IsBotActive: boolInto{&b.IsBotActive}}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	b.AddedFrom, b.SendingCount = int64(aux.AddedFrom), int(aux.SendingCount)
	return nil
}

// MessageBotCreateRequest is the body of MessageBots.Create. A bot has
// reply buttons (Button1..3) or one call-to-action button (ButtonName and
// ButtonURL), not both.
type MessageBotCreateRequest struct {
	Name      string    `json:"name"`       // required, 3 to 100 characters
	RelType   string    `json:"rel_type"`   // required: ContactLead or ContactCustomer
	ReplyText string    `json:"reply_text"` // required, at most 1024 characters
	ReplyType ReplyType `json:"reply_type"` // required, 1 to 4
	// Trigger holds comma-separated keywords, required for
	// ReplyExactMatch and ReplyContains.
	Trigger   string `json:"trigger,omitempty"`
	BotHeader string `json:"bot_header,omitempty"` // at most 60 characters
	BotFooter string `json:"bot_footer,omitempty"` // at most 60 characters
	// Button1 is the title of the first reply button, at most 20
	// characters.
	Button1 string `json:"button1,omitempty"`
	// Button1ID is the id of the first reply button, at most 256
	// characters; it needs Button1.
	Button1ID string `json:"button1_id,omitempty"`
	// Button2 is the title of the second reply button, at most 20
	// characters.
	Button2 string `json:"button2,omitempty"`
	// Button2ID is the id of the second reply button, at most 256
	// characters; it needs Button2.
	Button2ID string `json:"button2_id,omitempty"`
	// Button3 is the title of the third reply button, at most 20
	// characters.
	Button3 string `json:"button3,omitempty"`
	// Button3ID is the id of the third reply button, at most 256
	// characters; it needs Button3.
	Button3ID string `json:"button3_id,omitempty"`
	// ButtonName is the label of the call-to-action button, at most 20
	// characters; required when ButtonURL is set.
	ButtonName string `json:"button_name,omitempty"`
	// ButtonURL is the http(s) URL the call-to-action button opens, at
	// most 255 characters; required when ButtonName is set.
	ButtonURL string `json:"button_url,omitempty"`
	// IsBotActive: nil leaves the server's default (active).
	IsBotActive *bool `json:"is_bot_active,omitempty"`
}

func (r *MessageBotCreateRequest) validate() error {
	if r == nil {
		return nilBody()
	}
	keywords := r.ReplyType == ReplyExactMatch || r.ReplyType == ReplyContains
	cta := r.ButtonName != "" || r.ButtonURL != ""
	replies := r.Button1 != "" || r.Button2 != "" || r.Button3 != ""
	return check(
		text("name", r.Name, 3, 100),
		oneOf("rel_type", r.RelType, true, ContactLead, ContactCustomer),
		text("reply_text", r.ReplyText, 1, 1024),
		r.ReplyType.validate(),
		text("bot_header", r.BotHeader, 0, 60),
		text("bot_footer", r.BotFooter, 0, 60),
		text("button_name", r.ButtonName, 0, 20),
		text("button_url", r.ButtonURL, 0, 255),
		refuseIf(keywords && strings.TrimSpace(r.Trigger) == "", "trigger", "is required for reply types 1 and 2"),
		replyButton(1, r.Button1, r.Button1ID),
		replyButton(2, r.Button2, r.Button2ID),
		replyButton(3, r.Button3, r.Button3ID),
		refuseIf(cta && replies, "button_name", "a call-to-action button cannot be combined with reply buttons"),
		refuseIf(r.ButtonName == "" && r.ButtonURL != "", "button_name", "is required with button_url"),
		httpURL("button_url", r.ButtonURL, r.ButtonName != ""),
	)
}

// replyButton checks reply button n of a message bot: buttonN, its title,
// and buttonN_id.
func replyButton(n int, title, id string) error {
	name := "button" + strconv.Itoa(n)
	return check(
		text(name, title, 0, 20),
		text(name+"_id", id, 0, 256),
		refuseIf(title == "" && id != "", name, "is required when %s_id is given", name),
	)
}

func (r ReplyType) validate() error {
	return refuseIf(r < ReplyExactMatch || r > ReplyFallback, "reply_type", "must be 1 to 4, got %d", int(r))
}

const (
	templateBotsPath endpoint[TemplateBot] = "templatebots"
	messageBotsPath  endpoint[MessageBot]  = "messagebots"
)

// List returns one page of template bots: GET /templatebots, ability
// templatebots.read.
func (s *TemplateBotsService) List(ctx context.Context, opts *ListOptions) ([]TemplateBot, *Response, error) {
	return templateBotsPath.list(ctx, s.client, opts)
}

// All walks every template bot from opts.Page on: GET /templatebots,
// ability templatebots.read.
func (s *TemplateBotsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[TemplateBot, error] {
	return templateBotsPath.all(ctx, s.client, opts)
}

// Get returns one template bot: GET /templatebots/{id}, ability
// templatebots.read.
func (s *TemplateBotsService) Get(ctx context.Context, id int64) (*TemplateBot, *Response, error) {
	return templateBotsPath.get(ctx, s.client, id)
}

// Delete removes a template bot: DELETE /templatebots/{id}, ability
// templatebots.delete.
func (s *TemplateBotsService) Delete(ctx context.Context, id int64) (*Response, error) {
	return templateBotsPath.delete(ctx, s.client, id)
}

// List returns one page of message bots: GET /messagebots, ability
// messagebots.read.
func (s *MessageBotsService) List(ctx context.Context, opts *ListOptions) ([]MessageBot, *Response, error) {
	return messageBotsPath.list(ctx, s.client, opts)
}

// All walks every message bot from opts.Page on: GET /messagebots, ability
// messagebots.read.
func (s *MessageBotsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[MessageBot, error] {
	return messageBotsPath.all(ctx, s.client, opts)
}

// Get returns one message bot: GET /messagebots/{id}, ability
// messagebots.read.
func (s *MessageBotsService) Get(ctx context.Context, id int64) (*MessageBot, *Response, error) {
	return messageBotsPath.get(ctx, s.client, id)
}

// Create adds a message bot: POST /messagebots, ability
// messagebots.create. The server answers 201.
func (s *MessageBotsService) Create(ctx context.Context, req *MessageBotCreateRequest) (*MessageBot, *Response, error) {
	return messageBotsPath.create(ctx, s.client, req.validate(), req)
}

// Delete removes a message bot: DELETE /messagebots/{id}, ability
// messagebots.delete.
func (s *MessageBotsService) Delete(ctx context.Context, id int64) (*Response, error) {
	return messageBotsPath.delete(ctx, s.client, id)
}
