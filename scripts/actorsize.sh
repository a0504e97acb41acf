#!/usr/bin/env bash
# Checks the size rules for actors/: every actor's Receive switch has at most
# 10 cases, and no non-test .go file is over 250 lines (actors/config excepted).
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
for f in $(grep -rl --include='*.go' -E '^func \([a-z]+ \*?[A-Za-z]+\) Receive\(' actors | grep -v '_test.go$'); do
	awk -v file="$f" '
		/^func \([a-z]+ \*?[A-Za-z]+\) Receive\(/ { in_recv = 1; n = 0; name = $0; next }
		in_recv && /^}/ { in_recv = 0; printf "%3d cases  %s\n", n, file; if (n > 10) bad = 1 }
		in_recv && /^\tcase / { n++ }
		END { exit bad }
	' "$f" || fail=1
done
while read -r n f; do
	[ "$f" = total ] && continue
	printf "%3d lines  %s\n" "$n" "$f"
	if [ "$n" -gt 250 ]; then fail=1; fi
done < <(find actors -name '*.go' ! -name '*_test.go' ! -path 'actors/config/*' -print0 | xargs -0 wc -l | sort -n | tail -8)
exit $fail
