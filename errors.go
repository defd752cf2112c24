package xobito

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Every non-2xx answer becomes an *APIError (or a
// *RateLimitError for 429) that matches one or more of these with errors.Is:
//
//	if errors.Is(err, xobito.ErrAPIDisabled) { … }
//
// The class sentinels ErrUnauthorized (401) and ErrForbidden (403) match every
// error of their status; the others name one cause.
var (
	// ErrUnauthorized matches every 401 answer.
	ErrUnauthorized = errors.New("xobito: unauthorized")
	// ErrMissingToken: the request carried no bearer token (401).
	ErrMissingToken = errors.New("xobito: API token is required")
	// ErrInvalidToken: the token is not the workspace's current token; it
	// was rotated away, or belongs to another workspace (401).
	ErrInvalidToken = errors.New("xobito: invalid API token")
	// ErrForbidden matches every 403 answer.
	ErrForbidden = errors.New("xobito: forbidden")
	// ErrAPIDisabled: the workspace turned "Enable API Access" off (403).
	ErrAPIDisabled = errors.New("xobito: API access is disabled")
	// ErrMissingAbility: the token lacks the endpoint's ability (403); the
	// ability is in APIError.Ability.
	ErrMissingAbility = errors.New("xobito: token lacks the required ability")
	// ErrPlanLimit: the workspace's plan does not allow the operation, such
	// as a contact cap (403).
	ErrPlanLimit = errors.New("xobito: plan limit exceeded")
	// ErrBadSubdomain: the subdomain names no workspace (400).
	ErrBadSubdomain = errors.New("xobito: invalid workspace subdomain")
	// ErrAPINotConfigured: the workspace never set up API access (404).
	ErrAPINotConfigured = errors.New("xobito: API settings not found for this workspace")
	// ErrNotFound: the record or route does not exist (404).
	ErrNotFound = errors.New("xobito: not found")
	// ErrDefaultStatus: the default status cannot be deleted (400).
	ErrDefaultStatus = errors.New("xobito: cannot delete the default status")
	// ErrInUse: a status, source or group is still used by a contact (400).
	ErrInUse = errors.New("xobito: record is in use")
	// ErrValidation: the server refused the input (422); the field messages
	// are in APIError.Fields.
	ErrValidation = errors.New("xobito: validation failed")
	// ErrMethodNotAllowed: the path exists but not for this method (405).
	ErrMethodNotAllowed = errors.New("xobito: method not allowed")
	// ErrTooLarge: the request body is larger than the endpoint takes (413).
	ErrTooLarge = errors.New("xobito: request body too large")
	// ErrRateLimited: the token's rate limit is exhausted (429); use
	// errors.As with *RateLimitError for the wait.
	ErrRateLimited = errors.New("xobito: rate limited")
	// ErrServer matches every 5xx answer.
	ErrServer = errors.New("xobito: server error")
	// ErrUnexpectedResponse: a 2xx answer whose body could not be decoded,
	// such as one cut short. The request may well have taken effect: a send
	// answered this way is not sent again.
	ErrUnexpectedResponse = errors.New("xobito: unexpected response body")
)

// maxErrorBody bounds how much of an error answer is read and kept.
const maxErrorBody = 64 << 10

// APIError is a non-2xx answer of the Xobito API. It keeps the status, the
// server's message, the field errors and the raw body (at most 64 KiB), and
// matches the sentinels above with errors.Is.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Message is the body's "message", or a short description when the body
	// carried none (an HTML page from a proxy, an empty body).
	Message string
	// Fields holds the "errors" object of a validation answer: field name to
	// messages, in the server's words.
	Fields map[string][]string
	// Detail holds "errors" when the server sent it as a plain string (the
	// bad-subdomain answer does), or the "error" key of a 5xx.
	Detail string
	// Ability names the missing ability of an ErrMissingAbility answer, such
	// as "contacts.create".
	Ability string
	// Body is the raw body as received, truncated to 64 KiB.
	Body []byte
	// Truncated reports that Body was cut at the bound.
	Truncated bool
	// Response is the HTTP response; its body is already closed.
	Response *http.Response

	kind error // the most specific sentinel, or nil
}

// Error describes the failure without the request's credentials.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("xobito: ")
	if e.Response != nil && e.Response.Request != nil {
		b.WriteString(e.Response.Request.Method)
		b.WriteByte(' ')
		b.WriteString(e.Response.Request.URL.Redacted())
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Message != "" {
		b.WriteString(" ")
		b.WriteString(e.Message)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if len(e.Fields) > 0 {
		b.WriteString(" (")
		b.WriteString(formatFields(e.Fields))
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is the error's cause or its class sentinel.
func (e *APIError) Is(target error) bool {
	if target == nil {
		return false
	}
	if e.kind != nil && target == e.kind {
		return true
	}
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// RateLimitError is a 429 answer. RetryAfter is the server's wait: the
// body's retry_after, else the Retry-After header; it is zero in the last
// second of a window. It matches ErrRateLimited, and errors.As also finds
// its *APIError.
type RateLimitError struct {
	APIError
	// RetryAfter is how long the server asked the client to wait; zero when
	// it gave no wait at all.
	RetryAfter time.Duration

	hinted bool // the server gave a wait (retry_after or Retry-After)
}

// Error includes the server's wait.
func (e *RateLimitError) Error() string {
	return e.APIError.Error() + " (retry after " + e.RetryAfter.String() + ")"
}

// Unwrap gives errors.As access to the embedded *APIError.
func (e *RateLimitError) Unwrap() error { return &e.APIError }

// errorBody is the union of the API's error shapes: the error envelope, the
// 429 body and a 5xx's extra "error" key.
type errorBody struct {
	Message    string          `json:"message"`
	Errors     json.RawMessage `json:"errors"`
	Error      json.RawMessage `json:"error"`
	RetryAfter json.RawMessage `json:"retry_after"`
}

// newAPIError builds the typed error from a status, headers and the
// (already bounded) body. It never fails: whatever the body holds, the
// status survives.
func newAPIError(resp *http.Response, body []byte, truncated bool) error {
	e := APIError{StatusCode: resp.StatusCode, Body: body, Truncated: truncated, Response: resp}
	var eb errorBody
	if len(bytes.TrimSpace(body)) > 0 && json.Unmarshal(body, &eb) == nil {
		e.Message = eb.Message
		e.Fields, e.Detail = decodeErrorsField(eb.Errors)
		if e.Detail == "" {
			e.Detail = rawString(eb.Error)
		}
	} else {
		e.Message = describeBody(resp, body)
	}
	e.kind = classify(&e)
	if resp.StatusCode != http.StatusTooManyRequests {
		return &e
	}
	rl := &RateLimitError{APIError: e}
	if d, ok := retryAfterSeconds(eb.RetryAfter); ok {
		rl.RetryAfter, rl.hinted = d, true
	} else if d, ok := retryAfterHeader(resp.Header.Get("Retry-After")); ok {
		rl.RetryAfter, rl.hinted = d, true
	}
	return rl
}

// classify picks the most specific sentinel for the answer.
func classify(e *APIError) error {
	msg := strings.ToLower(e.Message)
	switch e.StatusCode {
	case http.StatusBadRequest:
		switch {
		case strings.Contains(strings.ToLower(e.Detail), "subdomain"), strings.Contains(msg, "subdomain"):
			return ErrBadSubdomain
		case strings.Contains(msg, "default status"):
			return ErrDefaultStatus
		case strings.Contains(msg, "already being used"):
			return ErrInUse
		}
	case http.StatusUnauthorized:
		if strings.Contains(msg, "required") {
			return ErrMissingToken
		}
		return ErrInvalidToken
	case http.StatusForbidden:
		const abilityPrefix = "token does not have the required ability:"
		switch {
		case len(e.Message) >= len(abilityPrefix) && strings.EqualFold(e.Message[:len(abilityPrefix)], abilityPrefix):
			e.Ability = strings.TrimSpace(e.Message[len(abilityPrefix):])
			return ErrMissingAbility
		case strings.Contains(msg, "api access is disabled"):
			return ErrAPIDisabled
		case strings.Contains(msg, "limit exceeded"), strings.Contains(msg, "plan"):
			return ErrPlanLimit
		}
	case http.StatusNotFound:
		if strings.Contains(msg, "api settings not found") {
			return ErrAPINotConfigured
		}
		return ErrNotFound
	case http.StatusMethodNotAllowed:
		return ErrMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		return ErrTooLarge
	case http.StatusUnprocessableEntity:
		return ErrValidation
	case http.StatusTooManyRequests:
		return ErrRateLimited
	}
	return nil
}

// decodeErrorsField reads "errors" as a field map or as a string; any other
// shape is kept as text so nothing is lost.
func decodeErrorsField(raw json.RawMessage) (map[string][]string, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, ""
	}
	switch raw[0] {
	case '"':
		return nil, rawString(raw)
	case '{':
		var generic map[string]json.RawMessage
		if json.Unmarshal(raw, &generic) != nil {
			return nil, string(raw)
		}
		fields := make(map[string][]string, len(generic))
		for k, v := range generic {
			var list []string
			if json.Unmarshal(v, &list) == nil {
				fields[k] = list
				continue
			}
			fields[k] = []string{rawString(v)}
		}
		return fields, ""
	}
	return nil, string(raw)
}

// rawString renders a JSON value as text: a string unquoted, anything else
// as its JSON.
func rawString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// retryAfterSeconds reads retry_after as a whole or fractional number of
// seconds, or a numeric string; negative values count as zero.
func retryAfterSeconds(raw json.RawMessage) (time.Duration, bool) {
	s := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
	if s == "" || s == "null" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f {
		return 0, false
	}
	return secondsToDuration(f), true
}

// retryAfterHeader reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfterHeader(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == f {
		return secondsToDuration(f), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// secondsToDuration converts seconds to a Duration, clamping to [0, 1 year]
// so a hostile value cannot overflow.
func secondsToDuration(f float64) time.Duration {
	const limit = 365 * 24 * time.Hour
	switch {
	case f <= 0:
		return 0
	case f >= limit.Seconds():
		return limit
	}
	return time.Duration(f * float64(time.Second))
}

// describeBody gives a message for an answer whose body is not the API's
// JSON: empty, HTML from a proxy, or cut short.
func describeBody(resp *http.Response, body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return http.StatusText(resp.StatusCode) + " (empty body)"
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "unknown content type"
	}
	return fmt.Sprintf("%s (non-JSON body, %s, %d bytes)", http.StatusText(resp.StatusCode), ct, len(body))
}

// formatFields renders field errors in a stable order.
func formatFields(fields map[string][]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(strings.Join(fields[k], " "))
	}
	return b.String()
}

// InputError reports input the SDK refused before sending anything.
type InputError struct {
	// Field is the JSON name of the offending field or option.
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the field and what is wrong with it.
func (e *InputError) Error() string {
	return "xobito: invalid " + e.Field + ": " + e.Reason
}

// ErrInvalidInput matches every *InputError.
var ErrInvalidInput = errors.New("xobito: invalid input")

// Is makes errors.Is(err, ErrInvalidInput) true for every *InputError.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// invalid builds an *InputError.
func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
