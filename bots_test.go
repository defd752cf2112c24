package xobito

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestRecordIterators(t *testing.T) {
	t.Parallel()
	// Every unfiltered list shares one iterator; check each walks two pages.
	for _, tc := range []struct {
		path string
		all  func(context.Context, *Client, *ListOptions) (int, error)
	}{
		{"statuses", func(ctx context.Context, c *Client, o *ListOptions) (int, error) {
			return count(c.Statuses.All(ctx, o))
		}},
		{"sources", func(ctx context.Context, c *Client, o *ListOptions) (int, error) { return count(c.Sources.All(ctx, o)) }},
		{"groups", func(ctx context.Context, c *Client, o *ListOptions) (int, error) { return count(c.Groups.All(ctx, o)) }},
		{"templates", func(ctx context.Context, c *Client, o *ListOptions) (int, error) {
			return count(c.Templates.All(ctx, o))
		}},
		{"templatebots", func(ctx context.Context, c *Client, o *ListOptions) (int, error) {
			return count(c.TemplateBots.All(ctx, o))
		}},
		{"messagebots", func(ctx context.Context, c *Client, o *ListOptions) (int, error) {
			return count(c.MessageBots.All(ctx, o))
		}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := newMockClient(t)
			mt.RegisterResponder("GET", testBase+tc.path, pagedContacts(3, nil))
			n, err := tc.all(t.Context(), c, &ListOptions{PerPage: 2})
			if err != nil || n != 3 || mt.GetTotalCallCount() != 2 {
				t.Fatalf("got %d items, err %v, after %d calls", n, err, mt.GetTotalCallCount())
			}
		})
	}
}

func TestTemplatesList(t *testing.T) {
	t.Parallel()
	runAPICases(t, []apiCase{{
		name: "list",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Templates.List(ctx, &ListOptions{PerPage: 100})
		},
		method: "GET", path: "templates", query: "per_page=100", status: 200, file: "templates_list.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			l := got.([]Template)
			if len(l) != 2 {
				t.Fatalf("got %+v", l)
			}
			a, b := l[0], l[1]
			if a.TemplateID != "1234567890123456" || a.Name != "order_update" || a.HeaderFormat != "IMAGE" ||
				a.BodyParamsCount != 2 || a.Body != "Hi {{1}}, your order {{2}} has shipped." ||
				a.HeaderFileURL != "https://cdn.example/header.jpg" || a.UpdatedAt != ts("2026-03-02T11:00:00Z") {
				t.Errorf("first %+v", a)
			}
			var buttons []map[string]string
			if err := json.Unmarshal(a.ButtonsData, &buttons); err != nil || buttons[0]["text"] != "Track" {
				t.Errorf("buttons %s: %v", a.ButtonsData, err)
			}
			if b.TemplateID != "987654321" || b.HeaderFormat != "" || b.HeaderParamsCount != 1 ||
				string(b.ButtonsData) != "null" || !b.CreatedAt.IsZero() || b.Language != "pt_BR" {
				t.Errorf("second %+v", b)
			}
		},
	}, {
		name:   "list without the ability",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Templates.List(ctx, nil) },
		method: "GET", path: "templates", status: 403, file: "templates_missing_ability.json",
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrMissingAbility, "Token does not have the required ability: templates.read")
			var ae *APIError
			if errors.As(err, &ae); ae.Ability != "templates.read" {
				t.Errorf("ability %q", ae.Ability)
			}
		},
	}})
}

func TestTemplateBotsEndpoints(t *testing.T) {
	t.Parallel()
	runAPICases(t, []apiCase{{
		name:   "list",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.TemplateBots.List(ctx, nil) },
		method: "GET", path: "templatebots", status: 200, file: "templatebots_list.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			l := got.([]TemplateBot)
			if len(l) != 2 || !l[0].IsBotActive || l[1].IsBotActive {
				t.Fatalf("got %+v", l)
			}
			// The second bot carries the plausible variants: a numeric
			// template_id, params as a JSON array or null, numbers as strings.
			b := l[1]
			if b.TemplateID != "987654321" || b.HeaderParams != "[]" || b.BodyParams != "" ||
				b.ReplyType != ReplyFirstMessage || b.SendingCount != 0 || b.Trigger != "" || b.Filename != "welcome.jpg" {
				t.Errorf("got %+v", b)
			}
		},
	}, {
		name:   "get",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.TemplateBots.Get(ctx, 3) },
		method: "GET", path: "templatebots/3", status: 200, file: "templatebots_get.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			want := TemplateBot{ID: 3, TenantID: 7, Name: "Order bot", RelType: "customer", ReplyType: ReplyExactMatch,
				Trigger: "order,status", TemplateID: "1234567890123456", HeaderParams: "[]",
				BodyParams: `["{contact_first_name}","{order_id}"]`, FooterParams: "[]", IsBotActive: true,
				SendingCount: 14, CreatedAt: ts("2026-03-05T09:00:00Z"), UpdatedAt: ts("2026-03-06T09:00:00Z")}
			if *got.(*TemplateBot) != want {
				t.Errorf("got  %+v\nwant %+v", *got.(*TemplateBot), want)
			}
		},
	}, {
		name:   "get unknown",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.TemplateBots.Get(ctx, 4) },
		method: "GET", path: "templatebots/4", status: 404, file: "templatebots_not_found.json",
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrNotFound, "Template bot not found")
		},
	}, {
		name: "delete",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.TemplateBots.Delete(ctx, 3))
		},
		method: "DELETE", path: "templatebots/3", status: 200, file: "templatebots_delete.json",
		check: func(t *testing.T, _ any, resp *Response, err error) {
			wantOK(t, resp, err, "Template bot deleted successfully")
		},
	}})
}

func TestMessageBotsEndpoints(t *testing.T) {
	t.Parallel()
	active := false
	req := &MessageBotCreateRequest{Name: "Opening hours", RelType: ContactLead, ReplyText: "We are open 9 to 5.",
		ReplyType: ReplyExactMatch, Trigger: "hours", Button1: "Book", Button1ID: "book", IsBotActive: &active}
	reqJSON := `{"name":"Opening hours","rel_type":"lead","reply_text":"We are open 9 to 5.","reply_type":1,
		"trigger":"hours","button1":"Book","button1_id":"book","is_bot_active":false}`
	runAPICases(t, []apiCase{{
		name: "list",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.MessageBots.List(ctx, &ListOptions{Page: 1})
		},
		method: "GET", path: "messagebots", query: "page=1", status: 200, file: "messagebots_list.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			l := got.([]MessageBot)
			if len(l) != 1 || l[0].ButtonURL != "https://shop.example" || l[0].ReplyType != ReplyFallback || l[0].IsBotActive {
				t.Errorf("got %+v", l)
			}
		},
	}, {
		name:   "get",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.MessageBots.Get(ctx, 8) },
		method: "GET", path: "messagebots/8", status: 200, file: "messagebots_get.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			want := MessageBot{ID: 8, TenantID: 7, Name: "Opening hours", RelType: "lead", ReplyType: ReplyContains,
				Trigger: "hours,open", ReplyText: "We are open 9 to 5.", BotHeader: "Acme", BotFooter: "Thanks!",
				Button1: "Book", Button1ID: "book", Button2: "Call me", Button2ID: "call", AddedFrom: 1,
				IsBotActive: true, SendingCount: 3, CreatedAt: ts("2026-03-10T08:00:00Z"), UpdatedAt: ts("2026-03-10T08:00:00Z")}
			if *got.(*MessageBot) != want {
				t.Errorf("got  %+v\nwant %+v", *got.(*MessageBot), want)
			}
		},
	}, {
		name:   "create",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.MessageBots.Create(ctx, req) },
		method: "POST", path: "messagebots", body: reqJSON, status: 201, file: "messagebots_create.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "Message bot created successfully")
			if b := got.(*MessageBot); b.ID != 10 || b.IsBotActive || b.Button1 != "Book" {
				t.Errorf("got %+v", b)
			}
		},
	}, {
		name:   "create refused by the server",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.MessageBots.Create(ctx, req) },
		method: "POST", path: "messagebots", body: reqJSON, status: 422, file: "messagebots_validation_error.json",
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrValidation, "Validation failed")
		},
	}, {
		name: "delete",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.MessageBots.Delete(ctx, 8))
		},
		method: "DELETE", path: "messagebots/8", status: 200, file: "messagebots_delete.json",
		check: func(t *testing.T, _ any, resp *Response, err error) {
			wantOK(t, resp, err, "Message bot deleted successfully")
		},
	}, {
		name: "delete unknown",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.MessageBots.Delete(ctx, 8))
		},
		method: "DELETE", path: "messagebots/8", status: 404, file: "messagebots_not_found.json",
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrNotFound, "Message bot not found")
		},
	}})
}

func TestMessageBotInputRefused(t *testing.T) {
	t.Parallel()
	create := func(edit func(*MessageBotCreateRequest)) func(context.Context, *Client) (any, *Response, error) {
		return func(ctx context.Context, c *Client) (any, *Response, error) {
			r := &MessageBotCreateRequest{Name: "Hours", RelType: ContactLead, ReplyText: "9 to 5", ReplyType: ReplyContains, Trigger: "open"}
			edit(r)
			return c.MessageBots.Create(ctx, r)
		}
	}
	cta := func(r *MessageBotCreateRequest) { r.ButtonName, r.ButtonURL = "Shop", "https://shop.example" }
	wantInputErrors(t, []inputCase{
		{"nil", "body", func(ctx context.Context, c *Client) (any, *Response, error) { return c.MessageBots.Create(ctx, nil) }},
		{"name short", "name", create(func(r *MessageBotCreateRequest) { r.Name = "Hi" })},
		{"name long", "name", create(func(r *MessageBotCreateRequest) { r.Name = repeatRune('n', 101) })},
		{"rel_type missing", "rel_type", create(func(r *MessageBotCreateRequest) { r.RelType = "" })},
		{"rel_type guest", "rel_type", create(func(r *MessageBotCreateRequest) { r.RelType = ContactGuest })},
		{"reply_text missing", "reply_text", create(func(r *MessageBotCreateRequest) { r.ReplyText = "" })},
		{"reply_text long", "reply_text", create(func(r *MessageBotCreateRequest) { r.ReplyText = repeatRune('€', 1025) })},
		{"reply_type 0", "reply_type", create(func(r *MessageBotCreateRequest) { r.ReplyType = 0 })},
		{"reply_type 5", "reply_type", create(func(r *MessageBotCreateRequest) { r.ReplyType = 5 })},
		{"trigger for exact match", "trigger", create(func(r *MessageBotCreateRequest) { r.ReplyType, r.Trigger = ReplyExactMatch, "" })},
		{"trigger for contains", "trigger", create(func(r *MessageBotCreateRequest) { r.Trigger = " " })},
		{"header long", "bot_header", create(func(r *MessageBotCreateRequest) { r.BotHeader = repeatRune('h', 61) })},
		{"footer long", "bot_footer", create(func(r *MessageBotCreateRequest) { r.BotFooter = repeatRune('f', 61) })},
		{"button title long", "button2", create(func(r *MessageBotCreateRequest) { r.Button2 = repeatRune('b', 21) })},
		{"button id long", "button3_id", create(func(r *MessageBotCreateRequest) { r.Button3, r.Button3ID = "ok", repeatRune('i', 257) })},
		{"button id without title", "button1", create(func(r *MessageBotCreateRequest) { r.Button1ID = "x" })},
		{"reply and CTA buttons", "button_name", create(func(r *MessageBotCreateRequest) { cta(r); r.Button1 = "Book" })},
		{"CTA without name", "button_name", create(func(r *MessageBotCreateRequest) { cta(r); r.ButtonName = "" })},
		{"CTA name long", "button_name", create(func(r *MessageBotCreateRequest) { cta(r); r.ButtonName = repeatRune('s', 21) })},
		{"CTA without URL", "button_url", create(func(r *MessageBotCreateRequest) { cta(r); r.ButtonURL = "" })},
		{"CTA URL not http", "button_url", create(func(r *MessageBotCreateRequest) { cta(r); r.ButtonURL = "ftp://shop.example" })},
		{"CTA URL relative", "button_url", create(func(r *MessageBotCreateRequest) { cta(r); r.ButtonURL = "/shop" })},
		{"CTA URL long", "button_url", create(func(r *MessageBotCreateRequest) { cta(r); r.ButtonURL = "https://a.example/" + repeatRune('p', 240) })},
		{"template bot get id", "id", func(ctx context.Context, c *Client) (any, *Response, error) { return c.TemplateBots.Get(ctx, 0) }},
		{"template bot delete id", "id", func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.TemplateBots.Delete(ctx, 0))
		}},
		{"message bot delete id", "id", func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.MessageBots.Delete(ctx, -1))
		}},
		{"templates per_page", "per_page", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Templates.List(ctx, &ListOptions{PerPage: 1000})
		}},
	})
}

func TestMessageBotValidRequests(t *testing.T) {
	t.Parallel()
	for _, r := range []*MessageBotCreateRequest{
		{Name: "Fallback", RelType: ContactCustomer, ReplyText: "Hello", ReplyType: ReplyFallback},
		{Name: "Welcome", RelType: ContactLead, ReplyText: "Hi", ReplyType: ReplyFirstMessage,
			ButtonName: "Visit", ButtonURL: "http://shop.example/a?b=c"},
		{Name: "Three", RelType: ContactLead, ReplyText: "Pick", ReplyType: ReplyExactMatch, Trigger: "menu",
			Button1: repeatRune('ä', 20), Button1ID: repeatRune('i', 256), Button2: "b", Button3: "c"},
	} {
		if err := r.validate(); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
	}
}

func TestMessageBotFlexibleNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, json string
		added      int64
		count      int
		active     bool
	}{
		{"numbers", `{"addedfrom":4,"sending_count":12,"is_bot_active":true}`, 4, 12, true},
		{"numeric strings", `{"addedfrom":"4","sending_count":"12","is_bot_active":"1"}`, 4, 12, true},
		{"nulls", `{"addedfrom":null,"sending_count":null,"is_bot_active":0}`, 0, 0, false},
		{"absent", `{"id":8}`, 0, 0, false},
	} {
		var b MessageBot
		if err := json.Unmarshal([]byte(tc.json), &b); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if b.AddedFrom != tc.added || b.SendingCount != tc.count || b.IsBotActive != tc.active {
			t.Errorf("%s: got addedfrom %d, sending_count %d, is_bot_active %v", tc.name, b.AddedFrom, b.SendingCount, b.IsBotActive)
		}
	}
	var b MessageBot
	if err := json.Unmarshal([]byte(`{"sending_count":"many"}`), &b); err == nil {
		t.Error("a non-numeric sending_count decoded without error")
	}
}
