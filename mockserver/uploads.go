package mockserver

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Upload limits of the contract (§5.5), in bytes.
const (
	kilobyte          = 1024
	maxImageUpload    = 5120 * kilobyte
	maxVideoUpload    = 16384 * kilobyte
	maxAudioUpload    = 16384 * kilobyte
	maxDocumentUpload = 102400 * kilobyte
	// maxUploadBody bounds the body of an upload route: the largest file
	// the route takes plus room for the other fields. A longer body
	// answers 413.
	maxUploadBody = maxDocumentUpload + 1<<20
	// maxFormText bounds the text parts of a multipart body, together.
	maxFormText = 1 << 20
	// maxFormParts bounds the number of parts of a multipart body.
	maxFormParts = 1000
)

// uploadLimits are the upload limits of each media kind, in bytes.
var uploadLimits = map[string]int64{
	"image": maxImageUpload, "video": maxVideoUpload, "audio": maxAudioUpload, "document": maxDocumentUpload,
}

// upload is the body of an upload route: its fields as a JSON object would
// hold them (a multipart body's text parts become JSON strings, and
// "contact[firstname]" becomes the "firstname" key of the "contact"
// object), and the files uploaded, of which only the size is kept.
type upload struct {
	fields map[string]json.RawMessage
	files  map[string]uploadedFile
}

// uploadedFile is what the mock keeps of an uploaded file: its bytes are
// counted and thrown away.
type uploadedFile struct {
	Filename    string
	ContentType string
	Size        int64
}

// uploadRoute makes a raw route of an upload handler: it streams the body
// without the workspace lock, then calls handle with ws.mu held.
func uploadRoute(handle func(s *Server, ws *Workspace, r *request, up *upload) response) func(*Server, *Workspace, *request) response {
	return func(s *Server, ws *Workspace, r *request) response {
		up, res := readUpload(r, maxUploadBody)
		if res != nil {
			return *res
		}
		ws.mu.Lock()
		defer ws.mu.Unlock()
		r.now = s.Now() // under the lock, as for buffered routes
		out := handle(s, ws, r, up)
		out.encode()
		return out
	}
}

// readUpload reads a JSON body (at most maxJSONBody bytes) or streams a
// multipart/form-data body part by part, never holding a file in memory.
// A body longer than limit answers 413; a body of another type, or that
// does not parse, 422.
func readUpload(r *request, limit int64) (*upload, *response) {
	fail := func(res response) (*upload, *response) { return nil, &res }
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		if res := r.readBody(); res != nil {
			return nil, res
		}
		r.bodyTypes = "application/json or multipart/form-data"
		fields, res := r.jsonBody()
		return &upload{fields: fields, files: map[string]uploadedFile{}}, res
	}
	if r.ContentLength > limit {
		return fail(failure(http.StatusRequestEntityTooLarge, msgTooLarge))
	}
	boundary := params["boundary"]
	if boundary == "" || r.Body == nil {
		return fail(validationFailed(fieldError("body", "The multipart body has no boundary.")))
	}
	up, err := readMultipart(multipart.NewReader(&cappedReader{r: r.Body, left: limit}, boundary))
	switch {
	case errors.Is(err, errTooLarge):
		return fail(failure(http.StatusRequestEntityTooLarge, msgTooLarge))
	case err != nil:
		return fail(validationFailed(fieldError("body", "The multipart body is malformed: "+err.Error()+".")))
	}
	return up, nil
}

// readMultipart reads every part: a file part is counted while discarded,
// a text part is kept.
func readMultipart(mr *multipart.Reader) (*upload, error) {
	up := &upload{fields: map[string]json.RawMessage{}, files: map[string]uploadedFile{}}
	nested := map[string]map[string]string{}
	text := 0
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if parts >= maxFormParts {
			return nil, errors.New("more than " + strconv.Itoa(maxFormParts) + " parts")
		}
		name := p.FormName()
		if p.FileName() != "" {
			n, err := io.Copy(io.Discard, p)
			if err != nil {
				return nil, err
			}
			up.files[name] = uploadedFile{Filename: p.FileName(), ContentType: p.Header.Get("Content-Type"), Size: n}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, int64(maxFormText-text)+1))
		if err != nil {
			return nil, err
		}
		if text += len(b); text > maxFormText {
			return nil, errTooLarge
		}
		if outer, inner, ok := strings.Cut(name, "["); ok && strings.HasSuffix(inner, "]") {
			if nested[outer] == nil {
				nested[outer] = map[string]string{}
			}
			nested[outer][strings.TrimSuffix(inner, "]")] = string(b)
			continue
		}
		up.fields[name], _ = json.Marshal(string(b))
	}
	for name, obj := range nested {
		up.fields[name], _ = json.Marshal(obj)
	}
	return up, nil
}

// cappedReader reads at most left bytes, then fails with errTooLarge.
type cappedReader struct {
	r    io.Reader
	left int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte tells a body of exactly the limit from a longer one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// file returns the uploaded file of field, checking its size against limit
// (bytes); nil when none was uploaded. A field sent as text fails.
func (up *upload) file(f *form, field string, limit int64) *uploadedFile {
	file, ok := up.files[field]
	switch {
	case !ok:
		if !f.isNull(field) {
			f.fail(field, "The %s field must be a file.")
		}
		return nil
	case file.Size > limit:
		f.fail(field, "The %s field must not be greater than "+strconv.FormatInt(limit/kilobyte, 10)+" kilobytes.")
		return nil
	}
	return &file
}

// storedURL is where the mock pretends to keep an uploaded file.
func storedURL(r *request, ws *Workspace, file *uploadedFile) string {
	return requestRoot(r.Request) + "/storage/" + url.PathEscape(ws.sub) + "/media/" +
		strconv.FormatInt(ws.s.nextID(), 10) + "/" + url.PathEscape(file.Filename)
}
