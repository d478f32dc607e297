//go:build !unix

package bench

import "time"

// processCPU reports no CPU time where getrusage is missing: the
// benchmarks then give ns/op alone.
func processCPU() (time.Duration, bool) { return 0, false }
