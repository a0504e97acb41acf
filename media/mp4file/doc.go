// Package mp4file reads an MP4 file's tracks and sample tables through an
// io.ReaderAt: progressive files (moov before or after mdat) and
// fragmented ones (moov, then moof+mdat pairs). Only the boxes that
// describe samples are read into memory, each bounded in size before it is
// read; sample bytes are read one sample at a time when asked for.
//
// It is the one reader of MP4 samples: file:// inputs (protocols/file) play
// a Movie's frames in a loop, and video on demand (media/vod) cuts segments
// from its tables.
//
// Tracks carried: H.264 (avc1/avc3), H.265 (hvc1/hev1), AAC (mp4a) and
// Opus. Text tracks (3GPP timed text as ffmpeg's mov_text writes it, and
// ISO/IEC 14496-30 WebVTT) are Subtitles, read as cues of a time range;
// others (timecode, data) are left out and counted in Skipped.
package mp4file
