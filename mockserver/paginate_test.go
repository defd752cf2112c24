package mockserver

import (
	"fmt"
	"net/http/httptest"
	"testing"
)

func TestPageWindow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page, last int
		want       string
	}{
		{1, 1, "[1]"},
		{3, 13, "[1 2 3 4 5 6 7 8 9 10 11 12 13]"},
		{1, 14, "[1 2 3 4 5 6 7 8 9 10 0 13 14]"},
		{7, 20, "[1 2 3 4 5 6 7 8 9 10 0 19 20]"},
		{8, 20, "[1 2 0 5 6 7 8 9 10 11 0 19 20]"},
		{14, 20, "[1 2 0 11 12 13 14 15 16 17 18 19 20]"},
		{13, 20, "[1 2 0 10 11 12 13 14 15 16 0 19 20]"},
	} {
		if got := fmt.Sprint(pageWindow(tc.page, tc.last)); got != tc.want {
			t.Errorf("page %d of %d: %s, want %s", tc.page, tc.last, got, tc.want)
		}
	}
}

func TestListPaging(t *testing.T) {
	t.Parallel()
	rows := []int{5, 4, 3, 2, 1}
	tbl := &table[int]{}
	for i := 1; i <= 5; i++ {
		tbl.put(int64(i), &i)
	}
	for q, want := range map[string]string{
		"":                         "1 [5 4 3 2 1] 1-5 of 5",
		"per_page=2&page=3":        "3 [1] 5-5 of 5",
		"per_page=2&page=4":        "4 [] -1--1 of 5",
		"page=9223372036854775807": "9223372036854775807 [] -1--1 of 5",
		"per_page=100":             "1 [5 4 3 2 1] 1-5 of 5",
	} {
		r := &request{Request: httptest.NewRequest("GET", "/x?"+q, nil), apiURL: "http://h/api/v1/a"}
		for _, res := range []response{listPage(r, "x", rows), listTable(r, "x", tbl, nil)} {
			p := res.body.(envelope).Data.(paginator)
			from, to := -1, -1
			if p.From != nil {
				from, to = *p.From, *p.To
			}
			var items []int
			switch d := p.Data.(type) {
			case []int:
				items = d
			case []*int:
				for _, v := range d {
					items = append(items, *v)
				}
			}
			if items == nil {
				items = []int{}
			}
			if got := fmt.Sprintf("%d %v %d-%d of %d", p.CurrentPage, items, from, to, p.Total); got != want {
				t.Errorf("?%s: %s, want %s", q, got, want)
			}
		}
	}
}
