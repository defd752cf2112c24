package xobito_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/xobito/xobito-go"
	"github.com/xobito/xobito-go/mockserver"
)

// The examples run against the in-repo mock server, so their output is
// checked by go test. Against the real API, a client is simply
// xobito.New("acme", token).

// exampleToken is the API token the examples give the mock's workspace.
const exampleToken = "4f6a1c0e9b2d7a8e3c5f1b0d9e8a7c6b5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a"

// startMock starts the mock server on a loopback port, with its clock
// stopped at a fixed time and its seed data, and returns it with a client
// for its workspace "acme". The client's retries wait by moving the mock's
// clock instead of sleeping. stop shuts the server down.
func startMock() (mock *mockserver.Server, client *xobito.Client, stop func()) {
	mock = mockserver.New(
		mockserver.WithClock(mockserver.FixedClock(time.Date(2026, 4, 8, 9, 0, 0, 0, time.UTC))),
		mockserver.WithToken(exampleToken),
	)
	ts := httptest.NewServer(mock)
	client, err := xobito.New("acme", exampleToken,
		xobito.WithBaseURL(ts.URL+"/api/v1/"),
		xobito.WithHTTPClient(ts.Client()),
		xobito.WithRetry(xobito.RetryPolicy{
			MaxRetries: 3,
			Sleep: func(ctx context.Context, d time.Duration) error {
				mock.Advance(d)
				return ctx.Err()
			},
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	return mock, client, func() {
		ts.Close()
		mock.Close()
	}
}

func ExampleNew() {
	// The mock server stands in for https://dash.xobito.com here.
	mock := mockserver.New(mockserver.WithToken(exampleToken))
	defer mock.Close()
	ts := httptest.NewServer(mock)
	defer ts.Close()

	client, err := xobito.New("acme", exampleToken,
		xobito.WithBaseURL(ts.URL+"/api/v1/"), // leave out for the real API
		xobito.WithHTTPClient(ts.Client()),
	)
	if err != nil {
		log.Fatal(err)
	}
	contacts, resp, err := client.Contacts.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d contacts on page %d of %d\n", len(contacts), resp.CurrentPage, resp.LastPage)
	// Output: 4 contacts on page 1 of 1
}

func ExampleContactsService_Create() {
	_, client, stop := startMock()
	defer stop()
	ctx := context.Background()

	// A contact needs a status and a source: take the default status and
	// the source named "Website".
	var statusID, sourceID int64
	for st, err := range client.Statuses.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if st.IsDefault {
			statusID = st.ID
		}
	}
	for src, err := range client.Sources.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if src.Name == "Website" {
			sourceID = src.ID
		}
	}

	contact, resp, err := client.Contacts.Create(ctx, &xobito.ContactCreateRequest{
		FirstName: "Marie", LastName: "Curie",
		Phone: "+33612345678", Email: "marie@example.com",
		Type:     xobito.ContactLead,
		SourceID: sourceID, StatusID: statusID,
		GroupNames: []string{"VIP", "Paris"}, // by name; unknown names are created
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, resp.Message)
	fmt.Println(contact.FirstName, contact.LastName, contact.Type, contact.Phone)
	fmt.Println("groups:", len(contact.GroupIDs)) // read back as ids
	// Output:
	// 201 Contact created successfully
	// Marie Curie lead +33612345678
	// groups: 2
}

func ExampleContactsService_All() {
	_, client, stop := startMock()
	defer stop()

	// All fetches page after page (here two contacts a page) as the loop
	// goes on, newest contact first; it stops at the first error.
	opts := &xobito.ContactListOptions{ListOptions: xobito.ListOptions{PerPage: 2}}
	for contact, err := range client.Contacts.All(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(contact.FirstName, contact.LastName, contact.Type)
	}
	// Output:
	// Katherine Johnson customer
	// Grace Hopper lead
	// Alan Turing customer
	// Ada Lovelace lead
}

func ExampleStatusesService_List() {
	_, client, stop := startMock()
	defer stop()

	statuses, _, err := client.Statuses.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, st := range statuses {
		fmt.Printf("%-12s %s default=%v\n", st.Name, st.Color, st.IsDefault)
	}
	// Output:
	// Lost         #EF4444 default=false
	// Won          #10B981 default=false
	// In progress  #F59E0B default=false
	// New          #3B82F6 default=true
}

func ExampleSourcesService_Create() {
	_, client, stop := startMock()
	defer stop()
	ctx := context.Background()

	src, resp, err := client.Sources.Create(ctx, &xobito.NameRequest{Name: "Trade fair"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, resp.Message)
	fmt.Println(src.Name)

	src, _, err = client.Sources.Update(ctx, src.ID, &xobito.NameRequest{Name: "Trade fair 2026"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(src.Name)
	// Output:
	// 201 Source created successfully
	// Trade fair
	// Trade fair 2026
}

func ExampleGroupsService_Create() {
	_, client, stop := startMock()
	defer stop()
	ctx := context.Background()

	g, _, err := client.Groups.Create(ctx, &xobito.NameRequest{Name: "Spring campaign"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", g.Name)

	// Names are unique: the server refuses a second one, field by field.
	_, _, err = client.Groups.Create(ctx, &xobito.NameRequest{Name: "Spring campaign"})
	var apiErr *xobito.APIError
	if errors.Is(err, xobito.ErrValidation) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Fields["name"])
	}
	// Output:
	// created Spring campaign
	// 422 [The name has already been taken.]
}

func ExampleTemplatesService_All() {
	_, client, stop := startMock()
	defer stop()

	// Only APPROVED templates can be sent; BodyParamsCount is how many
	// BodyParams a send must carry.
	for tpl, err := range client.Templates.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		if tpl.Status == "APPROVED" && tpl.HeaderFormat == "" {
			fmt.Printf("%s/%s: %d variable(s): %s\n", tpl.Name, tpl.Language, tpl.BodyParamsCount, tpl.Body)
		}
	}
	// Output:
	// login_code/en_US: 1 variable(s): {{1}} is your verification code.
	// hello_world/pt_BR: 1 variable(s): Olá {{1}}, bem-vindo à Acme!
	// hello_world/en_US: 1 variable(s): Hello {{1}}, welcome to Acme!
}

func ExampleTemplateBotsService_List() {
	_, client, stop := startMock()
	defer stop()

	bots, _, err := client.TemplateBots.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range bots {
		fmt.Printf("%s (%s, reply type %d) active=%v\n", b.Name, b.RelType, b.ReplyType, b.IsBotActive)
	}
	// Output:
	// Invoice on request (customer, reply type 1) active=false
	// Order status (customer, reply type 2) active=true
	// Welcome new leads (lead, reply type 3) active=true
}

func ExampleMessageBotsService_Create() {
	_, client, stop := startMock()
	defer stop()

	// A bot that answers messages containing "price" or "cost" with two
	// reply buttons.
	bot, resp, err := client.MessageBots.Create(context.Background(), &xobito.MessageBotCreateRequest{
		Name:      "Price list",
		RelType:   xobito.ContactLead,
		ReplyType: xobito.ReplyContains,
		Trigger:   "price,cost",
		ReplyText: "Which plan would you like to know about?",
		Button1:   "Basic", Button1ID: "plan_basic",
		Button2: "Pro", Button2ID: "plan_pro",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, resp.Message)
	fmt.Printf("%s: trigger %q, buttons %s and %s, active=%v\n", bot.Name, bot.Trigger, bot.Button1, bot.Button2, bot.IsBotActive)
	// Output:
	// 201 Message bot created successfully
	// Price list: trigger "price,cost", buttons Basic and Pro, active=true
}

func ExampleMessagesService_SendText() {
	_, client, stop := startMock()
	defer stop()

	res, _, err := client.Messages.SendText(context.Background(), &xobito.TextMessage{
		PhoneNumber: "+16505550142",
		Body:        "Your order has shipped.",
		// Used only when the number is not a contact yet.
		Contact: &xobito.MessageContact{FirstName: "Grace", LastName: "Lee"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(res.MessageID, "wamid."), res.Status)
	fmt.Println("contact created:", res.ContactCreated)
	// Output:
	// true sent
	// contact created: true
}

func ExampleMessagesService_SendTemplate() {
	_, client, stop := startMock()
	defer stop()
	ctx := context.Background()

	res, _, err := client.Messages.SendTemplate(ctx, &xobito.TemplateMessage{
		PhoneNumber:      "+447700900123",
		TemplateName:     "hello_world",
		TemplateLanguage: "en_US",
		BodyParams:       []string{"Ada"}, // fills {{1}}
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Template.TemplateName, res.Template.Language, "sent:", res.Template.Sent)
	fmt.Println("to", res.Contact.FirstName, res.Contact.LastName, strings.HasPrefix(res.MessageID(), "wamid."))

	// The server refuses a send that misses a variable.
	_, _, err = client.Messages.SendTemplate(ctx, &xobito.TemplateMessage{
		PhoneNumber: "+447700900123", TemplateName: "hello_world", TemplateLanguage: "en_US",
	})
	var apiErr *xobito.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Fields["template_fields"])
	}
	// Output:
	// hello_world en_US sent: true
	// to Ada Lovelace true
	// 422 [The field_1 is required.]
}

func ExampleMessagesService_SendMedia() {
	_, client, stop := startMock()
	defer stop()
	ctx := context.Background()

	// By URL: the server fetches the file.
	res, _, err := client.Messages.SendMedia(ctx, &xobito.MediaMessage{
		PhoneNumber: "+16505550142",
		MediaType:   xobito.MediaDocument,
		MediaURL:    "https://example.com/invoice-1042.pdf",
		Filename:    "invoice-1042.pdf",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("document", res.Status)

	// By upload: an *os.File (or any io.ReadSeeker) is streamed as
	// multipart/form-data.
	photo := bytes.NewReader([]byte("\xff\xd8\xff\xe0 a JPEG's bytes"))
	res, _, err = client.Messages.SendMedia(ctx, &xobito.MediaMessage{
		PhoneNumber: "+16505550142",
		MediaType:   xobito.MediaImage,
		MediaFile:   &xobito.Upload{Name: "parcel.jpg", Content: photo},
		Caption:     "Your parcel",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("image", res.Status)
	// Output:
	// document sent
	// image sent
}

func ExampleMessagesService_Status() {
	mock, client, stop := startMock()
	defer stop()
	ctx := context.Background()

	sent, _, err := client.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+16505550142", Body: "Hello"})
	if err != nil {
		log.Fatal(err)
	}
	st, _, err := client.Messages.Status(ctx, sent.MessageID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.DeliveryStatus, "-", st.Statuses[st.DeliveryStatus])

	// WhatsApp reports the delivery a few seconds later.
	mock.Advance(3 * time.Second)
	if err := mock.Default().SetMessageStatus(sent.MessageID, "delivered", ""); err != nil {
		log.Fatal(err)
	}
	st, _, err = client.Messages.Status(ctx, sent.MessageID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.DeliveryStatus, "-", st.Statuses[st.DeliveryStatus], "at", st.LastUpdated.Format(time.TimeOnly))
	// Output:
	// sent - Message accepted by WhatsApp
	// delivered - Message delivered to recipient phone at 09:00:03
}

func ExamplePhoneService_Validate() {
	_, client, stop := startMock()
	defer stop()
	ctx := context.Background()

	// A format check only: it does not tell whether the number uses WhatsApp.
	for _, phone := range []string{"+14155552671", "+44 20 7946 0958", "12"} {
		v, _, err := client.Phone.Validate(ctx, phone)
		if err != nil {
			log.Fatal(err)
		}
		if v.FormatValid {
			fmt.Printf("%s: valid, %s (+%s), %s\n", phone, *v.Country, *v.CountryCode, *v.E164)
		} else {
			fmt.Printf("%s: invalid, %s\n", phone, *v.Reason)
		}
	}
	// Output:
	// +14155552671: valid, United States (+1), +14155552671
	// +44 20 7946 0958: valid, United Kingdom (+44), +442079460958
	// 12: invalid, Number is too short to be valid
}

func ExampleRateLimitError() {
	mock, client, stop := startMock()
	defer stop()
	ctx := context.Background()
	mock.Default().SetRateLimit(1, time.Minute) // one request a minute
	if _, _, err := client.Statuses.List(ctx, nil); err != nil {
		log.Fatal(err)
	}

	// The limit is used up. When the caller cannot wait as long as the
	// server asks (here a 5 s deadline), the 429 comes back at once.
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, resp, err := client.Statuses.List(short, nil)
	var rl *xobito.RateLimitError
	if errors.As(err, &rl) {
		fmt.Println("rate limited; retry after", rl.RetryAfter, "- attempts:", resp.Attempts)
	}
	fmt.Println(errors.Is(err, xobito.ErrRateLimited))

	// Otherwise the client waits the server's retry_after (plus a little
	// jitter) and sends the request again. Here the wait moves the mock's
	// clock, so nothing sleeps.
	before := mock.Now()
	_, resp, err = client.Statuses.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("succeeded after", resp.Attempts, "attempts; waited", mock.Now().Sub(before).Truncate(time.Second))
	// Output:
	// rate limited; retry after 1m0s - attempts: 1
	// true
	// succeeded after 2 attempts; waited 1m0s
}

func ExampleAPIError_apiDisabled() {
	mock, client, stop := startMock()
	defer stop()
	ctx := context.Background()

	// The workspace owner switches "Enable API Access" off.
	mock.Default().DisableAPI()
	_, _, err := client.Contacts.List(ctx, nil)
	if errors.Is(err, xobito.ErrAPIDisabled) {
		fmt.Println("API access is off: ask the workspace owner to turn it on")
	}
	var apiErr *xobito.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message, errors.Is(err, xobito.ErrForbidden))
	}

	mock.Default().EnableAPI()
	if _, _, err := client.Contacts.List(ctx, nil); err == nil {
		fmt.Println("back on")
	}
	// Output:
	// API access is off: ask the workspace owner to turn it on
	// 403 API access is disabled true
	// back on
}

func ExampleNewWebhookHandler_mockserver() {
	mock, client, stop := startMock()
	defer stop()

	// The receiving end: verifies each delivery's signature, decodes it, and
	// answers 204 (or 500 when the callback fails, so Xobito retries).
	secret := []byte("signing-secret-from-the-dashboard")
	receiver := httptest.NewServer(xobito.NewWebhookHandler(secret, func(_ context.Context, ev *xobito.WebhookEvent) error {
		switch ev.Kind {
		case xobito.WebhookSource:
			fmt.Println(ev.Kind, ev.Event, ev.Source.Name)
		case xobito.WebhookMessage:
			fmt.Println(ev.Kind, ev.Event, ev.Message.Status)
		}
		return nil
	}))
	defer receiver.Close()
	mock.Default().SetWebhook(receiver.URL, string(secret))

	ctx := context.Background()
	if _, _, err := client.Sources.Create(ctx, &xobito.NameRequest{Name: "Newsletter"}); err != nil {
		log.Fatal(err)
	}
	if _, _, err := client.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+16505550142", Body: "Hi"}); err != nil {
		log.Fatal(err)
	}
	// The mock delivers in the background, one event after the other.
	if err := mock.WaitWebhooks(ctx); err != nil {
		log.Fatal(err)
	}
	// Output:
	// source created Newsletter
	// message message.sent sent
}
