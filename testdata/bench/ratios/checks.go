package main

import (
	"fmt"
	"strings"
)

// A check compares one benchmark's median (num) with another's (den), in
// one unit. The names are runtime/bench's without the Benchmark prefix and
// the -GOMAXPROCS suffix; {redis} stands for the Redis server the run used
// ("redis" or "miniredis"), and a check is made for each one present.
type check struct {
	name     string // the row of the targets table, or a description
	num, den string
	unit     string
	kind     kind
	limit    float64 // the target; unused for the others table
	against  string  // what den is, for the measure column
}

type kind int

const (
	ratio  kind = iota // num/den, ≤ limit
	excess             // num-den, ≤ limit
	most               // num, ≤ limit and ≤ den
	// perLine is (num-den) divided by the difference in cart lines of
	// the two names (lines=N), the cost of one more line.
	perLine
)

// targets are the rows of the Targets table of issue 13, in its order.
var targets = []check{
	{"memstore request, read 2 fields write 1, small session", "Memory/lib=typedsession", "Memory/lib=scs", "ns/op", ratio, 0.07, "scs"},
	{"same, 9 KB session (300 cart lines), handler reads 2 small fields", "Scaling/store=memory/lines=300/lib=typedsession", "Scaling/store=memory/lines=300/lib=scs", "ns/op", ratio, 0.15, "scs"},
	{"same, 9 KB session: within 2× of the small-session time", "Scaling/store=memory/lines=300/lib=typedsession", "Memory/lib=typedsession", "ns/op", ratio, 2, "small session"},
	{"sealed cookie request", "Cookie/lib=typedsession", "Cookie/lib=gorilla", "ns/op", ratio, 0.08, "gorilla"},
	{"codec decode on the real path (codec.Decode with a generated type)", "Codec/op=decode/codec=envelope", "Codec/op=decode/codec=msgpack-reflect", "ns/op", ratio, 0.40, "reflection"},
	{"generated codec vs tinylib/msgp on the same struct: encode into a reused buffer (AppendMsgpack vs MarshalMsg(buf[:0]))", "Codec/op=append/codec=generated", "Codec/op=append/codec=msgp", "ns/op", ratio, 1.3, "msgp"},
	{"generated codec vs tinylib/msgp on the same struct: encode into a new slice (MarshalMsgpack vs MarshalMsg(nil))", "Codec/op=encode/codec=generated", "Codec/op=encode/codec=msgp", "ns/op", ratio, 1.3, "msgp"},
	{"generated codec vs tinylib/msgp on the same struct: decode (UnmarshalMsgpack vs UnmarshalMsg)", "Codec/op=decode/codec=generated", "Codec/op=decode/codec=msgp", "ns/op", ratio, 1.3, "msgp"},
	{"untouched request over bare handler: time", "Untouched/lib=typedsession", "Untouched/lib=bare", "ns/op", excess, 150, "bare"},
	{"untouched request over bare handler: allocations", "Untouched/lib=typedsession", "Untouched/lib=bare", "allocs/op", excess, 1, "bare"},
	{"Redis request ({redis}): time", "Redis/server={redis}/lib=typedsession", "Redis/server={redis}/lib=scs", "ns/op", ratio, 0.4, "scs"},
	{"Redis request ({redis}): commands unchanged (1+1)", "Redis/server={redis}/lib=typedsession", "Redis/server={redis}/lib=scs", "cmds/op", most, 2, "scs"},
}

// others are ratios without a target that explain the ones above.
var others = []check{
	{"codec encode into a new slice, plain struct methods (MarshalMsgpack vs msgpack.Marshal)", "Codec/op=encode/codec=generated", "Codec/op=encode/codec=msgpack-reflect", "ns/op", ratio, 0, "reflection"},
	{"codec encode into a reused buffer, plain struct methods (AppendMsgpack vs a reused msgpack.Encoder)", "Codec/op=append/codec=generated", "Codec/op=append/codec=msgpack-reflect", "ns/op", ratio, 0, "reflection"},
	{"codec decode, plain struct methods", "Codec/op=decode/codec=generated", "Codec/op=decode/codec=msgpack-reflect", "ns/op", ratio, 0, "reflection"},
	{"codec encode, real path (codec.Encode into a reused buffer)", "Codec/op=append/codec=envelope", "Codec/op=append/codec=msgpack-reflect", "ns/op", ratio, 0, "reflection"},
	{"codec encode, real path (codec.Encode into a reused buffer)", "Codec/op=append/codec=envelope", "Codec/op=append/codec=msgp", "ns/op", ratio, 0, "msgp"},
	{"codec decode, real path", "Codec/op=decode/codec=envelope", "Codec/op=decode/codec=msgp", "ns/op", ratio, 0, "msgp"},
	{"memstore request", "Memory/lib=typedsession", "Memory/lib=scs", "allocs/op", ratio, 0, "scs"},
	{"sealed cookie request", "Cookie/lib=typedsession", "Cookie/lib=gorilla", "B/cookie", ratio, 0, "gorilla"},
	{"untouched request", "Untouched/lib=typedsession", "Untouched/lib=scs", "ns/op", ratio, 0, "scs"},
	{"parallel, memory", "MemoryParallel/lib=typedsession", "MemoryParallel/lib=scs", "ns/op", ratio, 0, "scs"},
	{"parallel, Redis ({redis})", "RedisParallel/server={redis}/lib=typedsession", "RedisParallel/server={redis}/lib=scs", "ns/op", ratio, 0, "scs"},
	// The Redis floor: a bare GET and SET of a library's record, the least
	// any library's request costs with 1+1 commands; the first row is the
	// lowest ratio typedsession's Redis request could reach.
	{"Redis floor ({redis}): bare GET+SET of typedsession's record", "RedisFloor/server={redis}/record=typedsession", "Redis/server={redis}/lib=scs", "ns/op", ratio, 0, "scs"},
	{"Redis floor ({redis}): bare GET+SET of scs's record", "RedisFloor/server={redis}/record=scs", "Redis/server={redis}/lib=scs", "ns/op", ratio, 0, "scs"},
	{"Redis request above its floor ({redis}), typedsession", "Redis/server={redis}/lib=typedsession", "RedisFloor/server={redis}/record=typedsession", "ns/op", excess, 0, "floor"},
	{"Redis request above its floor ({redis}), scs", "Redis/server={redis}/lib=scs", "RedisFloor/server={redis}/record=scs", "ns/op", excess, 0, "floor"},
}

// scaled are the scaling benchmark's stores with the peer each is compared
// with and the cart sizes it runs.
var scaled = []struct {
	store, peer string
	lines       []int
}{
	{"memory", "scs", []int{1, 26, 300}},
	{"cookie", "gorilla", []int{1, 26}},
	{"{redis}", "scs", []int{1, 26, 300}},
}

func init() {
	for _, s := range scaled {
		for _, n := range s.lines {
			base := fmt.Sprintf("Scaling/store=%s/lines=%d/lib=", s.store, n)
			others = append(others, check{fmt.Sprintf("scaling, %s, %s", s.store, lines(n)), base + "typedsession", base + s.peer, "ns/op", ratio, 0, s.peer})
		}
		first, last := s.lines[0], s.lines[len(s.lines)-1]
		for _, lib := range []string{"typedsession", s.peer} {
			big := fmt.Sprintf("Scaling/store=%s/lines=%d/lib=%s", s.store, last, lib)
			small := fmt.Sprintf("Scaling/store=%s/lines=%d/lib=%s", s.store, first, lib)
			name := fmt.Sprintf("scaling, %s: cost of one cart line, %s", s.store, lib)
			others = append(others, check{name, big, small, "ns/op", perLine, 0, lines(first)})
		}
	}
}

func lines(n int) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}

// expand returns cs with {redis} replaced by each Redis server in res.
func expand(cs []check, res results) []check {
	var out []check
	for _, c := range cs {
		if !strings.Contains(c.num+c.den, "{redis}") {
			out = append(out, c)
			continue
		}
		for _, server := range res.redisServers() {
			r := strings.NewReplacer("{redis}", server)
			out = append(out, check{r.Replace(c.name), r.Replace(c.num), r.Replace(c.den), c.unit, c.kind, c.limit, c.against})
		}
	}
	return out
}

func (c check) measure() string {
	if c.kind == perLine {
		return c.unit + " per line, from " + c.against
	}
	return c.unit + " vs " + c.against
}

func (c check) target() string {
	switch c.kind {
	case ratio:
		return fmt.Sprintf("≤ %s×", format(c.limit))
	case excess:
		return fmt.Sprintf("≤ +%s", format(c.limit))
	case most:
		return fmt.Sprintf("≤ %s and ≤ %s's", format(c.limit), c.against)
	}
	return ""
}

// result is one check's outcome, formatted.
type result struct {
	num, den, value, spread string
	met                     bool
	// cpu is the same check on CPU time (cpu-ns/op) with its spread,
	// for a check of ns/op; empty without those results.
	cpu string
}

// eval computes c on res; ok is false when either benchmark is missing.
func (c check) eval(res results) (result, bool) {
	r, ok := c.evalUnit(res)
	if ok && c.unit == "ns/op" {
		cpu := c
		cpu.unit = "cpu-ns/op"
		if rc, ok := cpu.evalUnit(res); ok {
			r.cpu = rc.value
			if rc.spread != "" {
				r.cpu += " (" + rc.spread + ")"
			}
		}
	}
	return r, ok
}

// evalUnit is eval in c.unit alone.
func (c check) evalUnit(res results) (result, bool) {
	nums, dens := res[c.num][c.unit], res[c.den][c.unit]
	if len(nums) == 0 || len(dens) == 0 {
		return result{}, false
	}
	num, den := median(nums), median(dens)
	r := result{num: format(num), den: format(den)}
	of := func(n, d float64) float64 { return n / d }
	switch c.kind {
	case ratio:
		r.met = num/den <= c.limit
		r.value = format(num/den) + "×"
	case excess:
		of = func(n, d float64) float64 { return n - d }
		r.met = num-den <= c.limit
		r.value = signed(num - den)
	case most:
		of = nil
		r.met = num <= c.limit && num <= den
		r.value = format(num) + " vs " + format(den)
	case perLine:
		lines := float64(linesOf(c.num) - linesOf(c.den))
		of = func(n, d float64) float64 { return (n - d) / lines }
		r.value = format((num - den) / lines)
	}
	if of != nil {
		r.spread = spread(nums, dens, of, c.kind == ratio)
	}
	return r, true
}

// spread gives the range of of(num, den) over the runs, pairing each run's
// results: the runs are whole passes over every benchmark, so a burst of
// noise hits both of a pair. Without as many results of each, it is empty.
func spread(nums, dens []float64, of func(n, d float64) float64, times bool) string {
	if len(nums) != len(dens) || len(nums) < 2 {
		return ""
	}
	lo, hi := of(nums[0], dens[0]), of(nums[0], dens[0])
	for i := range nums {
		v := of(nums[i], dens[i])
		lo, hi = min(lo, v), max(hi, v)
	}
	if times {
		return format(lo) + "–" + format(hi) + "×"
	}
	return signed(lo) + " to " + signed(hi)
}

// linesOf returns N of a name's lines=N element, or 0.
func linesOf(name string) int {
	for _, part := range strings.Split(name, "/") {
		var n int
		if _, err := fmt.Sscanf(part, "lines=%d", &n); err == nil {
			return n
		}
	}
	return 0
}
