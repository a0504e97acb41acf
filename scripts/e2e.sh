#!/usr/bin/env bash
# Runs the end-to-end tier: the tests in files tagged //go:build e2e (they
# run ffmpeg, ffprobe or Chromium), built with -tags e2e. Only those tests
# run: their packages' unit tests belong to the unit tier (plain go test).
# The -run patterns are made from the e2e files here, so a new e2e test
# needs nothing but the tag. Arguments go to go test (-race, -count=1).
#
# A package with many e2e tests (cmd/streamhive: real servers, players
# and browsers that mostly wait on media's real time) runs as E2E_SHARDS
# shards at once (2: a third made the real-time tests miss their bars on
# two cores), so the tier's wall time stays within CI's budget on two
# cores. The shards take the tests from one queue, the longest first by
# their usual duration (the package's testdata/e2e-seconds), each test in
# its own run of a test binary built once. Each shard knows its number
# (E2E_SHARD) and takes its ports from its own range.
set -euo pipefail
shard_over=${E2E_SHARD_OVER:-12}
shards=${E2E_SHARDS:-2}
fail=0
# run PATTERN DIR... -- ARGS: go test of DIRs' tests named in PATTERN.
run() {
	local pattern=$1 dirs=()
	shift
	while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do dirs+=("$1"); shift; done
	go test -tags e2e -run "^($pattern)\$" "$@" "${dirs[@]}"
}
# longestFirst DIR TEST...: the tests, the longest first by DIR's
# testdata/e2e-seconds (a test not listed counts 10 s).
longestFirst() {
	local dir=$1
	shift
	printf '%s\n' "$@" | awk -v f="$dir/testdata/e2e-seconds" '
		BEGIN { while ((getline l < f) > 0) if (l !~ /^#/) { split(l, a, " "); w[a[1]] = a[2] } }
		{ print (($0 in w) ? w[$0] : 10), $0 }' |
		sort -k1,1nr -k2,2 | awk '{ print $2 }'
}
# next QUEUE: takes the queue's first line, under a lock.
next() { flock "$1.lock" sh -c 'head -n1 "$1"; sed -i 1d "$1"' _ "$1"; }
# worker DIR BIN K: shard K runs the queue's next test until none is left,
# each in its own run of the prebuilt binary, so the shards end within one
# test of each other whatever the tests took this time. A test that passes
# prints one line with its seconds (for testdata/e2e-seconds), one that
# fails its whole output.
worker() {
	local dir=$1 bin=$2 k=$3 name start out fail=0
	while name=$(next "$bin/queue") && [ -n "$name" ]; do
		start=$SECONDS
		if out=$(cd "$dir" && E2E_SHARD=$k STREAMHIVE_TEST_SERVER=$bin/streamhive \
			"$bin/e2e.test" -test.run "^$name\$" "${run_args[@]}" 2>&1); then
			echo "ok  	$dir $name	$((SECONDS - start))s"
		else
			printf '%s\n' "$out"
			echo "FAIL	$dir $name	$((SECONDS - start))s"
			fail=1
		fi
	done
	return $fail
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
# union DIR...: the e2e tests named in DIRs' files tagged with $tag, as
# one -run alternation. Packages that need no sharding go to one go test
# call, which runs them two at a time like the unit tier (one by one they
# were three minutes of CI); a name another package also uses only runs
# that test there too.
union() {
	local d
	for d in "$@"; do
		# shellcheck disable=SC2046 # one file name per word
		grep -ho '^func Test[A-Za-z0-9_]*' $(grep -l "^//go:build $tag\$" "$d"/*_test.go) | sed 's/^func //'
	done | sort -u | paste -sd'|'
}
tag='e2e && !race'
mapfile -t dirs < <(grep -rl --include='*_test.go' "^//go:build $tag\$" . | xargs -n1 dirname | sort -u)
if [ ${#dirs[@]} -gt 0 ]; then
	run "$(union "${dirs[@]}")" "${dirs[@]}" "${norace_args[@]}" || fail=1
fi
tag=e2e
small=() sharded=()
while read -r dir; do
	files=$(grep -l '^//go:build e2e$' "$dir"/*_test.go)
	# shellcheck disable=SC2086 # one file name per word
	n=$(grep -ho '^func Test[A-Za-z0-9_]*' $files | wc -l)
	if [ "$n" -eq 0 ]; then
		continue
	elif [ "$n" -le "$shard_over" ]; then
		small+=("$dir")
	else
		sharded+=("$dir")
	fi
done < <(grep -rl --include='*_test.go' '^//go:build e2e$' . | xargs -n1 dirname | sort -u)
if [ ${#small[@]} -gt 0 ]; then
	run "$(union "${small[@]}")" "${small[@]}" "$@" || fail=1
fi
for dir in "${sharded[@]}"; do
	files=$(grep -l '^//go:build e2e$' "$dir"/*_test.go)
	# shellcheck disable=SC2086 # one file name per word
	mapfile -t tests < <(grep -ho '^func Test[A-Za-z0-9_]*' $files | sed 's/^func //')
	# The shards run one test binary built here once (and cmd/streamhive's
	# server binary, which its tests start): two go test runs of the package
	# would each compile both at once, minutes of CI's two cores.
	bin=$(mktemp -d)
	go test -c -tags e2e "${build_args[@]}" -o "$bin/e2e.test" "$dir" || { fail=1; continue; }
	if [ "$dir" = ./cmd/streamhive ]; then
		go build "${build_args[@]}" -o "$bin/streamhive" ./cmd/streamhive || { fail=1; continue; }
	fi
	longestFirst "$dir" "${tests[@]}" >"$bin/queue"
	pids=()
	for ((k = 0; k < shards; k++)); do
		worker "$dir" "$bin" "$k" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || fail=1; done
	rm -rf "$bin"
done
exit $fail
