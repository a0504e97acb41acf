#!/usr/bin/env bash
# Checks that ARCHITECTURE.md names every package of the module (as
# `path/to/pkg`), so the package map a newcomer reads stays complete.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
for pkg in $(go list -f '{{.ImportPath}}' ./... | sed 's#^streamhive/\{0,1\}##'); do
	[ -n "$pkg" ] || continue
	if ! grep -qF "\`$pkg\`" ARCHITECTURE.md; then
		echo "archdoc: package $pkg is not in ARCHITECTURE.md" >&2
		fail=1
	fi
done
exit $fail
