package mockserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// benchServer is a server holding 10,000 contacts, and a request for the
// first page of 100.
func benchServer(b *testing.B) (*Server, *http.Request) {
	b.Helper()
	s := New(WithClock(FixedClock(testStart)), WithToken(testToken), WithSeed(false), WithRateLimit(1<<30, 1))
	b.Cleanup(s.Close)
	ws := s.Default()
	ws.mu.Lock()
	for i := range 10_000 {
		v := &contact{ID: s.nextID(), TenantID: ws.tenantID, Firstname: "Contact " + strconv.Itoa(i),
			Phone: fmt.Sprintf("+1555%07d", i), Type: "lead", GroupID: []int64{}, IsEnabled: true,
			CreatedAt: stamp(testStart), UpdatedAt: stamp(testStart)}
		ws.crm.contacts.put(v.ID, v)
	}
	ws.mu.Unlock()
	req := httptest.NewRequest("GET", "/api/v1/acme/contacts?per_page=100", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	return s, req
}

// discard is a ResponseWriter that keeps nothing.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkMockListContacts is the mock answering GET
// /contacts?per_page=100 from 10,000 contacts.
func BenchmarkMockListContacts(b *testing.B) {
	s, req := benchServer(b)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		s.ServeHTTP(w, req)
	}
}

// BenchmarkBareHandler is a bare net/http handler writing the same bytes:
// the floor the mock is measured against.
func BenchmarkBareHandler(b *testing.B) {
	s, req := benchServer(b)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() < 10_000 {
		b.Fatalf("mock answered %d with %d bytes", rec.Code, rec.Body.Len())
	}
	body := rec.Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		bare.ServeHTTP(w, req)
	}
}
