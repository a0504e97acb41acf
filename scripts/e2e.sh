#!/usr/bin/env bash
# Runs the end-to-end tier: the tests in files tagged //go:build e2e (they
# run ffmpeg, ffprobe or Chromium), built with -tags e2e. Only those tests
# run: their packages' unit tests belong to the unit tier (plain go test).
# Each package's -run pattern is made from its e2e files here, so a new e2e
# test needs nothing but the tag. Arguments go to go test (-race, -count=1).
set -euo pipefail
fail=0
while read -r dir; do
	files=$(grep -l '^//go:build e2e' "$dir"/*_test.go)
	# shellcheck disable=SC2086 # one file name per word
	names=$(grep -ho '^func Test[A-Za-z0-9_]*' $files | sed 's/^func //' | paste -sd '|' -)
	[ -n "$names" ] || continue
	go test -tags e2e -run "^($names)\$" "$@" "$dir" || fail=1
done < <(grep -rl --include='*_test.go' '^//go:build e2e' . | xargs -n1 dirname | sort -u)
exit $fail
