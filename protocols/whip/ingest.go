package whip

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pion/rtp"

	"streamhive/media"
)

// ingest turns one session's RTP packets into frames: it reassembles,
// times, publishes once the tracks are known and writes to the sink the
// publication returned. Each track's reader goroutine calls it; a mutex
// serialises them, so the sink sees one writer at a time.
//
// It publishes at the first video keyframe with parameter sets (or at the
// first audio sample when no video is expected); the timeline starts
// there. A keyframe with other parameter sets (the sender changed its
// resolution) publishes again with the new track: the stream takes the
// new publication over from the old one.
type ingest struct {
	want    wants
	stats   *media.InputStats
	log     *slog.Logger
	epoch   time.Time // the session timeline's zero
	publish func([]media.Track) (media.Sink, func(), error)
	fail    func(error) // ends the session; must not block

	mu       sync.Mutex
	video    *videoTrack
	audio    *audioTrack
	channels int // the Opus channel count, from the first audio packet; 0 before
	sink     media.Sink
	release  func()
	watch    *media.RevokeWatch // ends the session when the stream takes the publication back
	pub      paramSets          // the video parameter sets published
	started  bool               // the timeline has its origin
	origin   time.Duration
	closed   bool
}

// trackIDs: video first, as every input of ours orders them.
func (in *ingest) videoID() int { return 0 }

func (in *ingest) audioID() int {
	if in.want.video {
		return 1
	}
	return 0
}

// tracks describes what is published: the video from ps, the audio with
// the channel count seen (stereo until a packet said otherwise).
func (in *ingest) tracks(ps paramSets) ([]media.Track, error) {
	var out []media.Track
	if in.want.video {
		t, err := ps.track()
		if err != nil {
			return nil, err
		}
		t.ID = in.videoID()
		out = append(out, t)
	}
	if in.want.audio {
		ch := in.channels
		if ch == 0 {
			ch = 2
		}
		out = append(out, media.Track{ID: in.audioID(), Codec: media.CodecOpus, SampleRate: opusClockRate, Channels: ch})
	}
	return out, nil
}

// doPublish publishes the tracks (again, when ps changed) and releases
// the previous publication after the new one took over.
func (in *ingest) doPublish(ps paramSets) error {
	tracks, err := in.tracks(ps)
	if err != nil {
		return err
	}
	if in.watch == nil {
		in.watch = media.NewRevokeWatch(func() { in.fail(ErrTakenBack) })
	}
	in.watch.Stop() // publishing again takes our own old sink back: no takeover
	sink, release, err := in.publish(tracks)
	if err != nil {
		return fmt.Errorf("whip: publish: %w", err)
	}
	in.watch.Follow(sink)
	if in.release != nil {
		in.release()
	}
	in.sink, in.release, in.pub = sink, release, ps
	return nil
}

// onVideo and onAudio feed one packet of their track, received at arrival.
func (in *ingest) onVideo(v *videoTrack, pkt *rtp.Packet, arrival time.Time) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return
	}
	if err := v.push(in, pkt, arrival.Sub(in.epoch)); err != nil {
		in.closed = true
		in.fail(err)
	}
}

func (in *ingest) onAudio(a *audioTrack, pkt *rtp.Packet, arrival time.Time) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return
	}
	if err := a.push(in, pkt, arrival.Sub(in.epoch)); err != nil {
		in.closed = true
		in.fail(err)
	}
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
	in.log.Debug("whip: dropped "+what, slog.Any("err", err))
}

// close stops writing and releases the publication. Packets that arrive
// later are ignored.
func (in *ingest) close() {
	in.mu.Lock()
	in.closed = true
	release := in.release
	in.sink, in.release = nil, nil
	if in.watch != nil {
		in.watch.Stop()
	}
	in.mu.Unlock()
	if release != nil {
		release()
	}
}
