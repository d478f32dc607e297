package session_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/internal/probe"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// pathLeakingStore fails at load with an error that names the key, as
// filestore's does when the session file cannot be read.
type pathLeakingStore struct{ store.Store }

func (pathLeakingStore) Load(_ context.Context, key string) ([]byte, bool, error) {
	return nil, false, fmt.Errorf("open /var/sessions/%s.session: permission denied", key)
}

// logLine returns the one line of log that contains msg.
func logLine(t *testing.T, log, msg string) string {
	t.Helper()
	var found []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, msg) {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d log lines with %q, want 1; log:\n%s", len(found), msg, log)
	}
	return found[0]
}

func TestLoadFailureLogged(t *testing.T) {
	const key = "abcdefgh0123456789abcdefgh012345"
	tests := []struct {
		name   string
		status int // what the handler answers after the failed load
	}{
		{"handler answers 500", http.StatusInternalServerError},
		{"handler ignores the error", http.StatusOK}, // the middleware's error handler answers
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *session.Config) { c.Store = pathLeakingStore{c.Store} })
			r := httptest.NewRequest("GET", "/account?token=t0k3n", nil)
			r.AddCookie(&http.Cookie{Name: e.m.Config().Cookie.Name, Value: key})
			var loadErr error
			e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, loadErr = probe.From(r)
				w.WriteHeader(tt.status)
			})).ServeHTTP(httptest.NewRecorder(), r)

			if loadErr == nil {
				t.Fatal("probe.From succeeded on a store that fails")
			}
			line := logLine(t, e.log.String(), "typedsession: session not loaded")
			for _, want := range []string{"level=ERROR", "path=/account", "permission denied"} {
				if !strings.Contains(line, want) {
					t.Errorf("log line lacks %q: %s", want, line)
				}
			}
			for _, secret := range []string{key, "t0k3n"} {
				if strings.Contains(e.log.String(), secret) {
					t.Errorf("log shows %q:\n%s", secret, e.log.String())
				}
			}
		})
	}
}

func TestChangeLostNamesPathAndField(t *testing.T) {
	const value = "value-that-must-not-be-logged"
	tests := []struct {
		name   string
		change func(context.Context, *probe.Session)
		want   []string // attributes of the log line
		field  bool     // whether the line names a field
	}{
		{"set", func(_ context.Context, p *probe.Session) { p.SetName(value) }, []string{"change=SetName", "field=name"}, true},
		{"second field", func(_ context.Context, p *probe.Session) { p.SetCount(7); p.SetName(value) }, []string{"change=SetCount", "field=count"}, true},
		{"set default", func(_ context.Context, p *probe.Session) { p.SetDefaultTags([]string{value}) }, []string{"change=SetDefaultTags", "field=tags"}, true},
		{"delete", func(_ context.Context, p *probe.Session) { p.DeleteName() }, []string{"change=DeleteName", "field=name"}, true},
		{"pop", func(_ context.Context, p *probe.Session) { p.PopName() }, []string{"change=PopName", "field=name"}, true},
		{"modify", func(_ context.Context, p *probe.Session) { p.ModifyCount(func(n *int64) { *n++ }) }, []string{"change=ModifyCount", "field=count"}, true},
		{"clear", func(_ context.Context, p *probe.Session) { p.Clear() }, []string{"change=Clear"}, false},
		{"update", func(_ context.Context, p *probe.Session) { p.Update(func(v *probe.Probe) { v.Name = value }) }, []string{"change=Update"}, false},
		{"expiry", func(_ context.Context, p *probe.Session) { p.SetExpiry(session.ExpireAfterIdle(time.Hour)) }, []string{"change=SetExpiry"}, false},
		{"cycle", func(ctx context.Context, p *probe.Session) { _ = p.Cycle(ctx) }, []string{"change=Cycle"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			key := e.seed(t, "Ada")
			r := httptest.NewRequest("POST", "/cart/add", nil)
			r.AddCookie(&http.Cookie{Name: e.m.Config().Cookie.Name, Value: key})
			e.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p := mustProbe(t, r)
				w.WriteHeader(http.StatusNoContent)
				tt.change(r.Context(), p)
			})).ServeHTTP(httptest.NewRecorder(), r)

			line := logLine(t, e.log.String(), "typedsession: change lost")
			for _, want := range append([]string{"path=/cart/add"}, tt.want...) {
				if !strings.Contains(line, want+" ") {
					t.Errorf("log line lacks %q: %s", want, line)
				}
			}
			if !tt.field && strings.Contains(line, "field=") {
				t.Errorf("log line names a field for a whole-session change: %s", line)
			}
			if strings.Contains(line, value) || strings.Contains(line, key) {
				t.Errorf("log line shows a value or the key: %s", line)
			}
		})
	}
}
