package storeurl

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenSQLitePaths: a missing directory is reported as such (SQLite says
// "out of memory"), and without CreateTable a missing file is an error, not
// a new empty database.
func TestOpenSQLitePaths(t *testing.T) {
	dir := t.TempDir()
	missingDir := filepath.Join(dir, "missing", "dir")
	typo := filepath.Join(dir, "typo.db")
	tests := []struct {
		name  string
		url   string
		opts  Options
		wants []string
	}{
		{"missing directory", "sqlite://" + filepath.Join(missingDir, "s.db"), Options{CreateTable: true},
			[]string{"directory " + missingDir + " does not exist", "mkdir -p " + missingDir}},
		{"missing file", "sqlite://" + typo, Options{},
			[]string{"there is no database file at " + typo, "Options.CreateTable creates"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, err := Open(context.Background(), tt.url, tt.opts)
			if err == nil {
				c.Close()
				t.Fatalf("Open(%s) succeeded", tt.url)
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
	if _, err := os.Stat(typo); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("opening without CreateTable created %s (stat: %v)", typo, err)
	}
}
