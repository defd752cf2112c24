package xobito

import (
	"context"
	"encoding/json"
	"testing"
)

func TestPhoneValidate(t *testing.T) {
	t.Parallel()
	c, cp, _ := answering(t, "POST", "phone/validate", jsonResponder(200, readTestdata(t, "phone_validate_valid.json")))

	v, resp, err := c.Phone.Validate(context.Background(), "+44 7911 123456")
	if err != nil {
		t.Fatal(err)
	}
	req, body := cp.last(t)
	wantRequest(t, req, "POST", "phone/validate", "application/json")
	jsonEqual(t, body, `{"phone_number":"+44 7911 123456"}`)
	if v.Phone != "+44 7911 123456" || v.PhoneDigits != "447911123456" || !v.FormatValid || v.Reason != nil ||
		deref(v.CountryCode) != "44" || deref(v.Country) != "United Kingdom" || deref(v.NationalNumber) != "7911123456" ||
		deref(v.E164) != "+447911123456" || v.Note == "" {
		t.Errorf("validation = %+v", v)
	}
	if resp.Message != "Phone number format is valid" {
		t.Errorf("message = %q", resp.Message)
	}
}

func TestPhoneValidateInvalidNumber(t *testing.T) {
	t.Parallel()
	c, _, _ := answering(t, "POST", "phone/validate", jsonResponder(200, readTestdata(t, "phone_validate_invalid.json")))

	v, resp, err := c.Phone.Validate(context.Background(), "12ab")
	if err != nil {
		t.Fatalf("an invalid number is a 200 answer, not an error: %v", err)
	}
	if v.FormatValid || v.CountryCode != nil || v.Country != nil || v.NationalNumber != nil || v.E164 != nil ||
		deref(v.Reason) != "Too few digits" || v.PhoneDigits != "12" {
		t.Errorf("validation = %+v", v)
	}
	if resp.Message != "Phone number format is invalid" {
		t.Errorf("message = %q", resp.Message)
	}
}

func TestPhoneValidationDigitsAsNumbers(t *testing.T) {
	t.Parallel()
	var v PhoneValidation
	err := json.Unmarshal([]byte(`{"phone":"+1 415 555 2671","phone_digits":14155552671,"format_valid":1,
		"country_code":1,"country":"United States","national_number":4155552671,"e164":"+14155552671","reason":null,"extra":[1]}`), &v)
	if err != nil {
		t.Fatal(err)
	}
	if v.PhoneDigits != "14155552671" || deref(v.CountryCode) != "1" || deref(v.NationalNumber) != "4155552671" ||
		!v.FormatValid || deref(v.Country) != "United States" {
		t.Errorf("validation = %+v", v)
	}
	if err := json.Unmarshal([]byte(`{"format_valid":"maybe"}`), &v); err == nil {
		t.Error("a malformed answer decoded without error")
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
