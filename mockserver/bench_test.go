package mockserver

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
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

// The mock answering GET /contacts?per_page=100 from 10,000 contacts,
// beside a bare net/http handler writing the same bytes (the floor), in
// process and over loopback HTTP:
//
//	go test -run '^$' -bench 'ListContacts|BareHandler' -benchmem ./mockserver
//
// The mock's benchmarks also time the bare handler for as many requests
// and report the ratio of the two as x-bare (mock time per request over
// bare time per request).

// BenchmarkMockListContacts is the mock, in process.
func BenchmarkMockListContacts(b *testing.B) {
	s, req := benchServer(b)
	benchRatio(b, inProcess(s, req), inProcess(bareHandler(b, s, req), req))
}

// BenchmarkBareHandler is the bare handler, in process.
func BenchmarkBareHandler(b *testing.B) {
	s, req := benchServer(b)
	benchRatio(b, inProcess(bareHandler(b, s, req), req), nil)
}

// BenchmarkMockListContactsHTTP is the mock over loopback HTTP.
func BenchmarkMockListContactsHTTP(b *testing.B) {
	s, req := benchServer(b)
	benchRatio(b, overHTTP(b, s, req), overHTTP(b, bareHandler(b, s, req), req))
}

// BenchmarkBareHandlerHTTP is the bare handler over loopback HTTP.
func BenchmarkBareHandlerHTTP(b *testing.B) {
	s, req := benchServer(b)
	benchRatio(b, overHTTP(b, bareHandler(b, s, req), req), nil)
}

// benchRatio measures run; when floor is not nil, it then times floor for
// at least as many calls (and 100 ms) and reports run's time per call over
// floor's as x-bare.
func benchRatio(b *testing.B, run, floor func()) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		run()
		n++
	}
	if floor == nil || n == 0 {
		return
	}
	per := b.Elapsed() / time.Duration(n)
	start, m := time.Now(), 0
	for ; m < n || time.Since(start) < 100*time.Millisecond; m++ {
		floor()
	}
	b.ReportMetric(float64(per)/float64(time.Since(start)/time.Duration(m)), "x-bare")
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

// inProcess returns one call of h with req, writing to a discard writer.
func inProcess(h http.Handler, req *http.Request) func() {
	w := &discard{h: http.Header{}}
	return func() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// overHTTP serves h on loopback for the benchmark and returns one request
// of req's method and target to it.
func overHTTP(b *testing.B, h http.Handler, req *http.Request) func() {
	hs := httptest.NewServer(h)
	b.Cleanup(hs.Close)
	hc := hs.Client()
	url := hs.URL + req.URL.RequestURI()
	return func() {
		r, _ := http.NewRequest(req.Method, url, nil)
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
