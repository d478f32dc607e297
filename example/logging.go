package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// requestInfo collects, while a request runs, what its log line reports
// about the session. The logging middleware sits outside the session
// middleware, so it sees the status actually sent, including the error
// handler's; the handlers and the error handler fill in the rest.
type requestInfo struct {
	method, path, remote string

	load  string // how the session was loaded: one of loadOutcomes
	event string // what the handler did to sessions as a whole: "cycled", "flushed", "revoked" (others)
	user  string
	err   error // the store failed at load or save
}

// The values of a request line's session.load, which README's "The
// example app" lists: keep the two in step (TestLoadOutcomesDocumented).
const (
	loadNone      = "none"      // no cookie, and the handler did not read the session (a static file, a 404)
	loadNotRead   = "not read"  // a cookie came, but the handler did not read the session
	loadNew       = "new"       // no cookie: the handler got a new, empty session
	loadOK        = "ok"        // the stored session
	loadDiscarded = "discarded" // a cookie whose session is unknown, expired or forged (forged also logs SECURITY)
	loadError     = "error"     // the store failed
)

var loadOutcomes = []string{loadNone, loadNotRead, loadNew, loadOK, loadDiscarded, loadError}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{} // a handler used without logRequests: record into the void
}

// statusWriter remembers the status code.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, path, status, duration,
// and what happened to the session. Query strings are left out (they may
// carry tokens), and so are session keys: a key is as good as a password.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &requestInfo{method: r.Method, path: r.URL.Path, remote: r.RemoteAddr, load: loadNone}
		if _, err := r.Cookie(sessionCookie); err == nil {
			ri.load = loadNotRead // until a handler reads the session
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, ri)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		cookie := cookieOutcome(sw)
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Duration("dur", time.Since(start).Round(time.Microsecond)),
			slog.String("session.load", ri.load),
			slog.String("session.save", saveOutcome(ri, cookie)),
			slog.String("session.cookie", cookie),
		}
		if ri.event != "" {
			attrs = append(attrs, slog.String("session.event", ri.event))
		}
		if ri.user != "" {
			attrs = append(attrs, slog.String("user", ri.user))
		}
		level := slog.LevelInfo
		if ri.err != nil {
			level = slog.LevelError
			attrs = append(attrs, slog.String("err", ri.err.Error()))
		}
		log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// cookieOutcome says what the response did to the session cookie: "set"
// (the session was saved, under a new key or not), "deleted" (signed out,
// or the session was emptied), or "-".
func cookieOutcome(w http.ResponseWriter) string {
	for _, v := range w.Header()["Set-Cookie"] {
		c, err := http.ParseSetCookie(v)
		if err != nil || c.Name != sessionCookie {
			continue
		}
		if c.MaxAge < 0 {
			return "deleted"
		}
		return "set"
	}
	return "-"
}

// saveOutcome says whether the session was written: "saved", "failed"
// (the store refused; the error page was sent instead), or "-".
func saveOutcome(ri *requestInfo, cookie string) string {
	switch {
	case ri.err != nil && ri.load != loadError:
		return "failed"
	case cookie == "set":
		return "saved" // every save of a stored session sends the cookie again
	}
	return "-"
}

// securityHandler marks security events so they stand out in the log and
// can be routed to monitoring: the message starts with SECURITY, the level
// is at least WARN, and the record carries security=true and, when logged
// during a request, the request's method, path and remote address.
type securityHandler struct{ slog.Handler }

func newSecurityLogger(h slog.Handler) *slog.Logger {
	return slog.New(securityHandler{h.WithAttrs([]slog.Attr{slog.Bool("security", true)})})
}

func (h securityHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.Handler.Enabled(ctx, max(l, slog.LevelWarn))
}

func (h securityHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, max(r.Level, slog.LevelWarn), "SECURITY "+r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool { out.AddAttrs(a); return true })
	if ri, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		out.AddAttrs(slog.String("method", ri.method), slog.String("path", ri.path), slog.String("remote", ri.remote))
	}
	return h.Handler.Handle(ctx, out)
}

func (h securityHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return securityHandler{h.Handler.WithAttrs(as)}
}

func (h securityHandler) WithGroup(name string) slog.Handler {
	return securityHandler{h.Handler.WithGroup(name)}
}
