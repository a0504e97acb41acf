package mpegts

import (
	"testing"

	"streamhive/media"
	"streamhive/protocols/mpegts/mpegtstest"
)

// Track PIDs of ffmpeg's muxer.
const (
	pmtPID   = 0x1000
	videoPID = 0x100
	audioPID = 0x101
)

func TestDemuxH264AAC(t *testing.T) {
	r := demuxAll(t, mpegtstest.H264AAC(t, "2"), Config{})
	wantEOF(t, r.err)
	if len(r.tracks) != 2 {
		t.Fatalf("tracks %+v, want video and audio", r.tracks)
	}
	v, a := r.tracks[0], r.tracks[1]
	if v.ID != 0 || v.Codec != media.CodecH264 || v.Width != 320 || v.Height != 180 || v.SPS == nil || v.PPS == nil {
		t.Errorf("video track %+v", v)
	}
	if a.ID != 1 || a.Codec != media.CodecAAC || a.SampleRate != 48000 || a.Channels != 1 || len(a.AudioConfig) != 2 {
		t.Errorf("audio track %+v", a)
	}
	first := r.frames[0]
	if first.Track != 0 || !first.Keyframe || first.DTS != 0 {
		t.Errorf("first frame: track %d key %v DTS %v, want the video keyframe at 0", first.Track, first.Keyframe, first.DTS)
	}
	if n, keys := r.count(0); n != 50 || keys != 2 {
		t.Errorf("video: %d frames, %d keyframes; want 50, 2", n, keys)
	}
	// 2 s at 48 kHz is 93.75 AAC frames; the encoder flushes the last one.
	if n, _ := r.count(1); n < 93 || n > 95 {
		t.Errorf("audio: %d frames, want about 94", n)
	}
	r.checkMonotonic(t)
	for _, f := range r.frames {
		for _, n := range f.Data {
			if f.Track == 0 && (len(n) == 0 || n[0]&0x1f == 9) {
				t.Fatalf("video frame at %v holds an empty NALU or an AUD", f.DTS)
			}
		}
	}
	s := &r.stats.TS
	if got := s.Packets.Load(); got*packetSize != r.stats.Bytes.Load() {
		t.Errorf("%d packets for %d bytes", got, r.stats.Bytes.Load())
	}
	for name, c := range map[string]uint64{
		"sync": s.SyncErrors.Load(), "cc": s.CCErrors.Load(), "lost": s.LostPackets.Load(),
		"broken": s.BrokenPayloads.Load(), "pat": s.PATErrors.Load(), "pmt": s.PMTErrors.Load(),
		"errors": r.stats.Errors.Load(),
	} {
		if c != 0 {
			t.Errorf("%s counter is %d on a clean stream", name, c)
		}
	}
}
