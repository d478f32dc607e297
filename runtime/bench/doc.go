// Package bench compares typedsession with scs and gorilla/sessions on the
// same workloads in the same run, and its generated codec with msgpack's
// reflection, tinylib/msgp's generated code, gob and encoding/json. The
// benchmarks live in its _test.go files; the package itself holds only the
// session type they share, Shopper, and its generated code (the one
// generated benchmark type of the repository).
//
// It is a module of its own (go.mod beside this file, with typedsession
// replaced by the checkout around it), so that the peers, and msgp, which
// only its tests import, are not requirements of typedsession's module:
// run its benchmarks from this directory, e.g.
// go test -run '^$' -bench . -benchmem.
//
// testdata/bench/compare.sh at the repository root runs the comparison and
// prints benchstat tables and the ratios against the performance targets.
package bench
