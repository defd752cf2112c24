package mockserver

import (
	"fmt"
	"io"
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

// bareHandler writes the bytes the mock answers to req, and nothing else:
// the floor the mock is measured against.
func bareHandler(b *testing.B, s *Server, req *http.Request) http.Handler {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() < 10_000 {
		b.Fatalf("mock answered %d with %d bytes", rec.Code, rec.Body.Len())
	}
	body := rec.Body.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
}

// BenchmarkBareHandler is the bare handler, in process.
func BenchmarkBareHandler(b *testing.B) {
	s, req := benchServer(b)
	bare := bareHandler(b, s, req)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		bare.ServeHTTP(w, req)
	}
}

// The same two over loopback HTTP, as a client of the mock sees them:
//
//	go test -run '^$' -bench 'HTTP$' -benchmem ./mockserver

func BenchmarkMockListContactsHTTP(b *testing.B) {
	s, req := benchServer(b)
	benchOverHTTP(b, s, req)
}

func BenchmarkBareHandlerHTTP(b *testing.B) {
	s, req := benchServer(b)
	benchOverHTTP(b, bareHandler(b, s, req), req)
}

func benchOverHTTP(b *testing.B, h http.Handler, req *http.Request) {
	hs := httptest.NewServer(h)
	defer hs.Close()
	hc := hs.Client()
	url := hs.URL + req.URL.RequestURI()
	b.ReportAllocs()
	for b.Loop() {
		r, _ := http.NewRequest(http.MethodGet, url, nil)
		r.Header = req.Header
		resp, err := hc.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
