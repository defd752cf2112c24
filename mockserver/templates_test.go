package mockserver

import (
	"slices"
	"strings"
	"testing"
)

func TestTemplatesList(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	items := listed(t, s, "templates")
	if len(items) != 9 {
		t.Fatalf("%d templates, want the 9 seeded", len(items))
	}
	var statuses, formats []any
	for i, it := range items {
		if i > 0 && it["id"].(float64) >= items[i-1]["id"].(float64) {
			t.Errorf("templates not newest first: %v after %v", it["id"], items[i-1]["id"])
		}
		statuses, formats = append(statuses, it["status"]), append(formats, it["header_data_format"])
	}
	for _, st := range []any{"APPROVED", "PENDING", "REJECTED"} {
		if !slices.Contains(statuses, st) {
			t.Errorf("no %v template", st)
		}
	}
	for _, f := range []any{"TEXT", "IMAGE", "VIDEO", "DOCUMENT", nil} {
		if !slices.Contains(formats, f) {
			t.Errorf("no template with header format %v", f)
		}
	}
	order := itemNamed(t, s, "templates", "template_name", "order_update")
	if order["body_params_count"] != 2.0 || order["header_file_url"] == nil || dig(order, "buttons_data", 0, "type") != "URL" {
		t.Errorf("order_update = %v", order)
	}

	code, body := api(t, s, "GET", "templates?per_page=2&page=5", "")
	if code != 200 || dig(body, "data", "total") != 9.0 || len(dig(body, "data", "data").([]any)) != 1 {
		t.Errorf("last page: %d %v", code, body)
	}
	s.Default().RemoveAbility("templates.read")
	if code, body := api(t, s, "GET", "templates", ""); code != 403 || body["message"] != "Token does not have the required ability: templates.read" {
		t.Errorf("without templates.read: %d %v", code, body)
	}
}

func TestTemplateSendValidation(t *testing.T) {
	t.Parallel()
	const base = `"phone_number":"+447700900123","template_language":"en_US"`
	for _, tc := range []struct {
		name, body string
		status     int
		field      string // errors key expected
		want       string // its first message
	}{
		{"required", `{}`, 422, "phone_number", "The phone number field is required."},
		{"phone short", `{"phone_number":"1234567","template_name":"hello_world","template_language":"en_US"}`,
			422, "phone_number", "The phone number field must be at least 8 characters."},
		{"phone letters", `{"phone_number":"+44abc00123","template_name":"hello_world","template_language":"en_US"}`,
			422, "phone_number", "The phone number field format is invalid."},
		{"language long", `{"phone_number":"+447700900123","template_name":"hello_world","template_language":"en_US_long1"}`,
			422, "template_language", "The template language field must not be greater than 10 characters."},
		{"unknown template", `{` + base + `,"template_name":"nope"}`,
			422, "template", "The specified template 'nope' was not found for this tenant"},
		{"other language", `{"phone_number":"+447700900123","template_name":"order_update","template_language":"pt_BR"}`,
			422, "template", "The specified template 'order_update' was not found for this tenant"},
		{"rejected", `{` + base + `,"template_name":"old_promo","field_1":"x","header_image_url":"https://a.example/x.png"}`,
			422, "template", "The specified template 'old_promo' was not found for this tenant"},
		{"text header variable", `{` + base + `,"template_name":"appointment_reminder","field_1":"Mon","field_2":"9:00"}`,
			422, "template_fields", "The header_field_1 is required."},
		{"video header", `{` + base + `,"template_name":"product_launch","field_1":"X"}`,
			422, "template_fields", "The header_video_url or header_video_file is required."},
		{"wrong media kind", `{` + base + `,"template_name":"invoice_ready","field_1":"1","field_2":"2","header_image_url":"https://a.example/x.png"}`,
			422, "template_fields", "The header_document_url or header_document_file is required."},
		{"two media kinds", `{` + base + `,"template_name":"invoice_ready","header_image_url":"https://a.example/x.png",
			"header_document_url":"https://a.example/x.pdf"}`, 422, "header_media", "Only one kind of header media may be sent, got image and document."},
		{"url and file", `{` + base + `,"template_name":"order_update","header_image_url":"https://a.example/x.png",
			"header_image_file":"x"}`, 422, "header_image_file", "The header image file field must be a file."},
		{"bad media url", `{` + base + `,"template_name":"order_update","header_image_url":"ftp://a.example/x.png"}`,
			422, "header_image_url", "The header image url field must be a valid URL."},
		{"copy code long", `{` + base + `,"template_name":"login_code","copy_code":"` + strings.Repeat("7", 101) + `"}`,
			422, "copy_code", "The copy code field must not be greater than 100 characters."},
		{"contact not object", `{` + base + `,"template_name":"hello_world","field_1":"x","contact":"Ada"}`,
			422, "contact", "The contact field must be an object."},
		{"wrong content type", "", 422, "content_type", "The request body must be sent as application/json or multipart/form-data."},
		{"malformed", `{"phone_number":`, 422, "body", "The request body must be a valid JSON object."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			var code int
			var body map[string]any
			if tc.body == "" {
				req := multipartRequest("/api/v1/acme/messages/template")
				req.Header.Set("Content-Type", "text/plain")
				code, body = serve(t, s, req)
			} else {
				code, body = api(t, s, "POST", "messages/template", tc.body)
			}
			if code != tc.status || dig(body, "errors", tc.field, 0) != tc.want {
				t.Errorf("%d %v, want %d with %s: %q", code, body, tc.status, tc.field, tc.want)
			}
			if n := len(s.Default().Messages()); n != 0 {
				t.Errorf("%d messages sent by a refused request", n)
			}
		})
	}
}

func TestTemplateSend(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ws := s.Default()

	// A text header with its variable, to a new number in multipart.
	code, body := serve(t, s, multipartRequest("/api/v1/acme/messages/template",
		part{name: "phone_number", value: "4917612345678"}, part{name: "template_name", value: "appointment_reminder"},
		part{name: "template_language", value: "en_US"}, part{name: "header_field_1", value: "Ada"},
		part{name: "field_1", value: "Monday"}, part{name: "field_2", value: "9:00"},
		part{name: "contact[firstname]", value: "Ada"}, part{name: "contact[groups]", value: "Patients"}))
	if code != 200 || dig(body, "data", "contact", "created") != true || dig(body, "data", "contact", "first_name") != "Ada" ||
		dig(body, "data", "template", "has_media") != false || dig(body, "data", "media_info") != nil ||
		dig(body, "data", "whatsapp_response", "contacts", 0, "wa_id") != "4917612345678" {
		t.Fatalf("text header send: %d %v", code, body)
	}
	c := itemNamed(t, s, "contacts", "phone", "+4917612345678")
	if c["firstname"] != "Ada" || c["type"] != "lead" || len(c["group_id"].([]any)) != 1 {
		t.Errorf("auto-created contact = %v", c)
	}

	// A document header uploaded with its display name, to the same number.
	code, body = serve(t, s, multipartRequest("/api/v1/acme/messages/template",
		part{name: "phone_number", value: "+4917612345678"}, part{name: "template_name", value: "invoice_ready"},
		part{name: "template_language", value: "en_US"}, part{name: "field_1", value: "INV-7"}, part{name: "field_2", value: "€12"},
		part{name: "header_document_file", file: "inv.pdf", size: 3000}, part{name: "header_document_name", value: "Invoice INV-7.pdf"}))
	if code != 200 || dig(body, "data", "contact", "created") != false || dig(body, "data", "media_info", "filename") != "Invoice INV-7.pdf" ||
		dig(body, "data", "media_info", "media_type") != "document" || dig(body, "data", "template", "header_format") != "DOCUMENT" {
		t.Fatalf("document send: %d %v", code, body)
	}
	msgs := ws.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	if m := msgs[1]; m.Type != "template" || m.Template != "invoice_ready" || m.Text != "Your invoice INV-7 for €12 is attached." ||
		m.FileSize != 3000 || m.MediaType != "document" || m.ContactID != msgs[0].ContactID || m.ChatID != msgs[0].ChatID {
		t.Errorf("recorded message = %+v", m)
	}
	if id := dig(body, "data", "whatsapp_response", "messages", 0, "id"); id != msgs[1].ID {
		t.Errorf("answered id %v, recorded %s", id, msgs[1].ID)
	}

	// The same name in another language is another template.
	code, body = api(t, s, "POST", "messages/template", `{"phone_number":"+5511987654321","template_name":"hello_world",
		"template_language":"pt_BR","field_1":"Katherine"}`)
	if code != 200 || dig(body, "data", "template", "language") != "pt_BR" || dig(body, "data", "template", "header_format") != nil {
		t.Errorf("pt_BR send: %d %v", code, body)
	}
	if m := ws.Messages()[2]; m.Text != "Olá Katherine, bem-vindo à Acme!" {
		t.Errorf("pt_BR text = %q", m.Text)
	}
}
