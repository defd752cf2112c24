package xobito

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// wantRequest checks the method, escaped path and headers every call sends.
func wantRequest(t *testing.T, req *http.Request, method, escapedPath, contentType string) {
	t.Helper()
	if req.Method != method {
		t.Errorf("method = %s, want %s", req.Method, method)
	}
	if got := req.URL.EscapedPath(); got != "/api/v1/acme/"+escapedPath {
		t.Errorf("path = %s, want /api/v1/acme/%s", got, escapedPath)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
	if got := req.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q", got)
	}
	if got, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); got != contentType {
		t.Errorf("Content-Type = %q, want %s", req.Header.Get("Content-Type"), contentType)
	}
}

// edited returns a maker of calls that send a valid message changed by an
// edit, so each refusal case states only what is wrong.
func edited[M, R any](send func(*MessagesService, context.Context, *M) (*R, *Response, error), valid func() *M) func(func(*M)) func(context.Context, *Client) (any, *Response, error) {
	return func(edit func(*M)) func(context.Context, *Client) (any, *Response, error) {
		return func(ctx context.Context, c *Client) (any, *Response, error) {
			m := valid()
			edit(m)
			r, resp, err := send(c.Messages, ctx, m)
			return r, resp, err
		}
	}
}

// answering returns a client whose transport answers method and path
// (relative to the workspace) with r, recording every request.
func answering(t *testing.T, method, path string, r httpmock.Responder) (*Client, *capture, *sleepRecorder) {
	t.Helper()
	c, mt, rec := newMockClient(t)
	cp := &capture{}
	mt.RegisterResponder(method, testBase+path, cp.then(r))
	return c, cp, rec
}

// formPart is a multipart part as the server sees it.
type formPart struct {
	filename, contentType string
	content               []byte
}

// readForm parses a multipart body into its parts by field name.
func readForm(t *testing.T, req *http.Request, body []byte) map[string]formPart {
	t.Helper()
	mt, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type = %q", req.Header.Get("Content-Type"))
	}
	parts := map[string]formPart{}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("reading form: %v", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts[p.FormName()] = formPart{p.FileName(), p.Header.Get("Content-Type"), b}
	}
}

// wantFields checks the plain fields of a form: exactly these, with these
// values.
func wantFields(t *testing.T, parts map[string]formPart, fileField string, want map[string]string) {
	t.Helper()
	for name, p := range parts {
		if name == fileField {
			continue
		}
		if w, ok := want[name]; !ok || string(p.content) != w {
			t.Errorf("form field %s = %q, want %q (present: %v)", name, p.content, w, ok)
		}
	}
	for name := range want {
		if _, ok := parts[name]; !ok {
			t.Errorf("form field %s missing", name)
		}
	}
}

var testContact = &MessageContact{
	FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com",
	Country: "GB", AssignedID: 3, GroupNames: []string{"VIP", "Newsletter"},
}

const testContactJSON = `{"firstname":"Ada","lastname":"Lovelace","email":"ada@example.com","country":"GB","assigned_id":3,"groups":"VIP,Newsletter"}`

func TestSendText(t *testing.T) {
	t.Parallel()
	c, cp, _ := answering(t, "POST", "messages/send", jsonResponder(200, readTestdata(t, "messages_send_text.json")))

	res, resp, err := c.Messages.SendText(context.Background(), &TextMessage{
		PhoneNumber: "+14155552671", Body: "Hello from Xobito", Contact: testContact,
	})
	if err != nil {
		t.Fatal(err)
	}
	req, body := cp.last(t)
	wantRequest(t, req, "POST", "messages/send", "application/json")
	jsonEqual(t, body, `{"phone_number":"+14155552671","message_body":"Hello from Xobito","message_type":"text","contact":`+testContactJSON+`}`)

	if res.MessageID != "wamid.HBgLMTQxNTU1NTI2NzEVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA" || res.ContactID != 42 || res.ChatID != 7 ||
		res.Phone != "+14155552671" || res.Status != "sent" || !res.ContactCreated || res.Message != "Hello from Xobito" {
		t.Errorf("result = %+v", res)
	}
	if want := time.Date(2026, 4, 8, 14, 30, 25, 0, time.UTC); !res.SentAt.Equal(want) {
		t.Errorf("sent_at = %v, want %v", res.SentAt, want)
	}
	if resp.Message != "Message sent successfully" || resp.Attempts != 1 {
		t.Errorf("response message %q, attempts %d", resp.Message, resp.Attempts)
	}
}

func TestSendButtonsAndCTA(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		send func(*Client) error
		want string
	}{
		{"buttons", func(c *Client) error {
			_, _, err := c.Messages.SendButtons(context.Background(), &ButtonsMessage{
				PhoneNumber: "+14155552671", Body: "Pick one", Header: "Menu", Footer: "Reply below",
				Buttons: []ReplyButton{{ID: "yes", Title: "Yes"}, {ID: "no", Title: "No"}},
			})
			return err
		}, `{"phone_number":"+14155552671","message_body":"Pick one","message_type":"interactive","header":"Menu","footer":"Reply below",
			"buttons":[{"id":"yes","title":"Yes"},{"id":"no","title":"No"}]}`},
		{"cta", func(c *Client) error {
			_, _, err := c.Messages.SendCTA(context.Background(), &CTAMessage{
				PhoneNumber: "+14155552671", Body: "Track your order", Footer: "Thanks",
				ButtonText: "Track", ButtonURL: "https://example.com/track?id=9", Contact: &MessageContact{FirstName: "Ada"},
			})
			return err
		}, `{"phone_number":"+14155552671","message_body":"Track your order","message_type":"cta_url","footer":"Thanks",
			"button_text":"Track","button_url":"https://example.com/track?id=9","contact":{"firstname":"Ada"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, cp, _ := answering(t, "POST", "messages/send", jsonResponder(200, readTestdata(t, "messages_send_text.json")))
			if err := tt.send(c); err != nil {
				t.Fatal(err)
			}
			req, body := cp.last(t)
			wantRequest(t, req, "POST", "messages/send", "application/json")
			jsonEqual(t, body, tt.want)
		})
	}
}

func TestSendLengthsCountCharacters(t *testing.T) {
	t.Parallel()
	c, _, _ := answering(t, "POST", "messages/send", jsonResponder(200, readTestdata(t, "messages_send_text.json")))
	// 20 two-byte characters are 40 bytes but within the 20-character limit.
	_, _, err := c.Messages.SendButtons(context.Background(), &ButtonsMessage{PhoneNumber: "+14155552671", Body: "hi",
		Buttons: []ReplyButton{{ID: "x", Title: strings.Repeat("é", 20)}}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSendNotRetriedOnServerError(t *testing.T) {
	t.Parallel()
	c, cp, rec := answering(t, "POST", "messages/send", jsonResponder(503, `{"status":"error","message":"Failed to send message"}`))

	_, resp, err := c.Messages.SendText(context.Background(), &TextMessage{PhoneNumber: "+14155552671", Body: "hi"})
	if !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if n := cp.count(); n != 1 {
		t.Errorf("sent %d times, want exactly once: a repeated send may deliver the message twice", n)
	}
	if resp == nil || resp.Attempts != 1 || len(rec.Waits()) != 0 {
		t.Errorf("attempts %v, waits %v", resp, rec.Waits())
	}
}

func TestSendRetriedAfterRateLimit(t *testing.T) {
	t.Parallel()
	limited := jsonResponder(429, `{"message":"Too many requests","retry_after":2}`)
	c, cp, rec := answering(t, "POST", "messages/send", sequence(limited, limited, jsonResponder(200, readTestdata(t, "messages_send_text.json"))))

	res, resp, err := c.Messages.SendText(context.Background(), &TextMessage{PhoneNumber: "+14155552671", Body: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if cp.count() != 3 || resp.Attempts != 3 || res.MessageID == "" {
		t.Errorf("sent %d times (attempts %d), want 3", cp.count(), resp.Attempts)
	}
	waits := rec.Waits()
	if len(waits) != 2 {
		t.Fatalf("waits = %v, want 2", waits)
	}
	for _, w := range waits {
		if w < 2*time.Second {
			t.Errorf("waited %v, less than the server's retry_after of 2s", w)
		}
	}
	for i := 1; i < 3; i++ {
		if !bytes.Equal(cp.body[i], cp.body[0]) {
			t.Errorf("attempt %d sent other bytes", i+1)
		}
	}
}

const (
	testWamid        = "wamid.HBg+LMTQx/NTU1NTI2NzEV=="
	testWamidEscaped = "wamid.HBg%2BLMTQx%2FNTU1NTI2NzEV%3D%3D"
)

func TestStatus(t *testing.T) {
	t.Parallel()
	c, cp, _ := answering(t, "GET", "messages/"+testWamidEscaped+"/status", jsonResponder(200, readTestdata(t, "messages_status.json")))

	st, _, err := c.Messages.Status(context.Background(), testWamid)
	if err != nil {
		t.Fatal(err)
	}
	req, body := cp.last(t)
	wantRequest(t, req, "GET", "messages/"+testWamidEscaped+"/status", "")
	if req.URL.RawPath != "/api/v1/acme/messages/"+testWamidEscaped+"/status" {
		t.Errorf("RawPath = %q: the escaping was not kept", req.URL.RawPath)
	}
	if len(body) != 0 {
		t.Errorf("GET sent a body: %q", body)
	}
	if st.MessageID != testWamid || st.DeliveryStatus != DeliveryDelivered || st.ErrorMessage != nil || st.Source != "chat" ||
		!st.LastUpdated.Equal(time.Date(2026, 4, 8, 14, 35, 10, 0, time.UTC)) || len(st.Statuses) != 5 ||
		st.Statuses[DeliveryRead] != "Message was read by the recipient" {
		t.Errorf("status = %+v", st)
	}
}

func TestStatusFailedAndUnknown(t *testing.T) {
	t.Parallel()
	c, _, _ := answering(t, "GET", "messages/"+testWamidEscaped+"/status", jsonResponder(200, readTestdata(t, "messages_status_failed.json")))

	st, _, err := c.Messages.Status(context.Background(), testWamid)
	if err != nil {
		t.Fatal(err)
	}
	if st.DeliveryStatus != DeliveryFailed || st.ErrorMessage == nil || *st.ErrorMessage != "Message outside 24-hour window" {
		t.Errorf("status = %+v", st)
	}
	c, _, _ = answering(t, "GET", "messages/wamid.gone/status", jsonResponder(404, `{"status":"error","message":"Message not found"}`))
	_, _, err = c.Messages.Status(context.Background(), "wamid.gone")
	var ae *APIError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &ae) || ae.Message != "Message not found" {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func TestPathSegment(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		testWamid:  testWamidEscaped,
		"a b?c#d%": "a%20b%3Fc%23d%25",
		"Az09-._~": "Az09-._~",
		"é":        "%C3%A9",
		".":        "%2E",
		"..":       "%2E%2E",
		"a;b,c&@:": "a%3Bb%2Cc%26%40%3A",
	} {
		if got := pathSegment(in); got != want {
			t.Errorf("pathSegment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSendTemplateJSON(t *testing.T) {
	t.Parallel()
	c, cp, _ := answering(t, "POST", "messages/template", jsonResponder(200, readTestdata(t, "messages_template.json")))

	res, resp, err := c.Messages.SendTemplate(context.Background(), &TemplateMessage{
		PhoneNumber: "+14155552671", TemplateName: "order_update", TemplateLanguage: "en_US", FromPhoneNumberID: "1098765",
		HeaderImageURL: "https://cdn.example.com/media/banner.png", HeaderParam: "Ada",
		BodyParams:   []string{"A-1001", "", "Friday"},
		ButtonParams: []string{"", "track/A-1001"},
		CopyCode:     "SAVE10", Contact: testContact,
	})
	if err != nil {
		t.Fatal(err)
	}
	req, body := cp.last(t)
	wantRequest(t, req, "POST", "messages/template", "application/json")
	jsonEqual(t, body, `{"phone_number":"+14155552671","template_name":"order_update","template_language":"en_US",
		"from_phone_number_id":"1098765","header_image_url":"https://cdn.example.com/media/banner.png","header_field_1":"Ada",
		"field_1":"A-1001","field_3":"Friday","button_1":"track/A-1001","copy_code":"SAVE10","contact":`+testContactJSON+`}`)

	if res.MessageID() != "wamid.HBgLMTQxNTU1NTI2NzEVAgARGBJGMDFFMkQzQzRCNUE2OTc4ODcA" {
		t.Errorf("MessageID() = %q", res.MessageID())
	}
	ct, tp, wa := res.Contact, res.Template, res.WhatsAppResponse
	if ct.ID != 42 || ct.FirstName != "Ada" || ct.LastName != "Lovelace" || ct.Email != "ada@example.com" || ct.Created {
		t.Errorf("contact = %+v", ct)
	}
	if tp.TemplateName != "order_update" || tp.Language != "en_US" || !tp.Sent || tp.HeaderFormat != "IMAGE" || !tp.HasMedia {
		t.Errorf("template = %+v", tp)
	}
	if wa.MessagingProduct != "whatsapp" || len(wa.Contacts) != 1 || wa.Contacts[0].WaID != "14155552671" || wa.Contacts[0].Input != "+14155552671" {
		t.Errorf("whatsapp_response = %+v", wa)
	}
	if res.MediaInfo == nil || res.MediaInfo.Filename != "banner.png" || res.MediaInfo.MediaType != "image" ||
		res.MediaInfo.MediaURL != "https://cdn.example.com/media/banner.png" {
		t.Errorf("media_info = %+v", res.MediaInfo)
	}
	if resp.Message != "Template sent successfully" {
		t.Errorf("message = %q", resp.Message)
	}
}

func TestTemplateResultWithoutMedia(t *testing.T) {
	t.Parallel()
	c, _, _ := answering(t, "POST", "messages/template", jsonResponder(200, `{"status":"success","message":"Template sent successfully",
		"data":{"contact":{"id":1,"phone":"+14155552671","first_name":null,"last_name":null,"email":null,"created":1},
		"template":{"template_name":"hello","language":"en","sent":1,"header_format":null,"has_media":0},
		"whatsapp_response":{"messaging_product":"whatsapp","contacts":[],"messages":[]},"media_info":null}}`))
	res, _, err := c.Messages.SendTemplate(context.Background(), &TemplateMessage{PhoneNumber: "+14155552671", TemplateName: "hello", TemplateLanguage: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if res.MediaInfo != nil || res.MessageID() != "" || !res.Contact.Created || res.Template.HeaderFormat != "" {
		t.Errorf("result = %+v", res)
	}
	if (*TemplateResult)(nil).MessageID() != "" {
		t.Error("MessageID of nil result")
	}
}

func TestSendTemplateMultipart(t *testing.T) {
	t.Parallel()
	c, cp, _ := answering(t, "POST", "messages/template", jsonResponder(200, readTestdata(t, "messages_template.json")))

	doc := bytes.Repeat([]byte("%PDF-1.7 invoice\n"), 1000)
	_, _, err := c.Messages.SendTemplate(context.Background(), &TemplateMessage{
		PhoneNumber: "+14155552671", TemplateName: "invoice", TemplateLanguage: "en",
		HeaderDocumentFile: &Upload{Name: "invoice-1001.pdf", Content: bytes.NewReader(doc)},
		HeaderDocumentName: "Invoice 1001.pdf",
		BodyParams:         []string{"Ada", "1001"},
		Contact:            testContact,
	})
	if err != nil {
		t.Fatal(err)
	}
	req, body := cp.last(t)
	wantRequest(t, req, "POST", "messages/template", "multipart/form-data")
	if req.ContentLength != int64(len(body)) {
		t.Errorf("Content-Length %d, body %d bytes", req.ContentLength, len(body))
	}
	parts := readForm(t, req, body)
	wantFields(t, parts, "header_document_file", map[string]string{
		"phone_number": "+14155552671", "template_name": "invoice", "template_language": "en",
		"header_document_name": "Invoice 1001.pdf", "field_1": "Ada", "field_2": "1001",
		"contact[firstname]": "Ada", "contact[lastname]": "Lovelace", "contact[email]": "ada@example.com",
		"contact[country]": "GB", "contact[assigned_id]": "3", "contact[groups]": "VIP,Newsletter",
	})
	f := parts["header_document_file"]
	if f.filename != "invoice-1001.pdf" || f.contentType != "application/pdf" || !bytes.Equal(f.content, doc) {
		t.Errorf("file part: name %q, type %q, %d bytes", f.filename, f.contentType, len(f.content))
	}
}

func TestSendTemplateErrors(t *testing.T) {
	t.Parallel()
	c, _, _ := answering(t, "POST", "messages/template", sequence(
		jsonResponder(422, readTestdata(t, "messages_template_not_found.json")),
		jsonResponder(422, readTestdata(t, "messages_template_fields.json")),
	))
	msg := &TemplateMessage{PhoneNumber: "+14155552671", TemplateName: "order_update", TemplateLanguage: "en_US"}

	_, _, err := c.Messages.SendTemplate(context.Background(), msg)
	var ae *APIError
	if !errors.Is(err, ErrValidation) || !errors.As(err, &ae) || ae.Message != "Validation failed" ||
		len(ae.Fields["template"]) != 1 || !strings.Contains(ae.Fields["template"][0], "'order_update' was not found") {
		t.Fatalf("err = %v", err)
	}
	_, _, err = c.Messages.SendTemplate(context.Background(), msg)
	if !errors.Is(err, ErrValidation) || !errors.As(err, &ae) || ae.Message != "Template validation failed" ||
		len(ae.Fields["template_fields"]) != 2 {
		t.Fatalf("err = %v", err)
	}
}

// sizedReader is a seekable reader of n bytes that holds none of them, to
// test size limits without allocating.
type sizedReader struct{ off, n int64 }

func (r *sizedReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), r.n-r.off))
	clear(p[:k])
	r.off += int64(k)
	return k, nil
}

func (r *sizedReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.n
	}
	r.off = offset
	return offset, nil
}

func TestSendTemplateAtSizeLimit(t *testing.T) {
	t.Parallel()
	c, cp, _ := answering(t, "POST", "messages/template", jsonResponder(200, readTestdata(t, "messages_template.json")))
	_, _, err := c.Messages.SendTemplate(context.Background(), &TemplateMessage{
		PhoneNumber: "+14155552671", TemplateName: "promo", TemplateLanguage: "en",
		HeaderImageFile: &Upload{Name: "banner.png", Content: &sizedReader{n: 5120 << 10}},
	})
	if err != nil {
		t.Fatal(err)
	}
	req, body := cp.last(t)
	if f := readForm(t, req, body)["header_image_file"]; len(f.content) != 5120<<10 || f.contentType != "image/png" {
		t.Errorf("file part: %d bytes, type %q", len(f.content), f.contentType)
	}
}

func TestSendMediaURL(t *testing.T) {
	t.Parallel()
	c, cp, _ := answering(t, "POST", "messages/media", jsonResponder(200, readTestdata(t, "messages_send_media.json")))

	res, resp, err := c.Messages.SendMedia(context.Background(), &MediaMessage{
		PhoneNumber: "+14155552671", MediaType: MediaDocument, MediaURL: "https://cdn.example.com/q3.pdf",
		Caption: "Q3 report", Filename: "q3.pdf", Contact: &MessageContact{FirstName: "Ada", AssignedID: 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	req, body := cp.last(t)
	wantRequest(t, req, "POST", "messages/media", "application/json")
	jsonEqual(t, body, `{"phone_number":"+14155552671","media_type":"document","media_url":"https://cdn.example.com/q3.pdf",
		"caption":"Q3 report","filename":"q3.pdf","contact":{"firstname":"Ada","assigned_id":3}}`)
	if res.MessageID != "wamid.HBgLMTQxNTU1NTI2NzEVAgARGBJBMUIyQzNENEU1RjZBN0I4QzkA" || res.ContactCreated || res.ContactID != 42 ||
		!res.SentAt.Equal(time.Date(2026, 4, 8, 14, 31, 2, 0, time.UTC)) || res.Message != "" {
		t.Errorf("result = %+v", res)
	}
	if resp.Message != "Media message sent successfully" {
		t.Errorf("message = %q", resp.Message)
	}
}

func TestSendMediaFile(t *testing.T) {
	t.Parallel()
	c, cp, _ := answering(t, "POST", "messages/media", jsonResponder(200, readTestdata(t, "messages_send_media.json")))

	voice := []byte("OggS\x00\x02 voice note")
	_, _, err := c.Messages.SendMedia(context.Background(), &MediaMessage{
		PhoneNumber: "+14155552671", MediaType: MediaAudio,
		MediaFile: &Upload{Name: "note.ogg", Content: bytes.NewReader(voice), ContentType: "audio/ogg; codecs=opus"},
	})
	if err != nil {
		t.Fatal(err)
	}
	req, body := cp.last(t)
	wantRequest(t, req, "POST", "messages/media", "multipart/form-data")
	parts := readForm(t, req, body)
	wantFields(t, parts, "media_file", map[string]string{"phone_number": "+14155552671", "media_type": "audio"})
	f := parts["media_file"]
	if f.filename != "note.ogg" || f.contentType != "audio/ogg; codecs=opus" || !bytes.Equal(f.content, voice) {
		t.Errorf("file part: name %q, type %q, content %q", f.filename, f.contentType, f.content)
	}
}

func TestSendMediaUploadRetriedAfterRateLimit(t *testing.T) {
	t.Parallel()
	c, cp, rec := answering(t, "POST", "messages/media", sequence(
		jsonResponder(429, `{"message":"Too many requests","retry_after":1}`),
		jsonResponder(200, readTestdata(t, "messages_send_media.json")),
	))
	path := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(path, bytes.Repeat([]byte{0xff, 0xd8, 0x42}, 50_000), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	_, resp, err := c.Messages.SendMedia(context.Background(), &MediaMessage{
		PhoneNumber: "+14155552671", MediaType: MediaImage, MediaFile: &Upload{Name: "photo.jpg", Content: f},
	})
	if err != nil {
		t.Fatal(err)
	}
	if cp.count() != 2 || resp.Attempts != 2 {
		t.Fatalf("sent %d times, want 2", cp.count())
	}
	if !bytes.Equal(cp.body[0], cp.body[1]) || len(cp.body[0]) < 150_000 {
		t.Errorf("attempts sent different bodies (%d and %d bytes)", len(cp.body[0]), len(cp.body[1]))
	}
	if cp.reqs[0].ContentLength != int64(len(cp.body[0])) || cp.reqs[1].ContentLength != int64(len(cp.body[1])) {
		t.Errorf("Content-Length %d/%d, bodies %d bytes", cp.reqs[0].ContentLength, cp.reqs[1].ContentLength, len(cp.body[0]))
	}
	if w := rec.Waits(); len(w) != 1 || w[0] < time.Second {
		t.Errorf("waits = %v, want one of at least 1s", w)
	}
}

func TestMessageContactJSON(t *testing.T) {
	t.Parallel()
	b, err := testContact.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, b, testContactJSON)
	b, _ = MessageContact{}.MarshalJSON()
	jsonEqual(t, b, `{}`)
}

func TestMessagesRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	const phone = "+14155552671"
	long := func(n int) string { return strings.Repeat("é", n) } // characters, not bytes
	file := func(name string, n int64) *Upload { return &Upload{Name: name, Content: &sizedReader{n: n}} }
	const kb = 1024

	text := edited((*MessagesService).SendText, func() *TextMessage { return &TextMessage{PhoneNumber: phone, Body: "hi"} })
	buttons := edited((*MessagesService).SendButtons, func() *ButtonsMessage {
		return &ButtonsMessage{PhoneNumber: phone, Body: "hi", Buttons: []ReplyButton{{"a", "A"}}}
	})
	cta := edited((*MessagesService).SendCTA, func() *CTAMessage {
		return &CTAMessage{PhoneNumber: phone, Body: "hi", ButtonText: "Go", ButtonURL: "https://example.com"}
	})
	template := edited((*MessagesService).SendTemplate, func() *TemplateMessage {
		return &TemplateMessage{PhoneNumber: phone, TemplateName: "hello", TemplateLanguage: "en_US"}
	})
	media := edited((*MessagesService).SendMedia, func() *MediaMessage {
		return &MediaMessage{PhoneNumber: phone, MediaType: MediaImage, MediaURL: "https://cdn.example.com/a.png"}
	})

	wantInputErrors(t, []inputCase{
		{"nil message", "body", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Messages.SendText(ctx, nil) }},
		{"nil template message", "body", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Messages.SendTemplate(ctx, nil) }},
		{"nil media message", "body", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Messages.SendMedia(ctx, nil) }},
		{"blank message id", "message_id", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Messages.Status(ctx, " ") }},
		{"blank phone to validate", "phone_number", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Phone.Validate(ctx, "") }},

		{"text: no phone", "phone_number", text(func(m *TextMessage) { m.PhoneNumber = "" })},
		{"text: blank body", "message_body", text(func(m *TextMessage) { m.Body = "  " })},
		{"text: body too long", "message_body", text(func(m *TextMessage) { m.Body = long(4097) })},
		{"text: group name with comma", "contact.groups", text(func(m *TextMessage) { m.Contact = &MessageContact{GroupNames: []string{"a,b"}} })},
		{"buttons: none", "buttons", buttons(func(m *ButtonsMessage) { m.Buttons = nil })},
		{"buttons: four", "buttons", buttons(func(m *ButtonsMessage) { m.Buttons = []ReplyButton{{"a", "A"}, {"b", "B"}, {"c", "C"}, {"d", "D"}} })},
		{"buttons: title too long", "buttons[1].title", buttons(func(m *ButtonsMessage) { m.Buttons = append(m.Buttons, ReplyButton{"b", long(21)}) })},
		{"buttons: no title", "buttons[0].title", buttons(func(m *ButtonsMessage) { m.Buttons[0].Title = "" })},
		{"buttons: id too long", "buttons[0].id", buttons(func(m *ButtonsMessage) { m.Buttons[0].ID = long(257) })},
		{"buttons: header too long", "header", buttons(func(m *ButtonsMessage) { m.Header = long(61) })},
		{"cta: footer too long", "footer", cta(func(m *CTAMessage) { m.Footer = long(61) })},
		{"cta: no button text", "button_text", cta(func(m *CTAMessage) { m.ButtonText = "" })},
		{"cta: button text too long", "button_text", cta(func(m *CTAMessage) { m.ButtonText = long(21) })},
		{"cta: no url", "button_url", cta(func(m *CTAMessage) { m.ButtonURL = "" })},
		{"cta: url not http", "button_url", cta(func(m *CTAMessage) { m.ButtonURL = "ftp://example.com/x" })},

		{"template: no phone", "phone_number", template(func(m *TemplateMessage) { m.PhoneNumber = "" })},
		{"template: phone too short", "phone_number", template(func(m *TemplateMessage) { m.PhoneNumber = "+123456" })},
		{"template: phone too long", "phone_number", template(func(m *TemplateMessage) { m.PhoneNumber = "+1234567890123456" })},
		{"template: no name", "template_name", template(func(m *TemplateMessage) { m.TemplateName = "" })},
		{"template: no language", "template_language", template(func(m *TemplateMessage) { m.TemplateLanguage = "" })},
		{"template: language too short", "template_language", template(func(m *TemplateMessage) { m.TemplateLanguage = "e" })},
		{"template: language too long", "template_language", template(func(m *TemplateMessage) { m.TemplateLanguage = "en_US_POSIX" })},
		{"template: eleven body params", "field_11", template(func(m *TemplateMessage) { m.BodyParams = make([]string, 11) })},
		{"template: four button params", "button_3", template(func(m *TemplateMessage) { m.ButtonParams = make([]string, 4) })},
		{"template: copy code too long", "copy_code", template(func(m *TemplateMessage) { m.CopyCode = long(101) })},
		{"template: document name too long", "header_document_name", template(func(m *TemplateMessage) { m.HeaderDocumentName = long(256) })},
		{"template: two header kinds", "header_video_url", template(func(m *TemplateMessage) {
			m.HeaderImageURL, m.HeaderVideoURL = "https://example.com/a.png", "https://example.com/a.mp4"
		})},
		{"template: url and file of one kind", "header_image_file", template(func(m *TemplateMessage) {
			m.HeaderImageURL, m.HeaderImageFile = "https://example.com/a.png", file("a.png", 10)
		})},
		{"template: image too large", "header_image_file", template(func(m *TemplateMessage) { m.HeaderImageFile = file("a.png", 5120*kb+1) })},
		{"template: video too large", "header_video_file", template(func(m *TemplateMessage) { m.HeaderVideoFile = file("a.mp4", 16384*kb+1) })},
		{"template: document too large", "header_document_file", template(func(m *TemplateMessage) { m.HeaderDocumentFile = file("a.pdf", 102400*kb+1) })},
		{"template: unnamed file", "header_image_file", template(func(m *TemplateMessage) { m.HeaderImageFile = file(" ", 10) })},
		{"template: file without content", "header_image_file", template(func(m *TemplateMessage) { m.HeaderImageFile = &Upload{Name: "a.png"} })},

		{"media: no phone", "phone_number", media(func(m *MediaMessage) { m.PhoneNumber = "" })},
		{"media: phone too short", "phone_number", media(func(m *MediaMessage) { m.PhoneNumber = "+12345678" })},
		{"media: phone too long", "phone_number", media(func(m *MediaMessage) { m.PhoneNumber = "+1234567890123456" })},
		{"media: no type", "media_type", media(func(m *MediaMessage) { m.MediaType = "" })},
		{"media: unknown type", "media_type", media(func(m *MediaMessage) { m.MediaType = "sticker" })},
		{"media: neither url nor file", "media_url", media(func(m *MediaMessage) { m.MediaURL = "" })},
		{"media: url and file", "media_file", media(func(m *MediaMessage) { m.MediaFile = file("a.png", 3) })},
		{"media: url not http", "media_url", media(func(m *MediaMessage) { m.MediaURL = "file:///etc/passwd" })},
		{"media: relative url", "media_url", media(func(m *MediaMessage) { m.MediaURL = "/a.png" })},
		{"media: caption too long", "caption", media(func(m *MediaMessage) { m.Caption = long(1025) })},
		{"media: caption on audio", "caption", media(func(m *MediaMessage) { m.MediaType, m.Caption = MediaAudio, "listen" })},
		{"media: filename too long", "filename", media(func(m *MediaMessage) { m.Filename = long(256) })},
		{"media: negative assignee", "contact.assigned_id", media(func(m *MediaMessage) { m.Contact = &MessageContact{AssignedID: -1} })},
	})
}

func TestWhatsAppResponseFixture(t *testing.T) {
	t.Parallel()
	// The element types are named so that a fixture can be written out.
	want := WhatsAppResponse{
		MessagingProduct: "whatsapp",
		Contacts:         []WhatsAppContact{{Input: "+14155552671", WaID: "14155552671"}},
		Messages:         []WhatsAppMessage{{ID: testWamid}},
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, data, `{"messaging_product":"whatsapp","contacts":[{"input":"+14155552671","wa_id":"14155552671"}],
		"messages":[{"id":"`+testWamid+`"}]}`)
	var got WhatsAppResponse
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip: got %+v, want %+v", got, want)
	}
	if id := (&TemplateResult{WhatsAppResponse: want}).MessageID(); id != testWamid {
		t.Errorf("MessageID() = %q", id)
	}
}
