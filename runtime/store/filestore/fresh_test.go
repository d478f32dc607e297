package filestore

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/internal/loadcheck"
)

// TestLoadIsTheCallers checks that what each way of loading returns is the
// caller's (copies on get).
func TestLoadIsTheCallers(t *testing.T) {
	loadcheck.CallersCopy(t, newStore(t), testKey)
}
