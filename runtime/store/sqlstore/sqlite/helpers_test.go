package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"testing"

	"github.com/typedsession/typedsession/runtime/store/sqlstore"
)

// newStore returns a store over db with its table created.
func newStore(t *testing.T, db *sql.DB) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// testKey returns a fresh valid session key.
func testKey(t *testing.T) string {
	t.Helper()
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
