#!/usr/bin/env bash
# Checks ARCHITECTURE.md's import rules on direct imports, with nothing but
# `go list` (make lint checks the same with depguard; this runs in make test
# so a violation fails CI even where golangci-lint is not installed).
set -euo pipefail
m=streamhive
fail=0
while read -r pkg imports; do
	for imp in $imports; do
		bad=""
		case "$pkg" in
		$m/media|$m/media/*)
			case "$imp" in $m/actors*|$m/protocols*|$m/supervision*|$m/gateway*|github.com/asynkron/protoactor-go*) bad="media imports no other top-level package" ;; esac ;;
		$m/protocols/*)
			case "$imp" in $m/actors*|$m/supervision*|$m/gateway*|github.com/asynkron/protoactor-go*) bad="protocols import media only" ;; esac ;;
		$m/supervision|$m/supervision/*)
			case "$imp" in $m/actors*|$m/protocols*|$m/gateway*) bad="supervision imports media only" ;; esac ;;
		$m/actors/*)
			case "$imp" in $m/gateway*) bad="gateway is above actors" ;; esac ;;
		$m/gateway|$m/gateway/*)
			case "$imp" in $m/protocols*|$m/supervision*) bad="gateway imports actors and media only" ;; esac ;;
		esac
		case "$pkg" in $m/bench*|$m/chaos*|$m/cmd/*) ;; *)
			case "$imp" in $m/bench*|$m/chaos*|$m/cmd/*) bad="bench, chaos and cmd are leaves" ;; esac ;;
		esac
		if [ -n "$bad" ]; then echo "imports: $pkg imports $imp: $bad" >&2; fail=1; fi
	done
done < <(go list -f '{{.ImportPath}} {{join .Imports " "}}' ./...)
exit $fail
