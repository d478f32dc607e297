package session

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
)

// responseWriter commits the session before anything of the response goes
// out. It implements Flush, FlushError, Hijack, ReadFrom and WriteString
// itself (each commits first) and exposes the wrapped writer through
// Unwrap, so http.ResponseController reaches everything else.
type responseWriter struct {
	http.ResponseWriter
	rq *request
}

// commit commits the session on the first call and reports whether the
// handler's response may still be written.
func (w *responseWriter) commit(status int) bool {
	if !w.rq.committed {
		w.rq.committed = true
		w.rq.commit(status)
	}
	return !w.rq.failed
}

// WriteHeader commits the session, then writes the header. Informational
// (1xx) headers pass through without committing, except 101 Switching
// Protocols, which net/http treats as final.
func (w *responseWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.commit(code) {
		w.ResponseWriter.WriteHeader(code)
	}
}

// Write commits the session (as a 200 response if no header was written).
// After a failed commit it returns an error and writes nothing.
func (w *responseWriter) Write(b []byte) (int, error) {
	if !w.commit(http.StatusOK) {
		return 0, errResponseReplaced
	}
	return w.ResponseWriter.Write(b)
}

// WriteString is Write for a string, passed on as a string: net/http's own
// writer implements io.StringWriter, and without this method io.WriteString
// (and io.Copy from a strings.Reader, through its WriteTo) would copy every
// string into a new []byte to call Write.
func (w *responseWriter) WriteString(s string) (int, error) {
	if !w.commit(http.StatusOK) {
		return 0, errResponseReplaced
	}
	return io.WriteString(w.ResponseWriter, s)
}

// ReadFrom lets io.Copy reach the wrapped writer's ReadFrom (sendfile).
func (w *responseWriter) ReadFrom(r io.Reader) (int64, error) {
	if !w.commit(http.StatusOK) {
		return 0, errResponseReplaced
	}
	return io.Copy(w.ResponseWriter, r)
}

// Flush commits the session and flushes.
func (w *responseWriter) Flush() { _ = w.FlushError() }

// FlushError commits the session and flushes, reporting whether the wrapped
// writer could.
func (w *responseWriter) FlushError() error {
	if !w.commit(http.StatusOK) {
		return errResponseReplaced
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack commits the session (the cookie cannot be sent on a hijacked
// connection, but the store is up to date) and hijacks the connection.
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !w.commit(http.StatusOK) {
		return nil, nil, errResponseReplaced
	}
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var errResponseReplaced = errors.New("session: response replaced by the error handler because the session could not be saved")
