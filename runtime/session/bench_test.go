package session_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/probe"
)

// benchRequest returns a request carrying e's session cookie for key.
func benchRequest(e *env, key string) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: "session", Value: key})
	return r
}

type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

// BenchmarkRequest is one full request through the middleware: load the
// session from memstore, read two fields, change one, save, set the cookie.
func BenchmarkRequest(b *testing.B) { benchmarkChange(b, newEnvB(b)) }

// benchmarkChange runs BenchmarkRequest's request on e's manager.
func benchmarkChange(b *testing.B, e *env) {
	key := seedB(b, e)
	h := e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			b.Fatal(err)
		}
		_ = p.Name()
		p.SetCount(p.Count() + 1)
		io.WriteString(w, "ok")
	}))
	r := benchRequest(e, key)
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

// BenchmarkUntouched measures the middleware around a handler that never
// touches the session, next to the bare handler.
func BenchmarkUntouched(b *testing.B) {
	e := newEnvB(b)
	key := seedB(b, e)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"bare", bare}, {"middleware", e.m.Handler(bare)}} {
		b.Run(bc.name, func(b *testing.B) {
			r := benchRequest(e, key)
			w := &nopWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				bc.h.ServeHTTP(w, r)
			}
		})
	}
}
