package mockserver

import "strconv"

// templateBot is the contract's template bot (§5.4): its params are
// strings holding JSON, and is_bot_active is 0/1.
type templateBot struct {
	ID           int64   `json:"id"`
	TenantID     int64   `json:"tenant_id"`
	Name         string  `json:"name"`
	RelType      string  `json:"rel_type"`
	TemplateID   string  `json:"template_id"`
	HeaderParams string  `json:"header_params"`
	BodyParams   string  `json:"body_params"`
	FooterParams string  `json:"footer_params"`
	Filename     *string `json:"filename"`
	Trigger      *string `json:"trigger"`
	ReplyType    int64   `json:"reply_type"`
	IsBotActive  flag    `json:"is_bot_active"`
	SendingCount int64   `json:"sending_count"`
	CreatedAt    stamp   `json:"created_at"`
	UpdatedAt    stamp   `json:"updated_at"`
}

// messageBot is the contract's message bot (§5.4): is_bot_active is
// true/false.
type messageBot struct {
	ID           int64   `json:"id"`
	TenantID     int64   `json:"tenant_id"`
	Name         string  `json:"name"`
	RelType      string  `json:"rel_type"`
	ReplyText    string  `json:"reply_text"`
	ReplyType    int64   `json:"reply_type"`
	Trigger      *string `json:"trigger"`
	BotHeader    *string `json:"bot_header"`
	BotFooter    *string `json:"bot_footer"`
	Button1      *string `json:"button1"`
	Button1ID    *string `json:"button1_id"`
	Button2      *string `json:"button2"`
	Button2ID    *string `json:"button2_id"`
	Button3      *string `json:"button3"`
	Button3ID    *string `json:"button3_id"`
	ButtonName   *string `json:"button_name"`
	ButtonURL    *string `json:"button_url"`
	Filename     *string `json:"filename"`
	AddedFrom    int64   `json:"addedfrom"`
	IsBotActive  bool    `json:"is_bot_active"`
	SendingCount int64   `json:"sending_count"`
	CreatedAt    stamp   `json:"created_at"`
	UpdatedAt    stamp   `json:"updated_at"`
}

// saveMessageBot creates a message bot (POST /messagebots) with the
// dashboard form's rules (§5.4); message bots are never updated.
func saveMessageBot(s *Server, ws *Workspace, r *request, f *form, _ *messageBot) (*messageBot, *response) {
	b := &messageBot{ID: s.nextID(), TenantID: ws.tenantID, AddedFrom: 1, IsBotActive: true,
		CreatedAt: stamp(r.now), UpdatedAt: stamp(r.now)}
	name := f.text("name", true, 3, 100)
	rel := f.text("rel_type", true, 0, 0)
	f.oneOf("rel_type", rel, "lead", "customer")
	reply := f.text("reply_text", true, 0, 1024)
	replyType := f.integer("reply_type", true)
	if replyType != nil && (*replyType < 1 || *replyType > 4) {
		f.fail("reply_type", "The %s field must be between 1 and 4.")
	}
	b.Trigger = f.text("trigger", replyType != nil && *replyType <= 2, 0, 0)
	b.BotHeader = f.text("bot_header", false, 0, 60)
	b.BotFooter = f.text("bot_footer", false, 0, 60)
	buttons := []struct{ text, id **string }{{&b.Button1, &b.Button1ID}, {&b.Button2, &b.Button2ID}, {&b.Button3, &b.Button3ID}}
	replyButtons := false
	for i, bt := range buttons {
		n := strconv.Itoa(i + 1)
		*bt.text = f.text("button"+n, false, 0, 20)
		*bt.id = f.text("button"+n+"_id", false, 0, 256)
		replyButtons = replyButtons || !f.isNull("button"+n)
	}
	cta := "The %s field is prohibited when reply buttons are set."
	b.ButtonName = f.textIf("button_name", !replyButtons, cta, !f.isNull("button_url"), 20)
	b.ButtonURL = f.textIf("button_url", !replyButtons, cta, !f.isNull("button_name"), 255)
	f.httpURL("button_url", b.ButtonURL)
	if active := f.boolean("is_bot_active"); active != nil {
		b.IsBotActive = *active
	}
	if res := f.result(); res != nil {
		return nil, res
	}
	b.Name, b.RelType, b.ReplyText, b.ReplyType = *name, *rel, *reply, *replyType
	return b, nil
}

// seedBots gives a workspace template bots and message bots of every reply
// type.
func seedBots(ws *Workspace, now stamp) {
	str := func(s string) *string { return &s }
	templateID := func(name string) string {
		if t := ws.msg.templates.find(func(t *template) bool { return t.TemplateName == name }); t != nil {
			return t.TemplateID
		}
		return ""
	}
	for _, t := range []templateBot{
		{Name: "Welcome new leads", RelType: "lead", TemplateID: templateID("hello_world"),
			BodyParams: `[{"key":"1","value":"{contact_first_name}"}]`, ReplyType: 3, IsBotActive: true, SendingCount: 12},
		{Name: "Order status", RelType: "customer", TemplateID: templateID("order_update"),
			HeaderParams: `[{"key":"image","value":"https://cdn.example.com/templates/image/order_update"}]`,
			BodyParams:   `[{"key":"1","value":"{contact_first_name}"},{"key":"2","value":"{order_id}"}]`,
			Trigger:      str("order,tracking"), ReplyType: 2, IsBotActive: true, SendingCount: 4},
		{Name: "Invoice on request", RelType: "customer", TemplateID: templateID("invoice_ready"),
			Filename: str("invoice.pdf"), BodyParams: `[{"key":"1","value":"{invoice_number}"},{"key":"2","value":"{total}"}]`,
			Trigger: str("invoice"), ReplyType: 1},
	} {
		t.ID, t.TenantID, t.CreatedAt, t.UpdatedAt = ws.s.nextID(), ws.tenantID, now, now
		for _, p := range []*string{&t.HeaderParams, &t.BodyParams, &t.FooterParams} {
			*p = orDefault(*p, "[]")
		}
		ws.msg.templateBots.put(t.ID, &t)
	}
	for _, b := range []messageBot{
		{Name: "Opening hours", RelType: "lead", ReplyText: "We are open Monday to Friday, 9:00 to 17:00.",
			ReplyType: 1, Trigger: str("hours,opening hours"), IsBotActive: true, SendingCount: 31},
		{Name: "Pricing menu", RelType: "lead", ReplyText: "What would you like to know about our prices?",
			ReplyType: 2, Trigger: str("price,pricing"), BotHeader: str("Pricing"), BotFooter: str("Acme"),
			Button1: str("Plans"), Button1ID: str("pricing_plans"), Button2: str("Talk to sales"), Button2ID: str("pricing_sales"),
			IsBotActive: true, SendingCount: 8},
		{Name: "Welcome", RelType: "customer", ReplyText: "Welcome back! See what is new.",
			ReplyType: 3, ButtonName: str("What's new"), ButtonURL: str("https://shop.example.com/new"), IsBotActive: true},
		{Name: "Fallback", RelType: "lead", ReplyText: "Sorry, I did not get that. An agent will reply soon.", ReplyType: 4},
	} {
		b.ID, b.TenantID, b.AddedFrom, b.CreatedAt, b.UpdatedAt = ws.s.nextID(), ws.tenantID, 1, now, now
		ws.msg.messageBots.put(b.ID, &b)
	}
}
