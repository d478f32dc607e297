package session_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store/cookiestore"
)

// handles returns the handles Sessions lists for owner.
func handles(t *testing.T, m *session.Manager, owner string) []string {
	t.Helper()
	list, err := m.Sessions(context.Background(), owner)
	if err != nil {
		t.Fatalf("Sessions(%q) = %v", owner, err)
	}
	out := []string{}
	for _, info := range list {
		out = append(out, info.Handle)
	}
	return out
}

// TestOwnerFollowsTheField checks that setting, changing and deleting the
// OwnerKey field, cycling and flushing keep the owner index right.
func TestOwnerFollowsTheField(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.OwnerKey = "name" })
	ctx := context.Background()
	p := e.load(t, "")
	p.SetCount(1) // no owner field yet
	save(t, p)
	if got := handles(t, e.m, "ada"); len(got) != 0 {
		t.Fatalf("listed before the owner field was set: %v", got)
	}
	p.SetName("ada")
	save(t, p)
	if diff := cmp.Diff([]string{p.Session().Handle()}, handles(t, e.m, "ada")); diff != "" {
		t.Errorf("after setting the owner field (-want +got):\n%s", diff)
	}
	old := p.Session().Handle()
	if err := p.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	save(t, p)
	if p.Session().Handle() == old {
		t.Error("Cycle kept the handle")
	}
	if diff := cmp.Diff([]string{p.Session().Handle()}, handles(t, e.m, "ada")); diff != "" {
		t.Errorf("after Cycle (-want +got):\n%s", diff)
	}
	p.SetName("grace")
	save(t, p)
	if got := handles(t, e.m, "ada"); len(got) != 0 {
		t.Errorf("still listed under the old owner: %v", got)
	}
	if diff := cmp.Diff([]string{p.Session().Handle()}, handles(t, e.m, "grace")); diff != "" {
		t.Errorf("after changing the owner (-want +got):\n%s", diff)
	}
	p.DeleteName()
	save(t, p)
	if got := handles(t, e.m, "grace"); len(got) != 0 {
		t.Errorf("still listed after the owner field was deleted: %v", got)
	}
	p.SetName("grace")
	save(t, p)
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := handles(t, e.m, "grace"); len(got) != 0 {
		t.Errorf("still listed after Flush: %v", got)
	}
}

// TestOwnerIntegerField checks that an integer owner field is listed under
// its decimal form.
func TestOwnerIntegerField(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.OwnerKey = "count" })
	for _, n := range []int64{42, -7, 1 << 60} {
		p := e.load(t, "")
		p.SetCount(n)
		save(t, p)
	}
	for owner, want := range map[string]int{"42": 1, "-7": 1, "1152921504606846976": 1, "43": 0} {
		if got := len(handles(t, e.m, owner)); got != want {
			t.Errorf("Sessions(%q) lists %d, want %d", owner, got, want)
		}
	}
}

// TestOwnerFieldOfWrongType checks that a save fails, saying why, when the
// owner field holds neither an integer nor a string.
func TestOwnerFieldOfWrongType(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.OwnerKey = "tags" })
	p := e.load(t, "")
	p.SetTags([]string{"x"})
	err := p.Session().Save(context.Background())
	if err == nil || !strings.Contains(err.Error(), `owner field "tags"`) {
		t.Errorf("Save with a list in the owner field = %v, want an error naming the field", err)
	}
	e2 := newEnv(t, func(c *session.Config) { c.OwnerKey = "name" })
	q := e2.load(t, "")
	q.SetName(strings.Repeat("x", 300))
	if err := q.Session().Save(context.Background()); err == nil {
		t.Error("Save with a 300-byte owner id succeeded")
	}
}

// TestOwnerKeyNeedsAnIndex checks that NewManager refuses OwnerKey over a
// store that cannot list, with an error that says what to do.
func TestOwnerKeyNeedsAnIndex(t *testing.T) {
	cs, err := cookiestore.New(cookiestore.Config{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = session.NewManager(session.Config{Store: cs, Secret: secret, OwnerKey: "uid"})
	if err == nil || !strings.Contains(err.Error(), "store.Owners") {
		t.Errorf("NewManager(cookiestore, OwnerKey) = %v, want an error naming store.Owners", err)
	}
	m, err := session.NewManager(session.Config{Store: cs, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Sessions(context.Background(), "ada"); !errors.Is(err, session.ErrNoOwnerIndex) {
		t.Errorf("Sessions on a cookie store = %v, want ErrNoOwnerIndex", err)
	}
}

// TestSetLabels checks the limits of SetLabels and that labels survive a
// save and load and reach Sessions.
func TestSetLabels(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.OwnerKey = "name" })
	p := e.load(t, "")
	p.SetName("ada")
	good := map[string]string{"device": "Firefox on Linux", "net": "192.0.2.0/24"}
	for name, bad := range map[string]map[string]string{
		"too many":     {"a": "", "b": "", "c": "", "d": "", "e": "", "f": "", "g": "", "h": "", "i": ""},
		"empty key":    {"": "x"},
		"long key":     {strings.Repeat("k", session.MaxLabelKeyLen+1): "x"},
		"upper key":    {"Device": "x"},
		"long value":   {"device": strings.Repeat("v", session.MaxLabelValueLen+1)},
		"control char": {"device": "a\nb"},
		"bad utf8":     {"device": "\xff"},
	} {
		if err := p.Session().SetLabels(bad); err == nil {
			t.Errorf("SetLabels(%s) = nil, want an error", name)
		}
	}
	if p.Session().Labels() != nil {
		t.Errorf("a refused SetLabels changed the labels: %v", p.Session().Labels())
	}
	if err := p.Session().SetLabels(good); err != nil {
		t.Fatal(err)
	}
	good["device"] = "changed by the caller afterwards"
	save(t, p)
	want := map[string]string{"device": "Firefox on Linux", "net": "192.0.2.0/24"}
	if diff := cmp.Diff(want, e.load(t, p.Key()).Session().Labels()); diff != "" {
		t.Errorf("labels after a reload (-want +got):\n%s", diff)
	}
	list, err := e.m.Sessions(context.Background(), "ada")
	if err != nil || len(list) != 1 {
		t.Fatalf("Sessions = %v, %v", list, err)
	}
	if diff := cmp.Diff(want, list[0].Labels); diff != "" {
		t.Errorf("labels in Sessions (-want +got):\n%s", diff)
	}
}

// TestRevokeThroughMiddleware checks that a session revoked between two
// requests is anonymous on the next one: no data, a new cookie.
func TestRevokeThroughMiddleware(t *testing.T) {
	e := newEnv(t, func(c *session.Config) { c.OwnerKey = "name" })
	signIn := func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		p.SetName("ada")
		io.WriteString(w, p.Session().Handle())
	}
	resp := e.do(t, signIn, "")
	cookie := sessionCookie(resp, "session")
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	list, err := e.m.Sessions(context.Background(), "ada")
	if err != nil || len(list) != 1 {
		t.Fatalf("Sessions = %v, %v", list, err)
	}
	if err := e.m.Revoke(context.Background(), "ada", list[0].Handle); err != nil {
		t.Fatal(err)
	}
	var name string
	var has bool
	e.do(t, func(w http.ResponseWriter, r *http.Request) {
		p := mustProbe(t, r)
		name, has = p.Name(), p.HasName()
	}, cookie.Value)
	if has || name != "" {
		t.Errorf("revoked session still signed in as %q", name)
	}
}
