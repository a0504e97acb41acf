// Package file implements file:// inputs: an MP4 or MPEG-TS file played
// as a live stream, in a loop, at real-time pace. Timestamps run on
// across loops: each loop is offset by the file's duration (for each
// track, its last frame's timestamp plus that frame's duration; the
// longest track sets it), so DTS grow without a jump at the seam.
//
//	file:///var/media/bunny.mp4
//	file:///var/media/channel.ts   program=2 (as for udp://)
//
// MP4 means a progressive file (moov and mdat, as ffmpeg writes with
// -movflags +faststart or without it): H.264 (avc1/avc3), H.265
// (hvc1/hev1), AAC (mp4a) and Opus tracks, others ignored. Fragmented MP4
// is refused with ErrUnsupported. TS files go through protocols/mpegts.
//
// It imports media, protocols/mpegts and mp4ff (see mp4.go for why mp4ff
// is imported here as well as in media/segment).
package file
