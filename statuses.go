package xobito

import (
	"context"
	"encoding/json"
	"iter"
)

// Status is a contact status, such as "New" or "Qualified".
type Status struct {
	// ID is the status's id in the workspace.
	ID int64 `json:"id"`
	// TenantID is the id of the workspace that owns the status.
	TenantID int64 `json:"tenant_id"`
	// Name is the status's name, unique in the workspace.
	Name string `json:"name"`
	// Color is the status's display color, such as "#3B82F6".
	Color string `json:"color"`
	// IsDefault marks the workspace's default status, which cannot be
	// deleted ("isdefault", sent as 0/1 or true/false).
	IsDefault bool `json:"isdefault"`
	// CreatedAt is when the status was created.
	CreatedAt Time `json:"created_at"`
	// UpdatedAt is when the status was last changed.
	UpdatedAt Time `json:"updated_at"`
}

// UnmarshalJSON reads a status, taking isdefault as true/false or 0/1.
func (s *Status) UnmarshalJSON(data []byte) error {
	type plain Status
	return json.Unmarshal(data, &struct {
		*plain
		IsDefault boolInto `json:"isdefault"`
	}{(*plain)(s), boolInto{&s.IsDefault}})
}

// StatusRequest is the body of Statuses.Create and Statuses.Update.
type StatusRequest struct {
	// Name is required on create, 3 to 255 characters, unique. On update
	// "" keeps the current name.
	Name string `json:"name,omitempty"`
	// Color is at most 7 characters, such as "#3B82F6"; "" keeps the
	// current color (or leaves the server's default).
	Color string `json:"color,omitempty"`
	// IsDefault: nil leaves it out; true makes this the default status and
	// clears the flag on every other status.
	IsDefault *bool `json:"isdefault,omitempty"`
}

func (r *StatusRequest) validate(create bool) error {
	if r == nil {
		return nilBody()
	}
	min := 3
	if !create && r.Name == "" {
		min = 0 // "" keeps the name
	}
	return check(
		text("name", r.Name, min, 255),
		text("color", r.Color, 0, 7),
	)
}

const statusesPath endpoint[Status] = "statuses"

// List returns one page of statuses: GET /statuses, ability statuses.read.
func (s *StatusesService) List(ctx context.Context, opts *ListOptions) ([]Status, *Response, error) {
	return statusesPath.list(ctx, s.client, opts)
}

// All walks every status from opts.Page on: GET /statuses, ability
// statuses.read.
func (s *StatusesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Status, error] {
	return statusesPath.all(ctx, s.client, opts)
}

// Get returns one status: GET /statuses/{id}, ability statuses.read.
func (s *StatusesService) Get(ctx context.Context, id int64) (*Status, *Response, error) {
	return statusesPath.get(ctx, s.client, id)
}

// Create adds a status: POST /statuses, ability statuses.create. The server
// answers 201.
func (s *StatusesService) Create(ctx context.Context, req *StatusRequest) (*Status, *Response, error) {
	return statusesPath.create(ctx, s.client, req.validate(true), req)
}

// Update changes a status: PUT /statuses/{id}, ability statuses.update.
func (s *StatusesService) Update(ctx context.Context, id int64, req *StatusRequest) (*Status, *Response, error) {
	return statusesPath.update(ctx, s.client, id, req.validate(false), req)
}

// Delete removes a status: DELETE /statuses/{id}, ability statuses.delete.
// The default status answers ErrDefaultStatus, a status still used by a
// contact ErrInUse.
func (s *StatusesService) Delete(ctx context.Context, id int64) (*Response, error) {
	return statusesPath.delete(ctx, s.client, id)
}
