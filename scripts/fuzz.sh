#!/usr/bin/env bash
# Runs every Fuzz target in the module for a short time ($1, default 10s).
# go test -fuzz takes one target in one package per run, so list them first.
#
# On a loaded machine the fuzzing engine itself sometimes ends with
# "context deadline exceeded" and no failing input (the coordinator's own
# timeout, not a finding): such a run is retried once. A real finding writes
# a failing input under testdata/fuzz and fails at once.
set -euo pipefail
t=${1:-10s}

fuzz_one() {
	local dir=$1 name=$2 out
	if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$t" "$dir" 2>&1); then
		echo "$out" | tail -1
		return 0
	fi
	echo "$out"
	if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
		echo "fuzz: $dir $name: engine timeout without a finding; retrying once"
		go test -run '^$' -fuzz "^${name}\$" -fuzztime "$t" "$dir" 2>&1 | tail -3
		return "${PIPESTATUS[0]}"
	fi
	return 1
}

grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
	dir=$(dirname "$f")
	grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r name; do
		echo "fuzz: $dir $name ($t)"
		fuzz_one "$dir" "$name"
	done
done
