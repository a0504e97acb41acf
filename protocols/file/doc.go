// Package file implements file:// inputs: an MP4 or MPEG-TS file played
// as a live stream, in a loop, at real-time pace. Timestamps run on
// across loops: each loop is offset by the file's duration (for each
// track, its last frame's timestamp plus that frame's duration; the
// longest track sets it), so DTS grow without a jump at the seam.
//
//	file:///var/media/bunny.mp4
//	file:///var/media/channel.ts   program=2 (as for udp://)
//
// MP4 means a file media/mp4file reads (the reader VOD shares): moov
// before or after mdat, or fragmented; H.264 (avc1/avc3), H.265
// (hvc1/hev1), AAC (mp4a) and Opus tracks, others ignored. TS files go
// through protocols/mpegts.
package file
