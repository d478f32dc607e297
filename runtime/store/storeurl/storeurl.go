// Package storeurl opens a typedsession store described by a URL, so that
// configuration (an environment variable, a flag) can choose the backend:
//
//	memory                                     in-process (memstore)
//	redis://[user:pass@]host[:port][/db]       Redis (redisstore); rediss:// for TLS
//	redis+cluster://host:port?addr=host2:port  Redis Cluster; rediss+cluster:// for TLS
//	redis+sentinel://host:26379?master_name=m  Redis Sentinel; rediss+sentinel:// for TLS
//	postgres://user@host/db?sslmode=disable    PostgreSQL (sqlstore); also postgresql://
//	mysql://user:pass@host[:port]/db           MySQL or MariaDB (sqlstore)
//	sqlite:///abs/path.db                      SQLite (sqlstore); sqlite://./rel.db or sqlite:rel.db
//	file:///abs/dir                            a file per session (filestore); file://./rel/dir
//	cookie                                     sealed cookies (cookiestore); needs Options.Secret
//	cookie://?max_age=336h                     the same, refusing cookies sealed longer ago
//
// A Redis Sentinel URL names sentinels, not Redis servers, and the master
// by the name they monitor it by, which it must give:
//
//	redis+sentinel://[user:pass@]sentinel1[:26379][/db]?master_name=mymaster&addr=sentinel2:26379
//
// The host and each addr= are sentinels (port 26379 unless given); the
// URL's user and password are the sentinels' own, while username= and
// password= are the master's; /db selects the master's database. With
// rediss+sentinel, go-redis checks every server's certificate, the
// master's and the other sentinels' included, against the first host's
// name. route_by_latency, route_randomly and replica_only are refused: a session
// store reads and writes on the master.
//
// Any server-side store can have a cache in front of it (cachedstore):
// add cache_url=<url of the cache store> to its URL, for example
//
//	postgres://app@db/app?cache_url=redis://cache:6379/0
//
// Query parameters that typedsession reads are removed before the rest of
// the URL reaches the driver: cache_url=<url>, table=<name> for the SQL
// stores (default sqlstore.DefaultTable), prefix=<p> for Redis (default
// redisstore.DefaultPrefix), max_age=<duration> for cookies. Everything
// else is the driver's own syntax: go-redis's URL options, pgx's connection
// string, go-sql-driver/mysql's DSN parameters. The stores without a driver
// (memory, file, sqlite, cookie) refuse parameters they do not know.
//
// Redis clients fail fast when Redis is down: a request waits tens of
// milliseconds for a Redis that refuses connections (go-redis's defaults:
// two seconds, and half a minute through Sentinel) and about half a second
// for a host that does not answer. Unless the URL sets them, storeurl uses
// dial_timeout=250ms, read_timeout=250ms, write_timeout=250ms,
// pool_timeout=500ms and max_retries=1 (a command is tried at most twice),
// and dials once per attempt instead of five times (dialer_retries, which
// only Sentinel URLs can set). A healthy Redis answers a session's command
// in about a millisecond; raise them in the URL for a distant server. To
// have go-redis's own messages among the application's logs, install
// redisstore.SlogLogger with redis.SetLogger.
//
// A sqlite: URL opens an existing database file unless Options.CreateTable
// is set: without it the table must exist already, so a missing file is
// reported (a mistyped path) instead of becoming an empty database.
//
// Error messages show URLs with their password redacted and the query
// left out, and name unknown parameters without their values.
//
// Because any URL may name any backend, a program that imports storeurl
// links every driver (go-redis, pgx, go-sql-driver/mysql and
// modernc.org/sqlite). A program that always uses one store and wants a
// smaller binary imports that store's package instead.
package storeurl

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/typedsession/typedsession/runtime/store"
)

// Options holds what a URL cannot carry, or should not.
type Options struct {
	// Secret and FallbackSecrets seal and open cookies for the cookie
	// store; other stores ignore them (the session Manager signs with its
	// own configuration).
	Secret          string
	FallbackSecrets []string

	// CreateTable makes the SQL stores create their table if it does not
	// exist, and the SQLite store its database file. Leave it false where
	// the schema is managed by migrations, and in tools that should not
	// change a database they only read.
	CreateTable bool

	// Logger receives a cached store's cache failures, which are not
	// fatal. Default slog.Default().
	Logger *slog.Logger
}

// opener opens the store for a parsed URL.
type opener func(ctx context.Context, u *url.URL, opts Options) (store.Store, io.Closer, error)

// openers maps each URL scheme to its opener.
var openers = map[string]opener{
	"memory":          openMemory,
	"redis":           openRedis,
	"rediss":          openRedis,
	"redis+cluster":   openRedis,
	"rediss+cluster":  openRedis,
	"redis+sentinel":  openRedis,
	"rediss+sentinel": openRedis,
	"postgres":        openPostgres,
	"postgresql":      openPostgres,
	"mysql":           openMySQL,
	"sqlite":          openSQLite,
	"file":            openFile,
	"cookie":          openCookie,
}

// Schemes returns the URL schemes Open accepts, sorted.
func Schemes() []string {
	s := make([]string, 0, len(openers))
	for k := range openers {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

// Open opens the store rawURL describes and checks that it answers. The
// returned Closer releases the store's connections (or background work);
// it is never nil, and the caller should close it when done with the
// store.
func Open(ctx context.Context, rawURL string, opts Options) (store.Store, io.Closer, error) {
	u, err := parse(rawURL)
	if err != nil {
		return nil, nil, err
	}
	open, ok := openers[u.Scheme]
	if !ok {
		return nil, nil, fmt.Errorf("storeurl: unknown store %q: the scheme must be one of %s",
			redact(u), strings.Join(Schemes(), ", "))
	}
	cacheURL := takeParam(u, "cache_url")
	st, c, err := open(ctx, u, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("storeurl: open %s: %w", redact(u), err)
	}
	if c == nil {
		c = nopCloser{}
	}
	if cacheURL != "" {
		return withCache(ctx, cacheURL, st, c, opts)
	}
	return st, c, nil
}

// parse parses rawURL, accepting a bare scheme name ("memory", "cookie").
func parse(rawURL string) (*url.URL, error) {
	if rawURL == "" {
		return nil, fmt.Errorf("storeurl: no store URL given; use one of the schemes %s", strings.Join(Schemes(), ", "))
	}
	if _, ok := openers[rawURL]; ok {
		return &url.URL{Scheme: rawURL}, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error quotes the URL, password included: say less.
		return nil, fmt.Errorf("storeurl: cannot parse the store URL (scheme %q)", schemeOf(rawURL))
	}
	if _, ok := openers[u.Path]; ok && u.Scheme == "" && u.Host == "" {
		// memory?x=1: a bare scheme name with parameters.
		u.Scheme, u.Path = u.Path, ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u, nil
}

func schemeOf(rawURL string) string {
	scheme, _, _ := strings.Cut(rawURL, ":")
	return scheme
}

// redact returns u for an error message, with its password hidden and
// without its query: a parameter can hold a URL with a password of its own
// (cache_url), which url.Redacted would show.
func redact(u *url.URL) string {
	c := *u
	c.RawQuery, c.ForceQuery = "", false
	s := c.Redacted()
	if s == c.Scheme+":" {
		return c.Scheme
	}
	if u.RawQuery != "" {
		s += "?…"
	}
	return s
}

// takeParam removes the query parameter name from u and returns its value.
func takeParam(u *url.URL, name string) string {
	q := u.Query()
	v := q.Get(name)
	if q.Has(name) {
		q.Del(name)
		u.RawQuery = q.Encode()
	}
	return v
}

// localPath returns the file system path of a sqlite: or file: URL:
// scheme:///abs, scheme://./rel (the "host" is the path's first element)
// or scheme:rel.
func localPath(u *url.URL) (string, error) {
	p := u.Opaque
	if p == "" {
		p = u.Host + u.Path
	}
	if p == "" {
		return "", fmt.Errorf("no path: write %s:///absolute/path or %s://./relative/path", u.Scheme, u.Scheme)
	}
	// file:///C:/dir on Windows: the path is C:/dir.
	if len(p) > 2 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	return p, nil
}

// noParams fails if u still has query parameters, which would otherwise be
// silently ignored. It names them but never shows their values, which can
// be secrets put in the wrong place.
func noParams(u *url.URL, known string) error {
	if u.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fmt.Errorf("cannot parse the URL's parameters (%s)", known)
	}
	names := slices.Sorted(maps.Keys(q))
	return fmt.Errorf("unknown %s %s (%s)", plural(len(names), "parameter", "parameters"), strings.Join(names, ", "), known)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
