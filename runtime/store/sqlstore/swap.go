package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/typedsession/typedsession/runtime/store"
)

var _ store.Swapper = (*Store)(nil)

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
	if err := s.swap(ctx, key, old, data, expiry); err != nil {
		return s.wrap("swap", err)
	}
	return nil
}

func (s *Store) swap(ctx context.Context, key string, old, data []byte, expiry time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q.swap, data, s.dialect.timeArg(expiry), key, old, s.now())
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	var cur []byte
	err = s.db.QueryRowContext(ctx, s.q.load, key, s.now()).Scan(&cur)
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
