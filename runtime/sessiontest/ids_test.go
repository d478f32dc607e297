package sessiontest

import (
	"regexp"
	"testing"
)

// TestCaseIDs checks that every case has a catalogue id of the form C01,
// used once, so subtest names can be counted against CONFORMANCE.md and
// run in order.
func TestCaseIDs(t *testing.T) {
	valid := regexp.MustCompile(`^C[0-9]{2}$`)
	seen := map[string]string{}
	for _, c := range allCases() {
		if !valid.MatchString(c.id) {
			t.Errorf("case %q has id %q; want C and two digits, as in CONFORMANCE.md", c.name, c.id)
		}
		if other, ok := seen[c.id]; ok {
			t.Errorf("id %s is used by both %q and %q", c.id, other, c.name)
		}
		seen[c.id] = c.name
	}
}
