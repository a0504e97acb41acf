#!/usr/bin/env bash
# Regenerates the player libraries the embed page serves (gateway/web/assets)
# from the npm packages pinned in cmd/streamhive/testdata/player, the same
# versions the browser test plays with. The copies are committed, like
# generated code: building and running need no npm.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/player-deps.sh
src=cmd/streamhive/testdata/player/node_modules
dst=gateway/web/assets
cp "$src/hls.js/dist/hls.min.js" "$dst/hls.min.js"
cp "$src/hls.js/LICENSE" "$dst/hls.min.js.LICENSE"
cp "$src/dashjs/dist/modern/umd/dash.mediaplayer.min.js" "$dst/dash.mediaplayer.min.js"
cp "$src/dashjs/LICENSE.md" "$dst/dash.mediaplayer.min.js.LICENSE"
cp "$src/dashjs/dist/modern/umd/dash.mediaplayer.min.js.LICENSE.txt" "$dst/dash.mediaplayer.min.js.LICENSE-THIRD-PARTY"
# The minified files name their source maps, which are not served.
sed -i -e '/^\/\/# sourceMappingURL=/d' "$dst/hls.min.js" "$dst/dash.mediaplayer.min.js"
