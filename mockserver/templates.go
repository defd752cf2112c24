package mockserver

import (
	"encoding/json"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// template is the contract's template object (§5.3).
type template struct {
	ID                int64           `json:"id"`
	TenantID          int64           `json:"tenant_id"`
	TemplateID        string          `json:"template_id"`
	TemplateName      string          `json:"template_name"`
	Language          string          `json:"language"`
	Status            string          `json:"status"`
	Category          string          `json:"category"`
	HeaderDataFormat  *string         `json:"header_data_format"`
	HeaderDataText    *string         `json:"header_data_text"`
	HeaderParamsCount int             `json:"header_params_count"`
	BodyData          string          `json:"body_data"`
	BodyParamsCount   int             `json:"body_params_count"`
	FooterData        *string         `json:"footer_data"`
	FooterParamsCount int             `json:"footer_params_count"`
	ButtonsData       json.RawMessage `json:"buttons_data"`
	HeaderFileURL     *string         `json:"header_file_url"`
	CreatedAt         stamp           `json:"created_at"`
	UpdatedAt         stamp           `json:"updated_at"`
}

// mediaKinds are the header media a template send takes, in the order they
// are checked, with the header format that needs each.
var mediaKinds = []struct{ kind, format string }{
	{"image", "IMAGE"}, {"video", "VIDEO"}, {"document", "DOCUMENT"},
}

func listTemplates(_ *Server, ws *Workspace, r *request) response {
	return listTable(r, "templates", &ws.msg.templates, nil)
}

// seedTemplates gives a workspace templates in every status, with each
// header format, with and without variables and buttons.
func seedTemplates(ws *Workspace, now stamp) {
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	for i, t := range []struct {
		name, lang, status, category, header, headerText, body, footer, buttons string
	}{
		{"hello_world", "en_US", "APPROVED", "UTILITY", "", "", "Hello {{1}}, welcome to Acme!", "", ""},
		{"hello_world", "pt_BR", "APPROVED", "UTILITY", "", "", "Olá {{1}}, bem-vindo à Acme!", "", ""},
		{"appointment_reminder", "en_US", "APPROVED", "UTILITY", "TEXT", "Reminder for {{1}}",
			"Your appointment is on {{1}} at {{2}}. Reply to confirm.", "Acme Clinic",
			`[{"type":"QUICK_REPLY","text":"Confirm"},{"type":"QUICK_REPLY","text":"Reschedule"}]`},
		{"order_update", "en_US", "APPROVED", "UTILITY", "IMAGE", "",
			"Hi {{1}}, your order {{2}} has shipped.", "Acme Store",
			`[{"type":"URL","text":"Track order","url":"https://shop.example.com/track/{{1}}"}]`},
		{"product_launch", "en_US", "APPROVED", "MARKETING", "VIDEO", "", "Meet the new {{1}}!", "", ""},
		{"invoice_ready", "en_US", "APPROVED", "UTILITY", "DOCUMENT", "", "Your invoice {{1}} for {{2}} is attached.", "", ""},
		{"login_code", "en_US", "APPROVED", "AUTHENTICATION", "", "", "{{1}} is your verification code.", "",
			`[{"type":"OTP","otp_type":"COPY_CODE","text":"Copy code"}]`},
		{"summer_sale", "en_US", "PENDING", "MARKETING", "TEXT", "Summer sale", "Everything is 20% off this week.",
			"Reply STOP to opt out", `[{"type":"COPY_CODE","example":"SUMMER20"}]`},
		{"old_promo", "en_US", "REJECTED", "MARKETING", "IMAGE", "", "Last chance: {{1}}!", "", ""},
	} {
		v := &template{
			ID: ws.s.nextID(), TenantID: ws.tenantID, TemplateID: strconv.Itoa(1038472950012 + i*7919),
			TemplateName: t.name, Language: t.lang, Status: t.status, Category: t.category,
			HeaderDataFormat: str(t.header), HeaderDataText: str(t.headerText),
			HeaderParamsCount: placeholders(t.headerText), BodyData: t.body, BodyParamsCount: placeholders(t.body),
			FooterData: str(t.footer), CreatedAt: now, UpdatedAt: now,
		}
		if t.buttons != "" {
			v.ButtonsData = json.RawMessage(t.buttons)
		}
		if t.header != "" && t.header != "TEXT" {
			v.HeaderFileURL = str("https://cdn.example.com/templates/" + strings.ToLower(t.header) + "/" + t.name)
		}
		ws.msg.templates.put(v.ID, v)
	}
}

// placeholders counts the distinct {{N}} variables of a template text.
func placeholders(s string) int {
	n := 0
	for i := 1; strings.Contains(s, "{{"+strconv.Itoa(i)+"}}"); i++ {
		n = i
	}
	return n
}

// fill replaces the {{N}} variables of s with the values of fields
// prefix+N.
func fill(s string, f *form, prefix string) string {
	for i := placeholders(s); i >= 1; i-- {
		if v := f.str(prefix + strconv.Itoa(i)); v != "" {
			s = strings.ReplaceAll(s, "{{"+strconv.Itoa(i)+"}}", v)
		}
	}
	return s
}

// templateResult is the data of a template send (§5.5).
type templateResult struct {
	Contact struct {
		ID        int64   `json:"id"`
		Phone     string  `json:"phone"`
		FirstName string  `json:"first_name"`
		LastName  *string `json:"last_name"`
		Email     *string `json:"email"`
		Created   bool    `json:"created"`
	} `json:"contact"`
	Template struct {
		TemplateName string  `json:"template_name"`
		Language     string  `json:"language"`
		Sent         bool    `json:"sent"`
		HeaderFormat *string `json:"header_format"`
		HasMedia     bool    `json:"has_media"`
	} `json:"template"`
	WhatsappResponse struct {
		MessagingProduct string `json:"messaging_product"`
		Contacts         []struct {
			Input string `json:"input"`
			WaID  string `json:"wa_id"`
		} `json:"contacts"`
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	} `json:"whatsapp_response"`
	MediaInfo *mediaInfo `json:"media_info"`
}

type mediaInfo struct {
	Filename string `json:"filename"`
	MediaURL string `json:"media_url"`
	Type     string `json:"media_type"`
	size     int64  // bytes of an uploaded file
}

// sendTemplate answers POST /messages/template, with ws.mu held.
func sendTemplate(s *Server, ws *Workspace, r *request, up *upload) response {
	f := newForm(up.fields)
	phone := f.text("phone_number", true, 8, 15)
	f.phoneDigits("phone_number", phone)
	name := f.text("template_name", true, 0, 255)
	lang := f.text("template_language", true, 2, 10)
	f.text("from_phone_number_id", false, 0, 255)
	var kinds []string
	var media *mediaInfo
	for _, k := range mediaKinds {
		if m := headerMedia(f, up, r, ws, k.kind); m != nil {
			kinds, media = append(kinds, k.kind), m
		}
	}
	if len(kinds) > 1 {
		f.errs.add("header_media", "Only one kind of header media may be sent, got "+strings.Join(kinds, " and ")+".")
	}
	if docName := f.text("header_document_name", false, 0, 255); docName != nil && media != nil && media.Type == "document" {
		media.Filename = *docName
	}
	f.text("header_field_1", false, 0, 1024)
	for i := 1; i <= 10; i++ {
		f.text("field_"+strconv.Itoa(i), false, 0, 1024)
	}
	for i := 0; i <= 2; i++ {
		f.text("button_"+strconv.Itoa(i), false, 0, 2000)
	}
	f.text("copy_code", false, 0, 100)
	who := readContact(f)
	if res := f.result(); res != nil {
		return *res
	}

	t := ws.msg.templates.find(func(t *template) bool {
		return t.TemplateName == *name && t.Language == *lang && t.Status == "APPROVED"
	})
	if t == nil {
		return validationFailed(fieldError("template", "The specified template '"+*name+"' was not found for this tenant"))
	}
	if res := missingTemplateFields(f, t, media); res != nil {
		return *res
	}
	if t.HeaderDataFormat == nil || *t.HeaderDataFormat == "TEXT" {
		media = nil // a template without a media header sends none
	}

	m := SentMessage{Type: "template", Text: fill(t.BodyData, f, "field_"), Template: t.TemplateName, Language: t.Language}
	if media != nil {
		m.MediaType, m.MediaURL, m.Filename, m.FileSize = media.Type, media.MediaURL, media.Filename, media.size
	}
	c, created, msg, res := s.send(ws, r, *phone, who, m)
	if res != nil {
		return *res
	}
	var out templateResult
	out.Contact.ID, out.Contact.Phone, out.Contact.FirstName = c.ID, c.Phone, c.Firstname
	out.Contact.LastName, out.Contact.Email, out.Contact.Created = c.Lastname, c.Email, created
	out.Template.TemplateName, out.Template.Language, out.Template.Sent = t.TemplateName, t.Language, true
	out.Template.HeaderFormat, out.Template.HasMedia = t.HeaderDataFormat, media != nil
	w := &out.WhatsappResponse
	w.MessagingProduct = "whatsapp"
	w.Contacts = append(w.Contacts, struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	}{*phone, digitsOf(c.Phone)})
	w.Messages = append(w.Messages, struct {
		ID string `json:"id"`
	}{msg.ID})
	out.MediaInfo = media
	return written(http.StatusOK, "Template sent successfully", out)
}

// headerMedia reads the header media of one kind: header_<kind>_url or an
// uploaded header_<kind>_file, not both. It answers nil when neither was
// sent or either failed.
func headerMedia(f *form, up *upload, r *request, ws *Workspace, kind string) *mediaInfo {
	urlField, fileField := "header_"+kind+"_url", "header_"+kind+"_file"
	u := f.text(urlField, false, 0, 2048)
	f.httpURL(urlField, u)
	file := up.file(f, fileField, uploadLimits[kind])
	switch {
	case u != nil && file != nil:
		f.errs.add(urlField, "The "+label(urlField)+" field is prohibited when "+label(fileField)+" is present.")
	case f.errs.has(urlField) || f.errs.has(fileField):
	case u != nil:
		return &mediaInfo{Filename: path.Base(strings.TrimSuffix(strings.SplitN(*u, "?", 2)[0], "/")), MediaURL: *u, Type: kind}
	case file != nil:
		return &mediaInfo{Filename: file.Filename, MediaURL: storedURL(r, ws, file), Type: kind, size: file.Size}
	}
	return nil
}

// missingTemplateFields answers 422 "Template validation failed" listing
// every variable the template needs that the request left out.
func missingTemplateFields(f *form, t *template, media *mediaInfo) *response {
	var missing []string
	if t.HeaderParamsCount > 0 && f.str("header_field_1") == "" {
		missing = append(missing, "The header_field_1 is required.")
	}
	for _, k := range mediaKinds {
		if t.HeaderDataFormat != nil && *t.HeaderDataFormat == k.format && (media == nil || media.Type != k.kind) {
			missing = append(missing, "The header_"+k.kind+"_url or header_"+k.kind+"_file is required.")
		}
	}
	for i := 1; i <= t.BodyParamsCount; i++ {
		if field := "field_" + strconv.Itoa(i); f.str(field) == "" {
			missing = append(missing, "The "+field+" is required.")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &response{status: http.StatusUnprocessableEntity, body: envelope{
		Status: "error", Message: "Template validation failed",
		Errors: map[string][]string{"template_fields": missing},
	}}
}
