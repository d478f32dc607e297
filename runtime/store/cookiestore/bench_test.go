package cookiestore

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
)

// benchData is about the size of a signed session payload.
var benchData = bytes.Repeat([]byte("session!"), 300/8)

func BenchmarkSeal(b *testing.B) {
	s, _ := newStore(b, Config{MaxAge: time.Hour})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Seal(ctx, benchData, start.Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetCookie makes a Set-Cookie value holding a sealed session:
// the value from Seal copied between the cookie's name and attributes, or
// SealLine writing it there.
func BenchmarkSetCookie(b *testing.B) {
	s, _ := newStore(b, Config{MaxAge: time.Hour})
	ctx := context.Background()
	const head, tail = "sessionid=", "; Path=/; Expires=Sun, 29 Nov 2026 13:00:00 GMT; Max-Age=1209600; HttpOnly; SameSite=Lax"
	var sink string
	b.Run("via=Seal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, err := s.Seal(ctx, benchData, start.Add(time.Hour))
			if err != nil {
				b.Fatal(err)
			}
			sink = head + v + tail
		}
	})
	b.Run("via=SealLine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			line, err := s.SealLine(ctx, head, benchData, start.Add(time.Hour), tail)
			if err != nil {
				b.Fatal(err)
			}
			sink = line
		}
	})
	_ = sink
}

// BenchmarkLoadFallback opens a value sealed with the current secret by a
// store that also lists a fallback: the fallback must cost nothing.
func BenchmarkLoadFallback(b *testing.B) {
	s, _ := newStore(b, Config{MaxAge: time.Hour, FallbackSecrets: []string{oldSecret}})
	ctx := context.Background()
	v := seal(b, s, benchData, start.Add(time.Hour))
	b.ReportAllocs()
	for b.Loop() {
		if _, found, err := s.Load(ctx, v); !found || err != nil {
			b.Fatal(found, err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	s, _ := newStore(b, Config{MaxAge: time.Hour})
	ctx := context.Background()
	v := seal(b, s, benchData, start.Add(time.Hour))
	b.ReportAllocs()
	for b.Loop() {
		if _, found, err := s.Load(ctx, v); !found || err != nil {
			b.Fatal(found, err)
		}
	}
}

// BenchmarkRequest is one request through the session middleware with the
// session in a sealed cookie: open it, read two fields, change one, seal
// it again and set the cookie.
func BenchmarkRequest(b *testing.B) {
	s, err := New(Config{Secret: secret})
	if err != nil {
		b.Fatal(err)
	}
	m, err := session.NewManager(session.Config{Store: s, Secret: secret})
	if err != nil {
		b.Fatal(err)
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			b.Fatal(err)
		}
		_ = p.Name()
		p.SetCount(p.Count() + 1)
		io.WriteString(w, "ok")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	r := httptest.NewRequest("GET", "/", nil)
	for _, c := range rec.Result().Cookies() {
		r.AddCookie(c)
	}
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}
