package store_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// optional are the packages (import path prefixes) a program links only
// when it uses the store or driver they belong to, and modules that only
// typedsession's tests use.
var optional = []string{
	"github.com/typedsession/typedsession/runtime/store/memstore",
	"github.com/typedsession/typedsession/runtime/store/redisstore",
	"github.com/typedsession/typedsession/runtime/store/sqlstore",
	"github.com/redis/go-redis/",
	"github.com/jackc/pgx/",
	"github.com/go-sql-driver/mysql",
	"modernc.org/", // the SQLite driver and its C library in Go
	"github.com/alicebob/miniredis/",
	"github.com/google/go-cmp/",
}

// TestLinkedDependencies lists, with go list -deps, what the smallest
// program for each store links (testdata/deps/*), and checks that it is
// exactly the store and driver it uses: a PostgreSQL program links no
// SQLite or MySQL driver, a program with sessions in memory no database
// driver at all.
func TestLinkedDependencies(t *testing.T) {
	tests := []struct {
		program string
		want    []string // the optional entries it links
	}{
		{"memory", []string{
			"github.com/typedsession/typedsession/runtime/store/memstore"}},
		{"redis", []string{
			"github.com/typedsession/typedsession/runtime/store/redisstore",
			"github.com/redis/go-redis/"}},
		{"postgres", []string{
			"github.com/typedsession/typedsession/runtime/store/sqlstore",
			"github.com/jackc/pgx/"}},
		{"mysql", []string{
			"github.com/typedsession/typedsession/runtime/store/sqlstore",
			"github.com/go-sql-driver/mysql"}},
		{"sqlite", []string{
			"github.com/typedsession/typedsession/runtime/store/sqlstore",
			"modernc.org/"}},
	}
	for _, tt := range tests {
		t.Run(tt.program, func(t *testing.T) {
			deps := listDeps(t, "github.com/typedsession/typedsession/testdata/deps/"+tt.program)
			var got []string
			for _, prefix := range optional {
				if slices.ContainsFunc(deps, func(p string) bool { return strings.HasPrefix(p, prefix) }) {
					got = append(got, prefix)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("optional packages linked by testdata/deps/%s (-want +got):\n%s", tt.program, d)
			}
		})
	}
}

// listDeps returns the import paths of the packages the program at pkg
// links, as go list -deps prints them.
func listDeps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		var stderr []byte
		if e, ok := err.(*exec.ExitError); ok {
			stderr = e.Stderr
		}
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, stderr)
	}
	return strings.Fields(string(out))
}
