#!/usr/bin/env bash
# Runs the end-to-end tier: the tests in files tagged //go:build e2e (they
# run ffmpeg, ffprobe or Chromium), built with -tags e2e. Only those tests
# run: their packages' unit tests belong to the unit tier (plain go test).
# Each package's -run pattern is made from its e2e files here, so a new e2e
# test needs nothing but the tag. Arguments go to go test (-race, -count=1).
#
# A package with many e2e tests (cmd/streamhive: real servers, players
# and browsers that mostly wait on media's real time) runs as E2E_SHARDS
# shards at once (2: a third made the real-time tests miss their bars on
# two cores), each its own test binary, so the tier's wall time
# stays within CI's budget on two cores. Tests are dealt to the shards by
# their usual duration (the package's testdata/e2e-seconds: the longest
# first, each to the shard with the least so far; a test not listed counts
# 10 s). Each shard knows its number (E2E_SHARD) and takes its ports from
# its own range.
set -euo pipefail
shard_over=${E2E_SHARD_OVER:-12}
shards=${E2E_SHARDS:-2}
fail=0
run() { go test -tags e2e -run "^($1)\$" "${@:3}" "$2"; }
# deal DIR N TEST...: prints "TEST SHARD" lines, the longest tests first,
# each to the shard with the least seconds so far.
deal() {
	local dir=$1 n=$2
	shift 2
	printf '%s\n' "$@" | awk -v n="$n" -v f="$dir/testdata/e2e-seconds" '
		BEGIN { while ((getline l < f) > 0) if (l !~ /^#/) { split(l, a, " "); w[a[1]] = a[2] } }
		{ print (($0 in w) ? w[$0] : 10), $0 }' |
		sort -k1,1nr -k2,2 |
		awk -v n="$n" '{ k = 0; for (i = 1; i < n; i++) if (t[i] < t[k]) k = i; t[k] += $1; print $2, k }'
}
# Files tagged `e2e && !race` hold in-process tests of code whose library
# races under the detector (protoactor's cluster): they run in a second
# pass without -race, so they run at all.
norace_args=()
for a in "$@"; do [ "$a" = -race ] || norace_args+=("$a"); done
# A sharded package's prebuilt test binary takes go test's flags as
# -test.NAME; -race is the one build flag among them.
build_args=() run_args=()
for a in "$@"; do
	case $a in
	-race) build_args+=("$a") ;;
	-*) run_args+=("-test.${a#-}") ;;
	*) run_args+=("$a") ;;
	esac
done
while read -r dir; do
	# shellcheck disable=SC2046 # one file name per word
	mapfile -t tests < <(grep -ho '^func Test[A-Za-z0-9_]*' $(grep -l '^//go:build e2e && !race' "$dir"/*_test.go) | sed 's/^func //')
	run "$(IFS='|'; echo "${tests[*]}")" "$dir" "${norace_args[@]}" || fail=1
done < <(grep -rl --include='*_test.go' '^//go:build e2e && !race' . | xargs -n1 dirname | sort -u)
while read -r dir; do
	files=$(grep -l '^//go:build e2e$' "$dir"/*_test.go)
	# shellcheck disable=SC2086 # one file name per word
	mapfile -t tests < <(grep -ho '^func Test[A-Za-z0-9_]*' $files | sed 's/^func //')
	[ ${#tests[@]} -gt 0 ] || continue
	if [ ${#tests[@]} -le "$shard_over" ]; then
		run "$(IFS='|'; echo "${tests[*]}")" "$dir" "$@" || fail=1
		continue
	fi
	# The shards run one test binary built here once (and cmd/streamhive's
	# server binary, which its tests start): two go test runs of the package
	# would each compile both at once, minutes of CI's two cores.
	bin=$(mktemp -d)
	go test -c -tags e2e "${build_args[@]}" -o "$bin/e2e.test" "$dir" || { fail=1; continue; }
	if [ "$dir" = ./cmd/streamhive ]; then
		go build "${build_args[@]}" -o "$bin/streamhive" ./cmd/streamhive || { fail=1; continue; }
	fi
	pids=()
	for ((k = 0; k < shards; k++)); do
		pattern=$(deal "$dir" "$shards" "${tests[@]}" | awk -v k="$k" '$2 == k {print $1}' | paste -sd'|')
		[ -n "$pattern" ] || continue
		(
			cd "$dir"
			start=$SECONDS
			if E2E_SHARD=$k STREAMHIVE_TEST_SERVER=$bin/streamhive "$bin/e2e.test" -test.run "^($pattern)\$" "${run_args[@]}"; then
				echo "ok  	$dir (shard $k)	$((SECONDS - start))s"
			else
				echo "FAIL	$dir (shard $k)	$((SECONDS - start))s"
				exit 1
			fi
		) &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || fail=1; done
	rm -rf "$bin"
done < <(grep -rl --include='*_test.go' '^//go:build e2e$' . | xargs -n1 dirname | sort -u)
exit $fail
