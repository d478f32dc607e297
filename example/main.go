// Command example is a small shop built on typedsession: sign in, a cart,
// flash messages and a visit counter, all kept in a typed session
// (Shopper, in shopper.go) on a SQLite file, so a restart keeps everyone
// signed in.
//
//	go run ./example                 # http://127.0.0.1:8080
//	go run ./example -addr :8081 -db /tmp/shop.db
//	go run ./example -store redis://127.0.0.1:6379
//
// Sign in as alice / wonderland or bob / builder.
//
// The session secret comes from TYPEDSESSION_SECRET (at least 32 bytes;
// make one with `openssl rand -base64 48`). When it is unset, the example
// generates one and keeps it in a file beside the database, so sessions
// survive restarts; a real deployment sets the variable instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "example:", err)
		os.Exit(1)
	}
}

// run is main without the process: it serves until ctx ends.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("example", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := fs.String("db", defaultDBPath(), "SQLite file for the sessions (the default store)")
	storeURL := fs.String("store", "", "store URL instead of -db, as sessionctl takes:\nmemory, cookie, redis://127.0.0.1:6379, redis+cluster://..., redis+sentinel://...?master_name=...,\npostgres://..., mysql://..., sqlite:///path, file:///dir")
	https := fs.Bool("https", false, "browsers reach the shop over HTTPS (e.g. through a TLS proxy): send Secure cookies\neven on a loopback address (they are Secure on any other address anyway)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	secret, err := loadSecret(getenv, filepath.Dir(*db), log)
	if err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, *storeURL, *db, secret, log)
	if err != nil {
		return err
	}
	defer closeStore.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	secure := *https || !isLoopback(ln.Addr())
	sh, err := newShop(shopConfig{Store: st, Secret: secret, SecureCookies: secure, Logger: log, Users: runUsers()})
	if err != nil {
		ln.Close()
		return err
	}
	// The janitor stops before the store closes (defers run last first).
	janitorCtx, stopJanitor := context.WithCancel(ctx)
	janitorDone := make(chan struct{})
	go func() { defer close(janitorDone); clearExpired(janitorCtx, st, log) }()
	defer func() { stopJanitor(); <-janitorDone }()
	log.Info("listening", "url", "http://"+ln.Addr().String()+"/", "secure_cookies", secure)
	if secure && !*https {
		log.Warn("cookies are Secure because the address is not loopback: serve the shop over HTTPS (e.g. behind a TLS proxy, and say so with -https), or browsers will not send the session back")
	}
	return serve(ctx, ln, sh.handler(), log)
}

// serve serves h on ln until ctx ends, then lets running requests finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// isLoopback reports whether a is a loopback address, where browsers
// accept cookies without HTTPS.
func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// defaultDBPath is example.db in a typedsession folder of the user's cache
// directory, or in the working directory when there is none.
func defaultDBPath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "example.db"
	}
	return filepath.Join(dir, "typedsession", "example.db")
}

// runUsers returns the accounts run serves: the demo users. It is a
// variable so that tests of run sign in against the same passwords hashed
// at fewer iterations: at the real count a sign-in takes seconds under the
// race detector.
var runUsers = demoUsers
