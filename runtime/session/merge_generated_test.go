package session_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/typedsession/typedsession/runtime/internal/probe"
)

// interleave runs two requests on key through e's middleware: second
// loads the session, then waits while first runs to its end, then changes
// and saves it, so its save must merge with first's. It returns their
// status codes.
func (e *env) interleave(t *testing.T, key string, first, second func(*probe.Session)) (int, int) {
	t.Helper()
	loaded, resume := make(chan struct{}), make(chan struct{})
	code := make(chan int, 1)
	go func() {
		code <- e.do(t, func(w http.ResponseWriter, r *http.Request) {
			p, err := probe.From(r)
			close(loaded)
			<-resume
			if err != nil {
				t.Errorf("probe.From: %v", err)
				return
			}
			second(p)
		}, key).StatusCode
	}()
	<-loaded
	c1 := e.do(t, func(w http.ResponseWriter, r *http.Request) { first(mustProbe(t, r)) }, key).StatusCode
	close(resume)
	return c1, <-code
}

// TestMergeGeneratedAccessors checks that what the generated accessors
// record of a request's use of each field gives the merge rules of
// Session.Save (the rules themselves: TestMergeRules).
func TestMergeGeneratedAccessors(t *testing.T) {
	tests := []struct {
		name     string
		first    func(*probe.Session)
		second   func(*probe.Session)
		wantCode int
		want     probe.Probe
	}{
		{
			name:     "set_is_blind",
			first:    func(p *probe.Session) { p.SetCount(5) },
			second:   func(p *probe.Session) { p.SetCount(7) },
			wantCode: 200, want: probe.Probe{Name: "Ada", Count: 7},
		},
		{
			name:     "modify_is_replayed",
			first:    func(p *probe.Session) { p.ModifyCount(func(n *int64) { *n += 10 }) },
			second:   func(p *probe.Session) { p.ModifyCount(func(n *int64) { *n++ }) },
			wantCode: 200, want: probe.Probe{Name: "Ada", Count: 12},
		},
		{
			name:     "modify_of_a_slice_is_replayed",
			first:    func(p *probe.Session) { p.ModifyTags(func(t *[]string) { *t = append(*t, "a") }) },
			second:   func(p *probe.Session) { p.ModifyTags(func(t *[]string) { *t = append(*t, "b") }) },
			wantCode: 200, want: probe.Probe{Name: "Ada", Count: 1, Tags: []string{"a", "b"}},
		},
		{
			name:     "get_then_set_conflicts",
			first:    func(p *probe.Session) { p.SetCount(5) },
			second:   func(p *probe.Session) { p.SetCount(p.Count() + 1) },
			wantCode: 409, want: probe.Probe{Name: "Ada", Count: 5},
		},
		{
			name:     "pop_conflicts",
			first:    func(p *probe.Session) { p.SetCount(5) },
			second:   func(p *probe.Session) { p.PopCount() },
			wantCode: 409, want: probe.Probe{Name: "Ada", Count: 5},
		},
		{
			name:     "set_default_conflicts",
			first:    func(p *probe.Session) { p.SetTags([]string{"a"}) },
			second:   func(p *probe.Session) { p.SetDefaultTags([]string{"b"}) },
			wantCode: 409, want: probe.Probe{Name: "Ada", Count: 1, Tags: []string{"a"}},
		},
		{
			name:     "update_conflicts_on_a_field_it_changed",
			first:    func(p *probe.Session) { p.SetCount(5) },
			second:   func(p *probe.Session) { p.Update(func(v *probe.Probe) { v.Count++ }) },
			wantCode: 409, want: probe.Probe{Name: "Ada", Count: 5},
		},
		{
			name:     "update_merges_with_a_field_it_left",
			first:    func(p *probe.Session) { p.SetName("Grace") },
			second:   func(p *probe.Session) { p.Update(func(v *probe.Probe) { v.Count++ }) },
			wantCode: 200, want: probe.Probe{Name: "Grace", Count: 2},
		},
		{
			name:     "delete_is_blind",
			first:    func(p *probe.Session) { p.SetCount(5) },
			second:   func(p *probe.Session) { p.DeleteCount() },
			wantCode: 200, want: probe.Probe{Name: "Ada"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			key := e.seed(t, "Ada")
			p := e.load(t, key)
			p.SetCount(1)
			save(t, p)
			c1, c2 := e.interleave(t, key, tt.first, tt.second)
			if c1 != http.StatusOK || c2 != tt.wantCode {
				t.Errorf("status codes %d, %d; want 200, %d", c1, c2, tt.wantCode)
			}
			if diff := cmp.Diff(tt.want, e.load(t, key).Values()); diff != "" {
				t.Errorf("stored (-want +got):\n%s", diff)
			}
		})
	}
}
