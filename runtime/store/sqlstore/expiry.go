package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// LoadWithExpiry is Load that also reports when the session expires, in
// the same single query. cachedstore uses it to give a cache entry filled
// from this store the session's own expiry.
func (s *Store) LoadWithExpiry(ctx context.Context, key string) ([]byte, time.Time, bool, error) {
	var data []byte
	var micros int64
	err := s.db.QueryRowContext(ctx, s.q.loadExpiry, key, s.now()).Scan(s.bytesDest(&data), &micros)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, s.wrap("load", err)
	}
	return data, time.UnixMicro(micros).UTC(), true, nil
}

// expiryMicros is an SQL expression giving the expiry column as Unix
// microseconds, computed in the database so the result does not depend on
// how the driver scans timestamps (MySQL's parseTime, time zones).
func (d Dialect) expiryMicros() string {
	switch d {
	case Postgres:
		return "CAST(EXTRACT(EPOCH FROM expiry) * 1000000 AS BIGINT)"
	case MySQL:
		// DATETIME holds UTC wall time (see the package documentation), so
		// plain arithmetic from the epoch, with no time zone conversion.
		return "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', expiry)"
	}
	return "expiry"
}
