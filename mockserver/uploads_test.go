package mockserver

import (
	"io"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

const mediaPath = "/api/v1/acme/messages/media"

func TestSendMedia(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	code, body := serve(t, s, multipartRequest(mediaPath,
		part{name: "phone_number", value: "14155550123"}, part{name: "media_type", value: "video"},
		part{name: "caption", value: "Watch this"}, part{name: "media_file", file: "clip.mp4", size: maxVideoUpload}))
	if code != 200 || body["message"] != "Media message sent successfully" || dig(body, "data", "contact_created") != false ||
		dig(body, "data", "sent_at") != "2026-04-16T12:34:56.500000Z" {
		t.Fatalf("video upload at the limit: %d %v", code, body)
	}
	if _, has := body["data"].(map[string]any)["message"]; has {
		t.Error("a media result carries no message text")
	}
	code, body = api(t, s, "POST", "messages/media", `{"phone_number":"+4915123456789","media_type":"audio",
		"media_url":"https://cdn.example.com/a/voice.ogg?sig=1"}`)
	if code != 200 {
		t.Fatalf("audio by URL: %d %v", code, body)
	}
	msgs := s.Default().Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	if m := msgs[0]; m.Type != "video" || m.Text != "Watch this" || m.Filename != "clip.mp4" || m.FileSize != maxVideoUpload ||
		!strings.HasPrefix(m.MediaURL, "http://example.com/storage/acme/media/") {
		t.Errorf("uploaded video = %+v", m)
	}
	if m := msgs[1]; m.Type != "audio" || m.Filename != "voice.ogg" || m.MediaURL != "https://cdn.example.com/a/voice.ogg?sig=1" {
		t.Errorf("audio = %+v", m)
	}
}

func TestSendMediaValidation(t *testing.T) {
	t.Parallel()
	text := func(name, value string) part { return part{name: name, value: value} }
	phone, image := text("phone_number", "+14155550123"), text("media_type", "image")
	for _, tc := range []struct {
		name        string
		parts       []part
		field, want string
	}{
		{"required", nil, "phone_number", "The phone number field is required."},
		{"phone short", []part{text("phone_number", "+1415555"), image, text("media_url", "https://a.example/x.png")},
			"phone_number", "The phone number field must be at least 10 characters."},
		{"phone long", []part{text("phone_number", "+141555501234567"), image, text("media_url", "https://a.example/x.png")},
			"phone_number", "The phone number field must not be greater than 15 characters."},
		{"media type", []part{phone, text("media_type", "sticker"), text("media_url", "https://a.example/x.png")},
			"media_type", "The selected media type is invalid."},
		{"neither", []part{phone, image}, "media_url", "The media url field is required when media file is not present."},
		{"both", []part{phone, image, text("media_url", "https://a.example/x.png"), {name: "media_file", file: "x.png", size: 10}},
			"media_url", "The media url field is prohibited when media file is present."},
		{"file as text", []part{phone, image, text("media_file", "x.png")}, "media_file", "The media file field must be a file."},
		{"bad url", []part{phone, image, text("media_url", "//a.example/x.png")}, "media_url", "The media url field must be a valid URL."},
		{"image too large", []part{phone, image, {name: "media_file", file: "x.png", size: maxImageUpload + 1}},
			"media_file", "The media file field must not be greater than 5120 kilobytes."},
		{"audio too large", []part{phone, text("media_type", "audio"), {name: "media_file", file: "x.ogg", size: maxAudioUpload + 1}},
			"media_file", "The media file field must not be greater than 16384 kilobytes."},
		{"audio caption", []part{phone, text("media_type", "audio"), text("media_url", "https://a.example/x.ogg"), text("caption", "Hi")},
			"caption", "The caption field is prohibited when media type is audio."},
		{"caption long", []part{phone, image, text("media_url", "https://a.example/x.png"), text("caption", strings.Repeat("c", 1025))},
			"caption", "The caption field must not be greater than 1024 characters."},
		{"filename long", []part{phone, image, text("media_url", "https://a.example/x.png"), text("filename", strings.Repeat("f", 256))},
			"filename", "The filename field must not be greater than 255 characters."},
		{"contact", []part{phone, image, text("media_url", "https://a.example/x.png"), text("contact[email]", "nope")},
			"contact.email", "The contact.email field must be a valid email address."},
		// A new number becomes a contact, whose phone must be E.164.
		{"not E.164", []part{text("phone_number", "0014155550"), image, text("media_url", "https://a.example/x.png")},
			"phone_number", "The phone number field format is invalid."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t)
			code, body := serve(t, s, multipartRequest(mediaPath, tc.parts...))
			if code != 422 || dig(body, "errors", tc.field, 0) != tc.want {
				t.Errorf("%d %v, want 422 %s: %q", code, body["errors"], tc.field, tc.want)
			}
			if n := len(s.Default().Messages()); n != 0 {
				t.Errorf("%d messages sent by a refused request", n)
			}
			if n := len(listed(t, s, "contacts")); n != 4 {
				t.Errorf("%d contacts after a refused request, want the 4 seeded", n)
			}
		})
	}
}

func TestUploadBodies(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	post := func(ctype, body string, length int64) (int, map[string]any) {
		req := httptest.NewRequest("POST", mediaPath, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", ctype)
		if length != 0 {
			req.ContentLength = length
		}
		return serve(t, s, req)
	}
	for _, tc := range []struct {
		name, ctype, body string
		length            int64
		code              int
		field             string
	}{
		{"declared too large", "multipart/form-data; boundary=b", "--b--", maxUploadBody + 1, 413, ""},
		{"no boundary", "multipart/form-data", "--b--", 0, 422, "body"},
		{"truncated", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc", 0, 422, "body"},
		{"not a form", "text/plain", "phone_number=1", 0, 422, "content_type"},
		{"bad media type", "multipart/", "x", 0, 422, "content_type"},
		{"JSON too large", "application/json", `{"caption":"` + strings.Repeat("c", maxJSONBody) + `"}`, 0, 413, ""},
		{"JSON array", "application/json", `[]`, 0, 422, "body"},
	} {
		code, body := post(tc.ctype, tc.body, tc.length)
		if code != tc.code || tc.field != "" && dig(body, "errors", tc.field) == nil || body["status"] != "error" {
			t.Errorf("%s: %d %v, want %d naming %q", tc.name, code, body, tc.code, tc.field)
		}
	}

	// Text parts are bounded together, and so is their number.
	parts := []part{{name: "caption", value: strings.Repeat("c", maxFormText/2)}, {name: "filename", value: strings.Repeat("f", maxFormText/2+1)}}
	if code, body := serve(t, s, multipartRequest(mediaPath, parts...)); code != 413 {
		t.Errorf("text parts over their bound: %d %v", code, body)
	}
	parts = nil
	for range maxFormParts + 1 {
		parts = append(parts, part{name: "x", value: "y"})
	}
	if code, body := serve(t, s, multipartRequest(mediaPath, parts...)); code != 422 {
		t.Errorf("too many parts: %d %v", code, body)
	}
}

// TestUploadOverTheCap streams a body longer than any upload without
// declaring its length: the server stops at the cap and answers 413.
func TestUploadOverTheCap(t *testing.T) {
	if testing.Short() {
		t.Skip("streams more than 100 MiB")
	}
	t.Parallel()
	s := newTestServer(t)
	code, body := serve(t, s, multipartRequest(mediaPath, part{name: "phone_number", value: "+14155550123"},
		part{name: "media_type", value: "document"}, part{name: "media_file", file: "huge.pdf", size: maxUploadBody}))
	if code != 413 || body["message"] != msgTooLarge {
		t.Errorf("%d %v, want 413", code, body)
	}
	if n := len(s.Default().Messages()); n != 0 {
		t.Errorf("%d messages sent", n)
	}
}

// TestUploadMemoryBounded checks that a large upload is streamed, not held:
// serving a 40 MiB file allocates a small fraction of it. It does not run
// in parallel, so that other tests' allocations do not count.
func TestUploadMemoryBounded(t *testing.T) {
	s := newTestServer(t)
	const size = 40 << 20
	req := multipartRequest("/api/v1/acme/messages/template",
		part{name: "phone_number", value: "+14155550123"}, part{name: "template_name", value: "invoice_ready"},
		part{name: "template_language", value: "en_US"}, part{name: "field_1", value: "INV-1"}, part{name: "field_2", value: "$5"},
		part{name: "header_document_file", file: "big.pdf", size: size})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, body := serve(t, s, req)
	runtime.ReadMemStats(&after)
	if code != 200 {
		t.Fatalf("%d %v", code, body)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/16 {
		t.Errorf("serving a %d MiB upload allocated %d KiB", size>>20, alloc>>10)
	} else {
		t.Logf("serving a %d MiB upload allocated %d KiB", size>>20, alloc>>10)
	}
	if m := s.Default().Messages(); len(m) != 1 || m[0].FileSize != size || m[0].Filename != "big.pdf" {
		t.Errorf("messages = %+v", m)
	}
}

func TestCappedReader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body    string
		limit   int64
		tooLong bool
	}{
		{"abc", 3, false}, {"abcd", 3, true}, {"", 0, false}, {"a", 0, true},
	} {
		b, err := io.ReadAll(&cappedReader{r: strings.NewReader(tc.body), left: tc.limit})
		if tooLong := err == errTooLarge; tooLong != tc.tooLong || !tc.tooLong && string(b) != tc.body {
			t.Errorf("%q with limit %d: %q, %v", tc.body, tc.limit, b, err)
		}
	}
}

// FuzzMessagingBodies throws arbitrary bodies at the messaging endpoints,
// as JSON and as multipart: never a panic nor a 5xx, always a JSON answer.
// FuzzHandler covers methods, paths and headers; this one goes deep into
// the bodies these endpoints parse.
func FuzzMessagingBodies(f *testing.F) {
	const form = "--b\r\nContent-Disposition: form-data; name=\"phone_number\"\r\n\r\n+14155550123\r\n" +
		"--b\r\nContent-Disposition: form-data; name=\"media_type\"\r\n\r\nimage\r\n" +
		"--b\r\nContent-Disposition: form-data; name=\"media_file\"; filename=\"a.png\"\r\n\r\nPNG\r\n--b--\r\n"
	for _, seed := range []struct {
		path      string
		multipart bool
		body      string
	}{
		{"messages/send", false, `{"phone_number":"+14155550123","message_body":"Hi","message_type":"interactive","buttons":[{"id":"a","title":"A"},null,{"id":{}}]}`},
		{"messages/send", false, `{"phone_number":"+14155550123","message_body":"Hi","contact":{"groups":"a,,b","assigned_id":1e99}}`},
		{"messages/template", false, `{"phone_number":"447700900123","template_name":"order_update","template_language":"en_US","header_image_file":{}}`},
		{"messages/template", true, strings.ReplaceAll(form, "media_file", "header_image_file")},
		{"messages/media", true, form},
		{"messages/media", true, "--b\r\nContent-Disposition: form-data; name=\"contact[\"\r\n\r\nx\r\n--b--"},
		{"messages/media", false, `{"phone_number":"+14155550123","media_type":"audio","media_url":"http://[::1"}`},
		{"phone/validate", false, `{"phone_number":"+7 8 700 000 0000"}`},
		{"messagebots", false, `{"name":"Bot","rel_type":"lead","reply_text":"x","reply_type":9223372036854775807}`},
	} {
		f.Add(seed.path, seed.multipart, []byte(seed.body))
	}
	s := New(WithClock(FixedClock(testStart)), WithToken(testToken), WithRateLimit(1<<30, 1))
	f.Cleanup(s.Close)
	f.Fuzz(func(t *testing.T, path string, multipart bool, body []byte) {
		req := httptest.NewRequest("POST", "/api/v1/acme/", strings.NewReader(string(body)))
		req.URL.Path += path
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		if multipart {
			req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		if b := rec.Body.Bytes(); len(b) == 0 || b[0] != '{' {
			t.Fatalf("%s: %d, body is not a JSON object: %q", path, rec.Code, b)
		}
	})
}
