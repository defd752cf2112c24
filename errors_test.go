package xobito

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// documentedError loads a documented error body from testdata/errors; its
// file name starts with the status it comes with.
func documentedError(t testing.TB, name string) (int, string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "errors", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	status, err := strconv.Atoi(name[:3])
	if err != nil {
		t.Fatalf("%s: file name must start with the status", name)
	}
	return status, string(b)
}

// getError sends one GET through the client to a server answering status
// and body, with retries off, and returns the error.
func getError(t *testing.T, status int, body string, header http.Header) error {
	t.Helper()
	c, mt, _ := newMockClient(t, WithRetry(RetryPolicy{}))
	mt.RegisterResponder(http.MethodGet, testBase+"contacts", func(req *http.Request) (*http.Response, error) {
		resp, _ := jsonResponder(status, body)(req)
		for k, v := range header {
			resp.Header[k] = v
		}
		return resp, nil
	})
	_, err := c.do(context.Background(), http.MethodGet, "contacts", nil, nil, nil)
	if err == nil {
		t.Fatalf("status %d gave no error", status)
	}
	return err
}

func TestDocumentedErrorsMatchTheirSentinels(t *testing.T) {
	t.Parallel()
	all := []error{ErrUnauthorized, ErrMissingToken, ErrInvalidToken, ErrForbidden, ErrAPIDisabled,
		ErrMissingAbility, ErrPlanLimit, ErrBadSubdomain, ErrAPINotConfigured, ErrNotFound, ErrDefaultStatus,
		ErrInUse, ErrValidation, ErrMethodNotAllowed, ErrTooLarge, ErrRateLimited, ErrServer}
	cases := []struct {
		file    string
		want    []error
		message string
	}{
		{"400_bad_subdomain", []error{ErrBadSubdomain}, "Validation failed"},
		{"404_api_settings_not_found", []error{ErrAPINotConfigured}, "API settings not found for this tenant"},
		{"403_api_disabled", []error{ErrAPIDisabled, ErrForbidden}, "API access is disabled"},
		{"401_token_required", []error{ErrMissingToken, ErrUnauthorized}, "API token is required"},
		{"401_invalid_token", []error{ErrInvalidToken, ErrUnauthorized}, "Invalid API token"},
		{"403_missing_ability", []error{ErrMissingAbility, ErrForbidden}, "Token does not have the required ability: contacts.create"},
		{"429_rate_limited", []error{ErrRateLimited}, "Too many requests"},
		{"403_plan_limit", []error{ErrPlanLimit, ErrForbidden}, "Contact limit exceeded for your current plan. Upgrade to add more contacts."},
		{"404_contact_not_found", []error{ErrNotFound}, "Contact not found"},
		{"404_route_not_found", []error{ErrNotFound}, "Not found"},
		{"405_method_not_allowed", []error{ErrMethodNotAllowed}, "Method not allowed"},
		{"413_too_large", []error{ErrTooLarge}, "Payload too large"},
		{"422_validation", []error{ErrValidation}, "Validation failed"},
		{"422_template_not_found", []error{ErrValidation}, "Validation failed"},
		{"400_default_status", []error{ErrDefaultStatus}, "Cannot delete the default status"},
		{"400_status_in_use", []error{ErrInUse}, "The Status ID is already being used"},
		{"400_source_in_use", []error{ErrInUse}, "The Source ID is already being used"},
		{"500_server", []error{ErrServer}, "Failed to list contacts"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			status, body := documentedError(t, tc.file)
			err := getError(t, status, body, nil)
			for _, s := range all {
				want := false
				for _, w := range tc.want {
					want = want || w == s
				}
				if got := errors.Is(err, s); got != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v (err: %v)", s, got, want, err)
				}
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("errors.As(*APIError) failed for %T", err)
			}
			if apiErr.StatusCode != status || apiErr.Message != tc.message {
				t.Errorf("status %d message %q, want %d %q", apiErr.StatusCode, apiErr.Message, status, tc.message)
			}
			if strings.TrimSpace(string(apiErr.Body)) != strings.TrimSpace(body) {
				t.Errorf("raw body lost: %q", apiErr.Body)
			}
		})
	}
}

func TestErrorDetails(t *testing.T) {
	t.Parallel()
	t.Run("missing ability names it", func(t *testing.T) {
		t.Parallel()
		status, body := documentedError(t, "403_missing_ability")
		var apiErr *APIError
		if !errors.As(getError(t, status, body, nil), &apiErr) || apiErr.Ability != "contacts.create" {
			t.Fatalf("ability = %q", apiErr.Ability)
		}
	})
	t.Run("validation fields", func(t *testing.T) {
		t.Parallel()
		status, body := documentedError(t, "422_validation")
		var apiErr *APIError
		errors.As(getError(t, status, body, nil), &apiErr)
		if got := apiErr.Fields["phone"]; len(got) != 1 || got[0] != "The phone has already been taken." {
			t.Fatalf("fields = %v", apiErr.Fields)
		}
		if !strings.Contains(apiErr.Error(), "phone: The phone has already been taken.") {
			t.Errorf("Error() = %q", apiErr.Error())
		}
	})
	t.Run("errors as a string", func(t *testing.T) {
		t.Parallel()
		status, body := documentedError(t, "400_bad_subdomain")
		var apiErr *APIError
		errors.As(getError(t, status, body, nil), &apiErr)
		if apiErr.Detail != "Invalid tenant subdomain" || apiErr.Fields != nil {
			t.Fatalf("detail %q fields %v", apiErr.Detail, apiErr.Fields)
		}
	})
	t.Run("server error key", func(t *testing.T) {
		t.Parallel()
		status, body := documentedError(t, "500_server")
		var apiErr *APIError
		errors.As(getError(t, status, body, nil), &apiErr)
		if !strings.Contains(apiErr.Detail, "SQLSTATE") {
			t.Fatalf("detail %q", apiErr.Detail)
		}
	})
	t.Run("retry_after from the body", func(t *testing.T) {
		t.Parallel()
		status, body := documentedError(t, "429_rate_limited")
		var rl *RateLimitError
		if !errors.As(getError(t, status, body, nil), &rl) || rl.RetryAfter != 42*time.Second {
			t.Fatalf("rate limit error %#v", rl)
		}
	})
	t.Run("retry_after from the header when the body has none", func(t *testing.T) {
		t.Parallel()
		var rl *RateLimitError
		err := getError(t, 429, "", http.Header{"Retry-After": {"7"}})
		if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second {
			t.Fatalf("rate limit error %v", err)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
			t.Fatalf("errors.As(*APIError) on a rate limit error: %v", err)
		}
	})
	t.Run("zero retry_after", func(t *testing.T) {
		t.Parallel()
		var rl *RateLimitError
		if !errors.As(getError(t, 429, `{"message":"Too many requests","retry_after":0}`, nil), &rl) || rl.RetryAfter != 0 {
			t.Fatalf("rate limit error %#v", rl)
		}
	})
}

func TestUndecodableErrorBodiesKeepTheStatus(t *testing.T) {
	t.Parallel()
	huge := `{"status":"error","message":"` + strings.Repeat("x", 3*maxErrorBody) + `"}`
	cases := []struct {
		name, body string
		status     int
		want       error
	}{
		{"html from a proxy", "<html><body><h1>502 Bad Gateway</h1></body></html>", 502, ErrServer},
		{"empty", "", 503, ErrServer},
		{"truncated JSON", `{"status":"error","message":"Invalid API tok`, 401, ErrUnauthorized},
		{"very large", huge, 422, ErrValidation},
		{"JSON but not an object", `["what"]`, 404, ErrNotFound},
		{"errors of another shape", `{"message":"Validation failed","errors":[1,2]}`, 422, ErrValidation},
		{"field errors as strings", `{"message":"Validation failed","errors":{"phone":"taken"}}`, 422, ErrValidation},
		{"unknown status", `{"message":"I'm a teapot"}`, 418, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := getError(t, tc.status, tc.body, nil)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
				t.Fatalf("err %v", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("errors.Is(%v) false for %v", tc.want, err)
			}
			if len(apiErr.Body) > maxErrorBody {
				t.Errorf("kept %d bytes, bound is %d", len(apiErr.Body), maxErrorBody)
			}
			if tc.name == "very large" && !apiErr.Truncated {
				t.Error("Truncated not set")
			}
			if apiErr.Message == "" {
				t.Error("empty message")
			}
		})
	}
}

// FuzzDecodeError feeds arbitrary bodies and statuses to the error decoder:
// it must never panic, always keep the status, and never keep more than the
// bound.
func FuzzDecodeError(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "errors"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", "errors", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		status, _ := strconv.Atoi(e.Name()[:3])
		f.Add(status, b)
	}
	f.Add(502, []byte("<html>bad gateway</html>"))
	f.Add(429, []byte(`{"retry_after":"1e308"}`))
	f.Add(429, []byte(`{"retry_after":-5}`))
	f.Add(400, []byte(`{"errors":{"a":null,"b":[1]}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 300 || status > 599 {
			status = 300 + (status%300+300)%300
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {string(body)}}}
		b, truncated := readBounded(strings.NewReader(string(body)), maxErrorBody)
		err := newAPIError(resp, b, truncated)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Fatalf("status lost: %v", err)
		}
		_ = err.Error()
		var rl *RateLimitError
		if errors.As(err, &rl) && (rl.RetryAfter < 0 || status != 429) {
			t.Fatalf("bad rate limit error %v for status %d", rl.RetryAfter, status)
		}
	})
}
