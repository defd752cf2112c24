package xobito

import (
	"context"
	"encoding/json"
	"net/http"
)

// PhoneValidation is the answer of a phone number format check. The
// country fields are nil for an invalid number; Reason is nil for a valid
// one.
type PhoneValidation struct {
	// Phone is the number as given.
	Phone string `json:"phone"`
	// PhoneDigits is the number's digits alone.
	PhoneDigits string `json:"phone_digits"`
	// FormatValid reports whether the format is valid. It says nothing of
	// WhatsApp registration.
	FormatValid bool `json:"format_valid"`
	// CountryCode is the calling code without "+", such as "44".
	CountryCode *string `json:"country_code"`
	// Country is the country's English name.
	Country *string `json:"country"`
	// NationalNumber is the number without its calling code
	// ("national_number"), such as "7911123456".
	NationalNumber *string `json:"national_number"`
	// E164 is the number in E.164 form, such as "+447911123456".
	E164 *string `json:"e164"`
	// Reason says why the format is invalid.
	Reason *string `json:"reason"`
	// Note is the server's reminder that this is a format check only.
	Note string `json:"note"`
}

// UnmarshalJSON reads the answer, accepting the digit fields as JSON
// strings or numbers and format_valid as true/false or 0/1.
func (v *PhoneValidation) UnmarshalJSON(data []byte) error {
	type plain PhoneValidation
	aux := struct {
		*plain
		PhoneDigits    flexString  `json:"phone_digits"`
		CountryCode    *flexString `json:"country_code"`
		NationalNumber *flexString `json:"national_number"`
		FormatValid    boolInto    `json:"format_valid"`
	}{plain: (*plain)(v), FormatValid: boolInto{&v.FormatValid}}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	v.PhoneDigits = string(aux.PhoneDigits)
	v.CountryCode, v.NationalNumber = (*string)(aux.CountryCode), (*string)(aux.NationalNumber)
	return nil
}

// Validate checks the format of a phone number; it does not tell whether
// the number uses WhatsApp. Valid and invalid numbers both answer 200:
// read FormatValid, and Response.Message for the server's sentence.
//
// POST /phone/validate; ability messages.send.
func (s *PhoneService) Validate(ctx context.Context, phone string) (*PhoneValidation, *Response, error) {
	if err := text("phone_number", phone, 1, 0); err != nil {
		return nil, nil, err
	}
	return doInto[PhoneValidation](ctx, s.client, http.MethodPost, "phone/validate", struct {
		PhoneNumber string `json:"phone_number"`
	}{phone})
}
