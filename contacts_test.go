package xobito

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

func TestContactsEndpoints(t *testing.T) {
	t.Parallel()
	runAPICases(t, []apiCase{{
		name: "list with filters",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.List(ctx, &ContactListOptions{
				ListOptions: ListOptions{Page: 2, PerPage: 2},
				Type:        ContactLead, SourceID: 3, StatusID: 5,
			})
		},
		method: "GET", path: "contacts", query: "page=2&per_page=2&type=lead&source_id=3&status_id=5",
		status: 200, file: "contacts_list.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			l := got.([]Contact)
			if len(l) != 2 || l[0].ID != 43 || l[1].ID != 41 || l[0].GroupIDs != nil || !reflect.DeepEqual(l[1].GroupIDs, []int64{2}) {
				t.Errorf("got %+v", l)
			}
			if resp.CurrentPage != 2 || resp.LastPage != 3 || resp.PerPage != 2 || resp.Total != 5 {
				t.Errorf("page numbers %+v", resp)
			}
			if string(l[1].CustomFieldsData) != "[]" || string(l[0].CustomFieldsData) != "null" {
				t.Errorf("custom fields %s %s", l[0].CustomFieldsData, l[1].CustomFieldsData)
			}
		},
	}, {
		name:   "list without options",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Contacts.List(ctx, nil) },
		method: "GET", path: "contacts", status: 200, file: "contacts_list.json",
		check: func(t *testing.T, _ any, resp *Response, err error) { wantOK(t, resp, err, "") },
	}, {
		name:   "get",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Contacts.Get(ctx, 42) },
		method: "GET", path: "contacts/42", status: 200, file: "contacts_get.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			want := Contact{
				ID: 42, TenantID: 7, Type: "lead", FirstName: "Amina", LastName: "Okafor",
				Company: "Okafor Textiles", Email: "amina@example.com", Phone: "+2348031234567",
				Address: "12 Marina Rd", City: "Lagos", State: "Lagos", Zip: "100001", CountryID: 161,
				SourceID: 3, StatusID: 5, GroupIDs: []int64{2, 9}, IsEnabled: true, IsOptedOut: false,
				CustomFieldsData: json.RawMessage(`{"vip_level": "gold"}`),
				CreatedAt:        ts("2026-04-08T14:30:25Z"), UpdatedAt: ts("2026-04-09T08:15:00Z"),
			}
			if !reflect.DeepEqual(*got.(*Contact), want) {
				t.Errorf("got  %+v\nwant %+v", *got.(*Contact), want)
			}
		},
	}, {
		name:   "get unknown",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Contacts.Get(ctx, 99) },
		method: "GET", path: "contacts/99", status: 404, file: "contacts_not_found.json",
		check: func(t *testing.T, got any, _ *Response, err error) {
			wantAPIError(t, err, ErrNotFound, "Contact not found")
			if got.(*Contact) != nil {
				t.Errorf("got %+v with an error", got)
			}
		},
	}, {
		name: "create",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.Create(ctx, &ContactCreateRequest{
				FirstName: "Ravi", LastName: "Menon", Phone: "+919812345678", Email: "ravi@example.com",
				Type: ContactCustomer, SourceID: 3, StatusID: 5, Description: "Met at the fair",
				AssignedID: 2, GroupNames: []string{"VIP", "Trade fair 2026"},
			})
		},
		method: "POST", path: "contacts", status: 201, file: "contacts_create.json",
		body: `{"firstname":"Ravi","lastname":"Menon","phone":"+919812345678","email":"ravi@example.com",
			"type":"customer","source_id":3,"status_id":5,"description":"Met at the fair","assigned_id":2,
			"groups":"VIP,Trade fair 2026"}`,
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "Contact created successfully")
			c := got.(*Contact)
			if c.ID != 43 || !c.IsEnabled || c.IsOptedOut || !reflect.DeepEqual(c.GroupIDs, []int64{2, 11}) ||
				c.AssignedID != 2 || c.CountryID != 0 || c.CreatedAt != ts("2026-04-10T09:00:00Z") {
				t.Errorf("got %+v", c)
			}
		},
	}, {
		name: "create refused",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.Create(ctx, &ContactCreateRequest{
				FirstName: "Ravi", Phone: "+919812345678", Type: ContactLead, SourceID: 3, StatusID: 5,
			})
		},
		method: "POST", path: "contacts", status: 422, file: "contacts_validation_error.json",
		body: `{"firstname":"Ravi","phone":"+919812345678","type":"lead","source_id":3,"status_id":5}`,
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrValidation, "Validation failed")
			var ae *APIError
			errors.As(err, &ae)
			if got := ae.Fields["phone"]; len(got) != 1 || got[0] != "The phone has already been taken." {
				t.Errorf("fields %v", ae.Fields)
			}
		},
	}, {
		name: "create over the plan",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.Create(ctx, &ContactCreateRequest{
				FirstName: "Ravi", Phone: "+919812345678", Type: ContactLead, SourceID: 3, StatusID: 5,
			})
		},
		method: "POST", path: "contacts", status: 403, file: "contacts_plan_limit.json",
		body: `{"firstname":"Ravi","phone":"+919812345678","type":"lead","source_id":3,"status_id":5}`,
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrPlanLimit, "Contact limit exceeded for your current plan. Upgrade to add more contacts.")
		},
	}, {
		name: "update clears source and groups",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			email := ""
			return c.Contacts.Update(ctx, 42, &ContactUpdateRequest{
				FirstName: "Amina", LastName: "Okafor-Bello", Phone: "+2348031234567", Type: ContactCustomer,
				Email: &email, SourceID: NullID(), StatusID: ID(6), GroupNames: []string{},
			})
		},
		method: "PUT", path: "contacts/42", status: 200, file: "contacts_update.json",
		body: `{"firstname":"Amina","lastname":"Okafor-Bello","phone":"+2348031234567","type":"customer",
			"email":"","source_id":null,"status_id":6,"groups":""}`,
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "Contact updated successfully")
			c := got.(*Contact)
			if c.SourceID != 0 || c.StatusID != 6 || len(c.GroupIDs) != 0 || !c.IsOptedOut {
				t.Errorf("got %+v", c)
			}
		},
	}, {
		name: "update keeps what is left out",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.Update(ctx, 42, &ContactUpdateRequest{
				FirstName: "Amina", LastName: "Okafor", Phone: "+2348031234567", Type: ContactLead,
			})
		},
		method: "PUT", path: "contacts/42", status: 200, file: "contacts_update.json",
		body: `{"firstname":"Amina","lastname":"Okafor","phone":"+2348031234567","type":"lead"}`,
		check: func(t *testing.T, _ any, resp *Response, err error) {
			wantOK(t, resp, err, "Contact updated successfully")
		},
	}, {
		name: "delete",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.Contacts.Delete(ctx, 42))
		},
		method: "DELETE", path: "contacts/42", status: 200, file: "contacts_delete.json",
		check: func(t *testing.T, _ any, resp *Response, err error) {
			wantOK(t, resp, err, "Contact deleted successfully")
		},
	}, {
		name: "delete without the ability",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.Contacts.Delete(ctx, 42))
		},
		method: "DELETE", path: "contacts/42", status: 403, file: "contacts_missing_ability.json",
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrMissingAbility, "Token does not have the required ability: contacts.delete")
		},
	}})
}

func TestContactDecodeTolerates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, json string
		want       Contact
	}{
		{"ids as strings", `{"id":1,"tenant_id":"7","source_id":"3","status_id":"5","country_id":"","assigned_id":null}`,
			Contact{ID: 1, TenantID: 7, SourceID: 3, StatusID: 5}},
		{"group_id as JSON text", `{"id":1,"group_id":"[4,\"5\"]"}`, Contact{ID: 1, GroupIDs: []int64{4, 5}}},
		{"group_id as comma list", `{"id":1,"group_id":"4, 5"}`, Contact{ID: 1, GroupIDs: []int64{4, 5}}},
		{"group_id empty string", `{"id":1,"group_id":""}`, Contact{ID: 1}},
		{"everything null", `{"id":1,"firstname":null,"group_id":null,"is_enabled":null,"created_at":null,"custom_fields_data":null}`,
			Contact{ID: 1, CustomFieldsData: json.RawMessage("null")}},
		{"booleans as strings", `{"id":1,"is_enabled":"1","is_opted_out":"true"}`, Contact{ID: 1, IsEnabled: true, IsOptedOut: true}},
		{"unknown fields", `{"id":1,"whatsapp_meta":{"a":[1,{"b":null}]},"score":9.5}`, Contact{ID: 1}},
	} {
		var got Contact
		if err := json.Unmarshal([]byte(tc.json), &got); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	for _, bad := range []string{`{"group_id":"a,b"}`, `{"group_id":{"x":1}}`, `{"source_id":"x"}`} {
		var c Contact
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestResponseFlagsDecode reads every boolean field of the response types
// in each form the API sends. The value is first set to the opposite, so
// that a field the decoder skips shows.
func TestResponseFlagsDecode(t *testing.T) {
	t.Parallel()
	fields := []struct {
		key    string
		decode func(docs ...string) (bool, error)
	}{
		{"is_enabled", flagOf(func(v *Contact) bool { return v.IsEnabled })},
		{"is_opted_out", flagOf(func(v *Contact) bool { return v.IsOptedOut })},
		{"isdefault", flagOf(func(v *Status) bool { return v.IsDefault })},
		{"is_bot_active", flagOf(func(v *TemplateBot) bool { return v.IsBotActive })},
		{"is_bot_active", flagOf(func(v *MessageBot) bool { return v.IsBotActive })},
		{"format_valid", flagOf(func(v *PhoneValidation) bool { return v.FormatValid })},
		{"contact_created", flagOf(func(v *SendResult) bool { return v.ContactCreated })},
		{"created", flagOf(func(v *TemplateContact) bool { return v.Created })},
		{"sent", flagOf(func(v *TemplateSent) bool { return v.Sent })},
		{"has_media", flagOf(func(v *TemplateSent) bool { return v.HasMedia })},
	}
	forms := []struct {
		json string
		want bool
	}{
		{`true`, true}, {`1`, true}, {`"1"`, true}, {`"true"`, true},
		{`false`, false}, {`0`, false}, {`"0"`, false}, {`"false"`, false}, {`null`, false}, {`""`, false},
	}
	for _, f := range fields {
		for _, form := range forms {
			before := fmt.Sprintf(`{"id":1,%q:%t}`, f.key, !form.want)
			got, err := f.decode(before, fmt.Sprintf(`{%q:%s}`, f.key, form.json))
			if err != nil || got != form.want {
				t.Errorf("%s: %s = %v, %v; want %v", f.key, form.json, got, err, form.want)
			}
		}
		for _, bad := range []string{`2`, `"maybe"`, `[]`, `{}`} {
			if _, err := f.decode(fmt.Sprintf(`{%q:%s}`, f.key, bad)); err == nil {
				t.Errorf("%s: %s decoded without error", f.key, bad)
			}
		}
	}
}

// flagOf decodes JSON documents one after the other into the same T and
// returns the field that get reads.
func flagOf[T any](get func(*T) bool) func(docs ...string) (bool, error) {
	return func(docs ...string) (bool, error) {
		var v T
		for _, d := range docs {
			if err := json.Unmarshal([]byte(d), &v); err != nil {
				return false, err
			}
		}
		return get(&v), nil
	}
}

func TestContactRequestsJSON(t *testing.T) {
	t.Parallel()
	country := int64(0)
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"create without groups", ContactCreateRequest{FirstName: "A", Phone: "1", Type: "lead", SourceID: 1, StatusID: 2},
			`{"firstname":"A","phone":"1","type":"lead","source_id":1,"status_id":2}`},
		{"create with one group", &ContactCreateRequest{FirstName: "A", Phone: "1", Type: "lead", SourceID: 1, StatusID: 2, GroupNames: []string{"VIP"}},
			`{"firstname":"A","phone":"1","type":"lead","source_id":1,"status_id":2,"groups":"VIP"}`},
		{"update sets ids and a zero country", ContactUpdateRequest{FirstName: "A", LastName: "B", Phone: "1", Type: "lead",
			SourceID: ID(3), StatusID: NullID(), CountryID: &country},
			`{"firstname":"A","lastname":"B","phone":"1","type":"lead","source_id":3,"status_id":null,"country_id":0}`},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		jsonEqual(t, b, tc.want)
	}
	if id, ok := ID(3).Get(); id != 3 || !ok || !NullID().IsNull() || !(NullableID{}).IsZero() {
		t.Error("NullableID accessors")
	}
}

func TestContactInputRefused(t *testing.T) {
	t.Parallel()
	valid := func() *ContactCreateRequest {
		return &ContactCreateRequest{FirstName: "Ravi", Phone: "+919812345678", Type: ContactLead, SourceID: 3, StatusID: 5}
	}
	create := func(edit func(*ContactCreateRequest)) func(context.Context, *Client) (any, *Response, error) {
		return func(ctx context.Context, c *Client) (any, *Response, error) {
			r := valid()
			edit(r)
			return c.Contacts.Create(ctx, r)
		}
	}
	update := func(edit func(*ContactUpdateRequest)) func(context.Context, *Client) (any, *Response, error) {
		return func(ctx context.Context, c *Client) (any, *Response, error) {
			r := &ContactUpdateRequest{FirstName: "Ravi", LastName: "Menon", Phone: "+919812345678", Type: ContactLead}
			edit(r)
			return c.Contacts.Update(ctx, 43, r)
		}
	}
	wantInputErrors(t, []inputCase{
		{"nil create", "body", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Contacts.Create(ctx, nil) }},
		{"nil update", "body", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Contacts.Update(ctx, 1, nil) }},
		{"firstname missing", "firstname", create(func(r *ContactCreateRequest) { r.FirstName = "" })},
		{"firstname long", "firstname", create(func(r *ContactCreateRequest) { r.FirstName = repeatRune('ü', 256) })},
		{"lastname long", "lastname", create(func(r *ContactCreateRequest) { r.LastName = repeatRune('a', 256) })},
		{"phone missing", "phone", create(func(r *ContactCreateRequest) { r.Phone = "" })},
		{"phone long", "phone", create(func(r *ContactCreateRequest) { r.Phone = "+123456789012345678901" })},
		{"email long", "email", create(func(r *ContactCreateRequest) { r.Email = repeatRune('a', 180) + "@example.com" })},
		{"email not an address", "email", create(func(r *ContactCreateRequest) { r.Email = "ravi.example.com" })},
		{"company long", "company", create(func(r *ContactCreateRequest) { r.Company = repeatRune('c', 256) })},
		{"type missing", "type", create(func(r *ContactCreateRequest) { r.Type = "" })},
		{"type guest", "type", create(func(r *ContactCreateRequest) { r.Type = ContactGuest })},
		{"source missing", "source_id", create(func(r *ContactCreateRequest) { r.SourceID = 0 })},
		{"status negative", "status_id", create(func(r *ContactCreateRequest) { r.StatusID = -5 })},
		{"country negative", "country_id", create(func(r *ContactCreateRequest) { r.CountryID = -1 })},
		{"group with a comma", "groups", create(func(r *ContactCreateRequest) { r.GroupNames = []string{"A,B"} })},
		{"empty group name", "groups", create(func(r *ContactCreateRequest) { r.GroupNames = []string{"A", " "} })},
		{"update lastname required", "lastname", update(func(r *ContactUpdateRequest) { r.LastName = "" })},
		{"update type required", "type", update(func(r *ContactUpdateRequest) { r.Type = "" })},
		{"update phone required", "phone", update(func(r *ContactUpdateRequest) { r.Phone = "" })},
		{"update bad source id", "source_id", update(func(r *ContactUpdateRequest) { r.SourceID = ID(0) })},
		{"update bad email", "email", update(func(r *ContactUpdateRequest) { e := "nope"; r.Email = &e })},
		{"update id", "id", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.Update(ctx, 0, &ContactUpdateRequest{FirstName: "R", LastName: "M", Phone: "1", Type: ContactLead})
		}},
		{"get id", "id", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Contacts.Get(ctx, 0) }},
		{"delete id", "id", func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.Contacts.Delete(ctx, -2))
		}},
		{"list type", "type", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.List(ctx, &ContactListOptions{Type: "vip"})
		}},
		{"list source", "source_id", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.List(ctx, &ContactListOptions{SourceID: -1})
		}},
		{"list per_page", "per_page", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Contacts.List(ctx, &ContactListOptions{ListOptions: ListOptions{PerPage: 101}})
		}},
	})
}

// pagedContacts answers GET /contacts like the server: total contacts,
// numbered from total down, per page as asked.
func pagedContacts(total int, onPage func(page int) (int, bool)) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		page, _ := strconv.Atoi(req.URL.Query().Get("page"))
		per, _ := strconv.Atoi(req.URL.Query().Get("per_page"))
		page, per = max(page, 1), cmp.Or(per, 15)
		if onPage != nil {
			if status, fail := onPage(page); fail {
				return jsonResponder(status, `{"status":"error","message":"Failed to list contacts"}`)(req)
			}
		}
		var items []string
		for i := (page - 1) * per; i < min(page*per, total); i++ {
			items = append(items, fmt.Sprintf(`{"id":%d,"firstname":"c%d","is_enabled":1}`, total-i, total-i))
		}
		last := max((total+per-1)/per, 1)
		body := fmt.Sprintf(`{"status":"success","data":{"current_page":%d,"data":[%s],"per_page":%d,"total":%d,"last_page":%d}}`,
			page, strings.Join(items, ","), per, total, last)
		return jsonResponder(200, body)(req)
	}
}

func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func TestContactsAllWalksPages(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	var cp capture
	mt.RegisterResponder("GET", testBase+"contacts", cp.then(pagedContacts(7, nil)))
	got, err := collect(c.Contacts.All(t.Context(), &ContactListOptions{ListOptions: ListOptions{PerPage: 3}, Type: ContactLead}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 || got[0].ID != 7 || got[6].ID != 1 || !got[6].IsEnabled {
		t.Fatalf("got %+v", got)
	}
	if cp.count() != 3 {
		t.Fatalf("%d requests, want 3", cp.count())
	}
	for i, req := range cp.reqs {
		want := fmt.Sprintf("page=%d&per_page=3&type=lead", i+1)
		if req.URL.RawQuery != want {
			t.Errorf("request %d query %q, want %q", i, req.URL.RawQuery, want)
		}
	}
}

func TestContactsAllEmpty(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	mt.RegisterResponder("GET", testBase+"contacts", pagedContacts(0, nil))
	got, err := collect(c.Contacts.All(t.Context(), nil))
	if err != nil || len(got) != 0 || mt.GetTotalCallCount() != 1 {
		t.Fatalf("got %v, %v after %d calls", got, err, mt.GetTotalCallCount())
	}
}

func TestContactsAllStopsAtError(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t, WithRetry(RetryPolicy{}))
	mt.RegisterResponder("GET", testBase+"contacts", pagedContacts(5, func(page int) (int, bool) { return 500, page == 2 }))
	got, err := collect(c.Contacts.All(t.Context(), &ContactListOptions{ListOptions: ListOptions{PerPage: 2}}))
	if !errors.Is(err, ErrServer) || len(got) != 2 {
		t.Fatalf("got %d contacts, err %v", len(got), err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func TestContactsAllRefusesRepeatedPage(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	// The server ignores page and always answers page 1 of 3.
	mt.RegisterResponder("GET", testBase+"contacts", jsonResponder(200,
		`{"status":"success","data":{"current_page":1,"data":[{"id":9},{"id":8}],"per_page":2,"total":6,"last_page":3}}`))
	got, err := collect(c.Contacts.All(t.Context(), &ContactListOptions{ListOptions: ListOptions{PerPage: 2}}))
	if !errors.Is(err, ErrPageNotAdvancing) || len(got) != 2 {
		t.Fatalf("got %d contacts, err %v", len(got), err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func TestContactsAllStopsEarlyAndOnContext(t *testing.T) {
	t.Parallel()
	c, mt, _ := newMockClient(t)
	mt.RegisterResponder("GET", testBase+"contacts", pagedContacts(10, nil))
	for range c.Contacts.All(t.Context(), &ContactListOptions{ListOptions: ListOptions{PerPage: 2}}) {
		break
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Fatalf("%d requests after break, want 1", n)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := collect(c.Contacts.All(ctx, nil))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	// Invalid options surface as the iterator's first error, nothing sent.
	_, err = collect(c.Contacts.All(t.Context(), &ContactListOptions{Type: "vip"}))
	if !errors.Is(err, ErrInvalidInput) || mt.GetTotalCallCount() != 1 {
		t.Fatalf("err = %v", err)
	}
}

func count[T any](seq func(func(T, error) bool)) (int, error) {
	l, err := collect(seq)
	return len(l), err
}
