// Command ratios reads the output of runtime/bench's benchmarks (several
// runs of them) and prints, as a Markdown table, typedsession's results
// against each peer's in the terms of the targets of the peer comparison:
// the ratio of the medians, or the difference for the untouched request.
//
//	go run ./testdata/bench/ratios < results.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A check compares two benchmarks of one group: group/key=num against
// group/key=den. group may hold path.Match wildcards (Redis/server=*).
type check struct {
	workload string
	group    string
	key      string
	num, den string
	unit     string
	kind     kind
	limit    float64 // 0: reported without a target
}

type kind int

const (
	ratio  kind = iota // num/den ≤ limit
	excess             // num-den ≤ limit
	most               // num ≤ limit, and num ≤ den
)

var checks = []check{
	{"1 codec: encode", "Codec/op=encode", "codec", "generated", "msgpack-reflect", "ns/op", ratio, 0.45},
	{"1 codec: decode", "Codec/op=decode", "codec", "generated", "msgpack-reflect", "ns/op", ratio, 0.5},
	{"1 codec: encode", "Codec/op=encode", "codec", "generated", "gob", "ns/op", ratio, 0},
	{"1 codec: decode", "Codec/op=decode", "codec", "generated", "gob", "ns/op", ratio, 0},
	{"2 memory", "Memory", "lib", "typedsession", "scs", "ns/op", ratio, 1.0 / 5},
	{"2 memory", "Memory", "lib", "typedsession", "scs", "allocs/op", ratio, 1.0 / 3},
	{"2 memory", "Memory", "lib", "typedsession", "scs", "B/op", ratio, 0},
	{"3 cookie", "Cookie", "lib", "typedsession", "gorilla", "ns/op", ratio, 1.0 / 5},
	{"3 cookie", "Cookie", "lib", "typedsession", "gorilla", "allocs/op", ratio, 0},
	{"3 cookie", "Cookie", "lib", "typedsession", "gorilla", "B/cookie", ratio, 0},
	{"4 redis", "Redis/server=*", "lib", "typedsession", "scs", "cmds/op", most, 2},
	{"4 redis", "Redis/server=*", "lib", "typedsession", "scs", "ns/op", ratio, 1},
	{"4 redis", "Redis/server=*", "lib", "typedsession", "scs", "allocs/op", ratio, 0},
	{"5 untouched", "Untouched", "lib", "typedsession", "bare", "ns/op", excess, 200},
	{"5 untouched", "Untouched", "lib", "typedsession", "bare", "allocs/op", excess, 2},
	{"5 untouched", "Untouched", "lib", "typedsession", "scs", "ns/op", ratio, 0},
	{"6 parallel memory", "MemoryParallel", "lib", "typedsession", "scs", "ns/op", ratio, 0},
	{"6 parallel redis", "RedisParallel/server=*", "lib", "typedsession", "scs", "ns/op", ratio, 0},
}

func main() {
	results, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
	fmt.Println("| workload | measure | typedsession | peer | ratio | target | |")
	fmt.Println("|---|---|---:|---:|---:|---|---|")
	for _, c := range checks {
		for _, g := range results.groups(c.group) {
			num, okN := results.median(g+"/"+c.key+"="+c.num, c.unit)
			den, okD := results.median(g+"/"+c.key+"="+c.den, c.unit)
			if !okN || !okD {
				continue
			}
			fmt.Println(row(c, g, num, den))
		}
	}
}

func row(c check, group string, num, den float64) string {
	name := c.workload
	if strings.Contains(c.group, "*") {
		name += " (" + group[strings.LastIndex(group, "=")+1:] + ")"
	}
	measure := c.unit + " vs " + c.den
	var value, target string
	met := true
	switch c.kind {
	case ratio:
		value = fmt.Sprintf("%.2f×", num/den)
		target = fmt.Sprintf("≤ %.2f×", c.limit)
		met = num/den <= c.limit
	case excess:
		value = fmt.Sprintf("+%s", format(num-den))
		target = fmt.Sprintf("≤ +%s", format(c.limit))
		met = num-den <= c.limit
	case most:
		value = format(num) + " vs " + format(den)
		target = fmt.Sprintf("≤ %s and ≤ %s's", format(c.limit), c.den)
		met = num <= c.limit && num <= den
	}
	verdict := "met"
	if !met {
		verdict = "**missed**"
	}
	if c.limit == 0 {
		target, verdict = "", ""
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s |", name, measure, format(num), format(den), value, target, verdict)
}

func format(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// results holds every value of every benchmark, by name (without the
// Benchmark prefix and the -GOMAXPROCS suffix) and unit.
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

// groups returns the groups matching pattern that have results, sorted.
func (res results) groups(pattern string) []string {
	var out []string
	for name := range res {
		g := path.Dir(name)
		if ok, _ := path.Match(pattern, g); ok && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	sort.Strings(out)
	return out
}

func (res results) median(name, unit string) (float64, bool) {
	vs := slices.Clone(res[name][unit])
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2], true
	}
	return (vs[n/2-1] + vs[n/2]) / 2, true
}
