package sessiontest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
)

// concurrentRequests is how many requests C90, C97, C98 and C99 run at
// once on one session. It is within what the session package merges
// without giving up (each failed swap means another of these requests
// saved, so none retries more than concurrentRequests-1 times).
const concurrentRequests = 5

// mergeCases are C90–C95: concurrent requests on one session, through the
// middleware, with a store.Swapper. Every request loads the session, waits
// until all of them have loaded it, and only then changes it, so each save
// but the first meets a record another request saved since it was loaded.
var mergeCases = []testCase{
	{"C90", "concurrent_distinct_fields_all_survive", func(t *testing.T, h *harness) {
		h.swapper()
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		var fns []func(*probe.Session)
		for i := range concurrentRequests {
			fns = append(fns, func(p *probe.Session) { h.setRaw(p, fmt.Sprintf("f%d", i), i) })
		}
		h.wantStatuses(h.concurrently(key, fns...), http.StatusOK)
		want := map[string]string{"name": h.encoded("Ada")}
		for i := range concurrentRequests {
			want[fmt.Sprintf("f%d", i)] = h.encoded(i)
		}
		h.wantFields(key, want)
	}},
	{"C91", "concurrent_typed_set_and_delete_merge", func(t *testing.T, h *harness) {
		h.swapper()
		key := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetCount(1) })
		h.wantStatuses(h.concurrently(key,
			func(p *probe.Session) { p.SetName("Grace") },
			func(p *probe.Session) { p.DeleteCount() },
			func(p *probe.Session) { p.SetTags([]string{"a"}) },
		), http.StatusOK)
		h.wantFields(key, map[string]string{"name": h.encoded("Grace"), "tags": h.encoded([]string{"a"})})
	}},
	{"C92", "flush_during_concurrent_save_not_resurrected", func(t *testing.T, h *harness) {
		h.swapper()
		for _, tc := range []struct {
			name   string
			before func(p *probe.Session) // another request's change before the logout, or nil
		}{
			{"flush_only", nil},
			{"changed_then_flushed", func(p *probe.Session) { p.SetCount(2) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
				loaded, resume := make(chan struct{}), make(chan struct{})
				code := make(chan int, 1)
				go func() {
					code <- h.request(key, func(p *probe.Session) {
						close(loaded)
						<-resume
						p.SetTags([]string{"late"})
					})
				}()
				<-loaded
				if tc.before != nil {
					h.wantStatuses([]int{h.request(key, tc.before)}, http.StatusOK)
				}
				h.wantStatuses([]int{h.request(key, func(p *probe.Session) {
					if err := p.Flush(context.Background()); err != nil {
						t.Errorf("flush: %v", err)
					}
				})}, http.StatusOK)
				close(resume)
				if got := <-code; got != http.StatusBadRequest {
					t.Errorf("save of a session flushed meanwhile: status %d, want 400 (session.ErrInterrupted)", got)
				}
				if h.exists(key) {
					t.Errorf("the flushed session was resurrected by a concurrent save")
				}
			})
		}
		// A logout racing several saves of every kind, all loaded before it.
		t.Run("raced_by_concurrent_saves", func(t *testing.T) {
			key := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetCount(1) })
			changes := []func(p *probe.Session){
				func(p *probe.Session) { p.ModifyCount(func(n *int64) { *n++ }) },
				func(p *probe.Session) { p.SetCount(p.Count() + 1) },
				func(p *probe.Session) { p.SetTags([]string{"late"}) },
				func(p *probe.Session) { p.DeleteName() },
			}
			var loaded, done sync.WaitGroup
			loaded.Add(len(changes) + 1)
			codes := make([]int, len(changes))
			for i, fn := range changes {
				done.Add(1)
				go func() {
					defer done.Done()
					codes[i] = h.request(key, func(p *probe.Session) { loaded.Done(); loaded.Wait(); fn(p) })
				}()
			}
			// The logout loads the session too and then races the saves.
			flush := h.request(key, func(p *probe.Session) {
				loaded.Done()
				loaded.Wait()
				if err := p.Flush(context.Background()); err != nil {
					t.Errorf("flush: %v", err)
				}
			})
			done.Wait()
			if flush != http.StatusOK {
				t.Errorf("logout: status %d, want 200", flush)
			}
			for i, code := range codes {
				if code != http.StatusOK && code != http.StatusBadRequest && code != http.StatusConflict {
					t.Errorf("request %d: status %d, want 200 (saved before the logout), 400 (session.ErrInterrupted) or 409", i, code)
				}
			}
			if h.exists(key) {
				t.Errorf("the flushed session was resurrected by a concurrent save")
			}
		})
	}},
	{"C93", "unknown_field_survives_concurrent_save", func(t *testing.T, h *harness) {
		h.swapper()
		key := h.saved(func(p *probe.Session) {
			p.SetName("Ada")
			h.setRaw(p, "newer_field", "v1") // kept by a newer release of the application
		})
		h.wantStatuses(h.concurrently(key,
			func(p *probe.Session) { h.setRaw(p, "newer_field", "v2") }, // the newer release
			func(p *probe.Session) { p.SetCount(7) },                    // this release, which does not know the key
		), http.StatusOK)
		h.wantFields(key, map[string]string{
			"name": h.encoded("Ada"), "count": h.encoded(int64(7)), "newer_field": h.encoded("v2"),
		})
	}},
	{"C94", "same_field_is_last_writer_wins", func(t *testing.T, h *harness) {
		// The documented limit: two requests that set the same field
		// without reading it (blind writes) both succeed and the later
		// save's value stays; the fields they did not change are kept.
		h.swapper()
		key := h.saved(func(p *probe.Session) { p.SetName("Ada"); p.SetCount(1) })
		h.wantStatuses(h.concurrently(key,
			func(p *probe.Session) { p.SetName("Grace") },
			func(p *probe.Session) { p.SetName("Edsger") },
		), http.StatusOK)
		env := h.stored(key, Secret)
		got := fields(env)
		if got["name"] != h.encoded("Grace") && got["name"] != h.encoded("Edsger") {
			t.Errorf("name = %q, want one of the two values saved", got["name"])
		}
		if got["count"] != h.encoded(int64(1)) {
			t.Errorf("count = %q, want it kept", got["count"])
		}
	}},
	{"C95", "concurrent_expiry_and_field_merge", func(t *testing.T, h *harness) {
		h.swapper()
		key := h.saved(func(p *probe.Session) { p.SetName("Ada") })
		created := h.stored(key, Secret).Created
		h.wantStatuses(h.concurrently(key,
			func(p *probe.Session) { p.SetExpiry(session.ExpireAfterIdle(2 * time.Hour)) },
			func(p *probe.Session) { p.SetCount(3) },
		), http.StatusOK)
		env := h.stored(key, Secret)
		if env.Expiry != codec.ExpiryIdle || env.IdleSeconds != 7200 {
			t.Errorf("expiry = kind %d, %d s; want the idle expiry of 7200 s one request set", env.Expiry, env.IdleSeconds)
		}
		if !env.Created.Equal(created) {
			t.Errorf("created = %v, want %v kept", env.Created, created)
		}
		h.wantFields(key, map[string]string{"name": h.encoded("Ada"), "count": h.encoded(int64(3))})
	}},
}

// concurrently runs one request per fn on the session key, in goroutines
// through the harness manager's middleware. Each loads the session and
// waits until every one has loaded it before fn changes it. It returns the
// status codes, in the order of fns.
func (h *harness) concurrently(key string, fns ...func(p *probe.Session)) []int {
	h.t.Helper()
	var loaded, done sync.WaitGroup
	loaded.Add(len(fns))
	done.Add(len(fns))
	codes := make([]int, len(fns))
	for i, fn := range fns {
		go func() {
			defer done.Done()
			codes[i] = h.request(key, func(p *probe.Session) {
				loaded.Done()
				loaded.Wait()
				fn(p)
			})
		}()
	}
	done.Wait()
	return codes
}

// request runs one request carrying the session key through the harness
// manager's middleware and returns its status code. The handler loads the
// session before fn runs. Safe to call from several goroutines.
func (h *harness) request(key string, fn func(p *probe.Session)) int {
	return h.roundTrip(&http.Cookie{Name: session.DefaultCookieName, Value: key}, fn).Code
}

// roundTrip runs one request through the harness manager's middleware,
// with cookie if it is not nil, and lets fn use the request's session.
// Safe to call from several goroutines.
func (h *harness) roundTrip(cookie *http.Cookie, fn func(p *probe.Session)) *httptest.ResponseRecorder {
	t := h.t
	handler := h.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := probe.From(r)
		if err != nil {
			t.Errorf("load in the handler: %v", err)
			return
		}
		fn(p)
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if cookie != nil {
		req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	return rec
}

// setRaw sets a key the probe type does not declare, as another release of
// the application would.
func (h *harness) setRaw(p *probe.Session, key string, v any) {
	if err := p.Session().SetRawField(context.Background(), key, []byte(h.encoded(v))); err != nil {
		h.t.Errorf("SetRawField(%q): %v", key, err)
	}
}

// encoded returns v in msgpack, as the record keeps a field's value
// (integers in their shortest form, as generated code writes them).
func (h *harness) encoded(v any) string {
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.UseCompactInts(true)
	if err := enc.Encode(v); err != nil {
		h.t.Errorf("encode %v: %v", v, err)
	}
	return buf.String()
}

func (h *harness) wantStatuses(codes []int, want int) {
	h.t.Helper()
	for i, c := range codes {
		if c != want {
			h.t.Errorf("request %d: status %d, want %d", i, c, want)
		}
	}
}

// wantFields checks the fields stored for key, by their encoded values.
func (h *harness) wantFields(key string, want map[string]string) {
	h.t.Helper()
	if diff := cmp.Diff(want, fields(h.stored(key, Secret))); diff != "" {
		h.t.Errorf("stored fields (-want +got):\n%s", diff)
	}
}

func fields(env codec.Envelope) map[string]string {
	m := make(map[string]string, len(env.Raw))
	for _, r := range env.Raw {
		m[r.Key] = string(r.Value)
	}
	return m
}
