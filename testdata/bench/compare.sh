#!/usr/bin/env bash
# compare.sh runs typedsession's benchmarks against scs and gorilla/sessions
# (runtime/bench) and prints a benchstat table per workload, then the ratios
# the targets are stated in.
#
#	bash testdata/bench/compare.sh            # 10 runs of 1 s per benchmark
#	COUNT=20 BENCHTIME=2s bash testdata/bench/compare.sh
#	TYPEDSESSION_REDIS_ADDR=127.0.0.1:6379 bash testdata/bench/compare.sh
#
# Without TYPEDSESSION_REDIS_ADDR the Redis workloads run against an
# in-process miniredis. The raw results are kept in $OUT/results.txt
# (default: a temporary directory) for benchstat's other views.
#
# The test binary is built once and run COUNT times in a row, each run doing
# every benchmark once, so that a burst of noise on a busy machine hits all
# libraries alike instead of all runs of one of them.
#
# OLD=<git revision> also builds runtime/bench as it is at that revision
# (typedsession included) and alternates the two binaries, one whole pass
# each, then prints benchstat's old-versus-new table ($OUT/old.txt against
# $OUT/results.txt): the way to show what a change did.
#
#	OLD=main bash testdata/bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

count=${COUNT:-10}
benchtime=${BENCHTIME:-1s}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
results=$out/results.txt

export PATH="$PATH:$(go env GOPATH)/bin"
if ! command -v benchstat >/dev/null; then
	echo "installing benchstat (go install golang.org/x/perf/cmd/benchstat@latest)" >&2
	go install golang.org/x/perf/cmd/benchstat@latest
fi

# runtime/bench is a module of its own (the peers are its requirements, not
# typedsession's), so its test binary is built from inside it.
(cd runtime/bench && go test -c -o "$out/bench.test" .)
old=${OLD:-}
if [ -n "$old" ]; then
	rm -rf "$out/old-src" && mkdir -p "$out/old-src"
	git archive "$old" | tar -x -C "$out/old-src"
	(cd "$out/old-src/runtime/bench" && go test -c -o "$out/old.test" .)
	: >"$out/old.txt"
fi
pass() { # pass BINARY DIR: every benchmark once
	(cd "$2" && "$1" -test.run '^$' -test.bench . -test.benchmem -test.benchtime "$benchtime")
}
: >"$results"
for i in $(seq "$count"); do
	printf '\rrun %d/%d' "$i" "$count" >&2
	pass "$out/bench.test" runtime/bench >>"$results"
	if [ -n "$old" ]; then
		pass "$out/old.test" "$out/old-src/runtime/bench" >>"$out/old.txt"
	fi
done
echo >&2

table() { # table TITLE FILTER COLUMNS
	printf '\n## %s\n\n' "$1"
	benchstat -filter "$2" -col "$3" "$results"
}
{
	echo "# typedsession vs scs and gorilla/sessions"
	echo
	echo "$(go version), $(grep -m1 '^cpu:' "$results" | cut -d' ' -f2-), $(nproc) cores, $(date -u +%Y-%m-%d), $count runs of $benchtime"
	table "1. Codec: the session value (generated msgpack: plain methods and the envelope requests use; reflection, tinylib/msgp, gob, json). op=encode returns a new slice (generated MarshalMsgpack, msgp MarshalMsg(nil), msgpack.Marshal, gob, json); op=append writes into a buffer reused from call to call (generated AppendMsgpack, msgp MarshalMsg(buf[:0]), the envelope's codec.Encode as requests call it, a msgpack.Encoder on a reused bytes.Buffer); op=decode decodes into a zero struct" \
		'.name:Codec' '/codec@(msgpack-reflect generated envelope msgp gob json)'
	table "2. Full request, sessions in memory" '.name:Memory' '/lib@(scs typedsession)'
	table "3. Full request, session in a sealed cookie" '.name:Cookie' '/lib@(gorilla typedsession)'
	table "4. Full request, sessions in Redis" '.name:Redis' '/lib@(scs typedsession)'
	table "4b. Redis floor: a bare go-redis GET and SET (PX) of each library's record, no session logic" '.name:RedisFloor' '/record@(scs typedsession)'
	table "5. Untouched request" '.name:Untouched' '/lib@(bare typedsession scs)'
	table "6. Parallel (GOMAXPROCS goroutines)" '.name:(MemoryParallel OR RedisParallel)' '/lib@(scs typedsession)'
	table "7. Scaling: sessions of 1, 26 and 300 cart lines" '.name:Scaling' '/lib'
	if [ -n "$old" ]; then
		printf '\n## %s (old) against the working tree (new)\n\n' "$old"
		benchstat old="$out/old.txt" new="$results"
	fi
	printf '\n## Ratios (medians) against the targets\n\n'
	go run ./testdata/bench/ratios <"$results"
	printf '\nraw results: %s\n' "$results"
}
