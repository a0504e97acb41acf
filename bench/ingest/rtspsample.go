package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	"github.com/pion/rtp"
)

// tsHz is the clock of MPEG-TS PTS and DTS, and of H.264 over RTP.
const tsHz = 90_000

// rtpUnit is one access unit of the sample (a video frame, or the AAC
// frames of one PES), packetized once into RTP. Every publisher sends the
// same packets, with its own sequence numbers and a timestamp offset.
type rtpUnit struct {
	video   bool
	at      time.Duration // when it is due from the start of a loop: its DTS
	ts      uint32        // RTP timestamp from the start of a loop, in its track's clock
	packets []*rtp.Packet // timestamps relative to ts
	bytes   int           // RTP header + payload, all packets
}

// rtspSample is the TS sample as RTSP publishers send it: H.264 and AAC
// formats for the SDP, and the units in decode order.
type rtspSample struct {
	sps, pps  []byte
	aacConfig *mpeg4audio.AudioSpecificConfig
	units     []rtpUnit
	length    time.Duration // one loop
}

// errSampleTracks: the TS sample lacks H.264 with SPS and PPS, or AAC.
var errSampleTracks = errors.New("rtsp sample: want H.264 (with SPS and PPS) and AAC")

// loadRTSPSample reads the TS sample with mediacommon's reader and
// packetizes it with gortsplib's encoders, so publishing is only writes.
func loadRTSPSample(path string) (*rtspSample, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &rtspSample{}
	var video, audio []demuxed
	r := &mpegts.Reader{R: bytes.NewReader(b)}
	if err := r.Initialize(); err != nil {
		return nil, fmt.Errorf("rtsp sample: %w", err)
	}
	for _, t := range r.Tracks() {
		switch c := t.Codec.(type) {
		case *mpegts.CodecH264:
			r.OnDataH264(t, func(pts, dts int64, au [][]byte) error {
				s.params(au)
				video = append(video, demuxed{pts: pts, dts: dts, aus: au})
				return nil
			})
		case *mpegts.CodecMPEG4Audio:
			if s.aacConfig == nil {
				s.aacConfig = &c.Config
				r.OnDataMPEG4Audio(t, func(pts int64, aus [][]byte) error {
					audio = append(audio, demuxed{pts: pts, dts: pts, aus: aus})
					return nil
				})
			}
		}
	}
	for {
		if err := r.Read(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("rtsp sample: %w", err)
		}
	}
	if s.sps == nil || s.pps == nil || s.aacConfig == nil || len(video) == 0 || len(audio) == 0 {
		return nil, errSampleTracks
	}
	return s, s.packetize(video, audio)
}

// demuxed is one callback's worth of the reader: timestamps in tsHz.
type demuxed struct {
	pts, dts int64
	aus      [][]byte
}

// params keeps the first SPS and PPS seen.
func (s *rtspSample) params(au [][]byte) {
	for _, nalu := range au {
		if len(nalu) == 0 {
			continue
		}
		typ := h264.NALUType(nalu[0] & 0x1f)
		if typ == h264.NALUTypeSPS && s.sps == nil {
			s.sps = nalu
		}
		if typ == h264.NALUTypePPS && s.pps == nil {
			s.pps = nalu
		}
	}
}

// formats returns fresh H.264 and AAC formats (payload types 96 and 97)
// for one publisher's SDP.
func (s *rtspSample) formats() (*format.H264, *format.MPEG4Audio) {
	return &format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: s.sps, PPS: s.pps},
		&format.MPEG4Audio{PayloadTyp: 97, Config: s.aacConfig, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3}
}

// packetize turns the demuxed units into RTP packets, in decode order,
// with times from the earliest DTS, and sets the loop length: past the
// last unit of either track by that track's mean interval.
func (s *rtspSample) packetize(video, audio []demuxed) error {
	vf, af := s.formats()
	venc, err := vf.CreateEncoder()
	if err != nil {
		return err
	}
	aenc, err := af.CreateEncoder()
	if err != nil {
		return err
	}
	origin := min(video[0].dts, audio[0].dts)
	rate := int64(s.aacConfig.SampleRate)
	for _, track := range []struct {
		units  []demuxed
		isV    bool
		encode func([][]byte) ([]*rtp.Packet, error)
		clock  int64
	}{{video, true, venc.Encode, tsHz}, {audio, false, aenc.Encode, rate}} {
		for _, d := range track.units {
			pkts, err := track.encode(d.aus)
			if err != nil {
				return fmt.Errorf("rtsp sample: packetizing: %w", err)
			}
			u := rtpUnit{
				video:   track.isV,
				at:      time.Duration((d.dts - origin) * int64(time.Second) / tsHz),
				ts:      uint32((d.pts - origin) * track.clock / tsHz),
				packets: pkts,
			}
			for _, p := range pkts {
				u.bytes += p.MarshalSize()
			}
			s.units = append(s.units, u)
		}
		n := int64(len(track.units))
		last := track.units[n-1].dts - origin
		step := last / max(n-1, 1)
		s.length = max(s.length, time.Duration((last+step)*int64(time.Second)/tsHz))
	}
	slices.SortStableFunc(s.units, func(a, b rtpUnit) int { return cmp.Compare(a.at, b.at) })
	return nil
}
