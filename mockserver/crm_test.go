package mockserver

import (
	"fmt"
	"testing"
)

// do calls the default workspace's API and fails the test unless it answers
// want; it returns the body's data.
func do(t *testing.T, s *Server, method, path, body string, want int) map[string]any {
	t.Helper()
	code, _, got := call(t, s, method, "/api/v1/acme/"+path, testToken, body)
	if code != want {
		t.Fatalf("%s %s: %d %v, want %d", method, path, code, got, want)
	}
	data, _ := got["data"].(map[string]any)
	if data == nil {
		return got
	}
	return data
}

func TestContactLifecycle(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	src, st := idOf(t, s, "sources", "Referral"), idOf(t, s, "statuses", "Won")
	c := do(t, s, "POST", "contacts", fmt.Sprintf(
		`{"firstname":"Jane","phone":"+15551234567","type":"customer","source_id":%d,"status_id":"%d","groups":"New group, VIP ,new GROUP"}`, src, st), 201)
	id := int64(c["id"].(float64))
	if len(c["group_id"].([]any)) != 2 {
		t.Errorf("group_id = %v, want 2 groups (names deduplicated without case)", c["group_id"])
	}
	newGroup := idOf(t, s, "groups", "New group")

	// Update: required fields replace, left-out fields keep, null clears.
	u := do(t, s, "PUT", fmt.Sprint("contacts/", id), fmt.Sprintf(
		`{"firstname":"Janet","lastname":"Roe","phone":"+15551234567","type":"lead","status_id":null}`), 200)
	if u["firstname"] != "Janet" || u["type"] != "lead" || u["status_id"] != nil ||
		u["source_id"] != float64(src) || len(u["group_id"].([]any)) != 2 {
		t.Errorf("updated contact %v", u)
	}
	do(t, s, "PUT", fmt.Sprint("contacts/", id), `{"firstname":"J"}`, 422)
	u = do(t, s, "PUT", fmt.Sprint("contacts/", id),
		`{"firstname":"J","lastname":"R","phone":"+15551234567","type":"lead","groups":"VIP"}`, 200)
	if g := u["group_id"].([]any); len(g) != 1 || g[0] == float64(newGroup) {
		t.Errorf("group_id = %v, want only VIP", g)
	}
	got := do(t, s, "GET", fmt.Sprint("contacts/", id), "", 200)
	if got["firstname"] != "J" || got["lastname"] != "R" {
		t.Errorf("show = %v", got)
	}

	// Newest first, filters.
	list := do(t, s, "GET", "contacts", "", 200)["data"].([]any)
	if list[0].(map[string]any)["id"] != float64(id) || len(list) != 5 {
		t.Errorf("list starts with %v (%d items), want the new contact of 5", list[0], len(list))
	}
	for q, n := range map[string]int{
		"type=lead": 3, "type=customer": 2, "type=guest": 0,
		fmt.Sprintf("source_id=%d", src): 2, fmt.Sprintf("source_id=%d&type=customer", src): 0, "status_id=abc": 0,
	} {
		if got := do(t, s, "GET", "contacts?"+q, "", 200)["total"]; got != float64(n) {
			t.Errorf("?%s: total %v, want %d", q, got, n)
		}
	}

	// The group that lost its members may go; VIP may not.
	do(t, s, "DELETE", fmt.Sprint("groups/", newGroup), "", 200)
	if got := do(t, s, "DELETE", fmt.Sprint("groups/", idOf(t, s, "groups", "VIP")), "", 400); got["message"] != "The Group ID is already being used" {
		t.Errorf("delete VIP: %v", got)
	}
	do(t, s, "DELETE", fmt.Sprint("contacts/", id), "", 200)
	do(t, s, "GET", fmt.Sprint("contacts/", id), "", 404)
	do(t, s, "DELETE", fmt.Sprint("contacts/", id), "", 404)
}

func TestContactValidation(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	src, st := idOf(t, s, "sources", "Referral"), idOf(t, s, "statuses", "Won")
	valid := fmt.Sprintf(`"firstname":"A","type":"lead","source_id":%d,"status_id":%d`, src, st)
	for body, want := range map[string]string{
		`{` + valid + `,"phone":"+0123456789"}`:                                             `{"phone":["The phone field format is invalid."]}`,
		`{` + valid + `,"phone":"+123456"}`:                                                 `{"phone":["The phone field format is invalid."]}`,
		`{` + valid + `,"phone":"+1234567890123456"}`:                                       `{"phone":["The phone field format is invalid."]}`,
		`{` + valid + `,"phone":12345678}`:                                                  `{"phone":["The phone field must be a string."]}`,
		`{` + valid + `,"phone":"+15550000001","email":"nope"}`:                             `{"email":["The email field must be a valid email address."]}`,
		`{` + valid + `,"phone":"+15550000001","email":"ADA@example.com"}`:                  `{"email":["The email has already been taken."]}`,
		`{` + valid + `,"phone":"+15550000001","type":"guest"}`:                             `{"type":["The selected type is invalid."]}`,
		`{` + valid + `,"phone":"+15550000001","source_id":999999}`:                         `{"source_id":["The selected source id is invalid."]}`,
		`{` + valid + `,"phone":"+15550000001","country_id":"x"}`:                           `{"country_id":["The country id field must be an integer."]}`,
		`{` + valid + `,"phone":"+15550000001","firstname":"` + string(make256('a')) + `"}`: `{"firstname":["The firstname field must not be greater than 255 characters."]}`,
		`[1,2]`: `{"body":["The request body must be a valid JSON object."]}`,
	} {
		code, _, got := call(t, s, "POST", "/api/v1/acme/contacts", testToken, body)
		if code != 422 || fmt.Sprint(jsonOf(t, got["errors"])) != want {
			t.Errorf("%s: %d %s, want 422 %s", body, code, jsonOf(t, got["errors"]), want)
		}
	}
}

func make256(c byte) []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = c
	}
	return b
}

func TestStatusesSourcesGroups(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	def := idOf(t, s, "statuses", "New")
	st := do(t, s, "POST", "statuses", `{"name":"Hot","isdefault":true}`, 201)
	if st["isdefault"] != float64(1) || st["color"] != nil {
		t.Errorf("created %v", st)
	}
	if got := do(t, s, "GET", fmt.Sprint("statuses/", def), "", 200); got["isdefault"] != float64(0) {
		t.Errorf("the old default is still default: %v", got)
	}
	hot := int64(st["id"].(float64))
	do(t, s, "POST", "statuses", `{"name":"hot"}`, 422)
	do(t, s, "POST", "statuses", `{"name":"ab"}`, 422)
	do(t, s, "POST", "statuses", `{"name":"Cold","color":"#1234567"}`, 422)
	// Update without a name keeps it; renaming to itself is no conflict.
	if got := do(t, s, "PUT", fmt.Sprint("statuses/", hot), `{"color":"#000000"}`, 200); got["name"] != "Hot" {
		t.Errorf("update without name: %v", got)
	}
	do(t, s, "PUT", fmt.Sprint("statuses/", hot), `{"name":"HOT"}`, 200)
	do(t, s, "DELETE", fmt.Sprint("statuses/", def), "", 400) // used by a contact
	do(t, s, "DELETE", fmt.Sprint("statuses/", hot), "", 400) // the default

	for _, res := range []string{"sources", "groups"} {
		v := do(t, s, "POST", res, `{"name":"Fair"}`, 201)
		id := fmt.Sprint(res, "/", int64(v["id"].(float64)))
		do(t, s, "POST", res, `{"name":"fair"}`, 422)
		do(t, s, "PUT", id, `{}`, 422) // name required on update
		if got := do(t, s, "PUT", id, `{"name":"Trade fair"}`, 200); got["name"] != "Trade fair" {
			t.Errorf("%s update: %v", res, got)
		}
		do(t, s, "DELETE", id, "", 200)
		do(t, s, "GET", id, "", 404)
	}
}

func TestWorkspacesAreSeparate(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	other := s.AddWorkspace("other")
	id := idOf(t, s, "contacts", "Ada")
	code, _, body := call(t, s, "GET", fmt.Sprint("/api/v1/other/contacts/", id), other.Token(), "")
	if code != 404 || body["message"] != "Contact not found" {
		t.Errorf("another workspace's contact: %d %v", code, body)
	}
	_, _, body = call(t, s, "GET", "/api/v1/other/contacts", other.Token(), "")
	if body["data"].(map[string]any)["total"] != float64(0) {
		t.Errorf("a new workspace has contacts: %v", body)
	}
}
