package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

// TestSaveSemantics checks create and update against live, expired and
// missing rows.
func TestSaveSemantics(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		hour := time.Now().Add(time.Hour)
		past := time.Now().Add(-time.Hour)
		tests := []struct {
			name       string
			before     *time.Time // expiry of an existing row; nil for none
			mustCreate bool
			wantErr    error
			wantData   bool // the new data is loadable afterwards
		}{
			{"create new", nil, true, nil, true},
			{"create over live", &hour, true, store.ErrCreate, false},
			{"create over expired", &past, true, nil, true},
			{"update missing", nil, false, store.ErrUpdate, false},
			{"update expired", &past, false, store.ErrUpdate, false},
			{"update live", &hour, false, nil, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				key := testKey(t)
				if tt.before != nil {
					if err := s.Save(ctx, key, []byte("old"), *tt.before, true); err != nil {
						t.Fatal(err)
					}
				}
				err := s.Save(ctx, key, []byte("new"), hour, tt.mustCreate)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Save = %v, want %v", err, tt.wantErr)
				}
				if err != nil && !strings.HasPrefix(err.Error(), "sqlstore: save: ") {
					t.Errorf("error %q lacks the sqlstore: save: prefix", err)
				}
				data, found, err := s.Load(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				if got := found && string(data) == "new"; got != tt.wantData {
					t.Errorf("after Save, Load = %q, %v; want new data: %v", data, found, tt.wantData)
				}
			})
		}
	})
}

// TestUpdateSameValues is the MySQL trap: an UPDATE that changes nothing
// reports 0 rows affected unless the DSN sets clientFoundRows. It must still
// succeed.
func TestUpdateSameValues(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		key := testKey(t)
		exp := time.Now().Add(time.Hour).Truncate(time.Second)
		if err := s.Save(ctx, key, []byte("same"), exp, true); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if err := s.Save(ctx, key, []byte("same"), exp, false); err != nil {
				t.Fatalf("update %d with identical values: %v", i, err)
			}
		}
	})
}

// TestLoadRoundTrip checks that bytes come back unchanged, including empty
// and nil payloads and every byte value.
func TestLoadRoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, data := range [][]byte{nil, {}, all, bytes.Repeat([]byte("x"), 70000)} {
			key := testKey(t)
			if err := s.Save(ctx, key, data, time.Now().Add(time.Hour), true); err != nil {
				t.Fatal(err)
			}
			got, found, err := s.Load(ctx, key)
			if err != nil || !found {
				t.Fatalf("Load = %v, %v", found, err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("Load of %d bytes returned %d different bytes", len(data), len(got))
			}
		}
	})
}

// TestExpiredNeverReturned is S02's second half: an expired row is still in
// the table but Load and Exists do not see it.
func TestExpiredNeverReturned(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		key := testKey(t)
		if err := s.Save(ctx, key, []byte("gone"), time.Now().Add(-time.Second), true); err != nil {
			t.Fatal(err)
		}
		if _, found, err := s.Load(ctx, key); err != nil || found {
			t.Errorf("Load of expired row = found %v, err %v; want not found", found, err)
		}
		if ok, err := s.Exists(ctx, key); err != nil || ok {
			t.Errorf("Exists of expired row = %v, %v; want false", ok, err)
		}
		if n := rowCount(t, s); n != 1 {
			t.Errorf("table has %d rows, want the expired one still there", n)
		}
	})
}

// TestSchemaColumns is S02's first half: the row holds what the documented
// schema says, in the documented columns.
func TestSchemaColumns(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		key := testKey(t)
		exp := time.Date(2040, 1, 2, 3, 4, 5, 123456000, time.UTC)
		if err := s.Save(ctx, key, []byte("payload"), exp, true); err != nil {
			t.Fatal(err)
		}
		q := s.dialect.rebind("SELECT session_key, session_data, expiry FROM " + s.dialect.quote(s.table) + " WHERE session_key = ?")
		var gotKey string
		var gotData []byte
		var gotExp any
		if err := s.db.QueryRowContext(ctx, q, key).Scan(&gotKey, &gotData, &gotExp); err != nil {
			t.Fatal(err)
		}
		if gotKey != key || string(gotData) != "payload" {
			t.Errorf("row = %q, %q; want %q, %q", gotKey, gotData, key, "payload")
		}
		if got := expiryValue(t, s.dialect, gotExp); !got.Equal(exp) {
			t.Errorf("expiry column = %v, want %v (microsecond precision, UTC)", got, exp)
		}
	})
}

// TestLoadWithExpiry checks the expiry reported alongside the data, which
// cachedstore gives its cache entries.
func TestLoadWithExpiry(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		tests := []struct {
			name      string
			expiry    time.Time
			wantFound bool
		}{
			{"live", time.Date(2040, 1, 2, 3, 4, 5, 123456000, time.UTC), true},
			{"live, other zone", time.Date(2039, 6, 1, 12, 0, 0, 1000, time.FixedZone("X", -7*3600)), true},
			{"expired", time.Now().Add(-time.Minute), false},
		}
		for _, tt := range tests {
			key := testKey(t)
			if err := s.Save(ctx, key, []byte("data"), tt.expiry, true); err != nil {
				t.Fatal(err)
			}
			data, exp, found, err := s.LoadWithExpiry(ctx, key)
			if err != nil || found != tt.wantFound {
				t.Fatalf("%s: LoadWithExpiry = found %v, err %v; want found %v", tt.name, found, err, tt.wantFound)
			}
			if found && (string(data) != "data" || !exp.Equal(tt.expiry)) {
				t.Errorf("%s: LoadWithExpiry = %q, %v; want %q, %v", tt.name, data, exp, "data", tt.expiry)
			}
		}
	})
}

// expiryValue converts what a driver scans from the expiry column to a time.
func expiryValue(t *testing.T, d Dialect, v any) time.Time {
	t.Helper()
	switch v := v.(type) {
	case time.Time:
		return v
	case int64:
		if d == SQLite {
			return time.UnixMicro(v).UTC()
		}
	case []byte: // MySQL without parseTime=true
		tm, err := time.Parse("2006-01-02 15:04:05.999999", string(v))
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	t.Fatalf("unexpected expiry value %T %v", v, v)
	return time.Time{}
}

// TestClearExpired is S01: one row at +1h and one at -1h leaves one.
func TestClearExpired(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		live, dead := testKey(t), testKey(t)
		if err := s.Save(ctx, live, []byte("a"), time.Now().Add(time.Hour), true); err != nil {
			t.Fatal(err)
		}
		if err := s.Save(ctx, dead, []byte("b"), time.Now().Add(-time.Hour), true); err != nil {
			t.Fatal(err)
		}
		n, err := s.ClearExpired(ctx)
		if err != nil || n != 1 {
			t.Fatalf("ClearExpired = %d, %v; want 1, nil", n, err)
		}
		if got := rowCount(t, s); got != 1 {
			t.Errorf("%d rows left, want 1", got)
		}
		if ok, _ := s.Exists(ctx, live); !ok {
			t.Error("the live session was removed")
		}
	})
}

// TestClearExpiredBatches removes more rows than one batch holds.
func TestClearExpiredBatches(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			for _, tt := range []struct{ batch, expired int }{{3, 10}, {3, 9}, {5, 0}, {1000, 7}} {
				s := newStore(t, b.open(t), b.dialect, Config{BatchSize: tt.batch})
				ctx := context.Background()
				for range tt.expired {
					if err := s.Save(ctx, testKey(t), []byte("x"), time.Now().Add(-time.Minute), true); err != nil {
						t.Fatal(err)
					}
				}
				for range 2 {
					if err := s.Save(ctx, testKey(t), []byte("x"), time.Now().Add(time.Hour), true); err != nil {
						t.Fatal(err)
					}
				}
				n, err := s.ClearExpired(ctx)
				if err != nil || n != int64(tt.expired) {
					t.Errorf("batch %d: ClearExpired = %d, %v; want %d", tt.batch, n, err, tt.expired)
				}
				if got := rowCount(t, s); got != 2 {
					t.Errorf("batch %d: %d rows left, want 2", tt.batch, got)
				}
			}
		})
	}
}

// TestDelete checks that Delete removes a row and ignores a missing one.
func TestDelete(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		key := testKey(t)
		if err := s.Save(ctx, key, []byte("x"), time.Now().Add(time.Hour), true); err != nil {
			t.Fatal(err)
		}
		for i := range 2 { // the second time the key is missing
			if err := s.Delete(ctx, key); err != nil {
				t.Fatalf("Delete %d: %v", i, err)
			}
		}
		if ok, err := s.Exists(ctx, key); err != nil || ok {
			t.Errorf("Exists after Delete = %v, %v", ok, err)
		}
	})
}

// TestCancelledContext checks that every call fails fast, with the
// operation named, when its context is already cancelled.
func TestCancelledContext(t *testing.T) {
	forEach(t, func(t *testing.T, s *Store) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		exp := time.Now().Add(time.Hour)
		tests := []struct {
			op   string // as named in the error
			call func() error
		}{
			{"load", func() error { _, _, err := s.Load(ctx, testKey(t)); return err }},
			{"load", func() error { _, _, _, err := s.LoadWithExpiry(ctx, testKey(t)); return err }},
			{"exists", func() error { _, err := s.Exists(ctx, testKey(t)); return err }},
			{"save", func() error { return s.Save(ctx, testKey(t), nil, exp, true) }},
			{"save", func() error { return s.Save(ctx, testKey(t), nil, exp, false) }},
			{"delete", func() error { return s.Delete(ctx, testKey(t)) }},
			{"cycle", func() error { return s.Cycle(ctx, testKey(t), testKey(t), nil, exp) }},
			{"clear expired", func() error { _, err := s.ClearExpired(ctx); return err }},
			{"create table", func() error { return s.CreateTable(ctx) }},
		}
		for i, tt := range tests {
			err := tt.call()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%d (%s) with a cancelled context = %v, want context.Canceled", i, tt.op, err)
			} else if want := "sqlstore: " + tt.op + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%d: error %q does not start with %q", i, err, want)
			}
		}
	})
}

// TestClosedDatabase is the fault test: with the database gone, every
// call returns an error (not ErrCreate or ErrUpdate) and nothing panics.
func TestClosedDatabase(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.open(t)
		s := newStore(t, b.open(t), b.dialect, Config{})
		key := testKey(t)
		if err := s.Save(ctx, key, []byte("x"), time.Now().Add(time.Hour), true); err != nil {
			t.Fatal(err)
		}
		closed, err := New(db, Config{Dialect: s.dialect, Table: s.table})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		exp := time.Now().Add(time.Hour)
		ops := map[string]func() error{
			"load":          func() error { _, _, err := closed.Load(ctx, key); return err },
			"exists":        func() error { _, err := closed.Exists(ctx, key); return err },
			"update":        func() error { return closed.Save(ctx, key, []byte("y"), exp, false) },
			"create":        func() error { return closed.Save(ctx, testKey(t), []byte("y"), exp, true) },
			"delete":        func() error { return closed.Delete(ctx, key) },
			"cycle":         func() error { return closed.Cycle(ctx, key, testKey(t), nil, exp) },
			"clear expired": func() error { _, err := closed.ClearExpired(ctx); return err },
		}
		for op, call := range ops {
			err := call()
			if err == nil || errors.Is(err, store.ErrCreate) || errors.Is(err, store.ErrUpdate) {
				t.Errorf("%s on a closed database = %v, want a database error", op, err)
			}
		}
		if data, found, err := s.Load(ctx, key); err != nil || !found || string(data) != "x" {
			t.Errorf("the row is not intact: %q, %v, %v", data, found, err)
		}
	})
}
