package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// run is two passes of some of runtime/bench's benchmarks: the small
// memstore request misses its target (0.10×, 0.08× in each run; CPU time
// 0.10× in both), the
// cookie request meets it (0.05×, 0.07×), the untouched request is +100 and
// +200 ns with one allocation more, and nothing else was run.
const run = `goos: linux
BenchmarkMemory/lib=scs-2          	  12000	  40000 ns/op	  39000 cpu-ns/op	  20000 B/op	  396 allocs/op
BenchmarkMemory/lib=typedsession-2 	  90000	   4000 ns/op	   3900 cpu-ns/op	   2000 B/op	   26 allocs/op
BenchmarkCookie/lib=gorilla-2      	  10000	  40000 ns/op	   1048 B/cookie
BenchmarkCookie/lib=typedsession-2 	  80000	   2000 ns/op	    436 B/cookie
BenchmarkUntouched/lib=bare-2      	9000000	     20 ns/op	      8 B/op	    1 allocs/op
BenchmarkUntouched/lib=typedsession-2	1000000	    120 ns/op	    424 B/op	    2 allocs/op
BenchmarkMemory/lib=scs-2          	  12000	  50000 ns/op	  39000 cpu-ns/op	  20000 B/op	  396 allocs/op
BenchmarkMemory/lib=typedsession-2 	  90000	   4000 ns/op	   3900 cpu-ns/op	   2000 B/op	   26 allocs/op
BenchmarkCookie/lib=gorilla-2      	  10000	  40000 ns/op	   1048 B/cookie
BenchmarkCookie/lib=typedsession-2 	  80000	   2800 ns/op	    436 B/cookie
BenchmarkUntouched/lib=bare-2      	9000000	     20 ns/op	      8 B/op	    1 allocs/op
BenchmarkUntouched/lib=typedsession-2	1000000	    220 ns/op	    424 B/op	    2 allocs/op
`

func TestReport(t *testing.T) {
	res, err := parse(strings.NewReader(run))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	report(&out, res)
	rows := map[string]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		cells := strings.Split(line, " | ")
		if len(cells) > 2 {
			rows[strings.TrimPrefix(cells[0], "| ")+" / "+cells[1]] = line
		}
	}
	tests := []struct{ row, want string }{
		{"memstore request, read 2 fields write 1, small session / ns/op vs scs",
			"| memstore request, read 2 fields write 1, small session | ns/op vs scs | 4000 | 45000 | 0.09× | 0.08–0.10× | 0.10× (0.10–0.10×) | ≤ 0.07× | **missed** |"},
		{"sealed cookie request / ns/op vs gorilla",
			"| sealed cookie request | ns/op vs gorilla | 2400 | 40000 | 0.06× | 0.05–0.07× |  | ≤ 0.08× | met |"},
		{"untouched request over bare handler: time / ns/op vs bare",
			"| untouched request over bare handler: time | ns/op vs bare | 170 | 20.0 | +150 | +100 to +200 |  | ≤ +150 | met |"},
		{"untouched request over bare handler: allocations / allocs/op vs bare",
			"| untouched request over bare handler: allocations | allocs/op vs bare | 2.00 | 1.00 | +1.00 | +1.00 to +1.00 |  | ≤ +1.00 | met |"},
		{"sealed cookie request / B/cookie vs gorilla",
			"| sealed cookie request | B/cookie vs gorilla | 436 | 1048 | 0.42× | 0.42–0.42× |  |"},
		{"codec decode on the real path (codec.Decode with a generated type) / ns/op vs reflection",
			"| codec decode on the real path (codec.Decode with a generated type) | ns/op vs reflection | | | | | | ≤ 0.40× | not measured |"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, rows[tt.row]); diff != "" {
			t.Errorf("row %q (-want +got):\n%s", tt.row, diff)
		}
	}
	wantSummary := "3 of 4 targets met; missed: memstore request, read 2 fields write 1, small session."
	if !strings.Contains(out.String(), "\n"+wantSummary+"\n") {
		t.Errorf("report lacks the line %q:\n%s", wantSummary, out.String())
	}
	if !strings.Contains(out.String(), "Too few runs") {
		t.Errorf("a report of 2 runs does not say they are too few:\n%s", out.String())
	}
}

func TestParseRefusesGarbledNumbers(t *testing.T) {
	if _, err := parse(strings.NewReader("BenchmarkMemory/lib=scs-2 100 abc ns/op\n")); err == nil {
		t.Error("parse accepted a value that is not a number")
	}
}
