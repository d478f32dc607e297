package django

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
	"github.com/typedsession/typedsession/runtime/django/internal/djangotest"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// The live tests run testdata/django/djangosessions.py on a real Django as
// the other side of every round trip. They need a Python with Django 3.2:
// TYPEDSESSION_DJANGO_PYTHON, else /usr/bin/python3 (the system Python,
// where Debian's python3-django installs; a `python3` earlier on PATH may
// be another one, without Django).

func djangoPython(t *testing.T) string {
	t.Helper()
	p := os.Getenv("TYPEDSESSION_DJANGO_PYTHON")
	if p == "" {
		p = "/usr/bin/python3"
	}
	if out, err := exec.Command(p, "-c", "import django, django_redis; print(django.get_version())").CombinedOutput(); err != nil {
		t.Skipf("live Django round trips skipped: %s cannot import django and django_redis (%v %s); install them with apt-get install python3-django python3-django-redis, or set TYPEDSESSION_DJANGO_PYTHON; the committed vectors were still checked",
			p, err, bytes.TrimSpace(out))
	}
	return p
}

// djangoSide is the script serving one backend's requests.
type djangoSide struct {
	t      *testing.T
	engine string // "cookie", "db" or "cache"
	in     io.Writer
	out    *bufio.Reader
}

// startDjango starts the script with one backend's environment; it ends
// with the test.
func startDjango(t *testing.T, python, engine string, env []string) *djangoSide {
	t.Helper()
	cmd := exec.Command(python, filepath.Join(testdataDir, "djangosessions.py"), "serve")
	cmd.Env = append(append(os.Environ(), "DJANGO_ENGINE="+engine), env...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	return &djangoSide{t: t, engine: engine, in: in, out: bufio.NewReader(out)}
}

func (d *djangoSide) do(req map[string]any) map[string]any {
	d.t.Helper()
	req["backend"] = d.engine
	in, _ := json.Marshal(req)
	if _, err := d.in.Write(append(in, '\n')); err != nil {
		d.t.Fatalf("django %s: %v", in, err)
	}
	line, err := d.out.ReadBytes('\n')
	if err != nil {
		d.t.Fatalf("django %s: no answer: %v", in, err)
	}
	var answer map[string]any
	if err := json.Unmarshal(line, &answer); err != nil {
		d.t.Fatalf("django %s answered %s: %v", in, line, err)
	}
	if e, ok := answer["error"]; ok {
		d.t.Fatalf("django %s failed:\n%s", in, e)
	}
	return answer
}

type liveBackend struct {
	name   string
	django *djangoSide
	store  store.Store
}

func randomName(t *testing.T) string {
	b := make([]byte, 6)
	rand.Read(b)
	return fmt.Sprintf("h10%x", b)
}

// liveBackends returns every backend this machine can run: the signed
// cookie and the db on a SQLite file always, the db on PostgreSQL and
// MariaDB/MySQL and the cache on Redis when their TYPEDSESSION_* variables
// are set. Django migrates each database before the test starts.
func liveBackends(t *testing.T) []liveBackend {
	t.Helper()
	py := djangoPython(t)
	sqlitePath := filepath.Join(t.TempDir(), "shared.db")
	sqliteEnv := "DJANGO_DB=sqlite:" + sqlitePath
	var bs []liveBackend
	add := func(name, engine string, env []string, st store.Store) {
		d := startDjango(t, py, engine, env)
		d.do(map[string]any{"op": "user", "migrate": true, "username": "migrate"})
		bs = append(bs, liveBackend{name: name, django: d, store: st})
	}
	// Django creates the SQLite file's tables before Go opens it.
	add("cookie", "cookie", []string{sqliteEnv}, CookieStore{})
	db := sqliteDB(t, sqlitePath)
	add("db_sqlite", "db", []string{sqliteEnv}, mustDBStore(t, db, SQLite))
	if dsn := os.Getenv("TYPEDSESSION_POSTGRES_DSN"); dsn != "" {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		add("db_postgres", "db", []string{"DJANGO_DB=" + dsn}, mustDBStore(t, db, Postgres))
	} else {
		t.Log("PostgreSQL round trips skipped: TYPEDSESSION_POSTGRES_DSN is not set")
	}
	if dsn := os.Getenv("TYPEDSESSION_MYSQL_DSN"); dsn != "" {
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		url := fmt.Sprintf("mysql://%s:%s@%s/%s", cfg.User, cfg.Passwd, cfg.Addr, cfg.DBName)
		db, err := sql.Open("mysql", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		add("db_mysql", "db", []string{"DJANGO_DB=" + url}, mustDBStore(t, db, MySQL))
	} else {
		t.Log("MariaDB/MySQL round trips skipped: TYPEDSESSION_MYSQL_DSN is not set")
	}
	if addr := os.Getenv("TYPEDSESSION_REDIS_ADDR"); addr != "" {
		prefix := randomName(t)
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { rdb.Close() })
		st, err := NewCacheStore(rdb, CacheConfig{KeyPrefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		add("cache_redis", "cache", []string{sqliteEnv, "DJANGO_REDIS=redis://" + addr + "/0", "DJANGO_KEY_PREFIX=" + prefix}, st)
	} else {
		t.Log("Redis cache round trips skipped: TYPEDSESSION_REDIS_ADDR is not set")
	}
	return bs
}

func mustDBStore(t *testing.T, db *sql.DB, d Dialect) *DBStore {
	t.Helper()
	st, err := NewDBStore(db, DBConfig{Dialect: d})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// canonical re-encodes a JSON value so that equal values compare equal.
func canonical(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	json.Unmarshal(b, &x)
	b, _ = json.Marshal(x)
	return string(b)
}

func TestLiveRoundTrips(t *testing.T) {
	for _, b := range liveBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			b.django.t = t
			m := djangoManager(t, b.store, djangoSecret)
			t.Run("django_writes_go_reads_and_writes_back", func(t *testing.T) {
				b.django.t = t
				djangoWritesGoReads(t, b, m)
			})
			t.Run("go_writes_django_reads", func(t *testing.T) {
				b.django.t = t
				goWritesDjangoReads(t, b, m)
			})
			t.Run("browser_close", func(t *testing.T) {
				b.django.t = t
				browserClose(t, b, m)
			})
			if b.django.engine == "cookie" {
				t.Run("cookie_age", func(t *testing.T) {
					b.django.t = t
					cookieAge(t, b, m)
				})
			}
			t.Run("django_signs_in_go_sees_it", func(t *testing.T) {
				b.django.t = t
				djangoSignsIn(t, b, m)
			})
			t.Run("go_signs_in_django_sees_it", func(t *testing.T) {
				b.django.t = t
				goSignsIn(t, b, m)
			})
		})
	}
}

// djangoSecret is the SECRET_KEY of the script's settings.
const djangoSecret = "django-insecure-typedsession-interop-test-key-0123456789abcdef"

func djangoWritesGoReads(t *testing.T, b liveBackend, m *session.Manager) {
	ctx := context.Background()
	stored := map[string]any{
		"uid": 7, "name": "Zoë", "cart": []any{map[string]any{"sku": "B-2", "qty": 3, "price": 250}},
		"seen": "2026-01-02T03:04:05.000006+00:00", "ratio": 0.25, "counts": map[string]any{"5": 6},
		"django_only": map[string]any{"a": []any{1, 2.5, nil, "x"}, "big": json.Number("123456789012345678901234567890")},
	}
	key := b.django.do(map[string]any{"op": "save", "session": stored, "expiry": 600})["key"].(string)
	s := m.Open(key)
	v, err := djangotest.VisitOf(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	if v.UserID() != 7 || v.Name() != "Zoë" || len(v.Cart()) != 1 || v.Cart()[0] != (djangotest.Line{SKU: "B-2", Qty: 3, Price: 250}) ||
		!v.Seen().Equal(seen) || v.Ratio() != 0.25 || v.Counts()[5] != 6 {
		t.Fatalf("Go read %+v %q %+v %v %v %v", v.UserID(), v.Name(), v.Cart(), v.Seen(), v.Ratio(), v.Counts())
	}
	if s.ExpiryAge() != 600*time.Second || s.ExpireAtBrowserClose() {
		t.Errorf("expiry age %s, at browser close %v; Django set 600 s", s.ExpiryAge(), s.ExpireAtBrowserClose())
	}
	v.SetName("Zoë 2")
	if err := v.Session().Save(ctx); err != nil {
		t.Fatal(err)
	}
	got := b.django.do(map[string]any{"op": "load", "key": s.Key()})
	stored["name"] = "Zoë 2"
	stored["_session_expiry"] = 600
	if g, w := canonical(t, got["session"]), canonical(t, stored); g != w {
		t.Errorf("Django read back\n%s\nwant\n%s", g, w)
	}
	if got["expiry_age"] != 600.0 {
		t.Errorf("Django's expiry age %v, want 600", got["expiry_age"])
	}
}

func goWritesDjangoReads(t *testing.T, b liveBackend, m *session.Manager) {
	ctx := context.Background()
	s := m.Open("")
	v, err := djangotest.VisitOf(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	v.SetUserID(9)
	v.SetName("gopher \"quoted\" 😀")
	v.SetCart([]djangotest.Line{{SKU: "C", Qty: 1, Price: 99}})
	v.SetFlags(map[string]bool{"beta": true})
	v.SetRatio(1e-7)
	v.SetSeen(time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))
	s.SetExpiry(session.ExpireAfterIdle(300 * time.Second))
	s.SetTestCookie()
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	got := b.django.do(map[string]any{"op": "load", "key": s.Key()})
	want := map[string]any{
		"uid": 9, "name": "gopher \"quoted\" 😀", "cart": []any{map[string]any{"sku": "C", "qty": 1, "price": 99}},
		"flags": map[string]any{"beta": true}, "ratio": 1e-7, "seen": "2026-05-06T07:08:09+00:00",
		"_session_expiry": 300, "testcookie": "worked",
	}
	if g, w := canonical(t, got["session"]), canonical(t, want); g != w {
		t.Errorf("Django read\n%s\nwant\n%s", g, w)
	}
	if got["expiry_age"] != 300.0 || got["test_cookie_worked"] != true || got["expire_at_browser_close"] != false {
		t.Errorf("Django: expiry age %v, test cookie %v, at browser close %v; want 300, true, false",
			got["expiry_age"], got["test_cookie_worked"], got["expire_at_browser_close"])
	}
	if b.django.engine == "db" {
		exp, err := time.Parse(time.RFC3339Nano, got["expire_date"].(string))
		if err != nil || !exp.After(time.Now()) || exp.After(time.Now().Add(300*time.Second)) {
			t.Errorf("Django's expire_date %v (%v): want within the next 300 s", got["expire_date"], err)
		}
	}
}

func browserClose(t *testing.T, b liveBackend, m *session.Manager) {
	ctx := context.Background()
	key := b.django.do(map[string]any{"op": "save", "session": map[string]any{"name": "x"}, "expiry": 0})["key"].(string)
	s := m.Open(key)
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if !s.ExpireAtBrowserClose() || s.ExpiryAge() != m.Config().CookieAge {
		t.Errorf("Django's set_expiry(0): at browser close %v, age %s; want true, the cookie age", s.ExpireAtBrowserClose(), s.ExpiryAge())
	}
	s = m.Open("")
	s.SetExpiry(session.AtBrowserClose)
	if _, err := djangotest.VisitOf(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	got := b.django.do(map[string]any{"op": "load", "key": s.Key()})
	if got["expire_at_browser_close"] != true || got["expiry_age"] != got["cookie_age"] {
		t.Errorf("Go's AtBrowserClose in Django: at browser close %v, age %v; want true, %v", got["expire_at_browser_close"], got["expiry_age"], got["cookie_age"])
	}
}

// serve runs one request carrying cookie through m's middleware to h and
// returns the response's session cookie value ("" if none was set).
func serve(t *testing.T, m *session.Manager, cookie string, h http.HandlerFunc) (body, setCookie string) {
	t.Helper()
	r := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: "sessionid", Value: cookie})
	}
	w := httptest.NewRecorder()
	m.Handler(h).ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.Name == "sessionid" {
			setCookie = c.Value
		}
	}
	return w.Body.String(), setCookie
}

func djangoSignsIn(t *testing.T, b liveBackend, m *session.Manager) {
	name := randomName(t)
	in := b.django.do(map[string]any{"op": "login", "username": name})
	body, _ := serve(t, m, in["key"].(string), func(w http.ResponseWriter, r *http.Request) {
		s, err := session.FromContext(r.Context())
		if err != nil {
			t.Error(err)
			return
		}
		u, ok, err := SignedIn(r.Context(), s)
		if err != nil || !ok {
			fmt.Fprintf(w, "not signed in: %v", err)
			return
		}
		if !u.Verify(in["password"].(string), djangoSecret) {
			fmt.Fprintf(w, "hash does not verify: %+v", u)
			return
		}
		fmt.Fprintf(w, "%s %s", u.ID, u.Backend)
	})
	if want := in["user_id"].(string) + " " + ModelBackend; body != want {
		t.Errorf("Go saw %q, want %q", body, want)
	}
}

func goSignsIn(t *testing.T, b liveBackend, m *session.Manager) {
	name := randomName(t)
	u := b.django.do(map[string]any{"op": "user", "username": name})
	_, cookie := serve(t, m, "", func(w http.ResponseWriter, r *http.Request) {
		v, err := djangotest.VisitFrom(r)
		if err != nil {
			t.Error(err)
			return
		}
		v.SetName("signed in from Go")
		err = SignIn(r.Context(), v.Session(), User{ID: u["user_id"].(string), Hash: SessionAuthHash(djangoSecret, u["password"].(string))})
		if err != nil {
			t.Error(err)
		}
	})
	if cookie == "" {
		t.Fatal("Go set no session cookie")
	}
	who := b.django.do(map[string]any{"op": "whoami", "key": cookie})
	if who["authenticated"] != true || who["user_id"] != u["user_id"] || who["username"] != name {
		t.Errorf("Django sees %v, want user %v (%s)", who, u["user_id"], name)
	}
	if b.django.engine == "cookie" {
		return // a signed cookie cannot be revoked server side
	}
	_, gone := serve(t, m, cookie, func(w http.ResponseWriter, r *http.Request) {
		s, _ := session.FromContext(r.Context())
		if err := SignOut(r.Context(), s); err != nil {
			t.Error(err)
		}
	})
	if gone != "" {
		t.Errorf("sign-out left the cookie %q", gone)
	}
	if who := b.django.do(map[string]any{"op": "whoami", "key": cookie}); who["authenticated"] != false {
		t.Errorf("after Go's sign-out Django still sees %v", who)
	}
}

// cookieAge: Django accepts a cookie Go signed up to SESSION_COOKIE_AGE
// ago and not longer, whatever the session's own expiry. The margins are a
// minute, far more than the test's own run time.
func cookieAge(t *testing.T, b liveBackend, m *session.Manager) {
	ctx := context.Background()
	defer func(f func() time.Time) { timeNow = f }(timeNow)
	for _, c := range []struct {
		ago   time.Duration
		valid bool
	}{
		{m.Config().CookieAge - time.Minute, true},
		{m.Config().CookieAge + time.Minute, false},
	} {
		timeNow = func() time.Time { return time.Now().Add(-c.ago) }
		s := m.Open("")
		v, err := djangotest.VisitOf(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		v.SetName("aged")
		s.SetExpiry(session.ExpireAfterIdle(30 * 24 * time.Hour))
		if err := s.Save(ctx); err != nil {
			t.Fatal(err)
		}
		got := b.django.do(map[string]any{"op": "load", "key": s.Key()})
		if valid := got["session"].(map[string]any)["name"] == "aged"; valid != c.valid {
			t.Errorf("signed %s ago: Django read %v, want valid %v", c.ago, got["session"], c.valid)
		}
	}
}
