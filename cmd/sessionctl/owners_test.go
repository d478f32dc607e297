package main

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/codec"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// signedIn is a session signIn stored.
type signedIn struct{ key, handle string }

// signIn stores a session of owner in the store at url, as an application
// with OwnerKey "name" does, and returns its cookie key and handle.
func signIn(t *testing.T, url, owner, device string) signedIn {
	t.Helper()
	st := openStore(t, url)
	m, err := session.NewManager(session.Config{Store: st, Secret: secret, OwnerKey: "name"})
	if err != nil {
		t.Fatal(err)
	}
	key := strings.ToLower(rand.Text())
	data := payload(t, secret, codec.Meta{Created: time.Now(), Saved: time.Now(), Labels: map[string]string{"device": device}}, map[string]any{"name": owner})
	if err := st.(store.Owners).SaveOwned(context.Background(), session.StoreKey(key), owner, data, time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	return signedIn{key: key, handle: m.Open(key).Handle()}
}

func TestListAndRevoke(t *testing.T) {
	env := map[string]string{"TYPEDSESSION_SECRET": secret}
	url := testStores(t)["sqlite"]
	a, b := signIn(t, url, "ada", "Firefox on Linux"), signIn(t, url, "ada", `evil"	device`)
	c := signIn(t, url, "ada", "phone")
	other := signIn(t, url, "grace", "laptop")

	r := runT(t, env, "list", "-store", url, "-owner", "ada")
	r.check(t, exitOK, "HANDLE", "LAST SAVED", a.handle, b.handle, c.handle, `device="Firefox on Linux"`, `device="evil\"\tdevice"`, `3 sessions of owner "ada"`)
	for _, p := range []signedIn{a, b, c, other} {
		if strings.Contains(r.stdout, p.key) || strings.Contains(r.stdout, session.StoreKey(p.key)) {
			t.Errorf("list shows a session's key:\n%s", r.stdout)
		}
	}
	if strings.Contains(r.stdout, other.handle) {
		t.Errorf("list of ada shows grace's session:\n%s", r.stdout)
	}

	runT(t, env, "revoke", "-store", url, "-owner", "ada", "-handle", b.handle).check(t, exitOK, "signed out session "+b.handle)
	runT(t, env, "revoke", "-store", url, "-owner", "ada", "-handle", b.handle).check(t, exitFailed, "stderr:has no live session with handle")
	runT(t, env, "revoke", "-store", url, "-owner", "grace", "-handle", a.handle).check(t, exitFailed, "stderr:has no live session with handle")
	runT(t, env, "revoke", "-store", url, "-owner", "ada", "-except", a.handle).check(t, exitOK, `signed out 1 session of owner "ada" (kept `+a.handle+")")
	r = runT(t, env, "list", "-store", url, "-owner", "ada")
	r.check(t, exitOK, a.handle, `1 session of owner "ada"`)
	if strings.Contains(r.stdout, c.handle) {
		t.Errorf("revoked session still listed:\n%s", r.stdout)
	}
	runT(t, env, "revoke", "-store", url, "-owner", "ada").check(t, exitOK, `signed out 1 session of owner "ada"`)
	runT(t, env, "list", "-store", url, "-owner", "ada").check(t, exitOK, `owner "ada" has no live sessions`)
	runT(t, env, "list", "-store", url, "-owner", "grace").check(t, exitOK, other.handle)
}

func TestListAndRevokeUsage(t *testing.T) {
	env := map[string]string{"TYPEDSESSION_SECRET": secret}
	url := testStores(t)["sqlite"]
	for _, tt := range []struct {
		args  []string
		env   map[string]string
		code  int
		wants []string
	}{
		{[]string{"list", "-h"}, env, exitOK, []string{"Examples:", "-owner id"}},
		{[]string{"revoke", "-h"}, env, exitOK, []string{"Examples:", "-except handle", "-handle handle"}},
		{[]string{"list", "-owner", "ada"}, env, exitUsage, []string{"stderr:-store is required"}},
		{[]string{"list", "-store", url}, env, exitUsage, []string{"stderr:-owner is required"}},
		{[]string{"list", "-store", url, "-owner", "a\nb"}, env, exitUsage, []string{"stderr:is not an owner id"}},
		{[]string{"list", "-store", url, "-owner", "ada"}, nil, exitUsage, []string{"stderr:set TYPEDSESSION_SECRET"}},
		{[]string{"list", "-store", "cookie", "-owner", "ada"}, env, exitUsage, []string{"stderr:the cookie store cannot list or sign out sessions"}},
		{[]string{"revoke", "-store", url, "-owner", "ada", "-except", "x", "-handle", "y"}, env, exitUsage, []string{"stderr:not both"}},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			runT(t, tt.env, tt.args...).check(t, tt.code, tt.wants...)
		})
	}
}
