package mockserver

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestTemplateBots(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	bots := listed(t, s, "templatebots")
	if len(bots) != 3 {
		t.Fatalf("%d template bots, want the 3 seeded", len(bots))
	}
	for _, b := range bots {
		for _, k := range []string{"header_params", "body_params", "footer_params"} {
			p, ok := b[k].(string)
			if !ok || !json.Valid([]byte(p)) {
				t.Errorf("%v %s = %#v, want a string holding JSON", b["name"], k, b[k])
			}
		}
		if a := b["is_bot_active"]; a != 0.0 && a != 1.0 {
			t.Errorf("%v is_bot_active = %#v, want 0 or 1", b["name"], a)
		}
	}
	id := bots[0]["id"]
	if code, body := api(t, s, "GET", fmt.Sprintf("templatebots/%v", id), ""); code != 200 || dig(body, "data", "name") != bots[0]["name"] {
		t.Errorf("get: %d %v", code, body)
	}
	code, body := api(t, s, "DELETE", fmt.Sprintf("templatebots/%v", id), "")
	if _, hasData := body["data"]; code != 200 || body["message"] != "Template bot deleted successfully" || hasData {
		t.Errorf("delete: %d %v", code, body)
	}
	for _, path := range []string{fmt.Sprintf("templatebots/%v", id), "templatebots/0", "templatebots/abc"} {
		for _, method := range []string{"GET", "DELETE"} {
			if code, body := api(t, s, method, path, ""); code != 404 || body["message"] != "Template bot not found" {
				t.Errorf("%s %s: %d %v", method, path, code, body)
			}
		}
	}
	if n := len(listed(t, s, "templatebots")); n != 2 {
		t.Errorf("%d template bots after delete, want 2", n)
	}
	s.Default().RemoveAbility("templatebots.delete")
	if code, _ := api(t, s, "DELETE", fmt.Sprintf("templatebots/%v", bots[1]["id"]), ""); code != 403 {
		t.Errorf("delete without templatebots.delete: %d", code)
	}
}

func TestMessageBots(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	if n := len(listed(t, s, "messagebots")); n != 4 {
		t.Fatalf("%d message bots, want the 4 seeded", n)
	}
	code, body := api(t, s, "POST", "messagebots", `{"name":"Docs link","rel_type":"customer","reply_text":"See our docs.",
		"reply_type":"3","button_name":"Docs","button_url":"https://docs.example.com","is_bot_active":false}`)
	created, _ := body["data"].(map[string]any)
	if code != 201 || created["is_bot_active"] != false || created["reply_type"] != 3.0 || created["trigger"] != nil ||
		created["button_url"] != "https://docs.example.com" {
		t.Fatalf("create: %d %v", code, body)
	}
	bots := listed(t, s, "messagebots")
	if len(bots) != 5 || bots[0]["id"] != created["id"] {
		t.Errorf("the new bot is not first of %d", len(bots))
	}
	if code, body := api(t, s, "GET", fmt.Sprintf("messagebots/%v", created["id"]), ""); code != 200 || dig(body, "data", "name") != "Docs link" {
		t.Errorf("get: %d %v", code, body)
	}
	code, body = api(t, s, "DELETE", fmt.Sprintf("messagebots/%v", created["id"]), "")
	if _, hasData := body["data"]; code != 200 || body["message"] != "Message bot deleted successfully" || hasData {
		t.Errorf("delete: %d %v", code, body)
	}
	if code, body := api(t, s, "GET", fmt.Sprintf("messagebots/%v", created["id"]), ""); code != 404 || body["message"] != "Message bot not found" {
		t.Errorf("get deleted: %d %v", code, body)
	}
	if code, _ := api(t, s, "PUT", "messagebots/1", "{}"); code != 405 {
		t.Errorf("PUT: %d, want 405", code)
	}
}

func TestMessageBotValidation(t *testing.T) {
	t.Parallel()
	const ok = `"name":"Bot","rel_type":"lead","reply_text":"Hi","reply_type":3`
	for _, tc := range []struct {
		body, field, want string
	}{
		{`{}`, "name", "The name field is required."},
		{`{"name":"Bo","rel_type":"lead","reply_text":"Hi","reply_type":3}`, "name", "The name field must be at least 3 characters."},
		{`{"name":"` + strings.Repeat("n", 101) + `","rel_type":"lead","reply_text":"Hi","reply_type":3}`, "name", "The name field must not be greater than 100 characters."},
		{`{"name":"Bot","rel_type":"guest","reply_text":"Hi","reply_type":3}`, "rel_type", "The selected rel type is invalid."},
		{`{"name":"Bot","rel_type":"lead","reply_text":"` + strings.Repeat("r", 1025) + `","reply_type":3}`, "reply_text", "The reply text field must not be greater than 1024 characters."},
		{`{"name":"Bot","rel_type":"lead","reply_text":"Hi","reply_type":5}`, "reply_type", "The reply type field must be between 1 and 4."},
		{`{"name":"Bot","rel_type":"lead","reply_text":"Hi","reply_type":"x"}`, "reply_type", "The reply type field must be an integer."},
		{`{"name":"Bot","rel_type":"lead","reply_text":"Hi","reply_type":1}`, "trigger", "The trigger field is required."},
		{`{"name":"Bot","rel_type":"lead","reply_text":"Hi","reply_type":2,"trigger":" "}`, "trigger", "The trigger field is required."},
		{`{` + ok + `,"bot_header":"` + strings.Repeat("h", 61) + `"}`, "bot_header", "The bot header field must not be greater than 60 characters."},
		{`{` + ok + `,"bot_footer":"` + strings.Repeat("f", 61) + `"}`, "bot_footer", "The bot footer field must not be greater than 60 characters."},
		{`{` + ok + `,"button2":"` + strings.Repeat("b", 21) + `"}`, "button2", "The button2 field must not be greater than 20 characters."},
		{`{` + ok + `,"button3_id":"` + strings.Repeat("i", 257) + `"}`, "button3_id", "The button3 id field must not be greater than 256 characters."},
		{`{` + ok + `,"button_name":"Go"}`, "button_url", "The button url field is required."},
		{`{` + ok + `,"button_url":"https://a.example"}`, "button_name", "The button name field is required."},
		{`{` + ok + `,"button_name":"Go","button_url":"mailto:a@example.com"}`, "button_url", "The button url field must be a valid URL."},
		{`{` + ok + `,"button_name":"Go","button_url":"https://a.example/` + strings.Repeat("u", 240) + `"}`, "button_url", "The button url field must not be greater than 255 characters."},
		{`{` + ok + `,"button1":"Yes","button_name":"Go","button_url":"https://a.example"}`, "button_name", "The button name field is prohibited when reply buttons are set."},
		{`{` + ok + `,"is_bot_active":"maybe"}`, "is_bot_active", "The is bot active field must be true or false."},
		{`[1]`, "body", "The request body must be a valid JSON object."},
	} {
		code, body := api(t, newTestServer(t), "POST", "messagebots", tc.body)
		if code != 422 || dig(body, "errors", tc.field, 0) != tc.want {
			t.Errorf("%.60s: %d %v, want 422 %s: %q", tc.body, code, body["errors"], tc.field, tc.want)
		}
	}
}
