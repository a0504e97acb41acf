// Package export turns a stretch of a stream's DVR archive into one
// downloadable file: a progressive MP4 (ftyp, moov, mdat) that players and
// ffmpeg open, play and seek without reading the whole file first.
//
// Why progressive and not fragmented: a moov with full sample tables
// (stts, ctts, stss, stsz, co64) in front of the data is what every player
// and editor understands, gives seeking by the sync-sample table with no
// mfra, and lets the HTTP answer carry a Content-Length. The price is two
// passes over the archive: the first reads every fragment's moof to build
// the tables (sample data is dropped at once, so memory is the tables
// only, about 16 bytes a sample), the second streams the sample data.
//
// Several epochs: records whose epochs carry the same codec parameters
// (a restart of the same encoder) are joined into one track each. A range
// over a real codec change (another codec, resolution, parameter sets or
// audio config) is refused with ErrCodecChange before a byte is written,
// naming the time of the change, so that a caller can export the two sides
// separately; a progressive MP4 has one sample description per track that
// players honour.
//
// Gaps (Record.Gap: an interrupted recording) are kept as time: the last
// sample before a gap lasts until the first one after it, so timestamps
// jump by the wall-clock length of the gap and nothing is invented.
//
// The package also reads a record's first video keyframe back as a
// media.Frame (Keyframe), for archive thumbnails.
//
// mp4ff is imported here to read archived CMAF and write the MP4; its other
// user is media/segment, which writes the CMAF in the first place.
package export
