package sqlite

import (
	"os"
	"testing"
)

// writeProtect makes the file at path unwritable until the returned undo
// runs (or the test ends): with its mode for an ordinary user, with the
// immutable attribute for root, whom modes do not stop.
func writeProtect(t *testing.T, path string) func() {
	t.Helper()
	var release func()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		release = func() {
			if err := os.Chmod(path, 0o644); err != nil {
				t.Error(err)
			}
		}
	} else {
		if err := setImmutable(path, true); err != nil {
			t.Skipf("cannot write-protect %s as root: %v (the immutable attribute needs CAP_LINUX_IMMUTABLE "+
				"and a file system that has it); TestSQLiteRefusesReadOnlyConnection covers the same without it", path, err)
		}
		release = func() {
			if err := setImmutable(path, false); err != nil {
				t.Error(err)
			}
		}
	}
	done := false
	t.Cleanup(func() {
		if !done {
			release()
		}
	})
	return func() { done = true; release() }
}
