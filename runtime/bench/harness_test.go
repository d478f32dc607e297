package bench

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// contender is one library set up for one workload: its middleware around
// a handler that reads the user id and name and changes LastSeen, and the
// means to make and inspect sessions outside a request.
type contender struct {
	lib string
	// wrap is the library's middleware; h is it around the shared handler.
	wrap func(http.Handler) http.Handler
	h    http.Handler
	// seed stores a new session holding v and returns its cookie.
	seed func(tb testing.TB, v Shopper) *http.Cookie
	// peek returns the whole session the cookie names, read through the
	// library's own API.
	peek func(tb testing.TB, c *http.Cookie) Shopper
	// cmds counts the Redis commands the library sent; nil without Redis.
	cmds *atomic.Int64
	// mutates is set for a library that changes the request it serves.
	mutates bool
}

// errWrongSession is the body of the 500 a handler answers when the
// session did not hold what was seeded: a benchmark of the wrong thing
// must fail, not just be fast.
const errWrongSession = "bench: the session does not hold the seeded user"

// client replays one request carrying a session cookie.
type client struct {
	r    *http.Request
	tmpl *http.Request // non-nil: restore r from it before each request
	w    recorder
}

// newClient returns a client whose request carries c (if not nil). fresh
// asks for the request to be restored before each use, for gorilla/sessions,
// which stores its per-request registry in the request itself: reused as
// it is, the request would let it skip the decoding. The others get the same
// request each time, as the runtime's own benchmarks do, so that the copy
// (which costs more while the garbage collector runs, that is, the more the
// library allocates) does not count against them.
func newClient(c *http.Cookie, fresh bool) *client {
	r := httptest.NewRequest(http.MethodGet, "/cart", nil)
	if c != nil {
		r.AddCookie(c)
	}
	cl := &client{r: r, w: recorder{h: http.Header{}}}
	if fresh {
		tmpl := *r
		cl.tmpl = &tmpl
	}
	return cl
}

// do serves the request through h and returns the recorded response.
func (c *client) do(h http.Handler) *recorder {
	if c.tmpl != nil {
		*c.r = *c.tmpl
	}
	c.w.reset()
	h.ServeHTTP(&c.w, c.r)
	return &c.w
}

// recorder records a response, reusing its memory from one request to the
// next so that the benchmarks measure the libraries, not the recording.
type recorder struct {
	h    http.Header
	code int
	body []byte
}

func (w *recorder) Header() http.Header { return w.h }

func (w *recorder) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body = append(w.body, p...)
	return len(p), nil
}

// WriteString makes the recorder an io.StringWriter, as net/http's own
// ResponseWriter is: io.WriteString hands it the string as it is, where it
// would otherwise copy it into a new []byte for Write.
func (w *recorder) WriteString(s string) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body = append(w.body, s...)
	return len(s), nil
}

func (w *recorder) reset() {
	clear(w.h)
	w.code = 0
	w.body = w.body[:0]
}

// saved reports whether the response is the handler's "ok" with a session
// cookie: what every full request must end in.
func (w *recorder) saved() bool {
	return w.code == http.StatusOK && len(w.h["Set-Cookie"]) == 1 && string(w.body) == "ok"
}

// untouched reports whether the response is the handler's "ok" without any
// session cookie.
func (w *recorder) untouched() bool {
	return w.code == http.StatusOK && len(w.h["Set-Cookie"]) == 0 && string(w.body) == "ok"
}

// responseCookie returns the session cookie the response set.
func (w *recorder) responseCookie() *http.Cookie {
	for _, line := range w.h["Set-Cookie"] {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == cookieName {
			return c
		}
	}
	return nil
}

// benchFull runs c's full request on the session shopper(): load, read
// two fields, change one, save, Set-Cookie.
func benchFull(b *testing.B, c contender) { benchFullWith(b, c, shopper()) }

// benchFullWith is benchFull on a session holding v.
func benchFullWith(b *testing.B, c contender, v Shopper) {
	cl := newClient(c.seed(b, v), c.mutates)
	start := commands(c.cmds)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if w := cl.do(c.h); !w.saved() {
			b.Fatalf("%s: response %d %q, Set-Cookie %q", c.lib, w.code, w.body, w.h["Set-Cookie"])
		}
	}
	cpu.report(b)
	reportCommands(b, c.cmds, start)
	// What the browser stores and sends back with every request.
	b.ReportMetric(float64(len(cl.w.responseCookie().Value)), "B/cookie")
}

// benchFullParallel is benchFull on GOMAXPROCS goroutines at once, each
// with sessions of its own, as concurrent users have.
func benchFullParallel(b *testing.B, c contender) {
	const sessions = 16
	cookies := make([]*http.Cookie, sessions)
	for i := range cookies {
		cookies[i] = c.seed(b, shopper())
	}
	var next atomic.Int64
	start := commands(c.cmds)
	b.ReportAllocs()
	cpu := startCPU()
	b.RunParallel(func(pb *testing.PB) {
		cl := newClient(cookies[int(next.Add(1))%sessions], c.mutates)
		for pb.Next() {
			if w := cl.do(c.h); !w.saved() {
				b.Errorf("%s: response %d %q, Set-Cookie %q", c.lib, w.code, w.body, w.h["Set-Cookie"])
				return
			}
		}
	})
	cpu.report(b)
	reportCommands(b, c.cmds, start)
}

func commands(n *atomic.Int64) int64 {
	if n == nil {
		return 0
	}
	return n.Load()
}

// reportCommands reports the Redis commands per request as cmds/op.
func reportCommands(b *testing.B, n *atomic.Int64, start int64) {
	if n != nil {
		b.ReportMetric(float64(n.Load()-start)/float64(b.N), "cmds/op")
	}
}
