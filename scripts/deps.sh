#!/usr/bin/env bash
# Installs the Debian packages StreamHive needs to build and test, and only
# those that are missing: a machine that has them all is left untouched.
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail

pkgs=(
	pkg-config gcc
	# FFmpeg 5.1 development libraries for go-astiav (media/transcode).
	libavcodec-dev libavformat-dev libavfilter-dev libavdevice-dev
	libswscale-dev libswresample-dev libavutil-dev
	# Real clients the integration tests publish and probe with.
	ffmpeg
	# The font the fake:// test pattern burns its clock in with.
	fonts-dejavu-core
)
# Not installed: `make generate` (protocols/clusterpb/calls.proto, media/m4f/m4fpb/m4f.proto) needs
# protobuf-compiler and protoc-gen-go v1.36.9 (go install
# google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.9); the generated code
# is committed, so building and testing need neither.
# `deps.sh test` adds what only the tests need: headless Chromium for the
# real-browser playback test, and npm to fetch hls.js and dash.js
# (scripts/player-deps.sh); GStreamer for the set-top-box player tests
# (playbin with its HLS and DASH demuxers and libav's decoders).
if [ "${1:-}" = test ]; then
	pkgs+=(chromium)
	# A real Prometheus scrapes /metrics and runs the Grafana dashboard's
	# queries; promtool (same package) lints the page.
	pkgs+=(prometheus)
	# The three-node cluster test on etcd starts its own etcd.
	pkgs+=(etcd-server)
	pkgs+=(gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
		gstreamer1.0-plugins-bad gstreamer1.0-libav)
	# A machine may carry npm from another Node.js distribution, which
	# conflicts with Debian's npm package: only the command matters.
	command -v npm >/dev/null || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
