#!/bin/sh
# Regenerates the committed MP4 clips with ffmpeg (run in this folder):
# 2 s of ffmpeg's 160x90 test pattern at 25 fps, H.264 with B-frames and a
# keyframe a second, two AAC tracks (1 kHz and 500 Hz tones, 48 kHz mono)
# and a mov_text subtitle track ("hello" for 1.5 s).
set -e
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
printf '1\n00:00:00,000 --> 00:00:01,500\nhello\n' >/tmp/mp4file-sub.srt
common="-f lavfi -i testsrc=size=160x90:rate=25:duration=2
	-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=2
	-f lavfi -i sine=frequency=500:sample_rate=48000:duration=2
	-i /tmp/mp4file-sub.srt
	-map 0:v -map 1:a -map 2:a -map 3:s
	-c:v libx264 -preset ultrafast -g 25 -bf 2 -pix_fmt yuv420p -c:a aac -b:a 32k -c:s mov_text"
# moov at the end (ffmpeg's default), and the fragmented form.
ff $common progressive.mp4
ff $common -movflags +frag_keyframe+empty_moov+default_base_moof fragmented.mp4
rm -f /tmp/mp4file-sub.srt
