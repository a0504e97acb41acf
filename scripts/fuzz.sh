#!/usr/bin/env bash
# Runs every Fuzz target in the module for a short time ($1, default 10s).
# go test -fuzz takes one target in one package per run, so list them first.
#
# On a loaded machine the fuzzing engine itself sometimes ends with
# "context deadline exceeded" and no failing input (a race in Go's fuzz
# coordinator, not a finding): such a run is retried once, and a second
# such result is reported as a warning. A real finding writes a failing
# input under testdata/fuzz and fails at once.
set -euo pipefail
t=${1:-10s}
# Minimizing a new interesting input is not counted in -fuzztime and may
# take up to a minute by default; a run that ends mid-minimization reports
# "context deadline exceeded" without a finding (seen on FuzzDemux, whose
# seeds are 40-60 TS packets). A short minimization keeps a 10 s run 10 s.
# Crashers are minimized too, so a finding still comes out small.
minimize=${FUZZMINIMIZE:-2s}

# engineTimeout: the run failed with the coordinator's bare "context
# deadline exceeded" and nothing else: no input written, no panic, no
# failing assertion. That is Go's fuzz coordinator racing its own -fuzztime
# deadline (go.dev/issue/75804, fixed in Go 1.27; we build with 1.26), more
# often on a loaded 2-core machine.
engineTimeout() {
	grep -q 'context deadline exceeded' <<<"$1" &&
		! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' <<<"$1"
}

# Each package's test binary is built once, instrumented for fuzzing
# (go test -c -fuzz), and run once per target from the package's folder (its
# testdata/fuzz seeds) with the corpus cache go test itself would use: a
# `go test -fuzz` per target relinked the same binary for every target,
# which was most of the phase's time.
bin_dir=$(mktemp -d)
trap 'rm -rf "$bin_dir"' EXIT
cache_root="$(go env GOCACHE)/fuzz"
module=$(go list -m)

run_fuzz() {
	local pkg=${1#./}
	(cd "$1" && "$bin_dir/${pkg//\//_}.test" -test.run '^$' -test.fuzz "^$2\$" \
		-test.fuzztime "$t" -test.fuzzminimizetime "$minimize" -test.parallel "$workers" \
		-test.fuzzcachedir "$cache_root/$module/$pkg" 2>&1)
}

build_fuzz() {
	local pkg=${1#./}
	go test -c -fuzz . -o "$bin_dir/${pkg//\//_}.test" "$1"
}

fuzz_one() {
	local dir=$1 name=$2 out
	if out=$(run_fuzz "$dir" "$name"); then
		echo "$out" | tail -1
		return 0
	fi
	echo "$out"
	engineTimeout "$out" || return 1
	echo "fuzz: $dir $name: engine timeout without a finding; retrying once"
	if out=$(run_fuzz "$dir" "$name"); then
		echo "$out" | tail -1
		return 0
	fi
	echo "$out" | tail -5
	engineTimeout "$out" || return 1
	# Twice the same race and no finding: the target ran its time twice
	# over. Say so and go on; a real finding always fails above.
	echo "fuzz: $dir $name: WARNING: the engine timed out again without a finding (go.dev/issue/75804); not a failure"
}

# fuzz_job runs one target and prints its heading and output together, so
# that jobs running side by side do not interleave their lines.
fuzz_job() {
	local out rc=0
	out=$(fuzz_one "$1" "$2") || rc=$?
	printf 'fuzz: %s %s (%s)\n%s\n' "$1" "$2" "$t" "$out"
	return "$rc"
}

# Targets run $jobs at a time, each with $workers fuzzing workers: most of a
# short run is the engine starting and reading its seeds, which one core
# does while the other fuzzes. Each target's output is printed whole when it
# ends.
jobs=${FUZZJOBS:-2}
workers=${FUZZWORKERS:-1}
export t minimize bin_dir cache_root module workers
export -f run_fuzz build_fuzz fuzz_one fuzz_job engineTimeout

dirs=$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u)
# shellcheck disable=SC2016 # $0 and $1 are bash -c's own arguments
xargs -P "$jobs" -n 1 bash -c 'build_fuzz "$0"' <<<"$dirs"
for dir in $dirs; do
	grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go | sed 's/^func //' | while read -r name; do
		echo "$dir $name"
	done
done | xargs -P "$jobs" -n 2 bash -c 'fuzz_job "$0" "$1"'
