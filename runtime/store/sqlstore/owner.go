package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var _ store.Owners = (*Store)(nil)

// mysqlOwnerType compares owner ids byte for byte, as the other dialects do.
const mysqlOwnerType = "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL"

var errBadOwner = errors.New("owner id is not valid (see store.ValidOwner)")

// The owner of a record is a column of its row (session_owner, NULL for
// none, indexed), so a record and its owner change in one statement: the
// index can be neither ahead of nor behind the records.

// ownerArg is the session_owner value for owner.
func ownerArg(owner string) any {
	if owner == "" {
		return nil
	}
	return owner
}

// SaveOwned is Save that sets the row's owner in the same statement.
func (s *Store) SaveOwned(ctx context.Context, key, owner string, data []byte, expiry time.Time, mustCreate bool) error {
	if owner != "" && !store.ValidOwner(owner) {
		return s.wrap("save", errBadOwner)
	}
	if data == nil {
		data = []byte{} // the column is NOT NULL
	}
	var err error
	if mustCreate {
		err = s.create(ctx, s.db, key, &owner, data, expiry)
	} else {
		err = s.updateRow(ctx, key, s.q.updateOwned, data, s.dialect.timeArg(expiry), ownerArg(owner), key, s.now())
	}
	if err != nil {
		return s.wrap("save", err)
	}
	return nil
}

// CycleOwned is Cycle that sets the new row's owner.
func (s *Store) CycleOwned(ctx context.Context, oldKey, newKey, owner string, data []byte, expiry time.Time) error {
	if owner != "" && !store.ValidOwner(owner) {
		return s.wrap("cycle", errBadOwner)
	}
	if data == nil {
		data = []byte{}
	}
	var err error
	for range cycleAttempts {
		err = s.cycle(ctx, oldKey, newKey, &owner, data, expiry)
		if !s.dialect.isDeadlock(err) {
			break
		}
	}
	if err != nil {
		return s.wrap("cycle", err)
	}
	return nil
}

// ListOwned returns owner's live rows, found through the owner index.
func (s *Store) ListOwned(ctx context.Context, owner string) ([]store.Owned, error) {
	if owner == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q.listOwned, owner, s.now())
	if err != nil {
		return nil, s.wrap("list owned", err)
	}
	defer rows.Close()
	var out []store.Owned
	for rows.Next() {
		var r store.Owned
		var micros int64
		if err := rows.Scan(&r.Key, s.bytesDest(&r.Data), &micros); err != nil {
			return nil, s.wrap("list owned", err)
		}
		r.Expiry = time.UnixMicro(micros).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("list owned", err)
	}
	return out, nil
}

// addOwnerColumn upgrades a table created by a release without owners:
// it adds the session_owner column and its index. A table that has the
// column already is left alone, so CreateTable stays idempotent; two
// processes upgrading at once are fine, since the loser finds the column
// there when it checks again.
func (s *Store) addOwnerColumn(ctx context.Context) error {
	t, oidx := s.dialect.quote(s.table), s.dialect.quote(s.table+"_owner_idx")
	if !s.hasOwnerColumn(ctx) {
		add := "ALTER TABLE " + t + " ADD COLUMN session_owner TEXT"
		switch s.dialect {
		case MySQL: // no CREATE INDEX IF NOT EXISTS in MySQL: one ALTER adds both
			add = "ALTER TABLE " + t + " ADD COLUMN session_owner " + mysqlOwnerType + ", ADD INDEX " + oidx + " (session_owner)"
		case Postgres:
			add = "ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS session_owner VARCHAR(255)"
		}
		if _, err := s.db.ExecContext(ctx, add); err != nil && !s.hasOwnerColumn(ctx) {
			return err // else a concurrent upgrade added it first
		}
	}
	if s.dialect == MySQL {
		return nil // the index came with the column, in CREATE TABLE or ALTER TABLE
	}
	idx := "CREATE INDEX IF NOT EXISTS " + oidx + " ON " + t + " (session_owner)"
	if _, err := s.db.ExecContext(ctx, idx); err != nil {
		// PostgreSQL fails IF NOT EXISTS with a unique violation when
		// another session created the index meanwhile (it has committed by
		// then): once more finds it there.
		if _, err2 := s.db.ExecContext(ctx, idx); err2 != nil {
			return err
		}
	}
	return nil
}

func (s *Store) hasOwnerColumn(ctx context.Context) bool {
	rows, err := s.db.QueryContext(ctx, "SELECT session_owner FROM "+s.dialect.quote(s.table)+" WHERE 1 = 0")
	if err != nil {
		return false
	}
	rows.Close()
	return true
}
