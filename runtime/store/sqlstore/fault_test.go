package sqlstore

import (
	"context"
	"testing"
	"time"
)

// TestServerDropsConnection kills the store's connection on the server side
// (as a database restart or failover does) and checks that the same Store
// recovers: a call may fail while the pool notices, then calls work again.
// SQLite is embedded and has no server connection to drop.
func TestServerDropsConnection(t *testing.T) {
	kills := map[Dialect]struct{ self, kill string }{
		Postgres: {"SELECT pg_backend_pid()", "SELECT pg_terminate_backend($1)"},
		MySQL:    {"SELECT CONNECTION_ID()", "KILL ?"},
	}
	for _, b := range backends() {
		if q, ok := kills[b.dialect]; ok {
			t.Run(b.name, func(t *testing.T) { dropConnection(t, b, q.self, q.kill) })
		}
	}
}

// dropConnection runs TestServerDropsConnection against b; self is the
// query for the connection's id, kill the statement that ends it.
func dropConnection(t *testing.T, b backend, self, kill string) {
	ctx := context.Background()
	db := b.open(t)
	db.SetMaxOpenConns(1) // so the connection we kill is the one the store uses
	s := newStore(t, db, b.dialect, Config{})
	key := testKey(t)
	if err := s.Save(ctx, key, []byte("kept"), time.Now().Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.QueryRowContext(ctx, self).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.open(t).ExecContext(ctx, kill, id); err != nil {
		t.Fatalf("kill connection %d: %v", id, err)
	}
	var lastErr error
	for attempt := range 3 {
		data, found, err := s.Load(ctx, key)
		if err == nil {
			if !found || string(data) != "kept" {
				t.Fatalf("after reconnect Load = %q, %v", data, found)
			}
			t.Logf("recovered after %d failed attempts (last error: %v)", attempt, lastErr)
			return
		}
		lastErr = err
	}
	t.Fatalf("the store did not recover after its connection was dropped: %v", lastErr)
}
