package mockserver

import (
	"math"
	"strconv"
)

// Paging defaults and bounds of the contract (§4).
const (
	defaultPerPage = 15
	maxPerPage     = 100
)

// pageQuery parses the page and per_page query parameters; a value that is
// not an integer or out of range answers 422 naming the parameter.
func pageQuery(r *request) (page, perPage int, res *response) {
	var errs fieldErrors
	q := r.URL.Query()
	page, perPage = 1, defaultPerPage
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			errs.add("page", "The page field must be an integer.")
		case n < 1:
			errs.add("page", "The page field must be at least 1.")
		default:
			page = n
		}
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			errs.add("per_page", "The per page field must be an integer.")
		case n < 1 || n > maxPerPage:
			errs.add("per_page", "The per page field must be between 1 and "+strconv.Itoa(maxPerPage)+".")
		default:
			perPage = n
		}
	}
	return page, perPage, errs.result()
}

// paginator is Laravel's length-aware paginator as JSON.
type paginator struct {
	CurrentPage  int            `json:"current_page"`
	Data         any            `json:"data"`
	FirstPageURL string         `json:"first_page_url"`
	From         *int           `json:"from"`
	LastPage     int            `json:"last_page"`
	LastPageURL  string         `json:"last_page_url"`
	Links        []paginateLink `json:"links"`
	NextPageURL  *string        `json:"next_page_url"`
	Path         string         `json:"path"`
	PerPage      int            `json:"per_page"`
	PrevPageURL  *string        `json:"prev_page_url"`
	To           *int           `json:"to"`
	Total        int            `json:"total"`
}

type paginateLink struct {
	URL    *string `json:"url"`
	Label  string  `json:"label"`
	Active bool    `json:"active"`
}

// listTable answers a list of the records of a table that keep accepts
// (all when nil), newest first, without copying the whole table: the page
// and per_page query parameters select the page. path is the list's path
// below the workspace API root ("contacts").
func listTable[T any](r *request, path string, t *table[T], keep func(*T) bool) response {
	page, perPage, bad := pageQuery(r)
	if bad != nil {
		return *bad
	}
	offset := math.MaxInt // past any end; the product below could overflow
	if page-1 <= math.MaxInt/perPage-1 {
		offset = (page - 1) * perPage
	}
	items, total := t.window(keep, offset, perPage)
	if items == nil {
		items = []*T{}
	}
	return ok(newPaginator(r.apiURL+"/"+path, page, perPage, total, len(items), items))
}

// newPaginator builds the paginator of page (count items) out of total.
func newPaginator(path string, page, perPage, total, count int, items any) paginator {
	last := max((total+perPage-1)/perPage, 1)
	url := func(n int) string { return path + "?page=" + strconv.Itoa(n) }
	urlPtr := func(n int) *string { u := url(n); return &u }
	p := paginator{
		CurrentPage:  page,
		Data:         items,
		FirstPageURL: url(1),
		LastPage:     last,
		LastPageURL:  url(last),
		Path:         path,
		PerPage:      perPage,
		Total:        total,
	}
	if count > 0 {
		from := (page-1)*perPage + 1
		to := from + count - 1
		p.From, p.To = &from, &to
	}
	if page > 1 {
		p.PrevPageURL = urlPtr(page - 1)
	}
	if page < last {
		p.NextPageURL = urlPtr(page + 1)
	}
	p.Links = append(p.Links, paginateLink{URL: p.PrevPageURL, Label: "&laquo; Previous"})
	for _, n := range pageWindow(page, last) {
		if n == 0 {
			p.Links = append(p.Links, paginateLink{Label: "..."})
			continue
		}
		p.Links = append(p.Links, paginateLink{URL: urlPtr(n), Label: strconv.Itoa(n), Active: n == page})
	}
	p.Links = append(p.Links, paginateLink{URL: p.NextPageURL, Label: "Next &raquo;"})
	return p
}

// pageWindow is Laravel's UrlWindow with onEachSide 3: the page numbers
// the links list, 0 standing for a "..." gap.
func pageWindow(page, last int) []int {
	const side = 3
	const window = side + 4
	span := func(a, b int) []int {
		var s []int
		for n := a; n <= b; n++ {
			s = append(s, n)
		}
		return s
	}
	if last < side*2+8 {
		return span(1, last)
	}
	switch {
	case page <= window:
		return append(append(span(1, window+side), 0), span(last-1, last)...)
	case page > last-window:
		return append(append(span(1, 2), 0), span(last-(window+side-1), last)...)
	default:
		s := append(span(1, 2), 0)
		s = append(s, span(page-side, page+side)...)
		return append(append(s, 0), span(last-1, last)...)
	}
}
