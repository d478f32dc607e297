package storeurl

import (
	"context"
	"database/sql"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/go-sql-driver/mysql"

	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/cachedstore"
	"github.com/typedsession/typedsession/runtime/store/cookiestore"
	"github.com/typedsession/typedsession/runtime/store/filestore"
	"github.com/typedsession/typedsession/runtime/store/memstore"
	"github.com/typedsession/typedsession/runtime/store/redisstore"
	"github.com/typedsession/typedsession/runtime/store/sqlstore"
)

// TestOpen opens each kind of store that needs no external server and
// checks its type, its settings and that it stores a session.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	mr := miniredis.RunT(t)
	chdir(t, dir)
	if err := os.Mkdir("sessions", 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url   string
		opts  Options
		check func(t *testing.T, s store.Store)
	}{
		{"memory", Options{}, isType[*memstore.Store]},
		{"memory://", Options{}, isType[*memstore.Store]},
		{"redis://" + mr.Addr() + "/0?prefix=app:", Options{}, isType[*redisstore.Store]},
		{"redis+cluster://" + mr.Addr(), Options{}, isType[*redisstore.Store]},
		{"sqlite://" + filepath.Join(dir, "abs.db"), Options{CreateTable: true}, sqlTable(sqlstore.SQLite, sqlstore.DefaultTable)},
		{"sqlite://./rel.db?table=web_sessions", Options{CreateTable: true}, sqlTable(sqlstore.SQLite, "web_sessions")},
		{"sqlite:plain.db", Options{CreateTable: true}, sqlTable(sqlstore.SQLite, sqlstore.DefaultTable)},
		{"file://" + filepath.Join(dir, "sessions"), Options{}, fileDir(filepath.Join(dir, "sessions"))},
		{"file://./sessions", Options{}, fileDir(filepath.Join(dir, "sessions"))},
		{"FILE://./sessions", Options{}, fileDir(filepath.Join(dir, "sessions"))},
		{"sqlite://./cached.db?cache_url=memory", Options{CreateTable: true}, isType[*cachedstore.Store]},
		{"file://./sessions?cache_url=redis://" + mr.Addr() + "/1", Options{}, isType[*cachedstore.Store]},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			s := openT(t, tt.url, tt.opts)
			tt.check(t, s)
			roundTrip(t, s)
		})
	}
}

// TestOpenRedisPrefix checks that prefix= reaches the store and not
// go-redis, which would reject it.
func TestOpenRedisPrefix(t *testing.T) {
	mr := miniredis.RunT(t)
	for _, tt := range []struct{ query, want string }{{"?prefix=app:", "app:"}, {"", redisstore.DefaultPrefix}} {
		mr.FlushAll()
		s := openT(t, "redis://"+mr.Addr()+"/0"+tt.query, Options{})
		key := testKey
		if err := s.Save(context.Background(), key, []byte("x"), time.Now().Add(time.Minute), true); err != nil {
			t.Fatal(err)
		}
		if got := mr.Keys(); len(got) != 1 || got[0] != tt.want+key {
			t.Errorf("query %q: redis keys %q, want [%s]", tt.query, got, tt.want+key)
		}
	}
}

// TestOpenCookie opens the cookie store, which needs the secret from
// Options and records nothing, so it is checked by sealing and opening.
func TestOpenCookie(t *testing.T) {
	const secret = "storeurl-test-secret-0123456789abcdef"
	for _, u := range []string{"cookie", "cookie://", "cookie://?max_age=1h", "cookie?max_age=1h"} {
		s := openT(t, u, Options{Secret: secret, FallbackSecrets: []string{secret + "-old"}})
		cs, ok := s.(*cookiestore.Store)
		if !ok {
			t.Fatalf("%s: store is %T, want *cookiestore.Store", u, s)
		}
		ctx := context.Background()
		value, err := cs.Seal(ctx, []byte("data"), time.Now().Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if data, found, err := cs.Load(ctx, value); err != nil || !found || string(data) != "data" {
			t.Errorf("%s: Load(Seal(data)) = %q, %v, %v", u, data, found, err)
		}
	}
}

// TestOpenServers opens PostgreSQL and MySQL from the URLs derived from the
// test environment.
func TestOpenServers(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("TYPEDSESSION_POSTGRES_DSN")
		if dsn == "" {
			t.Skip("set TYPEDSESSION_POSTGRES_DSN (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to test postgres:// URLs")
		}
		table := uniqueTable()
		dropTable(t, "pgx", dsn, table)
		for _, scheme := range []string{"postgres", "postgresql"} {
			u := scheme + strings.TrimPrefix(strings.TrimPrefix(dsn, "postgresql"), "postgres")
			s := openT(t, withTable(t, u, table), Options{CreateTable: true})
			sqlTable(sqlstore.Postgres, table)(t, s)
			roundTrip(t, s)
		}
	})
	t.Run("mysql", func(t *testing.T) {
		dsn := os.Getenv("TYPEDSESSION_MYSQL_DSN")
		if dsn == "" {
			t.Skip("set TYPEDSESSION_MYSQL_DSN (e.g. root@tcp(127.0.0.1:3306)/test?parseTime=true) to test mysql:// URLs")
		}
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u := &url.URL{Scheme: "mysql", Host: cfg.Addr, Path: "/" + cfg.DBName, RawQuery: "timeout=5s"}
		if cfg.Passwd != "" {
			u.User = url.UserPassword(cfg.User, cfg.Passwd)
		} else {
			u.User = url.User(cfg.User)
		}
		table := uniqueTable()
		dropTable(t, "mysql", dsn, table)
		s := openT(t, withTable(t, u.String(), table), Options{CreateTable: true})
		sqlTable(sqlstore.MySQL, table)(t, s)
		roundTrip(t, s)
	})
}

// TestOpenErrors checks that bad URLs fail with a message that says what is
// wrong, and never show a password.
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	dead := deadAddr(t)
	// Existing (empty) databases, for the errors found after opening one.
	for _, name := range []string{"x.db", "c.db"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		url, want string
	}{
		{"", "no store URL given"},
		{"sessions.db", "unknown store"},
		{"mongodb://user:hunter2@host/db", "must be one of cookie, file, memory, mysql, postgres"},
		{"http://[::1", "cannot parse"},
		{"file://" + filepath.Join(dir, "missing"), "does not exist"},
		{"file://", "no path"},
		{"sqlite://", "no path"},
		{"sqlite://" + filepath.Join(dir, "x.db") + "?cache=shared", "unknown parameter"},
		{"sqlite://" + filepath.Join(dir, "x.db") + "?table=Bad-Name", "table name"},
		{"mysql://user:hunter2@" + dead, "want mysql://"},
		{"mysql://user:hunter2@" + dead + "/db?timeout=2s", "connect"},
		{"redis://:hunter2@" + dead, "connect"},
		{"redis://" + dead + "?nonsense=1", "unexpected option"},
		{"postgres://user:hunter2@" + dead + "/db?connect_timeout=2", "connect"},
		{"cookie", "storeurl: open cookie: the cookie store needs the application's secret"},
		{"sqlite://" + filepath.Join(dir, "c.db") + "?cache_url=mongodb://x", "unknown store"},
		{"memory?x=1", "unknown parameter x"},
		{"memory://?janitor=1m", "unknown parameter"},
		{"file://" + dir + "?mode=0700", "unknown parameter"},
		{"memory://?cache_url=cookie", "needs the application's secret"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			wantOpenError(t, tt.url, tt.want)
		})
	}
}

// TestOpenCachedCookie refuses the cookie store on either side of a cache.
func TestOpenCachedCookie(t *testing.T) {
	opts := Options{Secret: "storeurl-test-secret-0123456789abcdef"}
	for _, u := range []string{"memory://?cache_url=cookie", "cookie://?cache_url=memory"} {
		_, c, err := Open(context.Background(), u, opts)
		if err == nil {
			c.Close()
			t.Errorf("Open(%s) succeeded", u)
		} else if !strings.Contains(err.Error(), "cannot be cached") {
			t.Errorf("Open(%s) = %v", u, err)
		}
	}
}

// TestOpenCookieErrors checks the cookie store's own configuration errors.
func TestOpenCookieErrors(t *testing.T) {
	tests := []struct {
		url, secret, want string
	}{
		{"cookie", "tiny5", "secret too short"},
		{"cookie://?max_age=soon", "storeurl-test-secret-0123456789abcdef", "not a duration"},
		{"cookie://?max_age=-1h", "storeurl-test-secret-0123456789abcdef", "not a duration"},
		{"cookie://?maxage=1h", "storeurl-test-secret-0123456789abcdef", "unknown parameter"},
	}
	for _, tt := range tests {
		_, c, err := Open(context.Background(), tt.url, Options{Secret: tt.secret})
		if err == nil {
			c.Close()
			t.Errorf("Open(%s) succeeded", tt.url)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), tt.secret) {
			t.Errorf("Open(%s) = %v; want it to say %q and not show the secret", tt.url, err, tt.want)
		}
	}
}

// TestOpenCancelled checks that a done context stops Open.
func TestOpenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mr := miniredis.RunT(t)
	for _, u := range []string{"redis://" + mr.Addr(), "sqlite://" + filepath.Join(t.TempDir(), "x.db")} {
		if _, c, err := Open(ctx, u, Options{}); err == nil {
			c.Close()
			t.Errorf("Open(%s) with a cancelled context succeeded", u)
		}
	}
}

// wantOpenError checks that Open(rawURL) fails with an error that starts
// with storeurl: and says want, and never shows the test password hunter2.
func wantOpenError(t *testing.T, rawURL, want string) {
	t.Helper()
	s, c, err := Open(context.Background(), rawURL, Options{})
	if err == nil {
		c.Close()
		t.Fatalf("Open succeeded with %T", s)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "storeurl: ") || !strings.Contains(msg, want) {
		t.Errorf("error %q: want the storeurl: prefix and %q", msg, want)
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("error %q shows the password", msg)
	}
}

func openT(t *testing.T, u string, opts Options) store.Store {
	t.Helper()
	s, c, err := Open(context.Background(), u, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("close %s: %v", u, err)
		}
	})
	return s
}

func isType[T store.Store](t *testing.T, s store.Store) {
	t.Helper()
	if _, ok := s.(T); !ok {
		var want T
		t.Errorf("store is %T, want %T", s, want)
	}
}

func sqlTable(d sqlstore.Dialect, table string) func(t *testing.T, s store.Store) {
	return func(t *testing.T, s store.Store) {
		t.Helper()
		st, ok := s.(*sqlstore.Store)
		if !ok {
			t.Fatalf("store is %T, want *sqlstore.Store", s)
		}
		if st.Dialect() != d || st.Table() != table {
			t.Errorf("store is %v on %q, want %v on %q", st.Dialect(), st.Table(), d, table)
		}
	}
}

func fileDir(dir string) func(t *testing.T, s store.Store) {
	return func(t *testing.T, s store.Store) {
		t.Helper()
		fs, ok := s.(*filestore.Store)
		if !ok {
			t.Fatalf("store is %T, want *filestore.Store", s)
		}
		want, _ := filepath.EvalSymlinks(dir)
		got, _ := filepath.EvalSymlinks(fs.Dir())
		if got != want {
			t.Errorf("directory %q, want %q", got, want)
		}
	}
}

// roundTrip saves a session and loads it back.
func roundTrip(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	key := testKey
	if err := s.Save(ctx, key, []byte("data"), time.Now().Add(time.Minute), true); err != nil {
		t.Fatal(err)
	}
	if data, found, err := s.Load(ctx, key); err != nil || !found || string(data) != "data" {
		t.Errorf("Load = %q, %v, %v", data, found, err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Error(err)
	}
}

const testKey = "storeurltest00000000000000000000"

func chdir(t *testing.T, dir string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
}

// deadAddr returns a loopback address where nothing listens.
func deadAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func uniqueTable() string {
	return "ts_url_" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "_")
}

func withTable(t *testing.T, raw, table string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("table", table)
	u.RawQuery = q.Encode()
	return u.String()
}

// dropTable drops table, over a connection of its own, when the test ends.
func dropTable(t *testing.T, driver, dsn, table string) {
	t.Helper()
	t.Cleanup(func() {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP TABLE " + table); err != nil {
			t.Errorf("drop test table: %v", err)
		}
	})
}
