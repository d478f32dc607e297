// Command ratios reads the output of runtime/bench's benchmarks (several
// runs of them, one whole pass after another) and prints, as Markdown, the
// targets of the performance issue (#13) one row each, with the ratio of
// the medians, its spread over the runs and whether it is met; then other
// ratios worth knowing, without targets.
//
//	go run ./testdata/bench/ratios < results.txt
//
// A missed target is reported, not an error: the exit status is non-zero
// only for input it cannot read. CI runs the benchmarks once each, which
// measures nothing; testdata/bench/compare.sh makes results worth judging.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	res, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
	report(os.Stdout, res)
}

// report writes the two tables for res.
func report(w io.Writer, res results) {
	runs := res.runs()
	fmt.Fprintf(w, "Medians of %d run(s) per benchmark; spread: the lowest and highest ratio of one run's results.\n", runs)
	fmt.Fprintln(w, "Targets are judged on ns/op, as the issue states them; CPU time (cpu-ns/op: the process's CPU time per operation, which does not count waiting for a core on a busy machine) is given beside them.")
	if runs < 5 {
		fmt.Fprintln(w, "Too few runs to judge a target: run testdata/bench/compare.sh (COUNT=10).")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target (issue 13) | measure | typedsession | against | median | spread | CPU time | target | |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|---|---|---|")
	met, judged := 0, 0
	var missed []string
	for _, c := range expand(targets, res) {
		r, ok := c.eval(res)
		if !ok {
			fmt.Fprintf(w, "| %s | %s | | | | | | %s | not measured |\n", c.name, c.measure(), c.target())
			continue
		}
		judged++
		verdict := "met"
		if r.met {
			met++
		} else {
			verdict = "**missed**"
			missed = append(missed, c.name)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c.name, c.measure(), r.num, r.den, r.value, r.spread, r.cpu, c.target(), verdict)
	}
	fmt.Fprintf(w, "\n%d of %d targets met", met, judged)
	if len(missed) > 0 {
		fmt.Fprintf(w, "; missed: %s", strings.Join(missed, "; "))
	}
	fmt.Fprintln(w, ".")

	fmt.Fprintln(w)
	fmt.Fprintln(w, "| other ratios | measure | typedsession | against | median | spread | CPU time |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|---|")
	for _, c := range expand(others, res) {
		if r, ok := c.eval(res); ok {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", c.name, c.measure(), r.num, r.den, r.value, r.spread, r.cpu)
		}
	}
}
