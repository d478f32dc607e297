package sqlstore

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A store over a database without its table says so, with ErrNoTable, on
// every backend.
func TestNoTable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s, err := New(b.open(t), Config{Dialect: b.dialect, Table: uniqueTable(t)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.ClearExpired(ctx)
		if !errors.Is(err, ErrNoTable) || !strings.Contains(err.Error(), s.Table()) {
			t.Errorf("ClearExpired error = %v, want one wrapping ErrNoTable and naming %s", err, s.Table())
		}
		if _, _, err := s.Load(ctx, testKey(t)); !errors.Is(err, ErrNoTable) {
			t.Errorf("Load error = %v, want one wrapping ErrNoTable", err)
		}
	})
}
