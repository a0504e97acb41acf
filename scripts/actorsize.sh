#!/usr/bin/env bash
# Checks the size rules for actors/: every actor's Receive switch has at most
# 10 cases, and no non-test .go file is over 250 lines. Prints what breaks
# a rule (or, with -v, every Receive and the largest files).
set -euo pipefail
cd "$(dirname "$0")/.."
verbose=${1:-}
fail=0
for f in $(grep -rl --include='*.go' -E '^func \([a-z]+ \*?[A-Za-z]+\) Receive\(' actors | grep -v '_test.go$'); do
	awk -v file="$f" -v verbose="$verbose" '
		/^func \([a-z]+ \*?[A-Za-z]+\) Receive\(/ { in_recv = 1; n = 0; next }
		in_recv && /^}/ {
			in_recv = 0
			if (n > 10) { printf "actorsize: %s: Receive has %d cases (at most 10)\n", file, n; bad = 1 }
			else if (verbose != "") printf "%3d cases  %s\n", n, file
		}
		in_recv && /^\tcase / { n++ }
		END { exit bad }
	' "$f" || fail=1
done
while read -r n f; do
	[ "$f" = total ] && continue
	if [ "$n" -gt 250 ]; then
		echo "actorsize: $f: $n lines (at most 250)"
		fail=1
	elif [ -n "$verbose" ]; then
		printf "%3d lines  %s\n" "$n" "$f"
	fi
done < <(find actors -name '*.go' ! -name '*_test.go' -print0 | xargs -0 wc -l | sort -n | tail -8)
exit $fail
