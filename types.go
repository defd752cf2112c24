package xobito

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// flexBool reads a boolean that the API sends as true/false or as 0/1
// (both forms appear in its documentation): true, false, 0, 1, "0", "1",
// "true", "false" and null (false). The response types expose such fields
// as plain bool and read them through boolInto.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := string(bytes.Trim(bytes.TrimSpace(data), `"`))
	switch s {
	case "true", "1":
		*b = true
	case "false", "0", "", "null":
		*b = false
	default:
		return fmt.Errorf("xobito: %s is not a boolean", data)
	}
	return nil
}

// boolInto decodes a flexBool into the bool it points to. A response type
// whose bool fields may come as 0/1 shadows each of them in its
// UnmarshalJSON, so that the field itself stays a plain bool:
//
//	type plain Status
//	return json.Unmarshal(data, &struct {
//		*plain
//		IsDefault boolInto `json:"isdefault"`
//	}{(*plain)(s), boolInto{&s.IsDefault}})
type boolInto struct{ p *bool }

func (b boolInto) UnmarshalJSON(data []byte) error {
	return (*flexBool)(b.p).UnmarshalJSON(data)
}

// Time is a timestamp of the API. It reads both forms the API sends:
// ISO-8601 ("2026-04-08T14:30:25.000000Z") and "2026-04-08 14:30:25" (UTC);
// null or "" is the zero time. It encodes as RFC 3339 with microseconds.
type Time struct{ time.Time }

// The layouts Time accepts, most common first.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

// UnmarshalJSON parses either documented timestamp form.
func (t *Time) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("xobito: timestamp %s is not a string", data)
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range timeLayouts {
		if v, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("xobito: cannot parse timestamp %q", s)
}

// MarshalJSON writes the API's ISO-8601 form, or null for the zero time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05.000000Z") + `"`), nil
}

// flexInt reads an integer sent as a number or a numeric string (null: 0).
type flexInt int64

func (n *flexInt) UnmarshalJSON(data []byte) error {
	s := string(bytes.Trim(bytes.TrimSpace(data), `"`))
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return fmt.Errorf("xobito: %s is not an integer", data)
		}
		v = int64(f)
	}
	*n = flexInt(v)
	return nil
}
