package sessiontest_test

import (
	"errors"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/sessiontest/internal/brokenstore"
	"github.com/typedsession/typedsession/runtime/store"
)

// defectEnv names the defect TestBrokenStore seeds; empty for none.
const defectEnv = "SESSIONTEST_DEFECT"

// TestBrokenStore runs the suite against brokenstore. Run directly it has
// no defect and must pass: the control for TestMutation, which runs it
// again in a child process once per defect.
func TestBrokenStore(t *testing.T) {
	d := brokenstore.Defect(os.Getenv(defectEnv))
	sessiontest.Run(t, func(t *testing.T) store.Store { return brokenstore.New(d) })
}

// TestMutation is the suite's own mutation test: for every seeded defect,
// the suite run against brokenstore must fail, with a message that names
// the store call that went wrong. Each run is a child process (this test
// binary, running only TestBrokenStore), so that its failure is observed
// rather than inherited.
func TestMutation(t *testing.T) {
	if os.Getenv(defectEnv) != "" {
		return // a child process runs only TestBrokenStore
	}
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range slices.Sorted(maps.Keys(brokenstore.Defects)) {
		want := brokenstore.Defects[d]
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(bin, "-test.run=^TestBrokenStore$", "-test.count=1")
			cmd.Env = append(os.Environ(), defectEnv+"="+string(d))
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			switch {
			case err == nil:
				t.Fatalf("the suite passed a store with defect %s:\n%s", d, out)
			case !errors.As(err, &exit):
				t.Fatalf("running the suite with defect %s: %v", d, err)
			}
			text := string(out)
			if !strings.Contains(text, "--- FAIL: TestBrokenStore") {
				t.Fatalf("defect %s: the child process failed without a failing suite (%v):\n%s", d, err, text)
			}
			for _, bad := range []string{"panic:", "FailNow on a parent test"} {
				if strings.Contains(text, bad) {
					t.Errorf("defect %s: the suite's output has %q; a store failure must be reported, not crash the suite:\n%s", d, bad, text)
				}
			}
			if !strings.Contains(text, want) {
				t.Errorf("defect %s was caught, but no message contains %q, naming the store call:\n%s", d, want, failures(text))
			}
		})
	}
}

// failures returns the lines of go test output that report failures.
func failures(out string) string {
	var b strings.Builder
	for line := range strings.Lines(out) {
		if !strings.Contains(line, "--- PASS") && !strings.Contains(line, "--- SKIP") && !strings.HasPrefix(strings.TrimSpace(line), "=== ") {
			b.WriteString(line)
		}
	}
	return b.String()
}
