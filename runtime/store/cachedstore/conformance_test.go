package cachedstore_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
	"github.com/typedsession/typedsession/runtime/store/cachedstore"
	"github.com/typedsession/typedsession/runtime/store/memstore"
)

var quiet = cachedstore.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}

// TestConformance runs the suite over the combinations that matter: a
// memstore cache in front of a durable store with and without the optional
// capabilities, and a Redis cache in front of a memstore.
func TestConformance(t *testing.T) {
	tests := []struct {
		name string
		new  sessiontest.Factory
	}{
		{"memstore_over_durable", func(t *testing.T) store.Store {
			return cachedstore.New(memstore.NewWithCleanup(0), newFake("durable"), quiet)
		}},
		{"memstore_over_plain_durable", func(t *testing.T) store.Store {
			return cachedstore.New(memstore.NewWithCleanup(0), plain{newFake("durable")}, quiet)
		}},
		{"redis_over_memstore", func(t *testing.T) store.Store {
			return cachedstore.New(miniredisStore(t), memstore.NewWithCleanup(0), quiet)
		}},
		// store.Swapper: the fake durable store cannot swap, memstore can;
		// the cache is a Swapper, a plain store or failing.
		{"memstore_over_swapping_durable", func(t *testing.T) store.Store {
			return cachedstore.New(memstore.NewWithCleanup(0), memstore.NewWithCleanup(0), quiet)
		}},
		{"plain_cache_over_swapping_durable", func(t *testing.T) store.Store {
			return cachedstore.New(plain{memstore.NewWithCleanup(0)}, memstore.NewWithCleanup(0), quiet)
		}},
		{"failing_cache_over_swapping_durable", func(t *testing.T) store.Store {
			all := []string{"load", "save", "exists", "cycle", "clear"}
			return cachedstore.New(newFake("cache").failing(all...), memstore.NewWithCleanup(0), quiet)
		}},
		{"failing_cache_over_durable", func(t *testing.T) store.Store {
			all := []string{"load", "save", "exists", "cycle", "clear"}
			return cachedstore.New(newFake("cache").failing(all...), newFake("durable"), quiet)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { sessiontest.Run(t, tc.new) })
	}
}
