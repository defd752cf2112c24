package xobito

import (
	"context"
	"iter"
)

// Source is where a contact came from, such as "Website" or "Referral".
type Source struct {
	// ID is the source's id in the workspace.
	ID int64 `json:"id"`
	// TenantID is the id of the workspace that owns the source.
	TenantID int64 `json:"tenant_id"`
	// Name is the source's name, unique in the workspace.
	Name string `json:"name"`
	// CreatedAt is when the source was created.
	CreatedAt Time `json:"created_at"`
	// UpdatedAt is when the source was last changed.
	UpdatedAt Time `json:"updated_at"`
}

// NameRequest is the body of the create and update of sources and groups,
// which carry only a name.
type NameRequest struct {
	// Name is required on create and update, at most 255 characters,
	// unique in the workspace.
	Name string `json:"name"`
}

func (r *NameRequest) validate() error {
	if r == nil {
		return nilBody()
	}
	return text("name", r.Name, 1, 255)
}

const sourcesPath endpoint[Source] = "sources"

// List returns one page of sources: GET /sources, ability sources.read.
func (s *SourcesService) List(ctx context.Context, opts *ListOptions) ([]Source, *Response, error) {
	return sourcesPath.list(ctx, s.client, opts)
}

// All walks every source from opts.Page on: GET /sources, ability
// sources.read.
func (s *SourcesService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Source, error] {
	return sourcesPath.all(ctx, s.client, opts)
}

// Get returns one source: GET /sources/{id}, ability sources.read.
func (s *SourcesService) Get(ctx context.Context, id int64) (*Source, *Response, error) {
	return sourcesPath.get(ctx, s.client, id)
}

// Create adds a source: POST /sources, ability sources.create. The server
// answers 201.
func (s *SourcesService) Create(ctx context.Context, req *NameRequest) (*Source, *Response, error) {
	return sourcesPath.create(ctx, s.client, req.validate(), req)
}

// Update renames a source: PUT /sources/{id}, ability sources.update.
func (s *SourcesService) Update(ctx context.Context, id int64, req *NameRequest) (*Source, *Response, error) {
	return sourcesPath.update(ctx, s.client, id, req.validate(), req)
}

// Delete removes a source: DELETE /sources/{id}, ability sources.delete. A
// source still used by a contact answers ErrInUse.
func (s *SourcesService) Delete(ctx context.Context, id int64) (*Response, error) {
	return sourcesPath.delete(ctx, s.client, id)
}
