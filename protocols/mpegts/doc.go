// Package mpegts turns an MPEG-TS byte stream (ISO/IEC 13818-1) into
// media.Tracks and media.Frames: H.264, H.265, AAC (ADTS, turned into raw
// access units and an AudioSpecificConfig) and Opus, with program and PID
// selection and the health counters of media.TSStats. It reads any
// io.Reader, so every TS-carrying input shares it: UDP (protocols/udp),
// HTTP-TS (protocols/tshttp), TS files (protocols/file) and SRT.
//
// Packets are cut by the framer and their headers read in place
// (parseHeader): go-astits's NextPacket, used before, allocated a packet,
// its adaptation field and a copy of its payload for each of them. We do
// not use astits's NextData, nor mediacommon's mpegts.Reader built on it: NextData
// silently drops a PES cut by lost packets and reports parse errors
// without the PID, so neither broken payloads nor PAT/PMT errors could be
// counted exactly; mediacommon's Reader hides packets altogether, takes
// the first PMT it finds (no program choice) and buffers the whole input
// until then. So sections and PES units are assembled here, per PID, by
// the same code that checks continuity, and codec payloads are parsed with
// mediacommon's codec packages.
//
// What media.TSStats counts, exactly:
//
//   - Packets: packets taken in sync, on every PID.
//   - SyncErrors: each run of bytes skipped to reach the next packet
//     start: garbage, a packet cut short, a truncated last packet.
//   - TransportErrors: packets with transport_error_indicator set, or an
//     adaptation field longer than the packet;
//     dropped unread, so the next packet of the PID shows a CC gap.
//   - CCErrors, LostPackets: on the PIDs the demuxer follows (PAT, the
//     chosen PMT, the selected streams; other programs are not checked),
//     each packet with payload whose continuity_counter is neither the
//     previous one (a duplicate, dropped) nor one more, unless its
//     discontinuity_indicator is set; it adds (got - expected) mod 16 lost.
//   - Scrambled: packets on those PIDs with transport_scrambling_control
//     set; dropped.
//   - PATErrors, PMTErrors: sections that fail (CRC, syntax, cut by a gap),
//     plus one when no valid table came within Config.ProbePackets or
//     before the input ended, plus one for a PAT without the program asked
//     for.
//   - BrokenPayloads: PES units dropped: in progress when a CC gap or a
//     scrambled packet hit their PID, grown past 8 MiB, with a bad PES
//     header or no PTS, or whose ADTS, Opus or Annex B layout (or SPS)
//     does not parse. A gap that swallows whole units loses them silently:
//     LostPackets has them.
//
// Each dropped unit or section also counts in InputStats.Errors, and Bytes
// counts every byte read.
//
// Malformed input is counted and dropped; it never panics and never ends a
// demux by itself, except where no later packet can help (no PAT or PMT
// within Config.ProbePackets, a program that is not there, tracks that
// change after they were published).
//
// It imports media only (and the libraries named above).
package mpegts
