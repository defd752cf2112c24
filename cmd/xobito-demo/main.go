// Command xobito-demo shows the SDK at work. It starts the mock Xobito API
// of package mockserver in-process on a loopback port and, printing what it
// does, creates a contact, sends a text and a template message, follows a
// message's delivery status, lists the contacts page by page and rides out
// a rate limit.
//
//	go run ./cmd/xobito-demo      # the steps
//	go run ./cmd/xobito-demo -v   # and every request the SDK sends
//
// It needs no account and no network, and ends in well under a second:
// the mock's clock is stopped, and the rate-limit wait moves it forward
// instead of sleeping.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/xobito/xobito-go"
	"github.com/xobito/xobito-go/mockserver"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "xobito-demo:", err)
		}
		os.Exit(1)
	}
}

// demoStart is where the mock's clock stands still.
var demoStart = time.Date(2026, 4, 8, 9, 0, 0, 0, time.UTC)

// run starts the mock, runs the demo's steps against it, printing them on
// out (and, with -v, the SDK's request log on errOut), and stops the mock.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("xobito-demo", flag.ContinueOnError)
	fs.SetOutput(errOut)
	verbose := fs.Bool("v", false, "also log every request the SDK sends")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	began := time.Now()

	// The mock: the default workspace "acme" with its seed data and a
	// random token, on a free loopback port.
	mock := mockserver.New(mockserver.WithClock(mockserver.FixedClock(demoStart)))
	defer mock.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mock, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = hs.Serve(ln)
	}()
	defer func() {
		hs.Close()
		<-served
	}()
	ws := mock.Default()

	// The client, built as for the real API plus the mock's address. Its
	// retries wait by moving the mock's clock, and say why they wait.
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()
	var lastStatus atomic.Int32 // of the latest attempt; 0 until it answers
	opts := []xobito.Option{
		xobito.WithBaseURL("http://" + ln.Addr().String() + "/api/v1/"),
		xobito.WithHTTPClient(hc),
		xobito.WithRequestHook(func(*http.Request) { lastStatus.Store(0) }),
		xobito.WithResponseHook(func(r *http.Response) { lastStatus.Store(int32(r.StatusCode)) }),
		xobito.WithRetry(xobito.RetryPolicy{
			MaxRetries:      3,
			RateLimitJitter: time.Millisecond, // one client alone needs no spread
			Sleep: func(ctx context.Context, d time.Duration) error {
				if lastStatus.Load() == http.StatusTooManyRequests {
					fmt.Fprintf(out, "   rate limited: waiting %s (on the mock clock)\n", seconds(d))
				} else {
					fmt.Fprintf(out, "   attempt failed: retrying in %s (on the mock clock)\n", d.Round(time.Millisecond))
				}
				mock.Advance(d)
				return ctx.Err()
			},
		}),
	}
	if *verbose {
		opts = append(opts, xobito.WithLogger(slog.New(slog.NewTextHandler(errOut, &slog.HandlerOptions{
			Level: slog.LevelDebug,
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if len(groups) == 0 && a.Key == slog.TimeKey {
					return slog.Attr{} // the wall clock says nothing here
				}
				return a
			},
		}))))
	}
	client, err := xobito.New(ws.Subdomain(), ws.Token(), opts...)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "Started the mock Xobito API on %s: workspace %q with seed data, clock stopped at %s.\n",
		ln.Addr().(*net.TCPAddr).IP, ws.Subdomain(), mock.Now().Format("2006-01-02 15:04:05 MST"))
	d := &demo{ctx: ctx, out: out, mock: mock, ws: ws, c: client}
	for _, step := range []func() error{d.createContact, d.sendText, d.sendTemplate, d.readStatus, d.listContacts, d.rateLimit} {
		if err := step(); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "\nDone: the mock clock moved %s, real time %s.\n",
		mock.Now().Sub(demoStart).Round(time.Second), time.Since(began).Round(time.Millisecond))
	return nil
}

// demo holds what the steps share.
type demo struct {
	ctx  context.Context
	out  io.Writer
	mock *mockserver.Server
	ws   *mockserver.Workspace
	c    *xobito.Client
	n    int // the current step's number

	contact *xobito.Contact
	textID  string // the wamid of the text message
}

func (d *demo) step(format string, args ...any) {
	d.n++
	fmt.Fprintf(d.out, "\n%d. %s\n", d.n, fmt.Sprintf(format, args...))
}

func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.out, "   "+format+"\n", args...)
}

func (d *demo) createContact() error {
	d.step("Create a contact")
	// A contact needs a status and a source: the default status, and the
	// source "Website" of the seed.
	var status *xobito.Status
	for st, err := range d.c.Statuses.All(d.ctx, nil) {
		if err != nil {
			return err
		}
		if st.IsDefault {
			status = &st
		}
	}
	var source *xobito.Source
	for src, err := range d.c.Sources.All(d.ctx, nil) {
		if err != nil {
			return err
		}
		if src.Name == "Website" {
			source = &src
		}
	}
	if status == nil || source == nil {
		return errors.New("the seed has no default status or no source Website")
	}
	c, resp, err := d.c.Contacts.Create(d.ctx, &xobito.ContactCreateRequest{
		FirstName: "Marie", LastName: "Curie", Phone: "+33612345678", Email: "marie@example.com",
		Type: xobito.ContactLead, StatusID: status.ID, SourceID: source.ID, GroupNames: []string{"VIP"},
	})
	if err != nil {
		return err
	}
	d.contact = c
	d.say("%d %s: #%d %s %s, %s, %s, status %q, source %q", resp.StatusCode, resp.Message,
		c.ID, c.FirstName, c.LastName, c.Type, c.Phone, status.Name, source.Name)
	return nil
}

func (d *demo) sendText() error {
	d.step("Send a text message to %s", d.contact.Phone)
	res, _, err := d.c.Messages.SendText(d.ctx, &xobito.TextMessage{
		PhoneNumber: d.contact.Phone, Body: "Bonjour Marie, your samples are ready.",
	})
	if err != nil {
		return err
	}
	d.textID = res.MessageID
	who := "the existing contact"
	if res.ContactCreated {
		who = "a new contact"
	}
	d.say("sent text: %s, status %s, to %s #%d", res.MessageID, res.Status, who, res.ContactID)
	return nil
}

func (d *demo) sendTemplate() error {
	d.step("Send the approved template hello_world (en_US), {{1}} = %q", d.contact.FirstName)
	res, _, err := d.c.Messages.SendTemplate(d.ctx, &xobito.TemplateMessage{
		PhoneNumber: d.contact.Phone, TemplateName: "hello_world", TemplateLanguage: "en_US",
		BodyParams: []string{d.contact.FirstName},
	})
	if err != nil {
		return err
	}
	d.say("sent template %s/%s to %s %s: %s", res.Template.TemplateName, res.Template.Language,
		res.Contact.FirstName, res.Contact.LastName, res.MessageID())
	return nil
}

func (d *demo) readStatus() error {
	d.step("Read the text message's delivery status")
	if err := d.printStatus(); err != nil {
		return err
	}
	// The mock stands in for WhatsApp: three seconds later the phone
	// reports the delivery.
	d.mock.Advance(3 * time.Second)
	if err := d.ws.SetMessageStatus(d.textID, string(xobito.DeliveryDelivered), ""); err != nil {
		return err
	}
	d.say("(the mock reports the message delivered, 3s later on its clock)")
	return d.printStatus()
}

func (d *demo) printStatus() error {
	st, _, err := d.c.Messages.Status(d.ctx, d.textID)
	if err != nil {
		return err
	}
	d.say("status %s at %s: %s", st.DeliveryStatus, st.LastUpdated.Format(time.TimeOnly), st.Statuses[st.DeliveryStatus])
	return nil
}

func (d *demo) listContacts() error {
	const perPage = 2
	d.step("List every contact with the iterator, %d per page", perPage)
	before := d.listRequests()
	n := 0
	opts := &xobito.ContactListOptions{ListOptions: xobito.ListOptions{PerPage: perPage}}
	for c, err := range d.c.Contacts.All(d.ctx, opts) {
		if err != nil {
			return err
		}
		n++
		d.say("#%-3d %-18s %-8s %s", c.ID, c.FirstName+" "+c.LastName, c.Type, c.Phone)
	}
	d.say("%d contacts in %d requests", n, d.listRequests()-before)
	return nil
}

// listRequests counts the contact list requests in the mock's request log.
func (d *demo) listRequests() int {
	n := 0
	for _, r := range d.mock.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/"+d.ws.Subdomain()+"/contacts") {
			n++
		}
	}
	return n
}

func (d *demo) rateLimit() error {
	const limit = 3
	d.ws.SetRateLimit(limit-1, time.Minute)
	d.step("Rate limit: the workspace now allows %d requests a minute; make %d", limit-1, limit)
	for i := 1; i <= limit; i++ {
		at := d.mock.Now()
		_, resp, err := d.c.Contacts.Get(d.ctx, d.contact.ID)
		if err != nil {
			return err
		}
		if now := d.mock.Now(); now.Equal(at) {
			d.say("request %d: %d at %s", i, resp.StatusCode, at.Format(time.TimeOnly))
		} else {
			d.say("request %d: %d after %d attempts, the mock clock moved %s → %s", i, resp.StatusCode,
				resp.Attempts, at.Format(time.TimeOnly), now.Format(time.TimeOnly))
		}
	}
	return nil
}

// seconds renders a wait in whole seconds, such as "60s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%ds", int64(d.Round(time.Second)/time.Second))
}
