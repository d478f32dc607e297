package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// oldDDL is the table (and expiry index) a release without owners created.
func oldDDL(d Dialect, table string) []string {
	idx := "CREATE INDEX " + d.quote(table+"_expiry_idx") + " ON " + d.quote(table) + " (expiry)"
	t := d.quote(table)
	switch d {
	case Postgres:
		return []string{"CREATE TABLE " + t + " (session_key VARCHAR(128) PRIMARY KEY, session_data BYTEA NOT NULL, expiry TIMESTAMPTZ NOT NULL)", idx}
	case MySQL:
		return []string{"CREATE TABLE " + t + " (session_key VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY, session_data LONGBLOB NOT NULL, expiry DATETIME(6) NOT NULL, INDEX " + d.quote(table+"_expiry_idx") + " (expiry))"}
	}
	return []string{"CREATE TABLE " + t + " (session_key TEXT NOT NULL PRIMARY KEY, session_data BLOB NOT NULL, expiry INTEGER NOT NULL)", idx}
}

// TestCreateTableAddsOwnerColumn checks the schema migration: CreateTable
// over a table of a release without owners adds the owner column and its
// index, keeps the rows, and can run again (and twice at once).
func TestCreateTableAddsOwnerColumn(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := b.open(t)
		ctx := context.Background()
		table := uniqueTable(t)
		for _, q := range oldDDL(b.dialect, table) {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() { db.ExecContext(ctx, "DROP TABLE "+b.dialect.quote(table)) })
		s, err := New(db, Config{Dialect: b.dialect, Table: table})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, s.dialect.rebind("INSERT INTO "+b.dialect.quote(table)+" (session_key, session_data, expiry) VALUES (?, ?, ?)"),
			"oldrecord1", []byte("old"), b.dialect.timeArg(time.Now().Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		if s.hasOwnerColumn(ctx) {
			t.Fatal("the old table already has session_owner: the test does not test the migration")
		}
		// Before the migration, everything but owners works as it did.
		if err := s.Save(ctx, "plainrecord1", []byte("p"), time.Now().Add(time.Hour), true); err != nil {
			t.Fatalf("Save on a table without session_owner = %v", err)
		}
		if err := s.Cycle(ctx, "plainrecord1", "plainrecord2", []byte("p2"), time.Now().Add(time.Hour)); err != nil {
			t.Fatalf("Cycle on a table without session_owner = %v", err)
		}
		errs := make(chan error, 2)
		for range 2 {
			go func() { errs <- s.CreateTable(ctx) }()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatalf("CreateTable over an old table = %v", err)
			}
		}
		if err := s.CreateTable(ctx); err != nil {
			t.Fatalf("CreateTable again = %v", err)
		}
		data, found, err := s.Load(ctx, "oldrecord1")
		if err != nil || !found || string(data) != "old" {
			t.Fatalf("old row after the migration: %q, %v, %v", data, found, err)
		}
		if err := s.SaveOwned(ctx, "newrecord1", "alice", []byte("new"), time.Now().Add(time.Hour), true); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveOwned(ctx, "oldrecord1", "alice", []byte("old2"), time.Now().Add(time.Hour), false); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListOwned(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range list {
			got[r.Key] = string(r.Data)
		}
		if diff := cmp.Diff(map[string]string{"newrecord1": "new", "oldrecord1": "old2"}, got); diff != "" {
			t.Errorf("ListOwned after the migration (-want +got):\n%s", diff)
		}
	})
}
