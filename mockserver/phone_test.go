package mockserver

import (
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestValidatePhone(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, tc := range []struct {
		phone, digits, code, country, national, reason string
	}{
		{phone: "+44 7400 123456", digits: "447400123456", code: "44", country: "United Kingdom", national: "7400123456"},
		{phone: "+44 7911 123456", digits: "447911123456", code: "44", country: "Guernsey", national: "7911123456"},
		{phone: "919909919284", digits: "919909919284", code: "91", country: "India", national: "9909919284"},
		{phone: "+1 (415) 555-2671", digits: "14155552671", code: "1", country: "United States", national: "4155552671"},
		{phone: "+5511987654321", digits: "5511987654321", code: "55", country: "Brazil", national: "11987654321"},
		{phone: "+80012345678", digits: "80012345678", code: "800", national: "12345678"}, // no country
		{phone: "12ab", digits: "12", reason: "Number is too short to be valid"},
		{phone: "", digits: "", reason: "required"},
		{phone: "+1234567890123456", digits: "1234567890123456", reason: "Number is too long to be valid"},
		{phone: "+99912345678", digits: "99912345678", reason: "Number has no valid country calling code"},
		{phone: "+4412345", digits: "4412345", reason: "Number is too short to be valid"},
		{phone: "+4930123456789012", digits: "4930123456789012", reason: "Number is too long to be valid"},
		{phone: "+14155", digits: "14155", reason: "Number is too short to be valid"},
		{phone: "+12005550123", digits: "12005550123", reason: "Number is not a valid number for its country"},
	} {
		code, body := api(t, s, "POST", "phone/validate", `{"phone_number":`+jsonOf(t, tc.phone)+`}`)
		if tc.reason == "required" {
			if code != 422 || dig(body, "errors", "phone_number", 0) != "The phone number field is required." {
				t.Errorf("%q: %d %v", tc.phone, code, body)
			}
			continue
		}
		d, _ := body["data"].(map[string]any)
		valid := tc.reason == ""
		want := map[string]any{"phone": tc.phone, "phone_digits": tc.digits, "format_valid": valid, "note": phoneNote,
			"country_code": nil, "country": nil, "national_number": nil, "e164": nil, "reason": nil}
		message := "Phone number format is invalid"
		if valid {
			message = "Phone number format is valid"
			want["country_code"], want["national_number"], want["e164"] = tc.code, tc.national, "+"+tc.digits
			if tc.country != "" {
				want["country"] = tc.country
			}
		} else {
			want["reason"] = tc.reason
		}
		if code != 200 || body["message"] != message || jsonOf(t, d) != jsonOf(t, want) {
			t.Errorf("%q: %d %s\n got %v\nwant %v", tc.phone, code, body["message"], d, want)
		}
	}
	for _, body := range []string{`{"phone_number":15550001111}`, `{"phone":"+15550001111"}`, `{`} {
		if code, got := api(t, s, "POST", "phone/validate", body); code != 422 {
			t.Errorf("%s: %d %v, want 422", body, code, got)
		}
	}
	s.Default().RemoveAbility("messages.send")
	if code, _ := api(t, s, "POST", "phone/validate", `{"phone_number":"+15550001111"}`); code != 403 {
		t.Errorf("without messages.send: %d, want 403", code)
	}
}

// TestPhoneCountries checks the country data against the library's own:
// every region it supports has an English name, and its example number is
// valid there.
func TestPhoneCountries(t *testing.T) {
	t.Parallel()
	for region := range phonenumbers.GetSupportedRegions() {
		name := countryName(region)
		if name == nil || *name == "" || *name == region {
			t.Errorf("%s: no English name", region)
			continue
		}
		ex := phonenumbers.GetExampleNumber(region)
		if ex == nil {
			continue
		}
		d := checkPhone(phonenumbers.Format(ex, phonenumbers.E164))
		if !d.FormatValid || *d.CountryCode != strconv.Itoa(int(ex.GetCountryCode())) {
			t.Errorf("%s example %v: %+v", region, ex, d)
		}
		// Regions sharing a calling code (the NANP, +44, +7 …) are told
		// apart by the number itself.
		if got := phonenumbers.GetRegionCodeForNumber(ex); got == region && (d.Country == nil || *d.Country != *name) {
			t.Errorf("%s example: country %v, want %s", region, d.Country, *name)
		}
	}
}

func FuzzCheckPhone(f *testing.F) {
	for _, seed := range []string{"+919909919284", "+00000", "12ab", "+1 (415) 555-2671", "+80012345678", "٣٤٥٦٧٨٩", "+" + string(rune(0))} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, phone string) {
		d := checkPhone(phone)
		if d.FormatValid != (d.Reason == nil) || d.FormatValid != (d.E164 != nil) || d.Phone != phone {
			t.Fatalf("%q: inconsistent %+v", phone, d)
		}
		// The E.164 form may drop a national prefix written after the
		// country code ("+7 8 …"), but it is itself valid and stable.
		if d.FormatValid {
			if again := checkPhone(*d.E164); !again.FormatValid || *again.E164 != *d.E164 {
				t.Fatalf("%q: e164 %s does not validate as itself: %+v", phone, *d.E164, again)
			}
		}
	})
}
