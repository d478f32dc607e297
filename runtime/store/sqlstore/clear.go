package sqlstore

import "context"

// ClearExpired deletes expired rows in batches of Config.BatchSize and
// reports how many it deleted. Each batch is its own statement, so locks are
// held briefly and a cancelled ctx stops the work between batches, keeping
// what was already deleted (and counted).
func (s *Store) ClearExpired(ctx context.Context) (int64, error) {
	// One cut-off for every batch: rows that expire while the loop runs are
	// left for the next call, so the loop always ends.
	now := s.now()
	var total int64
	for {
		res, err := s.db.ExecContext(ctx, s.q.clearBatch, now, s.batch)
		if err != nil {
			return total, s.wrap("clear expired", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, s.wrap("clear expired", err)
		}
		total += n
		if n < int64(s.batch) {
			return total, nil
		}
	}
}
