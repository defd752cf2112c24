package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// request is what a route handler receives: the HTTP request, its path
// parameters, its body (already read, for routes that are not raw) and the
// mock time at which it arrived.
type request struct {
	*http.Request
	params map[string]string
	body   []byte
	// bodyTypes names the content types the route takes, for jsonBody's
	// 422 ("" stands for application/json).
	bodyTypes string
	now       time.Time
	// apiURL is the absolute URL of the workspace's API root, without a
	// trailing slash: "http://127.0.0.1:1234/api/v1/acme".
	apiURL string
}

// param returns the path parameter name ("" when absent).
func (r *request) param(name string) string { return r.params[name] }

// id parses the {id} path parameter; ok is false when it is not a positive
// integer (the handler then answers its resource's 404).
func (r *request) id() (int64, bool) {
	n, err := strconv.ParseInt(r.params["id"], 10, 64)
	return n, err == nil && n > 0
}

// jsonBody decodes the body read by readBody as a JSON object into a field
// map, so that handlers can tell absent, null and wrongly typed fields
// apart. An empty body is an empty object. A body sent with another
// content type, or that is not a JSON object, answers 422; the content
// type's message names the types the route takes (application/json unless
// bodyTypes says otherwise).
func (r *request) jsonBody() (map[string]json.RawMessage, *response) {
	fields := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(r.body)) == 0 {
		return fields, nil
	}
	if !isJSONContentType(r.Header.Get("Content-Type")) {
		res := validationFailed(fieldError("content_type",
			"The request body must be sent as "+orDefault(r.bodyTypes, "application/json")+"."))
		return nil, &res
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&fields); err != nil || fields == nil || dec.More() {
		res := validationFailed(fieldError("body", "The request body must be a valid JSON object."))
		return nil, &res
	}
	return fields, nil
}

func isJSONContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// response is what a route handler returns. body is encoded as JSON; a nil
// body writes nothing.
type response struct {
	status int
	body   any
	header http.Header
	// encoded is body as JSON once encode has run.
	encoded []byte
}

// encode turns body into JSON now, so that it may hold pointers to records
// that change once the workspace lock is released. A body that cannot be
// encoded becomes a 500.
func (res *response) encode() {
	if res.body == nil || res.encoded != nil {
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res.body); err != nil {
		res.status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"status":"error","message":"Failed to encode the response"}` + "\n")
	}
	res.encoded = buf.Bytes()
}

// envelope is the contract's success and error envelope (§1).
type envelope struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
	Data    any    `json:"data,omitempty"`
	Errors  any    `json:"errors,omitempty"`
}

// ok answers a read: 200 with data and no message.
func ok(data any) response {
	return response{status: http.StatusOK, body: envelope{Status: "success", Data: data}}
}

// written answers a write: status (200 or 201), a message and data (nil for
// a delete, which sends no data key).
func written(status int, message string, data any) response {
	return response{status: status, body: envelope{Status: "success", Message: message, Data: data}}
}

// failure answers the error envelope without errors.
func failure(status int, message string) response {
	return response{status: status, body: envelope{Status: "error", Message: message}}
}

// validationFailed answers 422 "Validation failed" with errors (a
// *fieldErrors, or a string for the bad-subdomain 400's sibling cases).
func validationFailed(errs any) response {
	return response{status: http.StatusUnprocessableEntity,
		body: envelope{Status: "error", Message: "Validation failed", Errors: errs}}
}

// fieldErrors holds Laravel-style validation errors, {"field":["msg"]},
// encoded in the order the fields were first added.
type fieldErrors struct {
	keys []string
	msgs map[string][]string
}

// fieldError is a fieldErrors holding one message.
func fieldError(field, msg string) *fieldErrors {
	e := &fieldErrors{}
	e.add(field, msg)
	return e
}

func (e *fieldErrors) add(field, msg string) {
	if e.msgs == nil {
		e.msgs = map[string][]string{}
	}
	if _, seen := e.msgs[field]; !seen {
		e.keys = append(e.keys, field)
	}
	e.msgs[field] = append(e.msgs[field], msg)
}

// has reports whether field already failed.
func (e *fieldErrors) has(field string) bool { _, ok := e.msgs[field]; return ok }

func (e *fieldErrors) empty() bool { return len(e.keys) == 0 }

// result is nil when there are no errors, else the 422 to answer.
func (e *fieldErrors) result() *response {
	if e.empty() {
		return nil
	}
	res := validationFailed(e)
	return &res
}

func (e *fieldErrors) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range e.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		vals, err := json.Marshal(e.msgs[k])
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(vals)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// stampFormat is the contract's timestamp format (§1).
const stampFormat = "2006-01-02T15:04:05.000000Z"

// stamp is a time encoded in the contract's format, always in UTC.
type stamp time.Time

func (t stamp) MarshalText() ([]byte, error) {
	return time.Time(t).UTC().AppendFormat(make([]byte, 0, len(stampFormat)), stampFormat), nil
}

// flag is a boolean encoded as 0 or 1, as the contract's examples show.
type flag bool

func (f flag) MarshalJSON() ([]byte, error) {
	if f {
		return []byte("1"), nil
	}
	return []byte("0"), nil
}

// writeResponse writes res, encoding its body unless done already.
func writeResponse(w http.ResponseWriter, res response) {
	for k, v := range res.header {
		w.Header()[k] = v
	}
	res.encode()
	if res.encoded != nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(res.encoded)))
	}
	w.WriteHeader(res.status)
	_, _ = w.Write(res.encoded)
}

// readBody reads the body, at most maxJSONBody bytes, into r.body: the one
// way every buffered body (API or admin, and the JSON form of an upload) is
// read. It answers 413 for a longer body, 400 for one that cannot be read.
func (r *request) readBody() *response {
	if r.Body == nil {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody+1))
	switch {
	case err != nil:
		res := failure(http.StatusBadRequest, "The request body could not be read.")
		return &res
	case len(b) > maxJSONBody:
		res := failure(http.StatusRequestEntityTooLarge, msgTooLarge)
		return &res
	}
	r.body = b
	return nil
}

// msgTooLarge is the 413 message, as for any body over its bound.
const msgTooLarge = "The request body is too large."

var errTooLarge = errors.New("request body too large")
