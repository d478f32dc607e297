package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

const listHelp = `
list -store <url> -owner <id>

Lists the live sessions of one owner (the user id the application stores in
the field named by session.Config.OwnerKey), most recently used first: the
handle that names each session for revoke, when it began and was last
saved, when it expires, and the labels the application recorded. Reading
costs in proportion to the owner's sessions, not to the store. The secret in
TYPEDSESSION_SECRET (and the comma-separated TYPEDSESSION_FALLBACK_SECRETS)
verifies the sessions and makes the handles, as in the application; a
handle is not the session's key and cannot be used to take it over.

Examples:
  export TYPEDSESSION_SECRET="$(cat /run/secrets/session_secret)"
  sessionctl list -store redis://localhost:6379/0 -owner 42
  sessionctl list -store 'postgres://app@db.internal/app?sslmode=require' -owner ada@example.com
`

const revokeHelp = `
revoke -store <url> -owner <id> [-except <handle> | -handle <handle>]

Signs out sessions of one owner by deleting them: all of them (after a
password change or an account lock), all but one (-except, "sign out
everywhere else"), or one (-handle). Handles are those sessionctl list and
the application's Manager.Sessions show. A signed-out session's next request
starts a fresh anonymous session, and a request in flight on it cannot save
it back. Needs TYPEDSESSION_SECRET, as list does.

Examples:
  export TYPEDSESSION_SECRET="$(cat /run/secrets/session_secret)"
  sessionctl revoke -store redis://localhost:6379/0 -owner 42
  sessionctl revoke -store sqlite:///var/lib/myapp/sessions.db -owner 42 -except Qm9v3kZ1xw8yT5aL0pR2cA
  sessionctl revoke -store file:///var/lib/myapp/sessions -owner 42 -handle Qm9v3kZ1xw8yT5aL0pR2cA
`

// ownerFlags are the flags list and revoke share.
type ownerFlags struct {
	store, owner, except, handle string
}

func runList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) int {
	fs := newFlags("list", listHelp, stdout, stderr)
	var f ownerFlags
	f.define(fs, getenv)
	if done, code := fs.parse(args); done {
		return code
	}
	m, closer, code := f.open(ctx, fs, getenv, stderr)
	if code != exitOK {
		return code
	}
	defer closer.Close()
	list, err := m.Sessions(ctx, f.owner)
	if err != nil {
		fmt.Fprintf(stderr, "sessionctl: %v\n", err)
		return exitFailed
	}
	printSessions(stdout, f.owner, list)
	return exitOK
}

func runRevoke(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) int {
	fs := newFlags("revoke", revokeHelp, stdout, stderr)
	var f ownerFlags
	f.define(fs, getenv)
	fs.StringVar(&f.except, "except", "", "keep the session with this `handle` (sign out everywhere else)")
	fs.StringVar(&f.handle, "handle", "", "sign out only the session with this `handle`")
	if done, code := fs.parse(args); done {
		return code
	}
	if f.except != "" && f.handle != "" {
		return fs.usageError("give -except or -handle, not both")
	}
	m, closer, code := f.open(ctx, fs, getenv, stderr)
	if code != exitOK {
		return code
	}
	defer closer.Close()
	if f.handle != "" {
		err := m.Revoke(ctx, f.owner, f.handle)
		if errors.Is(err, session.ErrUnknownHandle) {
			fmt.Fprintf(stderr, "sessionctl: owner %q has no live session with handle %q (already signed out or expired? see sessionctl list)\n", f.owner, f.handle)
			return exitFailed
		}
		if err != nil {
			fmt.Fprintf(stderr, "sessionctl: %v\n", err)
			return exitFailed
		}
		fmt.Fprintf(stdout, "signed out session %s of owner %q\n", f.handle, f.owner)
		return exitOK
	}
	n, err := m.RevokeAll(ctx, f.owner, f.except)
	if err != nil {
		fmt.Fprintf(stderr, "sessionctl: %v\n", err)
		if n > 0 {
			fmt.Fprintf(stderr, "sessionctl: %d %s signed out before the error\n", n, plural(int64(n), "session was", "sessions were"))
		}
		return exitFailed
	}
	fmt.Fprintf(stdout, "signed out %d %s of owner %q", n, plural(int64(n), "session", "sessions"), f.owner)
	if f.except != "" {
		fmt.Fprintf(stdout, " (kept %s)", f.except)
	}
	fmt.Fprintln(stdout)
	return exitOK
}

func (f *ownerFlags) define(fs *flagSet, getenv env) {
	fs.StringVar(&f.store, "store", getenv("TYPEDSESSION_STORE"), "store `URL` (default $TYPEDSESSION_STORE)")
	fs.StringVar(&f.owner, "owner", "", "the owner `id`: the value of the application's owner field (session.Config.OwnerKey)")
}

// open checks the flags and opens the store behind a Manager.
func (f *ownerFlags) open(ctx context.Context, fs *flagSet, getenv env, stderr io.Writer) (*session.Manager, io.Closer, int) {
	switch {
	case f.store == "":
		return nil, nil, fs.usageError("-store is required")
	case f.owner == "":
		return nil, nil, fs.usageError("-owner is required")
	case !store.ValidOwner(f.owner):
		return nil, nil, fs.usageError("%q is not an owner id: 1 to %d bytes of UTF-8 without control characters", f.owner, store.MaxOwnerLen)
	case isCookieStore(f.store):
		fmt.Fprintln(stderr, "sessionctl: the cookie store cannot list or sign out sessions: they live in the browsers' cookies and nothing is kept on the server; "+
			"to end them all, change the secret (TYPEDSESSION_SECRET), which signs everyone out")
		return nil, nil, exitUsage
	}
	secrets, _, code := readSecrets(fs, getenv)
	if code != exitOK {
		return nil, nil, code
	}
	st, closer, err := storeurl.Open(ctx, f.store, storeurl.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "sessionctl: %v\n", err)
		return nil, nil, exitFailed
	}
	if _, ok := st.(store.Owners); !ok {
		closer.Close()
		fmt.Fprintf(stderr, "sessionctl: this store (%T) keeps no index of sessions by owner\n", st)
		return nil, nil, exitUsage
	}
	m, err := session.NewManager(session.Config{Store: st, Secret: secrets[0], FallbackSecrets: secrets[1:]})
	if err != nil {
		closer.Close()
		fmt.Fprintf(stderr, "sessionctl: %v\n", err)
		return nil, nil, exitUsage
	}
	return m, closer, exitOK
}

// printSessions writes a table of list, one session a line.
func printSessions(w io.Writer, owner string, list []session.SessionInfo) {
	if len(list) == 0 {
		fmt.Fprintf(w, "owner %q has no live sessions\n", owner)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HANDLE\tCREATED\tLAST SAVED\tEXPIRES\tLABELS")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Handle, stamp(s.Created), stamp(s.Saved), stamp(s.Expiry), labels(s.Labels))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d %s of owner %q\n", len(list), plural(int64(len(list)), "session", "sessions"), owner)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// labels formats labels as key="value" pairs, sorted, quoted so that a
// value cannot forge a column or a line.
func labels(m map[string]string) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, m[k])
	}
	return strings.Join(parts, " ")
}
