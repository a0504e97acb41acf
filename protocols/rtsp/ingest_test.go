package rtsp

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtpmpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"

	"streamhive/media"
)

// Parameter sets of two real H.264 streams (352x288 and 1280x720; from
// mediacommon's SPS tests), and a PPS.
var (
	sps352  = []byte{0x67, 0x64, 0x00, 0x0c, 0xac, 0x3b, 0x50, 0xb0, 0x4b, 0x42, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x03, 0x00, 0x3d, 0x08}
	sps1280 = []byte{0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9, 0x40, 0x50, 0x05, 0xbb, 0x01, 0x6c, 0x80, 0x00, 0x00, 0x03, 0x00, 0x80, 0x00, 0x00, 0x1e, 0x07, 0x8c, 0x18, 0xcb}
	pps     = []byte{0x68, 0xee, 0x3c, 0x80}
	idr     = []byte{0x65, 0x88, 0x84, 0x00, 0x33}
	nonIDR  = []byte{0x41, 0x9a, 0x02, 0x03}
)

// ingestRig drives an ingest with hand-made RTP packets: H.264 on media 0
// and AAC (48 kHz) on media 1, timed straight from the RTP timestamps.
type ingestRig struct {
	t      *testing.T
	in     *ingest
	rec    *recorder
	stats  *media.InputStats
	failed error
	vmedi  *description.Media
	amedi  *description.Media
	venc   *rtph264.Encoder
	aenc   *rtpmpeg4audio.Encoder
	refuse error
}

func newIngestRig(t *testing.T, sdpSPS, sdpPPS []byte) *ingestRig {
	t.Helper()
	h264 := &format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: sdpSPS, PPS: sdpPPS}
	aac := &format.MPEG4Audio{
		PayloadTyp: 97, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3,
		Config: &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 2},
	}
	r := &ingestRig{
		t: t, rec: &recorder{}, stats: &media.InputStats{},
		vmedi: &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{h264}},
		amedi: &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{aac}},
		venc:  &rtph264.Encoder{PayloadType: 96},
		aenc:  &rtpmpeg4audio.Encoder{PayloadType: 97, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3},
	}
	if err := r.venc.Init(); err != nil {
		t.Fatal(err)
	}
	if err := r.aenc.Init(); err != nil {
		t.Fatal(err)
	}
	sel, err := selectTracks([]*description.Media{r.vmedi, r.amedi})
	if err != nil {
		t.Fatal(err)
	}
	r.in = newIngest(ingestConfig{
		sel: sel, stats: r.stats, log: slog.New(slog.DiscardHandler),
		publish: func(tracks []media.Track) (media.Sink, error) {
			if r.refuse != nil {
				return nil, r.refuse
			}
			r.rec.setTracks(tracks)
			return r.rec, nil
		},
		pts:  func(_ *description.Media, pkt *rtp.Packet) (int64, bool) { return int64(pkt.Timestamp), true },
		fail: func(err error) { r.failed = err },
	})
	return r
}

// video sends one access unit at ms milliseconds.
func (r *ingestRig) video(ms int, au ...[]byte) {
	pkts, err := r.venc.Encode(au)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, p := range pkts {
		p.Timestamp = uint32(ms * 90)
		r.in.onPacket(r.vmedi, r.vmedi.Formats[0], p)
	}
}

// audio sends one AAC access unit at ms milliseconds.
func (r *ingestRig) audio(ms int) {
	pkts, err := r.aenc.Encode([][]byte{{0x21, 0x10, 0x04}})
	if err != nil {
		r.t.Fatal(err)
	}
	for _, p := range pkts {
		p.Timestamp = uint32(ms * 48)
		r.in.onPacket(r.amedi, r.amedi.Formats[0], p)
	}
}

// TestIngestPublishesAtKeyframe: without parameter sets in the SDP, the
// ingest waits for a keyframe that brings them; what comes before (audio,
// a P-frame) is dropped, and the timeline starts at the keyframe.
func TestIngestPublishesAtKeyframe(t *testing.T) {
	r := newIngestRig(t, nil, nil)
	r.audio(0)
	r.video(10, nonIDR)
	r.audio(20)
	if tracks, _ := r.rec.snapshot(); tracks != nil {
		t.Fatalf("published before a keyframe: %+v", tracks)
	}
	r.video(40, sps352, pps, idr)
	r.audio(60)
	r.video(80, nonIDR)
	tracks, frames := r.rec.snapshot()
	if len(tracks) != 2 || tracks[0].Width != 352 || tracks[0].Height != 288 || string(tracks[0].SPS) != string(sps352) ||
		tracks[1].Codec != media.CodecAAC || tracks[1].SampleRate != 48000 || tracks[1].Channels != 2 {
		t.Fatalf("tracks %+v", tracks)
	}
	want := []struct {
		track int
		dts   time.Duration
		key   bool
	}{{0, 0, true}, {1, 20 * time.Millisecond, true}, {0, 40 * time.Millisecond, false}}
	if len(frames) != len(want) {
		t.Fatalf("%d frames, want %d", len(frames), len(want))
	}
	for i, w := range want {
		if f := frames[i]; f.Track != w.track || f.DTS != w.dts || f.PTS != w.dts || f.Keyframe != w.key {
			t.Errorf("frame %d: track %d DTS %v PTS %v key %v; want track %d at %v key %v", i, f.Track, f.DTS, f.PTS, f.Keyframe, w.track, w.dts, w.key)
		}
	}
	if r.failed != nil || r.stats.Frames.Load() != 3 || r.stats.Bytes.Load() == 0 {
		t.Errorf("failed %v, stats %d frames %d bytes", r.failed, r.stats.Frames.Load(), r.stats.Bytes.Load())
	}
}

// TestIngestPublishNow: with the SDP's parameter sets the tracks are
// published before any media (a server's ANNOUNCE); without, nothing is.
func TestIngestPublishNow(t *testing.T) {
	r := newIngestRig(t, sps352, pps)
	if err := r.in.publishNow(); err != nil {
		t.Fatal(err)
	}
	if tracks, _ := r.rec.snapshot(); len(tracks) != 2 || tracks[0].Width != 352 {
		t.Fatalf("tracks %+v", tracks)
	}
	r.audio(0) // before the first keyframe: no timeline yet
	r.video(40, idr)
	if _, frames := r.rec.snapshot(); len(frames) != 1 || frames[0].DTS != 0 || !frames[0].Keyframe {
		t.Errorf("frames %+v, want the keyframe at 0 alone", frames)
	}

	r = newIngestRig(t, nil, nil)
	if err := r.in.publishNow(); err != nil {
		t.Fatal(err)
	}
	if tracks, _ := r.rec.snapshot(); tracks != nil {
		t.Errorf("published %+v without parameter sets", tracks)
	}
}

// TestIngestFailures: what no later packet can fix ends the ingest once.
func TestIngestFailures(t *testing.T) {
	t.Run("parameters change", func(t *testing.T) {
		r := newIngestRig(t, nil, nil)
		r.video(0, sps352, pps, idr)
		r.video(40, sps1280, pps, idr)
		if !errors.Is(r.failed, ErrTracksChanged) {
			t.Errorf("failed %v, want ErrTracksChanged", r.failed)
		}
		r.failed = nil
		r.video(80, idr)
		if r.failed != nil {
			t.Errorf("failed again: %v", r.failed)
		}
	})
	t.Run("refused", func(t *testing.T) {
		r := newIngestRig(t, nil, nil)
		r.refuse = errors.New("no such stream")
		r.video(0, sps352, pps, idr)
		if r.failed == nil || r.failed.Error() != "rtsp: publish: no such stream" {
			t.Errorf("failed %v", r.failed)
		}
	})
	t.Run("keyframe without parameter sets", func(t *testing.T) {
		r := newIngestRig(t, nil, nil)
		r.video(0, idr)
		r.audio(20)
		if r.failed != nil {
			t.Fatalf("failed %v, want the audio to go on alone", r.failed)
		}
		tracks, frames := r.rec.snapshot()
		if len(tracks) != 1 || tracks[0].Codec != media.CodecAAC || len(frames) != 1 || frames[0].DTS != 0 {
			t.Errorf("tracks %+v, %d frames; want aac alone from 0", tracks, len(frames))
		}
		if r.stats.Errors.Load() != 1 {
			t.Errorf("errors %d, want the dropped video counted", r.stats.Errors.Load())
		}
	})
}

// TestSelectTracks: which formats are taken and what is said about the
// rest.
func TestSelectTracks(t *testing.T) {
	h264 := &format.H264{PayloadTyp: 96, PacketizationMode: 1}
	h265 := &format.H265{PayloadTyp: 97}
	aac := &format.MPEG4Audio{
		PayloadTyp: 98, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3,
		Config: &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 44100, ChannelCount: 1},
	}
	noConfig := &format.MPEG4Audio{PayloadTyp: 98, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3}
	opus := &format.Opus{PayloadTyp: 111, ChannelCount: 2}
	pcma := &format.G711{PayloadTyp: 8, SampleRate: 8000, ChannelCount: 1}
	pcmu := &format.G711{PayloadTyp: 0, MULaw: true, SampleRate: 8000, ChannelCount: 1}
	mjpeg := &format.MJPEG{}
	medias := func(fs ...format.Format) []*description.Media {
		var out []*description.Media
		for _, f := range fs {
			out = append(out, &description.Media{Formats: []format.Format{f}})
		}
		return out
	}
	for _, tt := range []struct {
		name         string
		medias       []*description.Media
		video, audio media.Codec
		skipped      []string
	}{
		{"h264 aac", medias(h264, aac), media.CodecH264, media.CodecAAC, nil},
		{"h265 opus", medias(h265, opus), media.CodecH265, media.CodecOpus, nil},
		{"g711 skipped", medias(h264, pcma), media.CodecH264, "", []string{"G.711 PCMA 8000 Hz"}},
		{
			"second tracks skipped", medias(h264, aac, h265, pcmu, opus), media.CodecH264, media.CodecAAC,
			[]string{"a second video track (H265 90000 Hz)", "G.711 PCMU 8000 Hz", "a second audio track (Opus)"},
		},
		{"first usable format of a media", []*description.Media{{Formats: []format.Format{pcmu, opus}}}, "", media.CodecOpus, nil},
		{
			"aac without config", medias(noConfig, mjpeg, h264), media.CodecH264, "",
			[]string{"MPEG-4 Audio (rtsp: AAC without a config in the SDP: unsupported codec)", "M-JPEG 90000 Hz"},
		},
		{
			"back channel ignored",
			[]*description.Media{{IsBackChannel: true, Formats: []format.Format{aac}}, {Formats: []format.Format{h264}}},
			media.CodecH264, "", nil,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := selectTracks(tt.medias)
			if err != nil {
				t.Fatal(err)
			}
			var video, audio media.Codec
			if sel.video != nil {
				video = sel.video.c.codec()
			}
			if sel.audio != nil {
				audio = sel.audio.track.Codec
			}
			if video != tt.video || audio != tt.audio || !equalStrings(sel.skipped, tt.skipped) {
				t.Errorf("video %q audio %q skipped %q; want %q %q %q", video, audio, sel.skipped, tt.video, tt.audio, tt.skipped)
			}
		})
	}
	if _, err := selectTracks(medias(pcma, pcmu)); !errors.Is(err, media.ErrUnsupportedCodec) {
		t.Errorf("G.711 alone: %v, want ErrUnsupportedCodec", err)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTransportOption(t *testing.T) {
	for _, tt := range []struct {
		options map[string]string
		want    transport
		err     bool
	}{
		{nil, transportTCP, false},
		{map[string]string{"rtsp_tcp": ""}, transportTCP, false},
		{map[string]string{"rtsp_tcp": "true"}, transportTCP, false},
		{map[string]string{"rtsp_tcp": "false"}, transportAuto, false},
		{map[string]string{"rtp": "udp"}, transportUDP, false},
		{map[string]string{"rtp": "UDP", "rtsp_tcp": "false"}, transportUDP, false},
		{map[string]string{"rtp": "tcp"}, transportTCP, false},
		{map[string]string{"rtp": "udp", "rtsp_tcp": "yes"}, 0, true},
		{map[string]string{"rtp": "multicast"}, 0, true},
		{map[string]string{"rtsp_tcp": "maybe"}, 0, true},
	} {
		got, err := transportOption(tt.options)
		if (err != nil) != tt.err || (!tt.err && got != tt.want) {
			t.Errorf("transportOption(%v) = %v, %v; want %v, error %v", tt.options, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrBadOption) {
			t.Errorf("transportOption(%v): %v does not wrap ErrBadOption", tt.options, err)
		}
	}
}

func TestTicks(t *testing.T) {
	for _, tt := range []struct {
		t    int64
		rate int
		want time.Duration
	}{
		{90000, 90000, time.Second},
		{-45000, 90000, -500 * time.Millisecond},
		{1, 48000, 20833},
		{100*86400*90000 + 1, 90000, 100*24*time.Hour + 11111}, // 100 days, exactly
	} {
		if got := ticks(tt.t, tt.rate); got != tt.want {
			t.Errorf("ticks(%d, %d) = %v, want %v", tt.t, tt.rate, got, tt.want)
		}
	}
}

func TestCopyUnit(t *testing.T) {
	in := [][]byte{{1, 2}, {3}, {4, 5, 6}}
	out := copyUnit(in)
	in[0][0], in[2][2] = 9, 9
	if len(out) != 3 || string(out[0]) != "\x01\x02" || string(out[1]) != "\x03" || string(out[2]) != "\x04\x05\x06" {
		t.Errorf("copyUnit = %v", out)
	}
	_ = append(out[0], 7) // appending to one unit must not clobber the next
	if string(out[1]) != "\x03" {
		t.Error("units share capacity")
	}
}
