package session

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/typedsession/typedsession/runtime/codec"
)

// Handler returns middleware that gives each request a session (see
// FromContext and the generated XxxFrom functions) and commits it before
// the response header is written: on the first WriteHeader, Write, Flush or
// Hijack, or when next returns without writing.
//
// Committing saves the session when it was modified (or SaveEveryRequest is
// set, or it was stored in an older format or under its clear key, or its
// idle timeout is due for a refresh), sets or deletes the cookie, and adds "Vary: Cookie" when the
// session was accessed or its cookie is sent. A response that sets or
// deletes the cookie is made "Cache-Control: private" (see keepPrivate), so
// no shared cache stores it. A 5xx response saves nothing. When the store
// fails, the response is the ErrorHandler's (default 500) instead of what
// the handler wrote, so a client is never told that data it sent was kept
// when it was not.
func (m *Manager) Handler(next http.Handler) http.Handler {
	return &handler{m: m, next: next}
}

// handler is the middleware. A method rather than a closure: a closure
// would be compiled again wherever Handler is inlined, and there the
// allocation-saving inlining in ServeHTTP is not guaranteed.
type handler struct {
	m    *Manager
	next http.Handler
}

// ServeHTTP serves one request with a session.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := h.m
	rq := &request{m: m}
	value, incoming := cookieValue(r.Header, m.cfg.Cookie.Name)
	rq.key = m.validKey(value)
	rq.incoming = incoming
	rq.Context = r.Context()
	rq.rw = responseWriter{ResponseWriter: w, rq: rq}
	// WithContext is inlined here and its copy does not escape, so the
	// handler's request lives in rq: one allocation per request, not two.
	rq.req = *r.WithContext(rq)
	h.next.ServeHTTP(&rq.rw, &rq.req)
	if !rq.committed {
		rq.rw.commit(http.StatusOK)
	}
}

// request is everything the middleware keeps per request, in one
// allocation: the context node, the writer wrapper and the handler's copy
// of the request (384 bytes, a size class below the 416 it took with a
// context node of its own). The session is made when the handler first
// asks for it (see session): a request that never touches it allocates
// nothing more.
//
// request is the context of the handler's request: it carries the session
// without a separate context.WithValue allocation (see Value). Done, Err
// and Deadline come from the request's own context, embedded, so the
// context package still recognises cancellation without a goroutine.
type request struct {
	context.Context
	m         *Manager
	rw        responseWriter
	req       http.Request            // the handler's request, in this context
	key       string                  // the cookie's session key, if valid
	sess      atomic.Pointer[Session] // nil until the session is first used
	incoming  bool                    // the request carried a session cookie, valid or not
	committed bool                    // the session was committed (see responseWriter.commit)
	failed    bool                    // the error handler wrote the response; drop the handler's
}

// session returns the request's session, making it on first use. The
// pointer is atomic so that goroutines of one handler calling FromContext
// get the same session. A session first asked for after the commit is
// committed already: changes to it are reported as lost.
func (rq *request) session() *Session {
	if s := rq.sess.Load(); s != nil {
		return s
	}
	s := &Session{m: rq.m, key: rq.key, r: &rq.req, committed: rq.committed}
	if !rq.sess.CompareAndSwap(nil, s) {
		return rq.sess.Load()
	}
	return s
}

// Value returns the request's session for the session package's key, and
// asks the request's own context for any other.
func (rq *request) Value(key any) any {
	if key == (contextKey{}) {
		return rq.session()
	}
	return rq.Context.Value(key)
}

// commit saves the session and writes its cookie headers. It reports false
// when it wrote an error response instead, which then replaces the
// handler's.
func (rq *request) commit(status int) bool {
	m := rq.m
	if rq.sess.Load() == nil && !m.cfg.SaveEveryRequest && (rq.key != "" || !rq.incoming) {
		// Untouched: nothing read, nothing to save, no cookie to delete.
		return true
	}
	s := rq.session()
	s.committed = true
	h := rq.rw.Header()
	hv := &s.headers
	if s.accessed {
		addVary(h, hv)
	}
	if s.loadErr != nil && status < 500 {
		return rq.fail(s.loadErr)
	}
	if s.IsEmpty() {
		if rq.incoming {
			hv.add(h, slotSetCookie, "Set-Cookie", m.deletionCookie())
			cookieSent(h, hv)
		}
		return true
	}
	if status >= 500 {
		return true
	}
	if !s.mustSave() {
		return true
	}
	if err := s.Save(rq.req.Context()); err != nil {
		return rq.fail(err)
	}
	c, err := m.sessionCookie(s)
	if err != nil {
		return rq.fail(err)
	}
	hv.add(h, slotSetCookie, "Set-Cookie", c)
	cookieSent(h, hv)
	return true
}

// mustSave reports whether commit has to write the session.
func (s *Session) mustSave() bool {
	return s.modified || s.stale || s.legacy || s.m.cfg.SaveEveryRequest || s.refreshDue()
}

// refreshDue reports whether a session with an idle timeout, loaded in this
// request, was last written long enough ago to be re-written now. Throttling
// spares the store a write on every request, which is what scs does.
func (s *Session) refreshDue() bool {
	// A browser-close expiry (idle 0) lives for the default age, so it
	// slides like the default.
	defaultAge := s.meta.Expiry == codec.ExpiryDefault ||
		(s.meta.Expiry == codec.ExpiryIdle && s.meta.IdleSeconds == 0)
	if s.m.refresh <= 0 || !s.loaded || s.key == "" || !defaultAge {
		return false
	}
	return s.now().Sub(s.meta.Saved) >= s.m.refresh
}

// fail replaces the response with the error handler's and logs err.
func (rq *request) fail(err error) bool {
	m := rq.m
	m.logger.LogAttrs(rq.req.Context(), slog.LevelError, "typedsession: session not saved",
		slog.String("err", rq.session().redactKey(err.Error())), slog.String("path", rq.req.URL.Path))
	h := rq.rw.Header()
	for _, k := range representationHeaders {
		delete(h, k) // they describe the handler's response, which will not be sent
	}
	rq.failed = true
	handler := m.cfg.ErrorHandler
	if handler == nil {
		handler = defaultErrorHandler
	}
	handler(rq.rw.ResponseWriter, &rq.req, err)
	return false
}

// representationHeaders are the headers a handler sets about its own
// response. When the error handler's response replaces it they must go;
// headers set by outer middleware (HSTS, CSP, CORS) stay.
var representationHeaders = []string{
	"Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language",
	"Content-Length", "Content-Location", "Content-Range", "Content-Type", "Etag",
	"Expires", "Last-Modified", "Location", "Set-Cookie",
}

func defaultErrorHandler(w http.ResponseWriter, _ *http.Request, err error) {
	if errors.Is(err, ErrInterrupted) {
		http.Error(w, ErrInterrupted.Error()+"; please try again", http.StatusBadRequest)
		return
	}
	if errors.Is(err, ErrConflict) {
		http.Error(w, ErrConflict.Error()+"; please try again", http.StatusConflict)
		return
	}
	http.Error(w, "500 Internal Server Error: the session could not be saved", http.StatusInternalServerError)
}

// addVary adds "Vary: Cookie" unless the header has it. A commit asks
// twice (for an accessed session, and for a cookie sent); the second time,
// the slot filled by the first answers without a look-up.
func addVary(h http.Header, hv *headerValues) {
	if hv[slotVary] != "" {
		return
	}
	vary := h["Vary"]
	for _, v := range vary {
		if v == "Cookie" {
			return
		}
	}
	hv.appendTo(h, slotVary, "Vary", vary, "Cookie")
}
