package mockserver

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// matchGolden compares got with want by shape and value: the same keys, the
// same array lengths, equal values. Ids are pinned too: the test clock is
// fixed and ids come from a counter after a fixed seed.
func matchGolden(want, got any, at string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %T, want an object", at, got)}
		}
		var diffs []string
		for k := range g {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: unexpected key", at, k))
			}
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing", at, k))
				continue
			}
			diffs = append(diffs, matchGolden(wv, gv, at+"."+k)...)
		}
		slices.Sort(diffs)
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %v, want %d items", at, got, len(w))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, matchGolden(w[i], g[i], fmt.Sprintf("%s[%d]", at, i))...)
		}
		return diffs
	}
	if fmt.Sprint(want) != fmt.Sprint(got) || fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
		return []string{fmt.Sprintf("%s: got %#v, want %#v", at, got, want)}
	}
	return nil
}

func readGolden(t *testing.T, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "conformance", name))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// idOf returns the id of the named record of a list path of the default
// workspace.
func idOf(t testing.TB, s *Server, list, name string) int64 {
	t.Helper()
	code, _, body := call(t, s, "GET", "/api/v1/acme/"+list+"?per_page=100", testToken, "")
	if code != 200 {
		t.Fatalf("list %s: %d", list, code)
	}
	for _, it := range body["data"].(map[string]any)["data"].([]any) {
		m := it.(map[string]any)
		if m["name"] == name || m["firstname"] == name {
			return int64(m["id"].(float64))
		}
	}
	t.Fatalf("%s %q not found", list, name)
	return 0
}

func TestConformance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		golden string
		setup  func(s *Server) // may change the server before the request
		method string
		path   string
		token  string // "-" for none; default testToken
		body   func(s *Server) string
		status int
	}{
		{golden: "bad_subdomain.json", method: "GET", path: "/api/v1/nosuch/contacts", status: 400},
		{golden: "api_not_set_up.json", setup: func(s *Server) { s.AddWorkspace("fresh", WorkspaceWithoutAPI()) },
			method: "GET", path: "/api/v1/fresh/contacts", status: 404},
		{golden: "api_disabled.json", setup: func(s *Server) { s.Default().DisableAPI() },
			method: "GET", path: "/api/v1/acme/contacts", token: "-", status: 403},
		{golden: "token_required.json", method: "GET", path: "/api/v1/acme/contacts", token: "-", status: 401},
		{golden: "token_invalid.json", method: "GET", path: "/api/v1/acme/contacts", token: strings.Repeat("f", 64), status: 401},
		{golden: "ability_missing.json", setup: func(s *Server) { s.Default().RemoveAbility("contacts.read") },
			method: "GET", path: "/api/v1/acme/contacts", status: 403},
		{golden: "rate_limited.json", setup: func(s *Server) {
			s.Default().SetRateLimit(1, time.Minute)
			call(t, s, "GET", "/api/v1/acme/groups", testToken, "")
			s.Advance(500 * time.Millisecond) // 12:34:57.0: 59 s left of the window ending 12:35:56
		}, method: "GET", path: "/api/v1/acme/contacts", status: 429},
		{golden: "not_found.json", method: "GET", path: "/api/v1/acme/nothing", status: 404},
		{golden: "method_not_allowed.json", method: "PATCH", path: "/api/v1/acme/contacts/1", status: 405},
		{golden: "contact_not_found.json", method: "GET", path: "/api/v1/acme/contacts/999999", status: 404},
		{golden: "phone_taken.json", method: "POST", path: "/api/v1/acme/contacts", status: 422,
			body: func(s *Server) string {
				return fmt.Sprintf(`{"firstname":"A","phone":"+447700900123","type":"lead","source_id":%d,"status_id":%d}`,
					idOf(t, s, "sources", "Website"), idOf(t, s, "statuses", "New"))
			}},
		{golden: "contact_required.json", method: "POST", path: "/api/v1/acme/contacts", status: 422,
			body: func(*Server) string { return `{"lastname":"Doe"}` }},
		{golden: "malformed_json.json", method: "POST", path: "/api/v1/acme/statuses", status: 422,
			body: func(*Server) string { return `{"name":` }},
		{golden: "contact_created.json", method: "POST", path: "/api/v1/acme/contacts", status: 201,
			body: func(s *Server) string {
				return fmt.Sprintf(`{"firstname":"Jane","lastname":"Doe","company":"Acme Ltd","email":"jane@example.com",
					"phone":"+447700900999","type":"lead","country_id":44,"source_id":%d,"status_id":%d,"groups":"VIP, Trade fair"}`,
					idOf(t, s, "sources", "Website"), idOf(t, s, "statuses", "New"))
			}},
		{golden: "status_created.json", method: "POST", path: "/api/v1/acme/statuses", status: 201,
			body: func(*Server) string { return `{"name":"Follow up","color":"#3B82F6","isdefault":false}` }},
		{golden: "default_status_delete.json", method: "DELETE", status: 400, path: "statuses:New"},
		{golden: "source_in_use.json", method: "DELETE", status: 400, path: "sources:Website"},
		{golden: "contact_deleted.json", method: "DELETE", status: 200, path: "contacts:Ada"},
		{golden: "sources_page2.json", method: "GET", path: "/api/v1/acme/sources?per_page=2&page=2", status: 200},
		{golden: "sources_past_end.json", method: "GET", path: "/api/v1/acme/sources?page=5", status: 200},
		{golden: "per_page_out_of_range.json", method: "GET", path: "/api/v1/acme/sources?page=0&per_page=101", status: 422},
		{golden: "contact_limit.json", setup: func(s *Server) { s.Default().SetContactLimit(4) },
			method: "POST", path: "/api/v1/acme/contacts", body: func(*Server) string { return `{}` }, status: 403},
	} {
		t.Run(strings.TrimSuffix(tc.golden, ".json"), func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			if tc.setup != nil {
				tc.setup(s)
			}
			path := tc.path
			if list, name, ok := strings.Cut(path, ":"); ok { // "list:name" addresses a seeded record
				path = fmt.Sprintf("/api/v1/acme/%s/%d", list, idOf(t, s, list, name))
			}
			token := tc.token
			switch token {
			case "":
				token = testToken
			case "-":
				token = ""
			}
			body := ""
			if tc.body != nil {
				body = tc.body(s)
			}
			code, _, got := call(t, s, tc.method, path, token, body)
			if code != tc.status {
				t.Errorf("status %d, want %d", code, tc.status)
			}
			for _, d := range matchGolden(readGolden(t, tc.golden), any(got), "$") {
				t.Error(d)
			}
		})
	}
}

// TestGoldenMatcher checks that the comparison catches what it should.
func TestGoldenMatcher(t *testing.T) {
	t.Parallel()
	var want, got any
	_ = json.Unmarshal([]byte(`{"a":1,"b":[1,null],"c":"x","e":"1"}`), &want)
	_ = json.Unmarshal([]byte(`{"a":2,"b":[1,2],"d":"x","e":1}`), &got)
	if diffs := matchGolden(want, got, "$"); len(diffs) != 5 {
		t.Errorf("diffs = %q, want 5 (a differs, b[1], c missing, d unexpected, e a number for a string)", diffs)
	}
}
