package xobito

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync"
	"testing"
)

// Uploads travel through a real loopback server here, so that what is
// measured is what net/http does with the streamed body.

// uploadServer records what a media send delivers to a loopback server.
type uploadServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests int
	declared []int64 // Content-Length of each request (-1: chunked)
	received []int64 // bytes read from each body
	form     map[string][]byte
	filename string
	status   []int // answers in turn, then 200
}

// newUploadServer answers POST /api/v1/acme/messages/media. When parse is
// set it parses the form and keeps its parts; otherwise it counts the body's
// bytes and discards them.
func newUploadServer(t testing.TB, parse bool, status ...int) *uploadServer {
	us := &uploadServer{status: status, form: map[string][]byte{}}
	us.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		us.mu.Lock()
		us.requests++
		n := us.requests
		us.mu.Unlock()
		var got int64
		if parse {
			us.readForm(t, r)
		} else {
			got, _ = io.Copy(io.Discard, r.Body)
		}
		us.mu.Lock()
		us.declared = append(us.declared, r.ContentLength)
		us.received = append(us.received, got)
		us.mu.Unlock()

		w.Header().Set("Content-Type", "application/json")
		if n <= len(us.status) {
			w.WriteHeader(us.status[n-1])
			w.Write([]byte(`{"message":"Too many requests","retry_after":0}`))
			return
		}
		w.Write([]byte(`{"status":"success","message":"Media message sent successfully","data":{"message_id":"wamid.up","status":"sent"}}`))
	}))
	t.Cleanup(us.Close)
	return us
}

func (us *uploadServer) readForm(t testing.TB, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		t.Errorf("server: %v", err)
		return
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			if err != io.EOF {
				t.Errorf("server: %v", err)
			}
			return
		}
		b, _ := io.ReadAll(p)
		us.mu.Lock()
		us.form[p.FormName()] = b
		if p.FileName() != "" {
			us.filename = p.FileName()
		}
		us.mu.Unlock()
	}
}

func (us *uploadServer) client(t testing.TB) *Client {
	c, err := New(testSubdomain, testToken, WithBaseURL(us.URL+"/api/v1/"), WithHTTPClient(us.Client()),
		WithRetry(RetryPolicy{MaxRetries: 3, Sleep: (&sleepRecorder{}).Sleep}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sendFile(c *Client, u *Upload) error {
	_, _, err := c.Messages.SendMedia(context.Background(), &MediaMessage{
		PhoneNumber: "+14155552671", MediaType: MediaVideo, MediaFile: u,
	})
	return err
}

// sparseFile makes a file of size bytes (zeros) without writing them.
func sparseFile(t testing.TB, size int64) *os.File {
	f, err := os.CreateTemp(t.TempDir(), "upload-*.mp4")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return f
}

const largeUpload = 80 << 20 // 80 MiB, more than the 64 MiB asked for

// TestUploadLargeFileIsStreamed sends an 80 MiB file and checks that the
// process allocated far less than the file's size. It does not run in
// parallel: the allocation counter is process-wide.
func TestUploadLargeFileIsStreamed(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 80 MiB over loopback")
	}
	us := newUploadServer(t, false)
	c := us.client(t)
	f := sparseFile(t, largeUpload)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := sendFile(c, &Upload{Name: "big.mp4", Content: f}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	us.mu.Lock()
	defer us.mu.Unlock()

	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("sent %d MiB, allocated %d KiB", largeUpload>>20, allocated>>10)
	if allocated > 16<<20 {
		t.Errorf("allocated %d MiB to send an %d MiB file: the upload is not streamed", allocated>>20, largeUpload>>20)
	}
	if us.requests != 1 || us.received[0] != us.declared[0] {
		t.Fatalf("requests %d, received %v of declared %v", us.requests, us.received, us.declared)
	}
	// The body is the file plus a multipart head and tail of a few hundred
	// bytes, and Content-Length says exactly that.
	if overhead := us.declared[0] - largeUpload; overhead <= 0 || overhead > 1024 {
		t.Errorf("Content-Length %d for a %d-byte file", us.declared[0], largeUpload)
	}
}

func BenchmarkUploadLarge(b *testing.B) {
	us := newUploadServer(b, false)
	c := us.client(b)
	f := sparseFile(b, largeUpload)
	b.SetBytes(largeUpload)
	b.ReportAllocs()
	for b.Loop() {
		if err := sendFile(c, &Upload{Name: "big.mp4", Content: f}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestUploadContentArrivesIntact(t *testing.T) {
	t.Parallel()
	us := newUploadServer(t, true)
	c := us.client(t)
	f := sparseFile(t, 0)
	content := bytes.Repeat([]byte("0123456789abcdef\r\n--"), 4096)
	if _, err := f.Write(content); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if err := sendFile(c, &Upload{Name: `clip "1".mp4`, Content: f}); err != nil {
		t.Fatal(err)
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	if !bytes.Equal(us.form["media_file"], content) {
		t.Errorf("server got %d bytes, want the file's %d", len(us.form["media_file"]), len(content))
	}
	if us.filename != `clip "1".mp4` || string(us.form["media_type"]) != "video" || string(us.form["phone_number"]) != "+14155552671" {
		t.Errorf("filename %q, form %q", us.filename, us.form)
	}
	if us.declared[0] <= int64(len(content)) {
		t.Errorf("Content-Length %d", us.declared[0])
	}
}

func TestUploadFromCurrentPosition(t *testing.T) {
	t.Parallel()
	us := newUploadServer(t, true, http.StatusTooManyRequests)
	c := us.client(t)
	r := bytes.NewReader([]byte("HEADERpayload"))
	r.Seek(6, io.SeekStart)
	if err := sendFile(c, &Upload{Name: "p.bin", Content: r}); err != nil {
		t.Fatal(err)
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	if got := string(us.form["media_file"]); got != "payload" || us.requests != 2 || us.declared[0] != us.declared[1] {
		t.Errorf("server got %q in %d requests (Content-Length %v)", got, us.requests, us.declared)
	}
}

// onlyReader hides every method but Read.
type onlyReader struct{ io.Reader }

func TestUploadFromPlainReaderIsSentOnce(t *testing.T) {
	t.Parallel()
	us := newUploadServer(t, true, http.StatusTooManyRequests)
	c := us.client(t)

	err := sendFile(c, &Upload{Name: "stream.mp4", Content: onlyReader{bytes.NewReader([]byte("streamed once"))}})
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want the 429 back: a plain reader cannot be sent again", err)
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	if us.requests != 1 {
		t.Errorf("sent %d times, want once", us.requests)
	}
	if us.declared[0] != -1 || string(us.form["media_file"]) != "streamed once" {
		t.Errorf("Content-Length %d (want chunked), file %q", us.declared[0], us.form["media_file"])
	}
}

// seekOnly hides io.ReaderAt, leaving Read and Seek.
type seekOnly struct{ io.ReadSeeker }

// TestUploadFromReadSeekerAfterAnEarlyAnswer: the server refuses the first
// attempt before reading its body, so the transport may still be sending it
// when the retry starts; the retry must wait for it before seeking back, and
// deliver the content intact.
func TestUploadFromReadSeekerAfterAnEarlyAnswer(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("xobito-upload-"), 600_000) // about 8 MiB
	var mu sync.Mutex
	var got [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n := len(got)
		got = append(got, nil)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if n == 0 {
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"message":"Too many requests","retry_after":0}`))
			return
		}
		mr, err := r.MultipartReader()
		if err != nil {
			t.Error(err)
			return
		}
		for p, err := mr.NextPart(); err == nil; p, err = mr.NextPart() {
			if p.FormName() == "media_file" {
				b, _ := io.ReadAll(p)
				mu.Lock()
				got[n] = b
				mu.Unlock()
			}
		}
		w.Write([]byte(`{"status":"success","message":"Media message sent successfully","data":{"message_id":"wamid.x"}}`))
	}))
	defer srv.Close()
	c, err := New(testSubdomain, testToken, WithBaseURL(srv.URL+"/api/v1/"), WithHTTPClient(srv.Client()),
		WithRetry(RetryPolicy{MaxRetries: 2, Sleep: (&sleepRecorder{}).Sleep}))
	if err != nil {
		t.Fatal(err)
	}
	if err := sendFile(c, &Upload{Name: "v.mp4", Content: seekOnly{bytes.NewReader(content)}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || !bytes.Equal(got[1], content) {
		t.Fatalf("%d requests; the retry delivered %d bytes of %d", len(got), len(got[len(got)-1]), len(content))
	}
}
