package mockserver

import (
	"net/http"
	"strconv"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// phoneNote is the fixed note of every phone validation.
const phoneNote = "Format validation only. To verify WhatsApp registration, send a template message and check response."

// phoneCheck is the data of POST /phone/validate (§5.5).
type phoneCheck struct {
	Phone          string  `json:"phone"`
	PhoneDigits    string  `json:"phone_digits"`
	FormatValid    bool    `json:"format_valid"`
	CountryCode    *string `json:"country_code"`
	Country        *string `json:"country"`
	NationalNumber *string `json:"national_number"`
	E164           *string `json:"e164"`
	Reason         *string `json:"reason"`
	Note           string  `json:"note"`
}

// validatePhone answers POST /phone/validate: 200 for valid and invalid
// numbers alike. It checks the format only, with libphonenumber's data.
func validatePhone(_ *Server, _ *Workspace, r *request) response {
	fields, res := r.jsonBody()
	if res != nil {
		return *res
	}
	f := newForm(fields)
	phone := f.text("phone_number", true, 0, 0)
	if res := f.result(); res != nil {
		return *res
	}
	d := checkPhone(*phone)
	msg := "Phone number format is invalid"
	if d.FormatValid {
		msg = "Phone number format is valid"
	}
	return written(http.StatusOK, msg, d)
}

// checkPhone parses a number written internationally, with or without its
// "+"; anything but digits is ignored.
func checkPhone(phone string) phoneCheck {
	d := phoneCheck{Phone: phone, PhoneDigits: digitsOf(phone), Note: phoneNote}
	invalid := func(reason string) phoneCheck { d.Reason = &reason; return d }
	switch {
	case len(d.PhoneDigits) < 7:
		return invalid("Number is too short to be valid")
	case len(d.PhoneDigits) > 15:
		return invalid("Number is too long to be valid")
	}
	num, err := phonenumbers.Parse("+"+d.PhoneDigits, "")
	if err != nil {
		return invalid("Number has no valid country calling code")
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.INVALID_COUNTRY_CODE:
		return invalid("Number has no valid country calling code")
	case phonenumbers.TOO_SHORT, phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return invalid("Number is too short to be valid")
	case phonenumbers.TOO_LONG:
		return invalid("Number is too long to be valid")
	case phonenumbers.INVALID_LENGTH:
		return invalid("Number has an invalid length for its country")
	}
	if !phonenumbers.IsValidNumber(num) {
		return invalid("Number is not a valid number for its country")
	}
	code := strconv.Itoa(int(num.GetCountryCode()))
	national := phonenumbers.GetNationalSignificantNumber(num)
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	d.FormatValid, d.CountryCode, d.NationalNumber, d.E164 = true, &code, &national, &e164
	d.Country = countryName(phonenumbers.GetRegionCodeForNumber(num))
	return d
}

// countryName is the English name of a region code ("GB": "United
// Kingdom"); nil for a number of no country (such as +800).
func countryName(region string) *string {
	reg, err := language.ParseRegion(region)
	if err != nil || !reg.IsCountry() {
		return nil
	}
	name := display.English.Regions().Name(reg)
	return &name
}
