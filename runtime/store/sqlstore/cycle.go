package sqlstore

import (
	"context"
	"time"
)

// cycleAttempts bounds how often Cycle runs its transaction again after the
// database chose it as a deadlock victim.
const cycleAttempts = 3

// Cycle moves a session to newKey in one transaction: the new row is
// inserted and the old one deleted, so other connections see either the old
// key or the new one, never neither. It fails with store.ErrCreate if newKey
// has a live row; a missing oldKey is not an error. A transaction the
// database aborted to break a deadlock is retried.
func (s *Store) Cycle(ctx context.Context, oldKey, newKey string, data []byte, expiry time.Time) error {
	if data == nil {
		data = []byte{}
	}
	var err error
	for range cycleAttempts {
		err = s.cycle(ctx, oldKey, newKey, nil, data, expiry)
		if !s.dialect.isDeadlock(err) {
			break
		}
	}
	if err != nil {
		return s.wrap("cycle", err)
	}
	return nil
}

func (s *Store) cycle(ctx context.Context, oldKey, newKey string, owner *string, data []byte, expiry time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := s.create(ctx, tx, newKey, owner, data, expiry); err != nil {
		tx.Rollback() // err, which made us roll back, is the one to report
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q.delete, oldKey); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
