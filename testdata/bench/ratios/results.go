package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// results holds every value of every benchmark, by name (without the
// Benchmark prefix and the -GOMAXPROCS suffix) and unit, in the order of
// the runs.
type results map[string]map[string][]float64

var procs = regexp.MustCompile(`-\d+$`)

func parse(r io.Reader) (results, error) {
	res := results{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		name := procs.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		if res[name] == nil {
			res[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not a number", name, f[i])
			}
			res[name][f[i+1]] = append(res[name][f[i+1]], v)
		}
	}
	return res, sc.Err()
}

// runs is the largest number of results of one benchmark.
func (res results) runs() int {
	n := 0
	for _, units := range res {
		n = max(n, len(units["ns/op"]))
	}
	return n
}

// redisServers returns the kinds of Redis server ("redis", "miniredis")
// the Redis benchmarks ran on, sorted.
func (res results) redisServers() []string {
	var out []string
	for name := range res {
		rest, ok := strings.CutPrefix(name, "Redis/server=")
		if !ok {
			continue
		}
		server, _, _ := strings.Cut(rest, "/")
		if !slices.Contains(out, server) {
			out = append(out, server)
		}
	}
	slices.Sort(out)
	return out
}

func median(vs []float64) float64 {
	vs = slices.Clone(vs)
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

func format(v float64) string {
	switch a := max(v, -v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// signed formats a difference with its sign.
func signed(v float64) string {
	if v >= 0 {
		return "+" + format(v)
	}
	return format(v)
}
