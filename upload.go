package xobito

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// Upload is a file sent with a request as multipart/form-data.
//
// An *os.File, or any io.ReadSeeker, is streamed from its current position
// on every attempt and never loaded whole into memory; its size is checked
// against the endpoint's limit before anything is sent. Any other io.Reader
// is streamed once: the request is then not retried.
type Upload struct {
	// Name is the file name the server sees, such as "invoice.pdf".
	Name string
	// Content supplies the bytes.
	Content io.Reader
	// ContentType is the part's media type; empty derives it from Name's
	// extension, else application/octet-stream.
	ContentType string
}

// formField is one plain field of a multipart form.
type formField struct{ name, value string }

// size reports the bytes left in the upload, or -1 when it cannot be known
// without reading.
func (u *Upload) size() (int64, error) {
	s, ok := u.Content.(io.Seeker)
	if !ok {
		return -1, nil
	}
	cur, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return -1, nil
	}
	end, err := s.Seek(0, io.SeekEnd)
	if err != nil {
		return -1, err
	}
	if _, err := s.Seek(cur, io.SeekStart); err != nil {
		return -1, err
	}
	return end - cur, nil
}

// opener returns a function giving the upload's bytes afresh for each
// attempt, and whether it can do so more than once. Each attempt's reader
// must be closed before the next one is opened (the transport closes it).
func (u *Upload) opener(size int64) (func() (io.ReadCloser, error), bool) {
	s, seekable := u.Content.(io.Seeker)
	var start int64
	if seekable && size >= 0 {
		var err error
		start, err = s.Seek(0, io.SeekCurrent)
		seekable = err == nil
	}
	switch c := u.Content.(type) {
	case io.ReaderAt:
		if seekable && size >= 0 {
			// A section reader per attempt: each has its own offset, so a
			// transport still finishing an earlier attempt cannot disturb it.
			return func() (io.ReadCloser, error) {
				return io.NopCloser(io.NewSectionReader(c, start, size)), nil
			}, true
		}
	case io.ReadSeeker:
		if seekable && size >= 0 {
			// One offset for every attempt: wait until the transport has let
			// go of the previous attempt's body before seeking back.
			var prev *closeSignal
			return func() (io.ReadCloser, error) {
				if prev != nil {
					<-prev.done
				}
				if _, err := c.Seek(start, io.SeekStart); err != nil {
					return nil, err
				}
				prev = &closeSignal{Reader: io.LimitReader(c, size), done: make(chan struct{})}
				return prev, nil
			}, true
		}
	}
	once := &onceReader{r: u.Content}
	return func() (io.ReadCloser, error) {
		if once.read.Load() {
			return nil, errors.New("xobito: the upload's reader cannot be replayed")
		}
		return io.NopCloser(once), nil
	}, false
}

// closeSignal is a reader that closes done when it is closed.
type closeSignal struct {
	io.Reader
	done chan struct{}
	once sync.Once
}

func (c *closeSignal) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

// onceReader notes that reading began, so that a second attempt refuses to
// send a half-consumed stream.
type onceReader struct {
	r    io.Reader
	read atomic.Bool
}

func (o *onceReader) Read(p []byte) (int, error) {
	o.read.Store(true)
	return o.r.Read(p)
}

func (u *Upload) contentType() string {
	if u.ContentType != "" {
		return u.ContentType
	}
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(u.Name))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// multipartPayload builds a form with the plain fields and one file part.
// Only the small head and tail of the form are held in memory: the file is
// streamed between them on every attempt, and the Content-Length is exact
// when the file's size is known.
func multipartPayload(fields []formField, fileField string, u *Upload, size int64) (*payload, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f.name, f.value); err != nil {
			return nil, err
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="`+quoteEscaper.Replace(fileField)+`"; filename="`+quoteEscaper.Replace(u.Name)+`"`)
	h.Set("Content-Type", u.contentType())
	if _, err := w.CreatePart(h); err != nil {
		return nil, err
	}
	head := bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := w.Close(); err != nil {
		return nil, err
	}
	tail := bytes.Clone(buf.Bytes())

	open, replayable := u.opener(size)
	p := &payload{
		contentType: w.FormDataContentType(),
		oneShot:     !replayable,
		length:      -1,
		open: func() (io.ReadCloser, error) {
			r, err := open()
			if err != nil {
				return nil, err
			}
			return readCloser{io.MultiReader(bytes.NewReader(head), r, bytes.NewReader(tail)), r}, nil
		},
	}
	if size >= 0 {
		p.length = int64(len(head)) + size + int64(len(tail))
	}
	return p, nil
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "%0D", "\n", "%0A")

// readCloser reads from one reader and closes another.
type readCloser struct {
	io.Reader
	io.Closer
}
