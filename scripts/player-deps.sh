#!/usr/bin/env bash
# Installs hls.js and dash.js (pinned in package-lock.json) for the
# real-browser test, unless the installed tree already matches the lock file.
set -euo pipefail
dir=cmd/streamhive/testdata/player
stamp=$dir/node_modules/.lock-stamp
if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
	exit 0
fi
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
cp "$dir/package-lock.json" "$stamp"
