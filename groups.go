package xobito

import (
	"context"
	"iter"
)

// Group is a named set of contacts, such as "VIP". Contacts join groups by
// name (ContactCreateRequest.GroupNames) and list them by id
// (Contact.GroupIDs).
type Group struct {
	// ID is the group's id in the workspace.
	ID int64 `json:"id"`
	// TenantID is the id of the workspace that owns the group.
	TenantID int64 `json:"tenant_id"`
	// Name is the group's name, unique in the workspace.
	Name string `json:"name"`
	// CreatedAt is when the group was created.
	CreatedAt Time `json:"created_at"`
	// UpdatedAt is when the group was last changed.
	UpdatedAt Time `json:"updated_at"`
}

const groupsPath endpoint[Group] = "groups"

// List returns one page of groups: GET /groups, ability groups.read.
func (s *GroupsService) List(ctx context.Context, opts *ListOptions) ([]Group, *Response, error) {
	return groupsPath.list(ctx, s.client, opts)
}

// All walks every group from opts.Page on: GET /groups, ability
// groups.read.
func (s *GroupsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Group, error] {
	return groupsPath.all(ctx, s.client, opts)
}

// Get returns one group: GET /groups/{id}, ability groups.read.
func (s *GroupsService) Get(ctx context.Context, id int64) (*Group, *Response, error) {
	return groupsPath.get(ctx, s.client, id)
}

// Create adds a group: POST /groups, ability groups.create. The server
// answers 201.
func (s *GroupsService) Create(ctx context.Context, req *NameRequest) (*Group, *Response, error) {
	return groupsPath.create(ctx, s.client, req.validate(), req)
}

// Update renames a group: PUT /groups/{id}, ability groups.update.
func (s *GroupsService) Update(ctx context.Context, id int64, req *NameRequest) (*Group, *Response, error) {
	return groupsPath.update(ctx, s.client, id, req.validate(), req)
}

// Delete removes a group: DELETE /groups/{id}, ability groups.delete. A
// group still used by a contact answers ErrInUse.
func (s *GroupsService) Delete(ctx context.Context, id int64) (*Response, error) {
	return groupsPath.delete(ctx, s.client, id)
}
