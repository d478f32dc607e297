package bench

import (
	"testing"
	"time"
)

// cpuMark is the CPU time the process had used when a benchmark's loop
// started.
type cpuMark struct {
	at time.Duration
	ok bool
}

func startCPU() cpuMark {
	at, ok := processCPU()
	return cpuMark{at, ok}
}

// report adds cpu-ns/op: the CPU time the whole process (every thread,
// garbage collector included) used per operation since m. On a machine
// shared with other jobs it is steadier than ns/op, which also counts the
// time the benchmark waited for a core; it leaves out what other
// processes do for the benchmark (a Redis server's work).
func (m cpuMark) report(b *testing.B) {
	if now, ok := processCPU(); ok && m.ok && b.N > 0 {
		b.ReportMetric(float64(now-m.at)/float64(b.N), "cpu-ns/op")
	}
}
