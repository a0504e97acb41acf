// Package hlspull implements hls:// and hlss:// inputs: it follows another
// origin's live HLS playlist (RFC 8216) and turns its segments into
// media.Frames. hls://HOST/PATH/index.m3u8 is fetched as http://, hlss://
// as https://.
//
// A master playlist picks one variant: the highest BANDWIDTH, or the one
// the variant option names (its 0-based position in the master playlist).
// The media playlist is reloaded every target duration (half of it when a
// reload brought nothing new, RFC 8216 §6.3.4); a playlist whose last
// segment does not change for three target durations fails the input, so
// that the stream's supervisor can fail over. Playback starts three
// segments from the live edge (§6.3.3) and frames are written at real-time
// pace by their DTS, so the stream sees a live source, not bursts of a
// segment at a time.
//
// Segments are MPEG-TS (demuxed by protocols/mpegts, which sees the
// segments as one continuous transport stream, as an HLS origin cuts one)
// or fMP4 with an EXT-X-MAP init section (read with mp4ff). Encrypted
// playlists (EXT-X-KEY other than NONE) and byte ranges are refused with
// ErrUnsupported.
//
// Why not gohlslib: its v2.2.0 requires mediacommon v2.2.0, while the
// pinned gortsplib uses mediacommon v2.4.1 (DEPENDENCIES.md allows
// gohlslib only when the two agree: it would run against a mediacommon it
// was never tested with), and it would add abema/go-mp4 as a second MP4
// library. Its client also hides what the input stats and the failover
// need (bytes per download, a playlist that stops moving). The follower
// here is small: a playlist parser (playlist.go, fuzzed), a reload loop
// (follower.go) and an fMP4 reader (fmp4.go).
//
// Options: variant (master playlist entry), user_agent, and for TS
// segments program and pids (mpegts.ParseOptions).
//
// Stats (media.InputStatsFrom): Bytes counts every byte downloaded
// (playlists, init sections, segments); Frames the frames written; Errors
// segments that could not be fetched or read and segments skipped because
// the playlist moved past them; TS counters for TS segments.
//
// It imports media and protocols/mpegts.
package hlspull
