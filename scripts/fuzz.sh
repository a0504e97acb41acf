#!/usr/bin/env bash
# Runs every Fuzz target in the module for a short time ($1, default 10s).
# go test -fuzz takes one target in one package per run, so list them first.
set -euo pipefail
t=${1:-10s}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
	dir=$(dirname "$f")
	grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r name; do
		echo "fuzz: $dir $name ($t)"
		go test -run '^$' -fuzz "^${name}\$" -fuzztime "$t" "$dir"
	done
done
