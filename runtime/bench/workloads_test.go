package bench

import (
	"fmt"
	"math"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// workloads are the full-request workloads, by name, as the benchmarks
// build them.
var workloads = []struct {
	name       string
	contenders func(tb testing.TB) []contender
	maxLines   int // the largest cart a session of this store can hold
}{
	{"memory", memoryContenders, math.MaxInt},
	// A 4 KB cookie holds about 85 cart lines, sealed by gorilla or by
	// typedsession; 300 do not fit.
	{"cookie", cookieContenders, 80},
	{"redis", redisContenders, math.MaxInt},
}

// TestFullRequest checks that every benchmarked handler does the same
// work, on the session of the workloads and on those of the scaling
// benchmark: the seeded session is found, the two fields read match, the
// change is saved and nothing else is lost.
func TestFullRequest(t *testing.T) {
	sizes := append([]int{len(shopper().Cart)}, scaleLines...)
	for _, wl := range workloads {
		for _, lines := range sizes {
			if lines > wl.maxLines {
				continue
			}
			want := shopperWith(lines)
			for _, c := range wl.contenders(t) {
				t.Run(fmt.Sprintf("%s/lines=%d/%s", wl.name, lines, c.lib), func(t *testing.T) {
					checkFullRequest(t, c, want)
				})
			}
		}
	}
}

func checkFullRequest(t *testing.T, c contender, want Shopper) {
	t.Helper()
	cookie := c.seed(t, want)
	if diff := cmp.Diff(want, c.peek(t, cookie)); diff != "" {
		t.Fatalf("seeded session (-want +got):\n%s", diff)
	}
	w := newClient(cookie, c.mutates).do(c.h)
	if !w.saved() {
		t.Fatalf("response %d %q, Set-Cookie %q; want 200 \"ok\" and one session cookie", w.code, w.body, w.h["Set-Cookie"])
	}
	got := c.peek(t, w.responseCookie())
	if !got.LastSeen.After(seenAt) {
		t.Errorf("LastSeen = %v after the request, want it moved past %v", got.LastSeen, seenAt)
	}
	got.LastSeen = seenAt
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("session after the request, LastSeen aside (-want +got):\n%s", diff)
	}
}

// TestWrongSession checks that the handlers notice a session that is not
// the seeded one, which is what makes a benchmark of an empty session fail.
func TestWrongSession(t *testing.T) {
	for _, wl := range workloads {
		for _, c := range wl.contenders(t) {
			t.Run(wl.name+"/"+c.lib, func(t *testing.T) {
				w := newClient(&http.Cookie{Name: cookieName, Value: "notasessionnotasession"}, c.mutates).do(c.h)
				if w.code != http.StatusInternalServerError || w.saved() {
					t.Errorf("response %d %q to an unknown session, want 500 and no session saved", w.code, w.body)
				}
			})
		}
	}
}

// TestRedisCommands checks workload 4's target on command counts:
// typedsession loads with one command and saves with one, no more than
// scs; and an untouched session costs no command at all.
func TestRedisCommands(t *testing.T) {
	perRequest := map[string]int64{}
	for _, c := range redisContenders(t) {
		cl := newClient(c.seed(t, shopper()), c.mutates)
		before := c.cmds.Load()
		if w := cl.do(c.h); !w.saved() {
			t.Fatalf("%s: response %d %q", c.lib, w.code, w.body)
		}
		perRequest[c.lib] = c.cmds.Load() - before

		before = c.cmds.Load()
		if w := cl.do(c.wrap(http.HandlerFunc(okHandler))); !w.untouched() {
			t.Fatalf("%s untouched: response %d %q, Set-Cookie %q", c.lib, w.code, w.body, w.h["Set-Cookie"])
		}
		t.Logf("%s: %d commands for a full request, %d for an untouched one", c.lib, perRequest[c.lib], c.cmds.Load()-before)
		if c.lib == "typedsession" && c.cmds.Load() != before {
			t.Errorf("typedsession sent %d commands for an untouched session, want 0", c.cmds.Load()-before)
		}
	}
	if got := perRequest["typedsession"]; got != 2 {
		t.Errorf("typedsession sent %d commands for a full request, want 2 (GET, SET)", got)
	}
	if got, scs := perRequest["typedsession"], perRequest["scs"]; got > scs {
		t.Errorf("typedsession sent %d commands for a full request, scs %d", got, scs)
	}
}

// TestUntouched checks workload 5's handler: inside each middleware it
// answers without a cookie, as the benchmark requires.
func TestUntouched(t *testing.T) {
	for _, c := range untouchedContenders(t) {
		t.Run(c.lib, func(t *testing.T) {
			w := newClient(c.seed(t, shopper()), c.mutates).do(c.wrap(http.HandlerFunc(okHandler)))
			if !w.untouched() {
				t.Errorf("response %d %q, Set-Cookie %q; want 200 \"ok\" and no cookie", w.code, w.body, w.h["Set-Cookie"])
			}
		})
	}
}

// TestFormats checks that every codec of workload 1 round-trips the
// session, and that the generated codec, msgpack's reflection and
// tinylib/msgp read each other's output: they are the same format.
func TestFormats(t *testing.T) {
	formats := newFormats(t, shopper())
	byName := map[string]format{}
	for _, f := range formats {
		byName[f.name] = f
		for _, enc := range []struct {
			op  string
			run func() ([]byte, error)
		}{{"encode", f.encode}, {"append", f.append}} {
			if enc.run == nil {
				continue
			}
			t.Run(f.name+"/"+enc.op, func(t *testing.T) {
				// Twice, for the append into a reused buffer.
				for range 2 {
					data, err := enc.run()
					if err != nil {
						t.Fatal(err)
					}
					if err := f.decode(data); err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(shopper(), f.result()); diff != "" {
						t.Errorf("round trip (-want +got):\n%s", diff)
					}
				}
			})
		}
	}
	for _, pair := range [][2]string{
		{"generated", "msgpack-reflect"}, {"msgpack-reflect", "generated"},
		{"generated", "msgp"}, {"msgp", "generated"},
	} {
		enc, dec := byName[pair[0]], byName[pair[1]]
		t.Run(pair[0]+"_to_"+pair[1], func(t *testing.T) {
			data, err := enc.encodeOf()()
			if err != nil {
				t.Fatal(err)
			}
			if err := dec.decode(data); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(shopper(), dec.result()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
