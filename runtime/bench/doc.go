// Package bench compares typedsession with scs and gorilla/sessions on the
// same workloads in the same run. The benchmarks live in its _test.go
// files, so the peers are test-only dependencies; the package itself holds
// only the session type they share, Shopper, and its generated code.
//
// testdata/bench/compare.sh at the repository root runs the comparison and
// prints benchstat tables and the ratios against the targets.
package bench
