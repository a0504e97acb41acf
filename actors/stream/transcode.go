package stream

import (
	"log/slog"
	"reflect"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/transcoder"
	"streamhive/media"
	"streamhive/media/segment"
	"streamhive/media/stats"
	"streamhive/media/transcode"
)

// transcodePlane is the stream side of a transcoder: its spec, its live
// counters and the transcoder child, which reads the data plane's input
// hub (plane.Plane.Input, which the inputs feed through the feed exactly
// as they feed the stream's hub otherwise) and writes its renditions to
// the stream's hub. Everything downstream of the stream's hub (packager,
// DVR, pushes, players) sees only the renditions. A stream without a
// transcoder has no plane (nil), and its inputs feed its hub directly.
type transcodePlane struct {
	spec  config.Transcoder
	stats *transcode.Stats // outlive the child's restarts, not the stream's
	pid   *actor.PID       // the transcoder child; nil until started
}

// newTranscodePlane returns the plane for cfg; nil without a transcoder.
func newTranscodePlane(cfg config.Stream) *transcodePlane {
	if cfg.Transcoder == nil {
		return nil
	}
	return &transcodePlane{spec: *cfg.Transcoder, stats: transcoder.NewStats(*cfg.Transcoder)}
}

// startTranscoder spawns the transcoder child, if the stream has one.
func (a *streamActor) startTranscoder(ctx actor.Context) {
	tc := a.transcoder
	if tc == nil {
		return
	}
	segDur := time.Duration(a.cfg.Stream.SegmentDuration) * time.Millisecond
	if segDur <= 0 {
		segDur = segment.DefaultSegmentDuration
	}
	// A prefix, not a name: a replaced child's name stays taken until it
	// has stopped.
	tc.pid = ctx.SpawnPrefix(transcoder.Props(transcoder.Config{
		Stream: media.StreamName(a.cfg.Stream.Name), Spec: tc.spec, SegmentDuration: segDur,
		Source: a.media.Input(), Output: a.media.Hub(), Stats: tc.stats,
	}), "transcoder")
}

// updateTranscoder applies a changed transcoder line: a stream that keeps
// a transcoder restarts it with the new ladder (its viewers see a new
// epoch); adding or removing one changes the stream's planes and takes
// effect when the stream restarts.
func (a *streamActor) updateTranscoder(ctx actor.Context, old config.Stream) {
	now := a.cfg.Stream.Transcoder
	if reflect.DeepEqual(old.Transcoder, now) {
		return
	}
	tc := a.transcoder
	if tc == nil || now == nil {
		ctx.Logger().Info("stream: adding or removing the transcoder takes effect when the stream restarts",
			slog.String("stream", a.cfg.Stream.Name))
		return
	}
	if tc.pid != nil {
		ctx.Stop(tc.pid) // stops its session, which revokes its writer
	}
	tc.spec, tc.stats = *now, transcoder.NewStats(*now)
	a.startTranscoder(ctx)
}

// outTracks are the tracks the stream carries: the active input's, or
// the transcoder's renditions and audio once it produces them.
func (a *streamActor) outTracks() []media.Track {
	if a.transcoder == nil || a.active < 0 {
		return a.tracks
	}
	return a.media.Hub().Tracks().List
}

// transcodeStatus is what a Status shows of a transcoder: its spec and
// its live counters.
type transcodeStatus struct {
	spec  config.Transcoder
	stats *transcode.Stats
}

// status returns the Status part of the plane; nil without a transcoder.
func (t *transcodePlane) status() *transcodeStatus {
	if t == nil {
		return nil
	}
	return &transcodeStatus{spec: t.spec, stats: t.stats}
}

// report reads the transcoder's counters; nil on nil.
func (t *transcodeStatus) report() *stats.Transcoder {
	if t == nil {
		return nil
	}
	s := t.stats
	state, lastErr := s.State()
	out := &stats.Transcoder{
		State: state, Err: lastErr, Encoder: s.Device(), Fallback: s.Fallback(),
		Restarts: int64(s.Restarts.Load()), FramesIn: int64(s.FramesIn.Load()), Dropped: int64(s.Dropped.Load()),
		DecodeErrors: int64(s.DecodeErrors.Load()), Speed: s.Speed(), Encoders: s.Renditions(),
	}
	for i, v := range t.spec.Video {
		r := s.Rendition(i)
		if r == nil {
			break
		}
		out.Renditions = append(out.Renditions, stats.Rendition{
			Width: v.Width, Height: v.Height, Bitrate: v.Bitrate,
			FramesOut: int64(r.FramesOut.Load()), Keyframes: int64(r.Keyframes.Load()), Speed: s.RenditionSpeed(i),
		})
	}
	return out
}
