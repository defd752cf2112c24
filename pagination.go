package xobito

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
)

// MaxPerPage is the largest page the API serves.
const MaxPerPage = 100

// ListOptions selects a page of a list. Zero values leave the server's
// defaults (page 1, 15 per page). Every list's options embed it.
type ListOptions struct {
	// Page is the 1-based page number.
	Page int `url:"page,omitempty"`
	// PerPage is the page size, 1 to 100.
	PerPage int `url:"per_page,omitempty"`
}

func (o ListOptions) validate() error {
	switch {
	case o.Page < 0:
		return invalid("page", "must be 1 or more")
	case o.PerPage < 0 || o.PerPage > MaxPerPage:
		return invalid("per_page", "must be between 1 and %d", MaxPerPage)
	}
	return nil
}

// ErrPageNotAdvancing is returned by an iterator when the server answers a
// page other than the one asked for, which would otherwise loop forever.
var ErrPageNotAdvancing = errors.New("xobito: the server's pages do not advance")

// paginator is Laravel's length-aware paginator, found inside "data" of
// every list answer. The URL fields are not needed: the SDK pages by number.
type paginator[T any] struct {
	CurrentPage flexInt `json:"current_page"`
	Data        []T     `json:"data"`
	PerPage     flexInt `json:"per_page"`
	Total       flexInt `json:"total"`
	LastPage    flexInt `json:"last_page"`
}

// list fetches one page of path and records its numbers on the Response.
func list[T any](ctx context.Context, c *Client, path string, q any, lo ListOptions) ([]T, *Response, error) {
	if err := lo.validate(); err != nil {
		return nil, nil, err
	}
	var p paginator[T]
	resp, err := c.do(ctx, http.MethodGet, path, q, nil, &p)
	if err != nil {
		return nil, resp, err
	}
	resp.CurrentPage, resp.LastPage = int(p.CurrentPage), int(p.LastPage)
	resp.PerPage, resp.Total = int(p.PerPage), int(p.Total)
	return p.Data, resp, nil
}

// pages walks every page from lo.Page (or 1) on, calling fetch for each. It
// stops at the first error, when ctx ends, after the last page, on an empty
// page, and with ErrPageNotAdvancing when the server answers another page
// than the one asked for.
func pages[T any](ctx context.Context, lo ListOptions, fetch func(context.Context, ListOptions) ([]T, *Response, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		lo.Page = max(lo.Page, 1)
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, resp, err := fetch(ctx, lo)
			if err != nil {
				yield(zero, err)
				return
			}
			if resp.CurrentPage != lo.Page && len(items) > 0 {
				yield(zero, fmt.Errorf("%w: asked for page %d, got page %d", ErrPageNotAdvancing, lo.Page, resp.CurrentPage))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) == 0 || lo.Page >= resp.LastPage {
				return
			}
			lo.Page++
		}
	}
}
