package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var (
	_ store.Swapper      = (*Store)(nil)
	_ store.OwnedSwapper = (*Store)(nil)
)

// Swap replaces the session under key with data until expiry if its row is
// live and holds exactly old, in one statement:
//
//	UPDATE ... SET session_data = ?, expiry = ?
//	WHERE session_key = ? AND session_data = ? AND expiry > ?
//
// The database compares and writes under the row's lock, so two concurrent
// swaps from the same old payload cannot both succeed. When no row matched,
// one more query (only then) tells store.ErrChanged (a live row with other
// data) from store.ErrUpdate (no live row: deleted or expired); neither
// changes anything. An expired row is never revived.
func (s *Store) Swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	if old == nil {
		old = []byte{} // as stored for an empty payload; NULL would match nothing
	}
	if data == nil {
		data = []byte{} // the column is NOT NULL
	}
	err := s.swap(ctx, key, old, data, s.q.swap, data, s.dialect.timeArg(expiry), key, old, s.now())
	if err != nil {
		return s.wrap("swap", err)
	}
	return nil
}

// SwapOwned is Swap that sets the row's owner (store.OwnedSwapper) in the
// same statement, so the owner index follows the row as it does for
// SaveOwned:
//
//	UPDATE ... SET session_data = ?, expiry = ?, session_owner = ?
//	WHERE session_key = ? AND session_data = ? AND expiry > ?
func (s *Store) SwapOwned(ctx context.Context, key, owner string, old, data []byte, expiry time.Time) error {
	if owner != "" && !store.ValidOwner(owner) {
		return s.wrap("swap", errBadOwner)
	}
	if old == nil {
		old = []byte{}
	}
	if data == nil {
		data = []byte{}
	}
	err := s.swap(ctx, key, old, data, s.q.swapOwned, data, s.dialect.timeArg(expiry), ownerArg(owner), key, old, s.now())
	if err != nil {
		return s.wrap("swap", err)
	}
	return nil
}

// swap runs query, a conditional UPDATE of the row under key from old to
// data with args, and tells why it matched no row.
func (s *Store) swap(ctx context.Context, key string, old, data []byte, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	var cur []byte
	err = s.db.QueryRowContext(ctx, s.q.load, key, s.now()).Scan(s.bytesDest(&cur))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrUpdate
	case err != nil:
		return err
	case s.dialect == MySQL && bytes.Equal(old, data) && bytes.Equal(cur, old):
		// MySQL counts changed rows, not matched ones (unless the DSN sets
		// clientFoundRows=true): a swap that wrote back the payload and
		// expiry the row had reports 0. The row holds what this swap
		// wrote, so the swap took effect.
		return nil
	}
	return store.ErrChanged
}
