package xobito

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"
)

// Contact is a contact of the workspace as the API returns it.
//
// Group membership is READ as GroupIDs (the "group_id" array of group ids)
// but WRITTEN as GroupNames (comma-separated names) on
// ContactCreateRequest and ContactUpdateRequest: the API takes names and
// returns ids.
type Contact struct {
	// ID is the contact's id in the workspace.
	ID int64 `json:"id"`
	// TenantID is the id of the workspace that owns the contact.
	TenantID int64 `json:"tenant_id"`
	// Type is "lead", "customer" or "guest".
	Type string `json:"type"`

	// FirstName is the contact's first name ("firstname").
	FirstName string `json:"firstname"`
	// LastName is the contact's last name ("lastname"); "" when unset.
	LastName string `json:"lastname"`
	// Company is the contact's company; "" when unset.
	Company string `json:"company"`
	// Description is free text about the contact; "" when unset.
	Description string `json:"description"`
	// Email is the contact's address, unique in the workspace; "" when
	// unset.
	Email string `json:"email"`
	// Phone is the contact's number, unique in the workspace, such as
	// "+14155552671".
	Phone string `json:"phone"`
	// Website is the contact's website; "" when unset.
	Website string `json:"website"`
	// Address is the street address; "" when unset.
	Address string `json:"address"`
	// City is the contact's city; "" when unset.
	City string `json:"city"`
	// State is the state or region; "" when unset.
	State string `json:"state"`
	// Zip is the postal code; "" when unset.
	Zip string `json:"zip"`
	// CountryID is the id of the contact's country; 0 when unset.
	CountryID int64 `json:"country_id"`

	// SourceID is the id of the contact's Source; 0 when unset.
	SourceID int64 `json:"source_id"`
	// StatusID is the id of the contact's Status; 0 when unset.
	StatusID int64 `json:"status_id"`
	// AssignedID is the id of the staff member the contact is assigned
	// to; 0 when unset.
	AssignedID int64 `json:"assigned_id"`
	// GroupIDs are the ids of the contact's groups ("group_id"). To change
	// membership, send group names in GroupNames of a create or update.
	GroupIDs []int64 `json:"group_id"`

	// IsEnabled reports whether the contact is active ("is_enabled", sent
	// as 0/1 or true/false).
	IsEnabled bool `json:"is_enabled"`
	// IsOptedOut reports whether the contact opted out of messages
	// ("is_opted_out", sent as 0/1 or true/false).
	IsOptedOut bool `json:"is_opted_out"`
	// CustomFieldsData is the "custom_fields_data" object as sent (JSON
	// null when the contact has none).
	CustomFieldsData json.RawMessage `json:"custom_fields_data"`

	// CreatedAt is when the contact was created.
	CreatedAt Time `json:"created_at"`
	// UpdatedAt is when the contact was last changed.
	UpdatedAt Time `json:"updated_at"`
}

// UnmarshalJSON reads a contact, taking ids sent as numbers or numeric
// strings, group_id as an array, a JSON-encoded array or a comma-separated
// string, and the flags as true/false or 0/1.
func (c *Contact) UnmarshalJSON(data []byte) error {
	type plain Contact
	aux := struct {
		*plain
		TenantID   flexInt         `json:"tenant_id"`
		CountryID  flexInt         `json:"country_id"`
		SourceID   flexInt         `json:"source_id"`
		StatusID   flexInt         `json:"status_id"`
		AssignedID flexInt         `json:"assigned_id"`
		GroupIDs   json.RawMessage `json:"group_id"`
		IsEnabled  boolInto        `json:"is_enabled"`
		IsOptedOut boolInto        `json:"is_opted_out"`
	}{plain: (*plain)(c), IsEnabled: boolInto{&c.IsEnabled}, IsOptedOut: boolInto{&c.IsOptedOut}}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	ids, err := decodeIDList(aux.GroupIDs)
	if err != nil {
		return err
	}
	c.TenantID, c.CountryID = int64(aux.TenantID), int64(aux.CountryID)
	c.SourceID, c.StatusID, c.AssignedID = int64(aux.SourceID), int64(aux.StatusID), int64(aux.AssignedID)
	c.GroupIDs = ids
	return nil
}

// decodeIDList reads a list of ids in any of the shapes a PHP backend may
// produce: [1,2], ["1","2"], "[1,2]", "1,2", null or "".
func decodeIDList(raw json.RawMessage) ([]int64, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, "[") {
			return decodeIDList(json.RawMessage(s))
		}
		var ids []int64
		for f := range strings.SplitSeq(s, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("xobito: group_id %q is not a list of ids", s)
			}
			ids = append(ids, id)
		}
		return ids, nil
	}
	var list []flexInt
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("xobito: group_id is not a list of ids: %w", err)
		}
	}
	if list == nil {
		return nil, nil
	}
	ids := make([]int64, len(list))
	for i, v := range list {
		ids[i] = int64(v)
	}
	return ids, nil
}

// Contact types accepted on create and update ("guest" is read-only).
const (
	ContactLead     = "lead"     // a prospective customer
	ContactCustomer = "customer" // an existing customer
	ContactGuest    = "guest"    // listed and filtered on, but refused on create and update
)

// ContactListOptions filters a contact list. Zero filters are left out.
type ContactListOptions struct {
	ListOptions
	// Type keeps contacts of one type: "lead", "customer" or "guest".
	Type string `url:"type,omitempty"`
	// SourceID keeps contacts of one source.
	SourceID int64 `url:"source_id,omitempty"`
	// StatusID keeps contacts of one status.
	StatusID int64 `url:"status_id,omitempty"`
}

func (o *ContactListOptions) validate() error {
	return check(
		oneOf("type", o.Type, false, ContactLead, ContactCustomer, ContactGuest),
		optionalID("source_id", o.SourceID),
		optionalID("status_id", o.StatusID),
	)
}

// ContactCreateRequest is the body of Contacts.Create.
type ContactCreateRequest struct {
	FirstName string `json:"firstname"`          // required, at most 255 characters
	LastName  string `json:"lastname,omitempty"` // at most 255 characters
	Phone     string `json:"phone"`              // required, at most 20 characters, unique
	Email     string `json:"email,omitempty"`    // at most 191 characters, unique
	Type      string `json:"type"`               // required: ContactLead or ContactCustomer
	SourceID  int64  `json:"source_id"`          // required
	StatusID  int64  `json:"status_id"`          // required
	Company   string `json:"company,omitempty"`  // at most 255 characters
	// Description is free text about the contact.
	Description string `json:"description,omitempty"`
	// CountryID is the id of the contact's country; 0 leaves it unset.
	CountryID int64 `json:"country_id,omitempty"`
	// AssignedID is the staff member the contact is assigned to.
	AssignedID int64 `json:"assigned_id,omitempty"`
	// GroupNames are group NAMES (not ids), sent as the comma-separated
	// "groups" field; unknown names are created by the server. nil leaves
	// the contact in no group. Read membership back from Contact.GroupIDs.
	GroupNames []string `json:"-"`
}

// MarshalJSON adds GroupNames as the comma-separated "groups" field.
func (r ContactCreateRequest) MarshalJSON() ([]byte, error) {
	type plain ContactCreateRequest
	return json.Marshal(struct {
		plain
		Groups *string `json:"groups,omitempty"`
	}{plain(r), joinGroups(r.GroupNames)})
}

func (r *ContactCreateRequest) validate() error {
	if r == nil {
		return nilBody()
	}
	return check(
		text("firstname", r.FirstName, 1, 255),
		text("lastname", r.LastName, 0, 255),
		text("phone", r.Phone, 1, 20),
		email("email", r.Email, 191),
		text("company", r.Company, 0, 255),
		oneOf("type", r.Type, true, ContactLead, ContactCustomer),
		positiveID("source_id", r.SourceID),
		positiveID("status_id", r.StatusID),
		optionalID("country_id", r.CountryID),
		optionalID("assigned_id", r.AssignedID),
		groupNames("groups", r.GroupNames),
	)
}

// ContactUpdateRequest is the body of Contacts.Update (PUT). FirstName,
// LastName, Phone and Type are required: they are replaced as a whole.
// Other fields left at their zero value keep the contact's value.
type ContactUpdateRequest struct {
	FirstName string `json:"firstname"` // required, at most 255 characters
	LastName  string `json:"lastname"`  // required, at most 255 characters
	Phone     string `json:"phone"`     // required, at most 20 characters, unique
	Type      string `json:"type"`      // required: ContactLead or ContactCustomer
	// Email is at most 191 characters and unique; nil keeps the value, a
	// pointer to "" clears it.
	Email *string `json:"email,omitempty"`
	// Company is at most 255 characters; nil keeps the value, a pointer to
	// "" clears it.
	Company *string `json:"company,omitempty"`
	// Description is free text; nil keeps the value, a pointer to ""
	// clears it.
	Description *string `json:"description,omitempty"`
	// SourceID: left out (the zero NullableID) keeps the value, ID(n) sets
	// it, NullID() clears it to null.
	SourceID NullableID `json:"source_id,omitzero"`
	// StatusID: left out (the zero NullableID) keeps the value, ID(n) sets
	// it, NullID() clears it to null.
	StatusID   NullableID `json:"status_id,omitzero"`
	CountryID  *int64     `json:"country_id,omitempty"`  // nil keeps the value
	AssignedID *int64     `json:"assigned_id,omitempty"` // nil keeps the value
	// GroupNames are group NAMES (not ids), sent as the comma-separated
	// "groups" field: the contact's membership becomes exactly this list,
	// and unknown names are created. nil keeps the membership; an empty
	// non-nil slice sends "" to remove the contact from every group.
	GroupNames []string `json:"-"`
}

// MarshalJSON adds GroupNames as the comma-separated "groups" field.
func (r ContactUpdateRequest) MarshalJSON() ([]byte, error) {
	type plain ContactUpdateRequest
	return json.Marshal(struct {
		plain
		Groups *string `json:"groups,omitempty"`
	}{plain(r), joinGroups(r.GroupNames)})
}

func (r *ContactUpdateRequest) validate() error {
	if r == nil {
		return nilBody()
	}
	return check(
		text("firstname", r.FirstName, 1, 255),
		text("lastname", r.LastName, 1, 255),
		text("phone", r.Phone, 1, 20),
		email("email", orZero(r.Email), 191),
		text("company", orZero(r.Company), 0, 255),
		oneOf("type", r.Type, true, ContactLead, ContactCustomer),
		nullableID("source_id", r.SourceID),
		nullableID("status_id", r.StatusID),
		optionalID("country_id", orZero(r.CountryID)),
		optionalID("assigned_id", orZero(r.AssignedID)),
		groupNames("groups", r.GroupNames),
	)
}

// joinGroups renders group names as the API's comma-separated "groups";
// nil leaves the field out.
func joinGroups(names []string) *string {
	if names == nil {
		return nil
	}
	s := strings.Join(names, ",")
	return &s
}

// orZero is *p, or the zero value when p is nil.
func orZero[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}

const contactsPath endpoint[Contact] = "contacts"

// List returns one page of contacts, newest first: GET /contacts, ability
// contacts.read. The Response carries the page numbers.
func (s *ContactsService) List(ctx context.Context, opts *ContactListOptions) ([]Contact, *Response, error) {
	o := orZero(opts)
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	return list[Contact](ctx, s.client, string(contactsPath), o, o.ListOptions)
}

// All walks every contact from opts.Page on (GET /contacts, ability
// contacts.read), stopping at the first error.
func (s *ContactsService) All(ctx context.Context, opts *ContactListOptions) iter.Seq2[Contact, error] {
	o := orZero(opts)
	return pages(ctx, o.ListOptions, func(ctx context.Context, lo ListOptions) ([]Contact, *Response, error) {
		o.ListOptions = lo
		return s.List(ctx, &o)
	})
}

// Get returns one contact: GET /contacts/{id}, ability contacts.read.
func (s *ContactsService) Get(ctx context.Context, id int64) (*Contact, *Response, error) {
	return contactsPath.get(ctx, s.client, id)
}

// Create adds a contact: POST /contacts, ability contacts.create. The
// server answers 201.
func (s *ContactsService) Create(ctx context.Context, req *ContactCreateRequest) (*Contact, *Response, error) {
	return contactsPath.create(ctx, s.client, req.validate(), req)
}

// Update replaces a contact's fields: PUT /contacts/{id}, ability
// contacts.update. See ContactUpdateRequest for what is kept.
func (s *ContactsService) Update(ctx context.Context, id int64, req *ContactUpdateRequest) (*Contact, *Response, error) {
	return contactsPath.update(ctx, s.client, id, req.validate(), req)
}

// Delete removes a contact for good: DELETE /contacts/{id}, ability
// contacts.delete.
func (s *ContactsService) Delete(ctx context.Context, id int64) (*Response, error) {
	return contactsPath.delete(ctx, s.client, id)
}
