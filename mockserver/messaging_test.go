package mockserver

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// part is one part of a multipart body: a text field, or a file of size
// bytes when file (its name) is set.
type part struct {
	name, value string
	file        string
	size        int64
}

// multipartRequest builds a request whose multipart body is written while
// it is read, so that a large file never exists in memory. Close its body
// when done (serve does).
func multipartRequest(target string, parts ...part) *http.Request {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for _, p := range parts {
			if p.file == "" {
				if err := mw.WriteField(p.name, p.value); err != nil {
					return
				}
				continue
			}
			w, err := mw.CreateFormFile(p.name, p.file)
			if err != nil {
				return
			}
			if _, err := io.Copy(w, io.LimitReader(filler{}, p.size)); err != nil {
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	req := httptest.NewRequest("POST", target, pr)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// filler reads as an endless run of 'x'.
type filler struct{}

func (filler) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// serve answers req with h and returns the status and the decoded body.
func serve(t testing.TB, h http.Handler, req *http.Request) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if req.Body != nil {
		req.Body.Close()
	}
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v: %q", req.Method, req.URL, err, rec.Body)
	}
	return rec.Code, v
}

// api sends a JSON request to the default workspace's API path.
func api(t testing.TB, s *Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	code, _, v := call(t, s, method, "/api/v1/acme/"+path, testToken, body)
	return code, v
}

// dig walks a decoded JSON value along keys and indexes ("data", 0, "id").
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// mustSend sends a text to phone and returns the message id.
func mustSend(t testing.TB, s *Server, phone string) string {
	t.Helper()
	code, body := api(t, s, "POST", "messages/send", `{"phone_number":"`+phone+`","message_body":"Hello"}`)
	id, _ := dig(body, "data", "message_id").(string)
	if code != 200 || id == "" {
		t.Fatalf("send: %d %v", code, body)
	}
	return id
}

// listed returns the items of a list path of the default workspace.
func listed(t testing.TB, s *Server, path string) []map[string]any {
	t.Helper()
	code, body := api(t, s, "GET", path+"?per_page=100", "")
	if code != 200 {
		t.Fatalf("GET %s: %d %v", path, code, body)
	}
	var out []map[string]any
	for _, it := range dig(body, "data", "data").([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// itemNamed returns the listed item whose key equals value.
func itemNamed(t testing.TB, s *Server, path, key, value string) map[string]any {
	t.Helper()
	for _, it := range listed(t, s, path) {
		if it[key] == value {
			return it
		}
	}
	t.Fatalf("%s: no %s %q", path, key, value)
	return nil
}

// normalize replaces what changes from run to run in a decoded body: only
// message ids, which hold random bytes, become "<wamid>" (a test that needs
// one checks it against the id the send returned). Record ids stay: they
// come from a counter after a fixed seed, and the test clock is fixed.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case string:
		if strings.HasPrefix(x, "wamid.") {
			return "<wamid>"
		}
	}
	return v
}

// TestMessagingGolden compares the mock's answers with the contract's
// example bodies under testdata/messaging, by shape and value.
func TestMessagingGolden(t *testing.T) {
	t.Parallel()
	send := func(s *Server) string { return mustSend(t, s, "+14155550123") }
	for _, tc := range []struct {
		golden string
		status int
		do     func(t *testing.T, s *Server) (int, map[string]any)
	}{
		{"send_text.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "POST", "messages/send", `{"phone_number":"+14155552671","message_body":"Hello from Xobito",
				"contact":{"firstname":"Grace","lastname":"Lee","email":"grace@example.com"}}`)
		}},
		{"send_media.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "POST", "messages/media", `{"phone_number":"+14155550123","media_type":"image",
				"media_url":"https://cdn.example.com/media/banner.png","caption":"Our new banner"}`)
		}},
		{"template_sent.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "POST", "messages/template", `{"phone_number":"+447700900123","template_name":"order_update",
				"template_language":"en_US","header_image_url":"https://cdn.example.com/media/banner.png",
				"field_1":"Ada","field_2":"#1042"}`)
		}},
		{"template_not_found.json", 422, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "POST", "messages/template", `{"phone_number":"+447700900123","template_name":"summer_sale",
				"template_language":"en_US"}`)
		}},
		{"template_fields.json", 422, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "POST", "messages/template", `{"phone_number":"+447700900123","template_name":"order_update",
				"template_language":"en_US","field_1":"Ada"}`)
		}},
		{"message_status.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			id := send(s)
			s.Advance(5 * time.Minute)
			if err := s.Default().SetMessageStatus(id, "delivered", ""); err != nil {
				t.Fatal(err)
			}
			return statusOf(t, s, id)
		}},
		{"message_status_failed.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			id := send(s)
			s.Advance(time.Hour)
			if err := s.Default().SetMessageStatus(id, "failed", ""); err != nil {
				t.Fatal(err)
			}
			return statusOf(t, s, id)
		}},
		{"message_not_found.json", 404, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "GET", "messages/wamid.HBgLMTQxNTU1NTI2NzEV%2F%2B%3D%3D/status", "")
		}},
		{"phone_valid.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "POST", "phone/validate", `{"phone_number":"+919909919284"}`)
		}},
		{"phone_invalid.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "POST", "phone/validate", `{"phone_number":"+00000"}`)
		}},
		{"template_object.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			return 200, itemNamed(t, s, "templates", "template_name", "appointment_reminder")
		}},
		{"template_bot.json", 200, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "GET", fmt.Sprintf("templatebots/%v", itemNamed(t, s, "templatebots", "name", "Order status")["id"]), "")
		}},
		{"message_bot_created.json", 201, func(t *testing.T, s *Server) (int, map[string]any) {
			return api(t, s, "POST", "messagebots", `{"name":"Store hours","rel_type":"lead","reply_text":"We open at 9.",
				"reply_type":1,"trigger":"hours,open","bot_header":"Hours","button1":"Directions","button1_id":"dir"}`)
		}},
		{"upload_too_large.json", 422, func(t *testing.T, s *Server) (int, map[string]any) {
			return serve(t, s, multipartRequest("/api/v1/acme/messages/template",
				part{name: "phone_number", value: "+447700900123"}, part{name: "template_name", value: "order_update"},
				part{name: "template_language", value: "en_US"},
				part{name: "header_image_file", file: "banner.png", size: maxImageUpload + 1}))
		}},
	} {
		t.Run(strings.TrimSuffix(tc.golden, ".json"), func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			code, got := tc.do(t, s)
			if code != tc.status {
				t.Errorf("status %d, want %d", code, tc.status)
			}
			b, err := os.ReadFile(filepath.Join("testdata", "messaging", tc.golden))
			if err != nil {
				t.Fatal(err)
			}
			var want any
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("%s: %v", tc.golden, err)
			}
			if norm := normalize(any(got)); !reflect.DeepEqual(norm, want) {
				out, _ := json.MarshalIndent(norm, "", "  ")
				t.Errorf("answer differs from %s:\n%s", tc.golden, out)
			}
		})
	}
}

// statusOf reads the status of the message id, checking that the answer
// is about that message (the golden holds "<wamid>" for its id).
func statusOf(t *testing.T, s *Server, id string) (int, map[string]any) {
	t.Helper()
	code, body := api(t, s, "GET", "messages/"+escapeID(id)+"/status", "")
	if got := dig(body, "data", "message_id"); got != id {
		t.Errorf("status of message %s: message_id %v", id, got)
	}
	return code, body
}

// escapeID escapes a message id for a path, as a client must.
func escapeID(id string) string {
	r := strings.NewReplacer("/", "%2F", "+", "%2B", "=", "%3D")
	return r.Replace(id)
}
