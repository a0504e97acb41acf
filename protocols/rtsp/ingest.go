package rtsp

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"streamhive/media"
)

// videoClockRate is the RTP clock of every video format we carry.
const videoClockRate = 90000

// ingest turns one session's RTP packets into frames: it depacketizes,
// times (PTS from the session's RTP time decoder, DTS derived from PTS),
// publishes once the tracks are known and writes to the sink publish
// returned.
//
// It publishes at the first video keyframe, with the parameter sets seen
// last (in band, else the SDP's), or at the first audio frame of a source
// without video; the timeline starts there and earlier frames are
// dropped. Unusable packets are counted in stats and dropped; only what no
// later packet can fix (publish refused, parameter sets changed, no
// parameter sets at all) ends the ingest, through fail.
//
// onPacket may be called from several goroutines (gortsplib reads each
// UDP media on its own); a mutex serialises them, so the sink sees one
// writer at a time.
type ingest struct {
	stats   *media.InputStats
	log     *slog.Logger
	publish func([]media.Track) (media.Sink, error)
	pts     func(*description.Media, *rtp.Packet) (int64, bool)
	fail    func(error) // called once, with the lock held: it must not block

	mu      sync.Mutex
	video   *videoTrack
	audio   *audioTrack
	sink    media.Sink
	started bool          // the timeline has its origin
	origin  time.Duration // subtracted from every timestamp
	err     error
}

// ingestConfig holds what newIngest needs.
type ingestConfig struct {
	sel     selection
	stats   *media.InputStats
	log     *slog.Logger
	publish func([]media.Track) (media.Sink, error)
	pts     func(*description.Media, *rtp.Packet) (int64, bool)
	fail    func(error)
}

// newIngest logs and counts the skipped medias once.
func newIngest(cfg ingestConfig) *ingest {
	for _, s := range cfg.sel.skipped {
		cfg.stats.Errors.Add(1)
		cfg.log.Warn("rtsp: skipping a track the stream cannot carry", slog.String("track", s))
	}
	return &ingest{
		stats: cfg.stats, log: cfg.log, publish: cfg.publish, pts: cfg.pts, fail: cfg.fail,
		video: cfg.sel.video, audio: cfg.sel.audio,
	}
}

// publishNow publishes if every track is configured already (the SDP
// carried the video's parameter sets): a publishing server learns at
// ANNOUNCE whether the stream takes it. It does nothing otherwise; the
// first keyframe will publish.
func (in *ingest) publishNow() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.sink != nil || (in.video != nil && !in.video.ps.complete(in.video.c.codec())) {
		return nil
	}
	return in.doPublish()
}

// onPacket handles one RTP packet of any media.
func (in *ingest) onPacket(medi *description.Media, forma format.Format, pkt *rtp.Packet) {
	in.stats.Bytes.Add(uint64(pkt.MarshalSize()))
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.err != nil {
		return
	}
	var err error
	switch {
	case in.video != nil && forma == in.video.forma && medi == in.video.medi:
		err = in.onVideo(pkt)
	case in.audio != nil && forma == in.audio.forma && medi == in.audio.medi:
		err = in.onAudio(pkt)
	}
	if err != nil {
		in.err = err
		in.fail(err)
	}
}

func (in *ingest) onVideo(pkt *rtp.Packet) error {
	v := in.video
	pts, ok := in.pts(v.medi, pkt)
	if !ok {
		return nil // the time decoder waits for a packet it can anchor on
	}
	au, pts, err := v.push(pkt, pts)
	if err != nil {
		if !errors.Is(err, errMidUnit) {
			in.drop("video packet", err)
		}
		return nil
	}
	if au == nil {
		return nil
	}
	return in.videoUnit(v, au, pts)
}

// videoUnit times and writes one access unit (PTS in 90 kHz ticks).
func (in *ingest) videoUnit(v *videoTrack, au [][]byte, pts int64) error {
	v.c.learn(au, &v.ps)
	key := v.c.keyframe(au)
	if key && v.pub != nil && !v.pub.equal(v.ps) {
		return ErrTracksChanged
	}
	if !v.synced {
		if !key {
			return nil // undecodable before a keyframe
		}
		v.synced = true
	}
	if in.sink == nil {
		if err := in.publishAtKeyframe(); err != nil || in.video == nil {
			return err
		}
	}
	dts, err := v.c.dts(au, pts, v.ps)
	if err != nil {
		in.drop("video timing", err)
		v.synced = false
		v.c.resetDTS()
		return nil
	}
	if !in.started {
		in.started, in.origin = true, ticks(dts, videoClockRate)
	}
	in.write(&media.Frame{
		Track: v.id, Keyframe: key, Data: copyUnit(au),
		DTS: ticks(dts, videoClockRate) - in.origin, PTS: ticks(pts, videoClockRate) - in.origin,
	})
	return nil
}

// publishAtKeyframe publishes at the first keyframe. A video whose
// parameter sets never came cannot be published: it is dropped, and the
// audio goes on alone.
func (in *ingest) publishAtKeyframe() error {
	if v := in.video; !v.ps.complete(v.c.codec()) {
		in.drop("video track", fmt.Errorf("%w: a keyframe came without parameter sets, in band or in the SDP", ErrNoTracks))
		in.video = nil
		if in.audio == nil {
			return ErrNoTracks
		}
		return nil
	}
	return in.doPublish()
}

func (in *ingest) onAudio(pkt *rtp.Packet) error {
	a := in.audio
	pts, ok := in.pts(a.medi, pkt)
	if !ok {
		return nil
	}
	aus, err := a.depacketize(pkt)
	if err != nil {
		in.drop("audio packet", err)
		return nil
	}
	if len(aus) == 0 {
		return nil
	}
	if in.sink == nil {
		if in.video != nil {
			return nil // the timeline starts at the first video keyframe
		}
		if err := in.doPublish(); err != nil {
			return err
		}
	}
	rate := a.forma.ClockRate()
	for i, au := range aus {
		if len(au) == 0 {
			in.drop("audio unit", errors.New("empty"))
			continue
		}
		t := ticks(pts+int64(i)*a.step, rate)
		if !in.started {
			if in.video != nil {
				return nil
			}
			in.started, in.origin = true, t
		}
		in.write(&media.Frame{Track: a.track.ID, Keyframe: true, Data: [][]byte{clone(au)}, DTS: t - in.origin, PTS: t - in.origin})
	}
	return nil
}

// doPublish hands the tracks to publish, video first.
func (in *ingest) doPublish() error {
	var tracks []media.Track
	if v := in.video; v != nil {
		t, err := v.c.track(v.ps)
		if err != nil {
			return err
		}
		// The track outlives the packets its parameter sets came in.
		ps := paramSets{vps: clone(v.ps.vps), sps: clone(v.ps.sps), pps: clone(v.ps.pps)}
		t.VPS, t.SPS, t.PPS = ps.vps, ps.sps, ps.pps
		v.id, t.ID, v.pub = len(tracks), len(tracks), &ps
		tracks = append(tracks, t)
	}
	if a := in.audio; a != nil {
		a.track.ID = len(tracks)
		tracks = append(tracks, a.track)
	}
	sink, err := in.publish(tracks)
	if err != nil {
		return fmt.Errorf("rtsp: publish: %w", err)
	}
	in.sink = sink
	return nil
}

// write hands f to the sink unless it falls before the origin (audio that
// arrived just after the first keyframe but belongs before it).
func (in *ingest) write(f *media.Frame) {
	if f.DTS < 0 {
		return
	}
	in.sink.WriteFrame(f)
	in.stats.Frames.Add(1)
}

// drop counts an unusable unit; the log line is at debug level because a
// lossy network produces them by the hundred.
func (in *ingest) drop(what string, err error) {
	in.stats.Errors.Add(1)
	in.log.Debug("rtsp: dropped "+what, slog.Any("err", err))
}

// ticks converts RTP clock ticks to a duration without overflowing for
// any timeline a process will see.
func ticks(t int64, rate int) time.Duration {
	r := int64(rate)
	return time.Duration(t/r)*time.Second + time.Duration(t%r)*time.Second/time.Duration(r)
}

// copyUnit copies an access unit into one allocation: frames outlive the
// packets they came from and are shared read-only.
func copyUnit(au [][]byte) [][]byte {
	n := 0
	for _, b := range au {
		n += len(b)
	}
	buf := make([]byte, 0, n)
	out := make([][]byte, len(au))
	for i, b := range au {
		buf = append(buf, b...)
		out[i] = buf[len(buf)-len(b) : len(buf) : len(buf)]
	}
	return out
}

// clone copies b; nil stays nil (an H.264 track has no VPS).
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}
