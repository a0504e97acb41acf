#!/bin/sh
# Regenerates the committed MPEG-TS clips with ffmpeg (run in this folder).
# Every clip shows ffmpeg's 320x180 test pattern at 25 fps with a 1 kHz
# tone at 48 kHz mono, unless said otherwise.
set -e
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
src() {
	echo -f lavfi -i "testsrc=size=320x180:rate=25:duration=$1" \
		-f lavfi -i "sine=frequency=1000:sample_rate=48000:duration=$1"
}
h264aac="-c:v libx264 -preset ultrafast -g 25 -bf 0 -pix_fmt yuv420p -c:a aac -b:a 64k -f mpegts"

# H.264 (one keyframe a second, no B-frames) and AAC-LC; PMT PID 0x1000,
# video PID 0x100, audio PID 0x101.
ff $(src 1) $h264aac h264aac-1s.ts
ff $(src 2) $h264aac h264aac-2s.ts

# One second of two programs: program 1 holds 320x180 H.264 (PID 0x100)
# and AAC (PID 0x102) with its PMT on 0x1000, program 2 holds 160x96
# H.264 (PID 0x101) with its PMT on 0x1001.
ff -f lavfi -i testsrc=size=320x180:rate=25:duration=1 \
	-f lavfi -i testsrc2=size=160x96:rate=25:duration=1 \
	-f lavfi -i sine=sample_rate=48000:duration=1 \
	-map 0:v -map 1:v -map 2:a \
	-c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p -c:a aac \
	-program program_num=1:st=0:st=2 -program program_num=2:st=1 \
	-f mpegts mpts.ts

# One second of H.265 (one keyframe) and Opus.
ff $(src 1) -c:v libx265 -preset ultrafast -x265-params log-level=error -g 25 -pix_fmt yuv420p \
	-c:a libopus -f mpegts h265opus-1s.ts

# Two seconds of H.264 with B-frames and AAC, starting just before the
# 33-bit PTS wrap (2^33 / 90 kHz = 95443.7 s; ffmpeg adds its 1.4 s mux
# delay, so the wrap falls 1.3 s in).
ff $(src 2) -c:v libx264 -preset ultrafast -g 25 -bf 2 -pix_fmt yuv420p \
	-c:a aac -output_ts_offset 95441 -f mpegts wrap-2s.ts
