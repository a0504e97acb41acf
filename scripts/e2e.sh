#!/usr/bin/env bash
# Runs the end-to-end tier: the tests in files tagged //go:build e2e (they
# run ffmpeg, ffprobe or Chromium), built with -tags e2e. Only those tests
# run: their packages' unit tests belong to the unit tier (plain go test).
# Each package's -run pattern is made from its e2e files here, so a new e2e
# test needs nothing but the tag. Arguments go to go test (-race, -count=1).
#
# A package with many e2e tests (cmd/streamhive: real servers, players
# and browsers that mostly wait on media's real time) runs as two shards
# at once, each its own test binary, alternating tests between them, so
# the tier's wall time stays within CI's budget on two cores. Each shard
# knows its number (E2E_SHARD) and takes its ports from its own range.
set -euo pipefail
shard_over=${E2E_SHARD_OVER:-12}
fail=0
run() { go test -tags e2e -run "^($1)\$" "${@:3}" "$2"; }
while read -r dir; do
	files=$(grep -l '^//go:build e2e' "$dir"/*_test.go)
	# shellcheck disable=SC2086 # one file name per word
	mapfile -t tests < <(grep -ho '^func Test[A-Za-z0-9_]*' $files | sed 's/^func //')
	[ ${#tests[@]} -gt 0 ] || continue
	if [ ${#tests[@]} -le "$shard_over" ]; then
		run "$(IFS='|'; echo "${tests[*]}")" "$dir" "$@" || fail=1
		continue
	fi
	a=() b=()
	for i in "${!tests[@]}"; do
		if ((i % 2)); then b+=("${tests[$i]}"); else a+=("${tests[$i]}"); fi
	done
	E2E_SHARD=0 run "$(IFS='|'; echo "${a[*]}")" "$dir" "$@" & pa=$!
	E2E_SHARD=1 run "$(IFS='|'; echo "${b[*]}")" "$dir" "$@" & pb=$!
	wait $pa || fail=1
	wait $pb || fail=1
done < <(grep -rl --include='*_test.go' '^//go:build e2e' . | xargs -n1 dirname | sort -u)
exit $fail
