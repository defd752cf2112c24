package xobito_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/xobito/xobito-go"
	"github.com/xobito/xobito-go/mockserver"
)

// The end-to-end suite: the SDK against the in-repo mock server, as an
// integrator would use them. Every error is produced by the mock's real
// mechanism (switching API access off, rotating the token, exhausting the
// rate limit …), not by a canned answer.

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// start is where the mock clock begins: a whole second, so rate-limit
// windows are easy to reason about.
var start = time.Date(2026, 4, 8, 14, 30, 0, 0, time.UTC)

type env struct {
	ts *mockserver.TestServer
	ws *mockserver.Workspace
	c  *xobito.Client

	mu    sync.Mutex
	waits []time.Duration // the client's retry waits, taken on the mock clock
}

// newEnv starts a mock with a fixed clock and a client for its default
// workspace. The client's retries wait by advancing the mock's clock.
func newEnv(t *testing.T, opts ...mockserver.Option) *env {
	t.Helper()
	e := &env{ts: mockserver.NewTest(t, append([]mockserver.Option{mockserver.WithClock(mockserver.FixedClock(start))}, opts...)...)}
	e.ws = e.ts.Default()
	e.c = e.client(t, e.ws.Subdomain(), e.ws.Token())
	return e
}

// sleep is the clients' RetryPolicy.Sleep: it moves the mock clock instead
// of waiting.
func (e *env) sleep(ctx context.Context, d time.Duration) error {
	e.mu.Lock()
	e.waits = append(e.waits, d)
	e.mu.Unlock()
	e.ts.Advance(d)
	return ctx.Err()
}

func (e *env) recordedWaits() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Duration(nil), e.waits...)
}

// client builds a client for a workspace of the mock; extra options come
// last, so they win.
func (e *env) client(t *testing.T, sub, token string, extra ...xobito.Option) *xobito.Client {
	t.Helper()
	opts := append([]xobito.Option{
		xobito.WithBaseURL(e.ts.URL + "/api/v1/"),
		xobito.WithHTTPClient(e.ts.HTTP.Client()),
		xobito.WithRetry(xobito.RetryPolicy{MaxRetries: 3, Sleep: e.sleep}),
	}, extra...)
	c, err := xobito.New(sub, token, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sendRequests counts the requests the mock logged for a method and path.
func (e *env) requests(method, path string) int {
	n := 0
	for _, r := range e.ts.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// must(call()).ok(t) returns a call's value and fails the test on its error.
// writeTemp writes content to a new file in the test's directory and
// returns it open at its start.
func writeTemp(t *testing.T, pattern string, content []byte) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), pattern)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := f.Write(content); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	return f
}

func must[T any](v T, _ *xobito.Response, err error) result[T] { return result[T]{v, err} }

type result[T any] struct {
	v   T
	err error
}

func (r result[T]) ok(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

var ctx = context.Background()

func TestE2EContactLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.c

	src := must(c.Sources.Create(ctx, &xobito.NameRequest{Name: "Trade fair"})).ok(t)
	st := must(c.Statuses.Create(ctx, &xobito.StatusRequest{Name: "Qualified", Color: "#3B82F6"})).ok(t)
	created, resp, err := c.Contacts.Create(ctx, &xobito.ContactCreateRequest{
		FirstName: "Ada", LastName: "Lovelace", Phone: "+447700900999", Email: "ada.king@example.org",
		Type: "lead", SourceID: src.ID, StatusID: st.ID, GroupNames: []string{"VIP", "London"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated || resp.Message != "Contact created successfully" {
		t.Fatalf("create answered %d %q", resp.StatusCode, resp.Message)
	}
	if len(created.GroupIDs) != 2 || created.SourceID != src.ID || created.Type != "lead" || !created.IsEnabled {
		t.Fatalf("created %+v", created)
	}

	got := must(c.Contacts.Get(ctx, created.ID)).ok(t)
	if got.Phone != "+447700900999" || got.Email != "ada.king@example.org" {
		t.Fatalf("get %+v", got)
	}

	leads := must(c.Contacts.List(ctx, &xobito.ContactListOptions{SourceID: src.ID, Type: "lead"})).ok(t)
	if len(leads) != 1 || leads[0].ID != created.ID {
		t.Fatalf("filtered list %+v", leads)
	}

	updated := must(c.Contacts.Update(ctx, created.ID, &xobito.ContactUpdateRequest{
		FirstName: "Ada", LastName: "King", Phone: "+447700900999", Type: "customer", GroupNames: []string{"VIP"},
	})).ok(t)
	if updated.LastName != "King" || updated.Type != "customer" || len(updated.GroupIDs) != 1 || updated.Email != "ada.king@example.org" {
		t.Fatalf("updated %+v", updated)
	}

	// The status is in use now: the delete guard answers 400.
	if _, err := c.Statuses.Delete(ctx, st.ID); !errors.Is(err, xobito.ErrInUse) {
		t.Fatalf("deleting a used status: %v", err)
	}
	// Uniqueness is the server's: the same phone again is a validation error.
	_, _, err = c.Contacts.Create(ctx, &xobito.ContactCreateRequest{FirstName: "Eve", Phone: "+447700900999", Type: "lead", SourceID: src.ID, StatusID: st.ID})
	var apiErr *xobito.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, xobito.ErrValidation) || len(apiErr.Fields["phone"]) == 0 {
		t.Fatalf("duplicate phone: %v", err)
	}

	if resp, err := c.Contacts.Delete(ctx, created.ID); err != nil || resp.Message != "Contact deleted successfully" {
		t.Fatalf("delete: %v", err)
	}
	if _, _, err := c.Contacts.Get(ctx, created.ID); !errors.Is(err, xobito.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if _, err := c.Statuses.Delete(ctx, st.ID); err != nil {
		t.Fatalf("deleting the status once unused: %v", err)
	}
}

func TestE2EStatusesSourcesGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.c

	statuses := must(c.Statuses.List(ctx, nil)).ok(t)
	var def *xobito.Status
	for i := range statuses {
		if statuses[i].IsDefault {
			def = &statuses[i]
		}
	}
	if def == nil {
		t.Fatal("the seed has no default status")
	}
	if _, err := c.Statuses.Delete(ctx, def.ID); !errors.Is(err, xobito.ErrDefaultStatus) {
		t.Fatalf("deleting the default status: %v", err)
	}
	yes := true
	st := must(c.Statuses.Create(ctx, &xobito.StatusRequest{Name: "Hot lead", IsDefault: &yes})).ok(t)
	if !st.IsDefault {
		t.Fatal("new default not set")
	}
	if old := must(c.Statuses.Get(ctx, def.ID)).ok(t); old.IsDefault {
		t.Fatal("setting a default did not clear the old one")
	}
	st = must(c.Statuses.Update(ctx, st.ID, &xobito.StatusRequest{Name: "Warm lead"})).ok(t)
	if st.Name != "Warm lead" {
		t.Fatalf("status update %+v", st)
	}

	src := must(c.Sources.Create(ctx, &xobito.NameRequest{Name: "Billboard"})).ok(t)
	src = must(c.Sources.Update(ctx, src.ID, &xobito.NameRequest{Name: "Billboards"})).ok(t)
	if got := must(c.Sources.Get(ctx, src.ID)).ok(t); got.Name != "Billboards" {
		t.Fatalf("source %+v", got)
	}
	if _, err := c.Sources.Delete(ctx, src.ID); err != nil {
		t.Fatal(err)
	}

	g := must(c.Groups.Create(ctx, &xobito.NameRequest{Name: "Spring campaign"})).ok(t)
	g = must(c.Groups.Update(ctx, g.ID, &xobito.NameRequest{Name: "Spring campaign 2026"})).ok(t)
	groups := must(c.Groups.List(ctx, &xobito.ListOptions{PerPage: 100})).ok(t)
	found := false
	for _, x := range groups {
		found = found || x.ID == g.ID && x.Name == "Spring campaign 2026"
	}
	if !found || must(c.Groups.Get(ctx, g.ID)).ok(t).Name != "Spring campaign 2026" {
		t.Fatalf("group not listed: %+v", groups)
	}
	if _, err := c.Groups.Delete(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Groups.Create(ctx, &xobito.NameRequest{Name: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Groups.Create(ctx, &xobito.NameRequest{Name: "x"}); !errors.Is(err, xobito.ErrValidation) {
		t.Fatalf("duplicate group name: %v", err)
	}
}

func TestE2EIteratorWalksEveryPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.c
	src := must(c.Sources.Create(ctx, &xobito.NameRequest{Name: "Import"})).ok(t)
	statuses := must(c.Statuses.List(ctx, nil)).ok(t)
	want := map[int64]bool{}
	for i := range 23 {
		ct := must(c.Contacts.Create(ctx, &xobito.ContactCreateRequest{
			FirstName: "Imported", Phone: "+1415555" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "00",
			Type: "customer", SourceID: src.ID, StatusID: statuses[0].ID,
		})).ok(t)
		want[ct.ID] = true
	}
	seen := map[int64]bool{}
	var prev *xobito.Contact
	for ct, err := range c.Contacts.All(ctx, &xobito.ContactListOptions{SourceID: src.ID, ListOptions: xobito.ListOptions{PerPage: 5}}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[ct.ID] {
			t.Fatalf("contact %d seen twice", ct.ID)
		}
		if prev != nil && ct.ID > prev.ID {
			t.Fatalf("not newest first: %d after %d", ct.ID, prev.ID)
		}
		seen[ct.ID] = true
		prev = &ct
	}
	if len(seen) != len(want) {
		t.Fatalf("iterated %d contacts, want %d", len(seen), len(want))
	}
	if n := e.requests(http.MethodGet, "/api/v1/"+e.ws.Subdomain()+"/contacts"); n != 5 {
		t.Fatalf("23 contacts at 5 a page took %d requests, want 5", n)
	}
}

func TestE2ETemplatesAndBots(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.c

	statuses := map[string]bool{}
	for tpl, err := range c.Templates.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		statuses[tpl.Status] = true
	}
	for _, s := range []string{"APPROVED", "PENDING", "REJECTED"} {
		if !statuses[s] {
			t.Errorf("no %s template in the seed", s)
		}
	}

	tbots := must(c.TemplateBots.List(ctx, nil)).ok(t)
	if len(tbots) == 0 {
		t.Fatal("no template bots")
	}
	tb := must(c.TemplateBots.Get(ctx, tbots[0].ID)).ok(t)
	if tb.Name != tbots[0].Name {
		t.Fatalf("template bot %+v", tb)
	}
	if resp, err := c.TemplateBots.Delete(ctx, tb.ID); err != nil || resp.Message != "Template bot deleted successfully" {
		t.Fatalf("delete template bot: %v", err)
	}
	if _, _, err := c.TemplateBots.Get(ctx, tb.ID); !errors.Is(err, xobito.ErrNotFound) {
		t.Fatalf("deleted template bot: %v", err)
	}

	mb, resp, err := c.MessageBots.Create(ctx, &xobito.MessageBotCreateRequest{
		Name: "Price list", RelType: "lead", ReplyText: "Our prices: …", ReplyType: 2, Trigger: "price,cost",
		Button1: "Basic", Button1ID: "basic", Button2: "Pro", Button2ID: "pro",
	})
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create message bot: %v", err)
	}
	if !mb.IsBotActive || mb.Trigger != "price,cost" {
		t.Fatalf("message bot %+v", mb)
	}
	if got := must(c.MessageBots.Get(ctx, mb.ID)).ok(t); got.Button2 != "Pro" {
		t.Fatalf("message bot %+v", got)
	}
	if list := must(c.MessageBots.List(ctx, nil)).ok(t); len(list) == 0 || list[0].ID != mb.ID {
		t.Fatalf("newest message bot not first: %+v", list)
	}
	if _, err := c.MessageBots.Delete(ctx, mb.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.MessageBots.Get(ctx, mb.ID); !errors.Is(err, xobito.ErrNotFound) {
		t.Fatalf("deleted message bot: %v", err)
	}
}

func TestE2EMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.c

	res := must(c.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+16505550142", Body: "Your order shipped",
		Contact: &xobito.MessageContact{FirstName: "Grace"}})).ok(t)
	if !strings.HasPrefix(res.MessageID, "wamid.") || !res.ContactCreated {
		t.Fatalf("send text %+v", res)
	}
	contact := must(c.Contacts.Get(ctx, res.ContactID)).ok(t)
	if contact.FirstName != "Grace" || contact.Type != "lead" {
		t.Fatalf("auto-created contact %+v", contact)
	}
	again := must(c.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+16505550142", Body: "And it arrived"})).ok(t)
	if again.ContactCreated || again.ContactID != res.ContactID {
		t.Fatalf("second send %+v", again)
	}

	must(c.Messages.SendButtons(ctx, &xobito.ButtonsMessage{PhoneNumber: "+16505550142", Body: "Rate us",
		Buttons: []xobito.ReplyButton{{ID: "good", Title: "Good"}, {ID: "bad", Title: "Bad"}}})).ok(t)
	must(c.Messages.SendCTA(ctx, &xobito.CTAMessage{PhoneNumber: "+16505550142", Body: "Track it",
		ButtonText: "Track", ButtonURL: "https://example.com/track/1"})).ok(t)

	tpl := must(c.Messages.SendTemplate(ctx, &xobito.TemplateMessage{PhoneNumber: "+16505550142",
		TemplateName: "hello_world", TemplateLanguage: "en_US", BodyParams: []string{"Grace"}})).ok(t)
	if !strings.HasPrefix(tpl.MessageID(), "wamid.") {
		t.Fatalf("template result %+v", tpl)
	}
	_, _, err := c.Messages.SendTemplate(ctx, &xobito.TemplateMessage{PhoneNumber: "+16505550142", TemplateName: "hello_world", TemplateLanguage: "en_US"})
	var apiErr *xobito.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, xobito.ErrValidation) || len(apiErr.Fields["template_fields"]) == 0 {
		t.Fatalf("template without its variable: %v", err)
	}
	_, _, err = c.Messages.SendTemplate(ctx, &xobito.TemplateMessage{PhoneNumber: "+16505550142", TemplateName: "no_such", TemplateLanguage: "en_US"})
	if !errors.As(err, &apiErr) || len(apiErr.Fields["template"]) == 0 {
		t.Fatalf("unknown template: %v", err)
	}

	// Header media: a document uploaded from disk (multipart), an image by URL,
	// a text header's variable, a video template without its video.
	pdf := writeTemp(t, "invoice-*.pdf", []byte("%PDF-1.4 invoice 2026-0042"))
	withDoc := must(c.Messages.SendTemplate(ctx, &xobito.TemplateMessage{PhoneNumber: "+16505550142",
		TemplateName: "invoice_ready", TemplateLanguage: "en_US", BodyParams: []string{"2026-0042", "$120.00"},
		HeaderDocumentFile: &xobito.Upload{Name: "invoice.pdf", Content: pdf}, HeaderDocumentName: "Invoice 2026-0042.pdf"})).ok(t)
	if !withDoc.Template.HasMedia || withDoc.Template.HeaderFormat != "DOCUMENT" || withDoc.MediaInfo == nil {
		t.Fatalf("template with an uploaded document: %+v", withDoc)
	}
	withImage := must(c.Messages.SendTemplate(ctx, &xobito.TemplateMessage{PhoneNumber: "+16505550142",
		TemplateName: "order_update", TemplateLanguage: "en_US", BodyParams: []string{"Grace", "A-1001"},
		HeaderImageURL: "https://cdn.example.com/orders/A-1001.jpg", ButtonParams: []string{"A-1001"}})).ok(t)
	if !withImage.Template.HasMedia || withImage.Template.HeaderFormat != "IMAGE" {
		t.Fatalf("template with an image URL: %+v", withImage)
	}
	must(c.Messages.SendTemplate(ctx, &xobito.TemplateMessage{PhoneNumber: "+16505550142",
		TemplateName: "appointment_reminder", TemplateLanguage: "en_US", HeaderParam: "Grace",
		BodyParams: []string{"May 4", "10:30"}})).ok(t)
	_, _, err = c.Messages.SendTemplate(ctx, &xobito.TemplateMessage{PhoneNumber: "+16505550142",
		TemplateName: "product_launch", TemplateLanguage: "en_US", BodyParams: []string{"Xobito Go"}})
	if !errors.As(err, &apiErr) || len(apiErr.Fields["template_fields"]) == 0 {
		t.Fatalf("video template without its video: %v", err)
	}

	f := writeTemp(t, "photo-*.jpg", []byte("\xff\xd8\xff\xe0 not really a jpeg"))
	media := must(c.Messages.SendMedia(ctx, &xobito.MediaMessage{PhoneNumber: "+16505550142", MediaType: xobito.MediaImage,
		MediaFile: &xobito.Upload{Name: "photo.jpg", Content: f}, Caption: "Your parcel"})).ok(t)
	byURL := must(c.Messages.SendMedia(ctx, &xobito.MediaMessage{PhoneNumber: "+16505550142", MediaType: xobito.MediaDocument,
		MediaURL: "https://example.com/invoice.pdf", Filename: "invoice.pdf"})).ok(t)
	if media.MessageID == byURL.MessageID {
		t.Fatal("two sends, one id")
	}

	st := must(c.Messages.Status(ctx, res.MessageID)).ok(t)
	if st.MessageID != res.MessageID || st.DeliveryStatus != xobito.DeliverySent {
		t.Fatalf("status %+v", st)
	}
	if err := e.ws.SetMessageStatus(res.MessageID, "failed", "Message outside 24-hour window"); err != nil {
		t.Fatal(err)
	}
	st = must(c.Messages.Status(ctx, res.MessageID)).ok(t)
	if st.DeliveryStatus != xobito.DeliveryFailed || st.ErrorMessage == nil || *st.ErrorMessage != "Message outside 24-hour window" {
		t.Fatalf("failed status %+v", st)
	}
	if _, _, err := c.Messages.Status(ctx, "wamid.missing+/="); !errors.Is(err, xobito.ErrNotFound) {
		t.Fatalf("unknown message: %v", err)
	}
	if n := len(e.ws.Messages()); n != 10 {
		t.Fatalf("the mock holds %d messages, want the 10 sent", n)
	}

	valid := must(c.Phone.Validate(ctx, "+14155552671")).ok(t)
	if !valid.FormatValid || valid.CountryCode == nil || *valid.CountryCode != "1" || valid.Reason != nil {
		t.Fatalf("valid phone %+v", valid)
	}
	invalid := must(c.Phone.Validate(ctx, "12")).ok(t)
	if invalid.FormatValid || invalid.Country != nil || invalid.Reason == nil {
		t.Fatalf("invalid phone %+v", invalid)
	}
}

// TestE2EErrorsFromTheirRealCause makes the mock produce every error kind of
// the contract the way the real service does.
func TestE2EErrorsFromTheirRealCause(t *testing.T) {
	t.Parallel()
	t.Run("API access disabled", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ws.DisableAPI()
		for _, call := range []func() error{
			func() error { _, _, err := e.c.Contacts.List(ctx, nil); return err },
			func() error { _, _, err := e.c.Templates.List(ctx, nil); return err },
			func() error {
				_, _, err := e.c.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+16505550142", Body: "x"})
				return err
			},
		} {
			if err := call(); !errors.Is(err, xobito.ErrAPIDisabled) || !errors.Is(err, xobito.ErrForbidden) {
				t.Fatalf("err = %v", err)
			}
		}
		e.ws.EnableAPI()
		must(e.c.Contacts.List(ctx, nil)).ok(t)
	})
	t.Run("rotated token", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		fresh := e.ws.RotateToken()
		if _, _, err := e.c.Contacts.List(ctx, nil); !errors.Is(err, xobito.ErrInvalidToken) || !errors.Is(err, xobito.ErrUnauthorized) {
			t.Fatalf("old token: %v", err)
		}
		must(e.client(t, e.ws.Subdomain(), fresh).Contacts.List(ctx, nil)).ok(t)
	})
	t.Run("missing ability names it", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ws.RemoveAbility("contacts.create")
		_, _, err := e.c.Contacts.Create(ctx, &xobito.ContactCreateRequest{FirstName: "A", Phone: "+14155550100", Type: "lead", SourceID: 1, StatusID: 1})
		var apiErr *xobito.APIError
		if !errors.Is(err, xobito.ErrMissingAbility) || !errors.As(err, &apiErr) || apiErr.Ability != "contacts.create" {
			t.Fatalf("err = %v", err)
		}
		must(e.c.Contacts.List(ctx, nil)).ok(t) // other abilities are intact
	})
	t.Run("foreign token", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		other := e.ts.AddWorkspace("globex")
		if _, _, err := e.client(t, "globex", e.ws.Token()).Contacts.List(ctx, nil); !errors.Is(err, xobito.ErrInvalidToken) {
			t.Fatalf("acme's token on globex: %v", err)
		}
		must(e.client(t, "globex", other.Token()).Contacts.List(ctx, nil)).ok(t)
	})
	t.Run("unknown subdomain", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		if _, _, err := e.client(t, "nobody", e.ws.Token()).Contacts.List(ctx, nil); !errors.Is(err, xobito.ErrBadSubdomain) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("validation fields", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		_, _, err := e.c.Contacts.Create(ctx, &xobito.ContactCreateRequest{FirstName: "A", Phone: "+14155550100", Type: "lead", SourceID: 999999, StatusID: 999999})
		var apiErr *xobito.APIError
		if !errors.As(err, &apiErr) || !errors.Is(err, xobito.ErrValidation) || len(apiErr.Fields["source_id"]) == 0 || len(apiErr.Fields["status_id"]) == 0 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("plan limit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		have := must(e.c.Contacts.List(ctx, nil)).ok(t)
		e.ws.SetContactLimit(len(have))
		sts := must(e.c.Statuses.List(ctx, nil)).ok(t)
		srcs := must(e.c.Sources.List(ctx, nil)).ok(t)
		_, _, err := e.c.Contacts.Create(ctx, &xobito.ContactCreateRequest{FirstName: "A", Phone: "+14155550100", Type: "lead", SourceID: srcs[0].ID, StatusID: sts[0].ID})
		if !errors.Is(err, xobito.ErrPlanLimit) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("upload larger than the server takes", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		f := writeTemp(t, "big-*.mp4", nil)
		if err := f.Truncate(102 << 20); err != nil { // sparse: nothing is written
			t.Fatal(err)
		}
		_, resp, err := e.c.Messages.SendMedia(ctx, &xobito.MediaMessage{PhoneNumber: "+16505550142",
			MediaType: xobito.MediaVideo, MediaFile: &xobito.Upload{Name: "big.mp4", Content: f}})
		if !errors.Is(err, xobito.ErrTooLarge) || resp.Attempts != 1 || len(e.ws.Messages()) != 0 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("API never set up", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		ws := e.ts.AddWorkspace("initech", mockserver.WorkspaceWithoutAPI())
		if _, _, err := e.client(t, "initech", strings.Repeat("0", 64)).Contacts.List(ctx, nil); !errors.Is(err, xobito.ErrAPINotConfigured) {
			t.Fatalf("err = %v", err)
		}
		_ = ws
	})
}

func TestE2ERateLimit(t *testing.T) {
	t.Parallel()
	t.Run("waits the mock's retry_after on its clock and succeeds", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ws.SetRateLimit(3, time.Minute)
		for range 3 {
			must(e.c.Contacts.List(ctx, nil)).ok(t)
		}
		before := e.ts.Now()
		_, resp, err := e.c.Contacts.List(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		waits := e.recordedWaits()
		if resp.Attempts != 2 || len(waits) != 1 {
			t.Fatalf("attempts %d, waits %v", resp.Attempts, waits)
		}
		// The window opened at the first request, at start: 60 s to wait.
		if waits[0] < time.Minute || waits[0] > time.Minute+2*time.Second {
			t.Fatalf("waited %v, want the mock's 60s plus jitter", waits[0])
		}
		if moved := e.ts.Now().Sub(before); moved != waits[0] {
			t.Fatalf("the mock clock moved %v for a %v wait", moved, waits[0])
		}
	})
	t.Run("a wait over the maximum returns the RateLimitError at once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ws.SetRateLimit(1, time.Minute)
		c := e.client(t, e.ws.Subdomain(), e.ws.Token(), xobito.WithRetry(xobito.RetryPolicy{MaxRetries: 3, MaxRateLimitWait: 5 * time.Second, Sleep: e.sleep}))
		must(c.Contacts.List(ctx, nil)).ok(t)
		_, resp, err := c.Contacts.List(ctx, nil)
		var rl *xobito.RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != time.Minute || resp.Attempts != 1 || len(e.recordedWaits()) != 0 {
			t.Fatalf("err %v, attempts %d, waits %v", err, resp.Attempts, e.recordedWaits())
		}
	})
	t.Run("a send that was throttled is sent again, once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.ws.SetRateLimit(1, time.Minute)
		must(e.c.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+16505550142", Body: "one"})).ok(t)
		_, resp, err := e.c.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+16505550142", Body: "two"})
		if err != nil || resp.Attempts != 2 {
			t.Fatalf("throttled send: %v after %d attempts", err, resp.Attempts)
		}
		posts := e.requests(http.MethodPost, "/api/v1/"+e.ws.Subdomain()+"/messages/send")
		if n := len(e.ws.Messages()); n != 2 || posts != 3 {
			t.Fatalf("%d messages from %d requests, want 2 from 3 (one refused with 429)", n, posts)
		}
	})
	t.Run("the optional rate headers", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, mockserver.WithRateLimitHeaders(true))
		e.ws.SetRateLimit(2, time.Minute)
		_, resp, err := e.c.Contacts.List(ctx, nil)
		if err != nil || resp.RateLimit != 2 || resp.RateRemaining != 1 {
			t.Fatalf("err %v, limit %d, remaining %d", err, resp.RateLimit, resp.RateRemaining)
		}
		must(e.c.Contacts.List(ctx, nil)).ok(t)
		c := e.client(t, e.ws.Subdomain(), e.ws.Token(), xobito.WithRetry(xobito.RetryPolicy{}))
		_, resp, err = c.Contacts.List(ctx, nil)
		var rl *xobito.RateLimitError
		if !errors.As(err, &rl) || rl.RetryAfter != time.Minute || resp.Header.Get("Retry-After") != "60" {
			t.Fatalf("err %v, Retry-After %q", err, resp.Header.Get("Retry-After"))
		}
	})
}
