package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
	"github.com/typedsession/typedsession/runtime/store/sqlstore"
	"github.com/typedsession/typedsession/runtime/store/storeurl"
)

const clearHelp = `
clear-expired -store <url>

Removes the sessions whose expiry has passed and prints how many. Run it
regularly (cron, a systemd timer, a Kubernetes CronJob) for the SQL and file
stores; Redis expires sessions by itself, and the cookie store keeps nothing
on the server, so there is nothing to clear.

Examples:
  sessionctl clear-expired -store 'postgres://app@db.internal/app?sslmode=require'
  sessionctl clear-expired -store 'mysql://app:secret@db.internal:3306/app'
  sessionctl clear-expired -store sqlite:///var/lib/myapp/sessions.db
  sessionctl clear-expired -store file:///var/lib/myapp/sessions
  TYPEDSESSION_STORE=sqlite:///var/lib/myapp/sessions.db sessionctl clear-expired
`

func runClearExpired(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) int {
	fs := newFlags("clear-expired", clearHelp, stdout, stderr)
	url := fs.String("store", getenv("TYPEDSESSION_STORE"), "store `URL` (default $TYPEDSESSION_STORE)")
	if done, code := fs.parse(args); done {
		return code
	}
	if *url == "" {
		return fs.usageError("-store is required")
	}
	if isCookieStore(*url) {
		// Said before opening it, which would need the secret for nothing.
		fmt.Fprintln(stderr, "sessionctl: the cookie store cannot clear expired sessions: they live in the browsers' cookies, not on the server")
		return exitUsage
	}
	// Without CreateTable, storeurl opens only a SQLite file that exists:
	// clearing a mistyped path must not create an empty database there.
	st, closer, err := storeurl.Open(ctx, *url, storeurl.Options{})
	if err != nil {
		var pathErr *os.PathError
		if isSQLite(*url) && errors.Is(err, os.ErrNotExist) && errors.As(err, &pathErr) {
			fmt.Fprintf(stderr, "sessionctl: there is no SQLite database at %s: check the -store URL (clear-expired does not create one)\n", pathErr.Path)
			return exitFailed
		}
		fmt.Fprintf(stderr, "sessionctl: %v\n", err)
		return exitFailed
	}
	defer closer.Close()
	return clearExpired(ctx, st, stdout, stderr)
}

// isCookieStore reports whether url names the cookie store.
func isCookieStore(url string) bool { return hasScheme(url, "cookie") }

// isSQLite reports whether url names a SQLite store.
func isSQLite(url string) bool { return hasScheme(url, "sqlite") }

func hasScheme(url, scheme string) bool {
	s, _, _ := strings.Cut(url, ":")
	return strings.EqualFold(s, scheme)
}

// clearExpired clears st and reports the outcome.
func clearExpired(ctx context.Context, st store.Store, stdout, stderr io.Writer) int {
	n, err := st.ClearExpired(ctx)
	if errors.Is(err, store.ErrNotSupported) {
		fmt.Fprintf(stderr, "sessionctl: this store cannot clear expired sessions (%v)\n", err)
		return exitUsage
	}
	if errors.Is(err, sqlstore.ErrNoTable) {
		fmt.Fprintf(stderr, "sessionctl: %v\n"+
			"sessionctl: check the -store URL, and add table=<name> to it if the application names its table\n", err)
		return exitFailed
	}
	if err != nil {
		fmt.Fprintf(stderr, "sessionctl: %v\n", err)
		if n > 0 {
			fmt.Fprintf(stderr, "sessionctl: %d expired %s removed before the error\n", n, plural(n, "session was", "sessions were"))
		}
		return exitFailed
	}
	fmt.Fprintf(stdout, "%d expired %s removed\n", n, plural(n, "session", "sessions"))
	if _, ok := st.(*redisstore.Store); ok {
		fmt.Fprintln(stdout, "(Redis removes expired sessions by itself; there is never anything to clear)")
	}
	return exitOK
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
