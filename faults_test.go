package xobito_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xobito/xobito-go"
	"github.com/xobito/xobito-go/mockserver"
)

// The fault matrix: each fault the mock can inject on the first request,
// crossed with GET, PUT, DELETE and POST /messages/send. What the SDK must
// do is in the outcome column; the README shows the same table.

type outcome int

const (
	retried  outcome = iota // sent again, and the second attempt succeeds
	sentOnce                // not sent again: the caller gets a typed error
)

type faultCase struct {
	name  string
	fault mockserver.Fault
	// idempotent is the outcome for GET, PUT and DELETE; send for POST
	// /messages/send.
	idempotent, send outcome
	// want is the error the caller gets when the request is not sent again.
	want func(error) bool
}

// clientTimeout bounds each attempt of the slow fault's client; the fault
// answers far later than that.
const clientTimeout = time.Second

var faultCases = []faultCase{
	{"429 with body", mockserver.Fault{Status: 429, Body: `{"message":"Too many requests","retry_after":1}`}, retried, retried, nil},
	{"429 without body", mockserver.Fault{Status: 429, EmptyBody: true}, retried, retried, nil},
	{"500", mockserver.Fault{Status: 500, Body: `{"status":"error","message":"Failed to process request"}`}, retried, sentOnce, is(xobito.ErrServer)},
	{"502", mockserver.Fault{Status: 502}, retried, sentOnce, is(xobito.ErrServer)},
	{"503", mockserver.Fault{Status: 503}, retried, sentOnce, is(xobito.ErrServer)},
	{"dropped connection", mockserver.Fault{Drop: true}, retried, sentOnce, transportError},
	{"slower than the client timeout", mockserver.Fault{Latency: 20 * clientTimeout}, retried, sentOnce, transportError},
	{"truncated body", mockserver.Fault{Status: 200, Body: `{"status":"success","data":{"id":1,"name":"Fair"}}`, TruncateAt: 24}, sentOnce, sentOnce, is(xobito.ErrUnexpectedResponse)},
	{"HTML error page", mockserver.Fault{Status: 502, ContentType: "text/html", Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"}, retried, sentOnce, is(xobito.ErrServer)},
	{"empty body", mockserver.Fault{Status: 503, EmptyBody: true}, retried, sentOnce, is(xobito.ErrServer)},
}

func is(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }

// transportError: the request failed below HTTP, so there is no APIError.
func transportError(err error) bool {
	var apiErr *xobito.APIError
	return err != nil && !errors.As(err, &apiErr)
}

// matrixCall is one column of the matrix: it prepares the mock and returns
// the request's method and path (for the fault and the request log) and the
// call itself.
type matrixCall struct {
	method string
	run    func(t *testing.T, e *env) (path string, call func() (*xobito.Response, error))
}

var matrixCalls = []matrixCall{
	{http.MethodGet, func(t *testing.T, e *env) (string, func() (*xobito.Response, error)) {
		return "contacts", func() (*xobito.Response, error) { _, r, err := e.c.Contacts.List(ctx, nil); return r, err }
	}},
	{http.MethodPut, func(t *testing.T, e *env) (string, func() (*xobito.Response, error)) {
		src := must(e.c.Sources.Create(ctx, &xobito.NameRequest{Name: "Fair"})).ok(t)
		return fmt.Sprintf("sources/%d", src.ID), func() (*xobito.Response, error) {
			_, r, err := e.c.Sources.Update(ctx, src.ID, &xobito.NameRequest{Name: "Fair 2026"})
			return r, err
		}
	}},
	{http.MethodDelete, func(t *testing.T, e *env) (string, func() (*xobito.Response, error)) {
		src := must(e.c.Sources.Create(ctx, &xobito.NameRequest{Name: "Fair"})).ok(t)
		return fmt.Sprintf("sources/%d", src.ID), func() (*xobito.Response, error) { return e.c.Sources.Delete(ctx, src.ID) }
	}},
	{http.MethodPost, func(t *testing.T, e *env) (string, func() (*xobito.Response, error)) {
		return "messages/send", func() (*xobito.Response, error) {
			_, r, err := e.c.Messages.SendText(ctx, &xobito.TextMessage{PhoneNumber: "+16505550142", Body: "Your order shipped"})
			return r, err
		}
	}},
}

func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	for _, fc := range faultCases {
		for _, mc := range matrixCalls {
			t.Run(fc.name+"/"+mc.method, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				rel, call := mc.run(t, e) // the setup runs without a fault or a timeout
				if fc.fault.Latency > 0 {
					// Only the slow fault needs a client timeout; elsewhere one
					// would turn a busy machine into a spurious failure.
					e.c = e.client(t, e.ws.Subdomain(), e.ws.Token(), xobito.WithHTTPClient(&http.Client{
						Transport: e.ts.HTTP.Client().Transport, Timeout: clientTimeout,
					}))
				}
				path := "/api/v1/" + e.ws.Subdomain() + "/" + rel
				messagesBefore := len(e.ws.Messages())
				f := fc.fault
				f.Method, f.Path, f.Times = mc.method, path, 1
				e.ts.InjectFault(f)

				resp, err := call()

				// Closing waits for the mock's handlers, so the request log
				// is complete (an abandoned slow request finishes late).
				e.ts.HTTP.Close()

				want := fc.idempotent
				if mc.method == http.MethodPost {
					want = fc.send
				}
				sent := e.requests(mc.method, path)
				switch want {
				case retried:
					if err != nil {
						t.Fatalf("want success after a retry, got %v", err)
					}
					if resp.Attempts != 2 || sent != 2 {
						t.Fatalf("attempts %d, the mock saw %d requests; want 2", resp.Attempts, sent)
					}
				case sentOnce:
					if err == nil || !fc.want(err) {
						t.Fatalf("want a typed error, got %v", err)
					}
					if resp == nil || resp.Attempts != 1 || sent != 1 {
						t.Fatalf("attempts %v, the mock saw %d requests; want 1", resp, sent)
					}
				}
				if mc.method == http.MethodPost {
					// A send is either refused before any work or done once.
					created := len(e.ws.Messages()) - messagesBefore
					wantCreated := 0
					if want == retried {
						wantCreated = 1
					}
					if created != wantCreated {
						t.Fatalf("%d messages created, want %d", created, wantCreated)
					}
				}
				if strings.Contains(fmt.Sprint(err), e.ws.Token()) {
					t.Fatal("the token is in the error")
				}
			})
		}
	}
}
