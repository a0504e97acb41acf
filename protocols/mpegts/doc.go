// Package mpegts turns an MPEG-TS byte stream (ISO/IEC 13818-1) into
// media.Tracks and media.Frames: H.264, H.265, AAC (ADTS, turned into raw
// access units and an AudioSpecificConfig) and Opus, with program and PID
// selection and the health counters of media.TSStats. It reads any
// io.Reader, so every TS-carrying input shares it: UDP (protocols/udp),
// HTTP-TS (protocols/tshttp), TS files (protocols/file) and SRT.
//
// Packets are parsed by go-astits (Demuxer.NextPacket): it hands us every
// packet's header and adaptation field, which the counters need. We do not
// use its NextData, nor mediacommon's mpegts.Reader built on it: NextData
// silently drops a PES cut by lost packets and reports parse errors
// without the PID, so neither broken payloads nor PAT/PMT errors could be
// counted exactly; mediacommon's Reader hides packets altogether, takes
// the first PMT it finds (no program choice) and buffers the whole input
// until then. So sections and PES units are assembled here, per PID, by
// the same code that checks continuity, and codec payloads are parsed with
// mediacommon's codec packages.
//
// Malformed input is counted and dropped; it never panics and never ends a
// demux by itself, except where no later packet can help (no PAT or PMT
// within Config.ProbePackets, a program that is not there, tracks that
// change after they were published).
//
// It imports media only (and the libraries named above).
package mpegts
