package fakepolar

import (
	"bytes"
	"io"
	"net/http"
)

// maxBody is the largest request body the fake reads.
const maxBody = 1 << 20

// serveLocked runs a handler against a consistent view of the data: the
// request body is read first, the handler runs under the read lock into a
// buffer, and the buffer is written out after the lock is released, so
// that neither a slow client nor a slow network ever holds up a mutation.
func (s *Server) serveLocked(w http.ResponseWriter, r *http.Request, rt route, id string) {
	if r.Body != nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			writeValidation(w, []validationError{{Loc: []any{"body"}, Msg: "Unable to read body", Type: "value_error"}})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
	s.state.RLock()
	rt.handle(buf, r, id)
	s.state.RUnlock()
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.WriteHeader(buf.status)
	_, _ = w.Write(buf.body.Bytes())
}

// bufferedResponse is an http.ResponseWriter that keeps the response in
// memory.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) { b.status = status }

func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
