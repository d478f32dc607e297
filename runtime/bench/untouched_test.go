package bench

import (
	"io"
	"net/http"
	"testing"
)

// okHandler never touches the session.
func okHandler(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }

// BenchmarkUntouched is workload 5: a request that carries a session
// cookie through a handler that never uses the session, bare and inside
// each server-side library's middleware. gorilla/sessions is not here: it
// has no middleware, so an untouched session costs it nothing.
func BenchmarkUntouched(b *testing.B) {
	for _, c := range untouchedContenders(b) {
		cookie := c.seed(b, shopper())
		h := c.wrap(http.HandlerFunc(okHandler))
		b.Run("lib="+c.lib, func(b *testing.B) {
			cl := newClient(cookie, c.mutates)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if w := cl.do(h); !w.untouched() {
					b.Fatalf("%s: response %d %q, Set-Cookie %q", c.lib, w.code, w.body, w.h["Set-Cookie"])
				}
			}
			cpu.report(b)
		})
	}
}

// untouchedContenders are the memory contenders after a bare handler, the
// baseline. The bare one's cookie is typedsession's: the same request.
func untouchedContenders(tb testing.TB) []contender {
	tb.Helper()
	cs := memoryContenders(tb)
	bare := contender{
		lib:  "bare",
		wrap: func(h http.Handler) http.Handler { return h },
	}
	for _, c := range cs {
		if c.lib == "typedsession" {
			bare.seed = c.seed
		}
	}
	return append([]contender{bare}, cs...)
}
