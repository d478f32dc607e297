// Command sessionctl operates on the sessions a typedsession application
// stores: it removes expired ones, and shows what a stored session or a
// session cookie holds.
//
// Usage:
//
//	sessionctl clear-expired -store <url>
//	sessionctl inspect -store <url> -key <key>
//	sessionctl inspect [-store cookie] -cookie <value>
//	sessionctl list -store <url> -owner <id>
//	sessionctl revoke -store <url> -owner <id> [-except <handle> | -handle <handle>]
//
// list and revoke work on the sessions of one owner (session.Config.OwnerKey)
// in any server-side store; each session is named by an opaque handle, never
// its key.
//
// Store URLs are those of package storeurl: memory, redis://…, rediss://…,
// redis+cluster://…, redis+sentinel://host:26379?master_name=name,
// postgres://…, mysql://user:pass@host:port/db, sqlite:///path, file:///dir,
// cookie. TYPEDSESSION_STORE supplies -store when the flag is not given.
//
// inspect, list and revoke verify the session's signature with the secret in
// TYPEDSESSION_SECRET and the comma-separated fallbacks in
// TYPEDSESSION_FALLBACK_SECRETS, exactly as the application does, and shows
// nothing of a session that does not verify.
//
// Exit status: 0 on success; 1 when the operation failed (store error, no
// such session, signature does not verify); 2 for a usage error or an
// operation the store cannot perform (clear-expired on the cookie store).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// env reads an environment variable; tests pass their own.
type env func(string) string

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) int
}

var commands = []command{
	{"clear-expired", "remove expired sessions and print how many", runClearExpired},
	{"inspect", "show a stored session's metadata and fields", runInspect},
	{"list", "list one owner's live sessions (sessions by owner)", runList},
	{"revoke", "sign out one owner's sessions: all, all but one, or one", runRevoke},
}

// run runs sessionctl with args (without the program name) and returns the
// exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr, getenv)
		}
	}
	fmt.Fprintf(stderr, "sessionctl: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, "Usage: sessionctl <command> [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun 'sessionctl <command> -h' for a command's flags and examples.\n")
}
