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
	tbl := &table[int]{}
	for i := 1; i <= 6; i++ {
		tbl.put(int64(i), &i)
	}
	odd := func(v *int) bool { return *v%2 == 1 }
	for _, tc := range []struct {
		q    string
		keep func(*int) bool
		want string
	}{
		{"", nil, "1 [6 5 4 3 2 1] 1-6 of 6"},
		{"per_page=2&page=3", nil, "3 [2 1] 5-6 of 6"},
		{"per_page=2&page=4", nil, "4 [] -1--1 of 6"},
		{"page=9223372036854775807", nil, "9223372036854775807 [] -1--1 of 6"},
		{"per_page=100", nil, "1 [6 5 4 3 2 1] 1-6 of 6"},
		{"per_page=2&page=2", odd, "2 [1] 3-3 of 3"},
		{"per_page=2&page=3", odd, "3 [] -1--1 of 3"},
	} {
		r := &request{Request: httptest.NewRequest("GET", "/x?"+tc.q, nil), apiURL: "http://h/api/v1/a"}
		p := listTable(r, "x", tbl, tc.keep).body.(envelope).Data.(paginator)
		from, to := -1, -1
		if p.From != nil {
			from, to = *p.From, *p.To
		}
		items := []int{}
		for _, v := range p.Data.([]*int) {
			items = append(items, *v)
		}
		if got := fmt.Sprintf("%d %v %d-%d of %d", p.CurrentPage, items, from, to, p.Total); got != tc.want {
			t.Errorf("?%s: %s, want %s", tc.q, got, tc.want)
		}
	}
}
