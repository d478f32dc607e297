package django

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/django/internal/djangotest"
	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
	_ "modernc.org/sqlite"
)

// djangoSQLiteDDL is the table as Django 3.2's migration creates it on
// SQLite (manage.py sqlmigrate sessions 0001).
const djangoSQLiteDDL = `CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL);
CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date");`

func sqliteDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	// One connection: SQLite has one writer at a time, and Go's pool of
	// several would make concurrent requests fail with SQLITE_BUSY.
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func newSQLiteStore(t *testing.T) (*DBStore, *sql.DB) {
	t.Helper()
	db := sqliteDB(t, filepath.Join(t.TempDir(), "django.db"))
	if _, err := db.Exec(djangoSQLiteDDL); err != nil {
		t.Fatal(err)
	}
	st, err := NewDBStore(db, DBConfig{Dialect: SQLite})
	if err != nil {
		t.Fatal(err)
	}
	return st, db
}

// TestDBStoreConformance runs the store contract (Save, Load, ErrCreate,
// ErrUpdate, expiry) on the django_session table. The suite wraps the store,
// so its sessions are in typedsession's format there; Django's format is
// what the other tests check.
func TestDBStoreConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) store.Store {
		st, _ := newSQLiteStore(t)
		return st
	})
}

func djangoManager(t *testing.T, st store.Store, secret string) *session.Manager {
	t.Helper()
	m, err := session.NewManager(session.Config{Store: st, Secret: secret, Cookie: session.Cookie{Name: "sessionid"}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDBStoreReadsDjangoRows: rows as Django wrote them read through a
// Manager, and what it writes back reads as Django's format.
func TestDBStoreReadsDjangoRows(t *testing.T) {
	ctx := context.Background()
	v := loadVectors(t)
	st, db := newSQLiteStore(t)
	m := djangoManager(t, st, v.SecretKey)
	key := "abcdefgh12345678abcdefgh12345678"
	future := time.Now().Add(time.Hour).UTC().Format("2006-01-02 15:04:05.000000")
	if _, err := db.Exec(`INSERT INTO django_session VALUES (?, ?, ?)`, key, v.Sessions[1].DB, future); err != nil {
		t.Fatal(err)
	}
	vs, err := djangotest.VisitOf(ctx, m.Open(key))
	if err != nil {
		t.Fatal(err)
	}
	if vs.UserID() != 42 || vs.Name() != "Zoë \"quoted\" \\ </script>" {
		t.Fatalf("read %d %q", vs.UserID(), vs.Name())
	}
	vs.SetUserID(43)
	if err := vs.Session().Save(ctx); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := db.QueryRow(`SELECT session_data FROM django_session WHERE session_key = ?`, key).Scan(&data); err != nil {
		t.Fatal(err)
	}
	doc, _, err := (&Signer{Secret: v.SecretKey, Salt: SaltSessionStore}).Loads(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"uid":43,"name":"Zo\u00eb \"quoted\" \\ </script>","roles":["admin","staff"]}`; string(doc) != want {
		t.Errorf("stored %s, want %s", doc, want)
	}
}

func TestDBStoreExpiredAndMissing(t *testing.T) {
	ctx := context.Background()
	st, db := newSQLiteStore(t)
	past := time.Now().Add(-time.Second).UTC().Format("2006-01-02 15:04:05.000000")
	if _, err := db.Exec(`INSERT INTO django_session VALUES ('expiredkey0000000', 'x', ?)`, past); err != nil {
		t.Fatal(err)
	}
	if _, found, err := st.Load(ctx, "expiredkey0000000"); found || err != nil {
		t.Errorf("expired row: found %v, err %v", found, err)
	}
	if err := st.Save(ctx, "expiredkey0000000", []byte("x"), time.Now().Add(time.Hour), false); !errors.Is(err, store.ErrUpdate) {
		t.Errorf("updating an expired row: %v, want ErrUpdate (an expired session is never brought back)", err)
	}
	if _, err := db.Exec(`INSERT INTO django_session VALUES ('expiredkey0000001', 'x', ?)`, past); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, "missingkey0000000", []byte("y"), time.Now().Add(time.Hour), false); !errors.Is(err, store.ErrUpdate) {
		t.Errorf("updating a missing row: %v, want ErrUpdate", err)
	}
	if n, err := st.ClearExpired(ctx); n != 2 || err != nil {
		t.Errorf("clear expired: %d, %v; want 2", n, err)
	}
	// An expired row does not hold its key (the store contract, C51).
	if err := st.Save(ctx, "expiredkey0000000", []byte("y"), time.Now().Add(time.Hour), true); err != nil {
		t.Errorf("creating where an expired row was: %v", err)
	}
}

func TestNewDBStoreRefuses(t *testing.T) {
	db := sqliteDB(t, ":memory:")
	for name, cfg := range map[string]DBConfig{"no dialect": {}, "bad table": {Dialect: SQLite, Table: "x; drop"}} {
		if _, err := NewDBStore(db, cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := NewDBStore(nil, DBConfig{Dialect: SQLite}); err == nil {
		t.Error("nil db: no error")
	}
}
