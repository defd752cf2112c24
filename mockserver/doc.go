// Package mockserver is an in-process fake of the Xobito REST API, for
// tests and, through cmd/xobito-mock, as a standalone server.
//
// It behaves like the real API as the project's contract states it: the
// authentication chain and its error bodies, the per-token rate limit,
// Laravel's paginator and validation errors, the resources with their state,
// and signed outbound webhooks. It does not import the SDK: its wire JSON is
// its own, written from the contract, so that a wrong field name on one side
// fails the tests.
//
// # In a test
//
//	srv := mockserver.NewTest(t, mockserver.WithClock(mockserver.FixedClock(start)))
//	ws := srv.Default()                 // the seeded default workspace "acme"
//	client := newClient(srv.BaseURL(ws.Subdomain()), ws.Token())
//	ws.RotateToken()                     // the old token now gets 401
//	srv.Advance(time.Minute)             // the rate-limit window closes
//
// NewTest listens on loopback with httptest and closes the server when the
// test ends. New gives the bare http.Handler; call Close when done with it
// to stop webhook delivery.
//
// All time (timestamps, rate-limit windows, webhook retry waits) is the
// clock's time plus what Advance added. With FixedClock time moves only
// through Advance, so a test never sleeps.
//
// # Workspaces
//
// The server holds any number of workspaces, addressed by the path segment
// of /api/v1/{subdomain}/. Each has its own data, a 64-hex token, an API
// access switch, abilities, a rate limit, a contact cap and a webhook
// target. AddWorkspace adds one; WorkspaceWithoutAPI makes one that never
// set up API access (404 "API settings not found for this tenant").
//
// Requests are answered in this order: an injected fault (API requests
// only: faults never touch the admin API below /_mock/); 404 "Not found"
// for a path that is no route and 405 with Allow for a wrong method (so an
// unknown route answers 404 whatever its subdomain); then the auth chain
// (400 unknown subdomain, 404 API not set up, 403 API disabled, 401 token
// missing, 401 token invalid, 403 ability missing); then the rate limit
// (429); then the endpoint. Malformed JSON or a body that is not JSON
// answers 422. HEAD on a GET route is answered as GET without the body, as
// Laravel does. A send to a number that is no contact yet creates one,
// so the number must then be E.164 once given its "+" (422 naming
// phone_number otherwise). No input answers 5xx, except an injected fault's. A drop
// fault closes the connection; where there is none to close (HTTP/2, or
// ServeHTTP called with an httptest.ResponseRecorder) it answers 502 "Bad
// Gateway" instead. No handler panics.
//
// # Controls
//
// From Go: Workspace.EnableAPI, DisableAPI, RotateToken, RemoveAbility,
// RestoreAbility, SetRateLimit, SetContactLimit, SetWebhook,
// SetMessageStatus, Messages, Message; Server.Advance, InjectFault,
// ClearFaults, Requests, ClearRequests, Deliveries, WaitWebhooks, Reset.
//
// Over HTTP, for the standalone binary, below /_mock/ (JSON in and out, no
// authentication):
//
//	GET    /_mock/workspaces                              every workspace with its token and settings
//	POST   /_mock/workspaces                              {"subdomain","token","seed","api":"enabled|disabled|none"}
//	GET    /_mock/workspaces/{sub}                        one workspace
//	POST   /_mock/workspaces/{sub}/api/enable             switch API access on
//	POST   /_mock/workspaces/{sub}/api/disable            switch API access off
//	POST   /_mock/workspaces/{sub}/token/rotate           new token (in the answer)
//	POST   /_mock/workspaces/{sub}/abilities/remove       {"ability":"contacts.read"}
//	POST   /_mock/workspaces/{sub}/abilities/restore      {"ability":"contacts.read"}
//	PUT    /_mock/workspaces/{sub}/rate-limit             {"max":60,"window_seconds":60}
//	PUT    /_mock/workspaces/{sub}/contact-limit          {"limit":100} (0: none)
//	PUT    /_mock/workspaces/{sub}/webhook                {"url","secret"} ("" url: none)
//	GET    /_mock/clock                                   {"now"}
//	POST   /_mock/clock/advance                           {"seconds":60} or {"duration":"1m"} (negative: 422)
//	GET    /_mock/faults                                  the active faults
//	POST   /_mock/faults                                  {"method","path","times","latency_ms","drop","status","body","content_type","empty_body","truncate_at"}
//	DELETE /_mock/faults                                  remove every fault
//	GET    /_mock/requests                                the request log (Authorization redacted)
//	DELETE /_mock/requests                                empty it
//	GET    /_mock/workspaces/{sub}/messages               the messages sent, oldest first
//	PUT    /_mock/workspaces/{sub}/messages/{id}/status   {"status":"delivered","error_message":""}
//	GET    /_mock/deliveries                              every webhook attempt
//	POST   /_mock/reset                                   back to the state after start
//
// # Webhooks
//
// Once a workspace has a webhook URL, creating, updating or deleting a
// contact, status or source, and the message events, are POSTed to it with
// the contract's body and headers, signed with HMAC-SHA256 (lowercase hex
// in X-Webhook-Signature; X-Webhook-Timestamp is the attempt's unix second
// on the mock clock). A CRUD event's original is the record before an
// update, null otherwise. A status that takes the default flag takes it
// from the others: each one that loses it is updated (its updated_at
// moves) and sends its own "updated" event, before the event of the status
// that took the flag. Delivery runs in
// the background, one event after the other per workspace: up to three
// attempts, waiting 1 s then 2 s on the mock clock.
//
// The 1 s and 2 s waits count from the start of the previous attempt, not
// from its end. This is the project's decision (the contract does not say):
// a test that sees an attempt arrive may advance the mock clock at once,
// even before the attempt has finished, without missing the retry's
// wake-up.
package mockserver
