package mockserver

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSendText(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ws := s.Default()
	contacts := len(listed(t, s, "contacts"))

	code, body := api(t, s, "POST", "messages/send", `{"phone_number":"+14155550123","message_body":"Hi Alan"}`)
	if code != 200 || body["message"] != "Message sent successfully" || dig(body, "data", "contact_created") != false ||
		dig(body, "data", "message") != "Hi Alan" || dig(body, "data", "phone") != "+14155550123" {
		t.Fatalf("send to a contact: %d %v", code, body)
	}
	alan := itemNamed(t, s, "contacts", "firstname", "Alan")
	if dig(body, "data", "contact_id") != alan["id"] {
		t.Errorf("contact_id %v, want Alan's %v", dig(body, "data", "contact_id"), alan["id"])
	}

	// Unknown numbers become leads named after the number, once.
	for i, created := range []bool{true, false} {
		code, body = api(t, s, "POST", "messages/send", `{"phone_number":"+33612345678","message_body":"Bonjour","message_type":"text"}`)
		if code != 200 || dig(body, "data", "contact_created") != created {
			t.Fatalf("send %d to a new number: %d %v", i, code, body)
		}
	}
	lead := itemNamed(t, s, "contacts", "phone", "+33612345678")
	if lead["firstname"] != "+33612345678" || lead["type"] != "lead" || lead["status_id"] == nil {
		t.Errorf("auto-created contact = %v", lead)
	}
	if n := len(listed(t, s, "contacts")); n != contacts+1 {
		t.Errorf("%d contacts, want %d", n, contacts+1)
	}

	// Interactive and CTA messages, with the contact object for a new number.
	code, body = api(t, s, "POST", "messages/send", `{"phone_number":"+34612345678","message_body":"Pick one",
		"message_type":"interactive","header":"Menu","footer":"Acme","buttons":[{"id":"a","title":"A"},{"id":"b","title":"B"}],
		"contact":{"firstname":"Lola","lastname":"Vega","email":"lola@example.com","country":"Spain","assigned_id":3,"groups":"VIP, Spain"}}`)
	if code != 200 || dig(body, "data", "contact_created") != true {
		t.Fatalf("interactive: %d %v", code, body)
	}
	lola := itemNamed(t, s, "contacts", "firstname", "Lola")
	if lola["email"] != "lola@example.com" || lola["assigned_id"] != 3.0 || len(lola["group_id"].([]any)) != 2 {
		t.Errorf("contact from the contact object = %v", lola)
	}
	code, body = api(t, s, "POST", "messages/send", `{"phone_number":"+34612345678","message_body":"Our shop",
		"message_type":"cta_url","button_text":"Visit","button_url":"https://shop.example.com"}`)
	if code != 200 {
		t.Fatalf("cta_url: %d %v", code, body)
	}

	msgs := ws.Messages()
	if len(msgs) != 5 {
		t.Fatalf("%d messages recorded, want 5", len(msgs))
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if !strings.HasPrefix(m.ID, "wamid.") || !strings.ContainsAny(m.ID, "+/=") || seen[m.ID] {
			t.Errorf("message id %q: want a fresh wamid holding characters to escape", m.ID)
		}
		seen[m.ID] = true
		if m.Status != "sent" || !m.SentAt.Equal(testStart) {
			t.Errorf("message %+v", m)
		}
	}
	if msgs[1].ChatID != msgs[2].ChatID || msgs[0].ChatID == msgs[1].ChatID {
		t.Errorf("chat ids %d %d %d: one chat per contact", msgs[0].ChatID, msgs[1].ChatID, msgs[2].ChatID)
	}
	if msgs[3].Type != "interactive" || msgs[4].Type != "cta_url" || msgs[4].Text != "Our shop" {
		t.Errorf("types %q %q, text %q", msgs[3].Type, msgs[4].Type, msgs[4].Text)
	}
}

func TestSendTextValidation(t *testing.T) {
	t.Parallel()
	const to = `"phone_number":"+14155550123","message_body":"Hi"`
	for _, tc := range []struct{ body, field, want string }{
		{`{}`, "phone_number", "The phone number field is required."},
		{`{"phone_number":"14155550123","message_body":"Hi"}`, "phone_number", "The phone number field format is invalid."},
		{`{"phone_number":"+14155550123"}`, "message_body", "The message body field is required."},
		{`{"phone_number":"+14155550123","message_body":"` + strings.Repeat("m", 4097) + `"}`, "message_body", "The message body field must not be greater than 4096 characters."},
		{`{` + to + `,"message_type":"image"}`, "message_type", "The selected message type is invalid."},
		{`{` + to + `,"header":"H"}`, "header", "The header field is prohibited unless message type is interactive or cta_url."},
		{`{` + to + `,"footer":"F"}`, "footer", "The footer field is prohibited unless message type is interactive or cta_url."},
		{`{` + to + `,"buttons":[{"id":"a","title":"A"}]}`, "buttons", "The buttons field is prohibited unless message type is interactive."},
		{`{` + to + `,"button_url":"https://a.example"}`, "button_url", "The button url field is prohibited unless message type is cta_url."},
		{`{` + to + `,"message_type":"interactive"}`, "buttons", "The buttons field is required when message type is interactive."},
		{`{` + to + `,"message_type":"interactive","buttons":{}}`, "buttons", "The buttons field must be an array."},
		{`{` + to + `,"message_type":"interactive","buttons":[]}`, "buttons", "The buttons field must have between 1 and 3 items."},
		{`{` + to + `,"message_type":"interactive","buttons":[{"id":"1","title":"1"},{"id":"2","title":"2"},{"id":"3","title":"3"},{"id":"4","title":"4"}]}`,
			"buttons", "The buttons field must have between 1 and 3 items."},
		{`{` + to + `,"message_type":"interactive","buttons":["a"]}`, "buttons.0", "The buttons.0 field must be an object."},
		{`{` + to + `,"message_type":"interactive","buttons":[{"id":"a","title":"` + strings.Repeat("t", 21) + `"}]}`,
			"buttons.0.title", "The buttons.0.title field must not be greater than 20 characters."},
		{`{` + to + `,"message_type":"interactive","buttons":[{"id":"` + strings.Repeat("i", 257) + `","title":"A"}]}`,
			"buttons.0.id", "The buttons.0.id field must not be greater than 256 characters."},
		{`{` + to + `,"message_type":"interactive","header":"` + strings.Repeat("h", 61) + `","buttons":[{"id":"a","title":"A"}]}`,
			"header", "The header field must not be greater than 60 characters."},
		{`{` + to + `,"message_type":"cta_url","button_url":"https://a.example"}`, "button_text", "The button text field is required."},
		{`{` + to + `,"message_type":"cta_url","button_text":"Go"}`, "button_url", "The button url field is required."},
		{`{` + to + `,"message_type":"cta_url","button_text":"Go","button_url":"javascript:alert(1)"}`, "button_url", "The button url field must be a valid URL."},
		{`{` + to + `,"message_type":"cta_url","button_text":"` + strings.Repeat("b", 21) + `","button_url":"https://a.example"}`,
			"button_text", "The button text field must not be greater than 20 characters."},
		{`{"phone_number":"+15550001111","message_body":"Hi","contact":{"email":"not-an-email","assigned_id":"x"}}`,
			"contact.email", "The contact.email field must be a valid email address."},
		{`{"phone_number":"+15550001111","message_body":"Hi","contact":{"assigned_id":"x"}}`,
			"contact.assigned_id", "The contact.assigned id field must be an integer."},
		{`{"phone_number":"+15550001111","message_body":"Hi","contact":{"email":"ada@example.com"}}`,
			"contact.email", "The contact.email has already been taken."},
		{`{"phone_number":`, "body", "The request body must be a valid JSON object."},
	} {
		s := newTestServer(t)
		code, body := api(t, s, "POST", "messages/send", tc.body)
		if code != 422 || dig(body, "errors", tc.field, 0) != tc.want {
			t.Errorf("%.70s: %d %v, want 422 %s: %q", tc.body, code, body["errors"], tc.field, tc.want)
		}
		if n := len(s.Default().Messages()); n != 0 {
			t.Errorf("%.70s: %d messages sent", tc.body, n)
		}
	}
	s := newTestServer(t)
	s.Default().SetContactLimit(4)
	if code, body := api(t, s, "POST", "messages/send", `{"phone_number":"+15550001111","message_body":"Hi"}`); code != 403 || body["message"] != msgContactLimit {
		t.Errorf("send to a new number beyond the contact cap: %d %v", code, body)
	}
	mustSend(t, s, "+14155550123") // a known number still works
}

func TestMessageStatus(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ws := s.Default()
	id := mustSend(t, s, "+14155550123")
	statusOf := func(path string) (int, map[string]any) { return api(t, s, "GET", "messages/"+path+"/status", "") }

	for _, path := range []string{escapeID(id), url.PathEscape(id)} {
		if code, body := statusOf(path); code != 200 || dig(body, "data", "message_id") != id || dig(body, "data", "delivery_status") != "sent" {
			t.Errorf("status at %s: %d %v", path, code, body)
		}
	}
	// Unescaped, the "/" splits the id; a "+" stays a "+", never a space.
	if code, _ := statusOf(id); code != 404 {
		t.Errorf("unescaped id: %d, want 404", code)
	}
	if code, body := statusOf(strings.ReplaceAll(escapeID(id), "%2B", "%20")); code != 404 || body["message"] != "Message not found" {
		t.Errorf("id with a space for its plus: %d %v", code, body)
	}
	other := newTestServer(t)
	if code, _ := api(t, other, "GET", "messages/"+escapeID(id)+"/status", ""); code != 404 {
		t.Errorf("another server's message: %d", code)
	}

	steps := []struct{ status, errMsg, wantErr string }{
		{"pending", "", ""}, {"sent", "", ""}, {"delivered", "ignored", ""}, {"read", "", ""},
		{"failed", "", msgOutsideWindow}, {"failed", "Recipient phone number not on WhatsApp", "Recipient phone number not on WhatsApp"},
	}
	for _, st := range steps {
		s.Advance(time.Minute)
		if err := ws.SetMessageStatus(id, st.status, st.errMsg); err != nil {
			t.Fatal(err)
		}
		code, body := statusOf(escapeID(id))
		var wantErr any
		if st.wantErr != "" {
			wantErr = st.wantErr
		}
		if code != 200 || dig(body, "data", "delivery_status") != st.status || dig(body, "data", "error_message") != wantErr ||
			dig(body, "data", "last_updated") != s.Now().UTC().Format(stampFormat) {
			t.Errorf("after %s: %d %v", st.status, code, body)
		}
	}
	if err := ws.SetMessageStatus("wamid.nope", "read", ""); !errors.Is(err, ErrMessageNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if err := ws.SetMessageStatus(id, "opened", ""); err == nil || errors.Is(err, ErrMessageNotFound) {
		t.Errorf("unknown status: %v", err)
	}
	ws.RemoveAbility("messages.send")
	if code, body := statusOf(escapeID(id)); code != 403 || body["message"] != "Token does not have the required ability: messages.send" {
		t.Errorf("without messages.send: %d %v", code, body)
	}
}

func TestMessageWebhooks(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	ws := s.Default()
	hookURL, hits := hookReceiver(t)
	ws.SetWebhook(hookURL, "s3cret")

	id := mustSend(t, s, "+14155550123")
	if err := ws.SetMessageStatus(id, "delivered", ""); err != nil {
		t.Fatal(err)
	}
	if err := ws.SetMessageStatus(id, "failed", "Recipient phone number not on WhatsApp"); err != nil {
		t.Fatal(err)
	}
	if err := ws.SetMessageStatus(id, "pending", ""); err != nil { // sends nothing
		t.Fatal(err)
	}
	if err := ws.SetMessageStatus(id, "read", ""); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"message_id":"` + id + `","status":"sent","text":"Hello","type":"text","tenant_id":1}`,
		`{"message_id":"` + id + `","status":"delivered","tenant_id":1}`,
		`{"message_id":"` + id + `","status":"failed","error_message":"Recipient phone number not on WhatsApp","tenant_id":1}`,
		`{"message_id":"` + id + `","status":"read","tenant_id":1}`,
	}
	for _, w := range want {
		hit := nextHit(t, hits)
		var payload struct {
			Event, Model string
			Data         json.RawMessage
		}
		if err := json.Unmarshal(hit.body, &payload); err != nil {
			t.Fatal(err)
		}
		event := "message." + strings.Split(strings.Split(w, `"status":"`)[1], `"`)[0]
		if payload.Event != event || payload.Model != "WhatsAppMessage" || string(payload.Data) != strings.ReplaceAll(w, `"tenant_id":1`, `"tenant_id":`+jsonOf(t, ws.TenantID())) ||
			hit.header.Get("X-Webhook-Event") != event || hit.header.Get("X-Webhook-Signature") != sign("s3cret", hit.body) {
			t.Errorf("webhook %s:\n got %s %s\nwant %s", event, hit.header.Get("X-Webhook-Event"), hit.body, w)
		}
	}

	// A send to a new number announces the contact first.
	mustSend(t, s, "+15550001111")
	if hit := nextHit(t, hits); hit.header.Get("X-Webhook-Event") != "created" || !strings.Contains(string(hit.body), `"phone":"+15550001111"`) {
		t.Errorf("first webhook of a send to a new number: %s", hit.body)
	}
	if hit := nextHit(t, hits); hit.header.Get("X-Webhook-Event") != "message.sent" {
		t.Errorf("second webhook: %s", hit.body)
	}
}

func TestMessagingAdmin(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	id := mustSend(t, s, "+14155550123")
	target := "/_mock/workspaces/acme/messages/" + escapeID(id) + "/status"

	code, _, body := call(t, s, "PUT", target, "", `{"status":"failed","error_message":"Blocked"}`)
	if code != 200 || body["message_id"] != id || body["status"] != "failed" || body["error_message"] != "Blocked" {
		t.Errorf("PUT status: %d %v", code, body)
	}
	if m, _ := s.Default().Message(id); m.Status != "failed" || m.ErrorMessage != "Blocked" {
		t.Errorf("message after PUT = %+v", m)
	}
	for _, tc := range []struct {
		target, body string
		code         int
	}{
		{target, `{"status":"lost"}`, 422},
		{target, `{"status":`, 422},
		{"/_mock/workspaces/acme/messages/wamid.nope/status", `{"status":"read"}`, 404},
		{"/_mock/workspaces/nosuch/messages/" + escapeID(id) + "/status", `{"status":"read"}`, 404},
	} {
		if code, _, body := call(t, s, "PUT", tc.target, "", tc.body); code != tc.code {
			t.Errorf("PUT %s %s: %d %v, want %d", tc.target, tc.body, code, body, tc.code)
		}
	}
	code, _, body = call(t, s, "GET", "/_mock/workspaces/acme/messages", "", "")
	list, _ := body["messages"].([]any)
	if code != 200 || len(list) != 1 || dig(list, 0, "message_id") != id || dig(list, 0, "text") != "Hello" {
		t.Errorf("GET messages: %d %v", code, body)
	}
	s.Reset()
	if n := len(s.Default().Messages()); n != 0 {
		t.Errorf("%d messages after Reset", n)
	}
}
