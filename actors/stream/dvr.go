package stream

import (
	"log/slog"
	"reflect"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/segment"
)

// DVRSpec is what a stream's DVR needs to record it.
type DVRSpec struct {
	Stream media.StreamName
	Config config.StreamDVR // the stream's effective `dvr` line
	// Segmenter is the stream's one segmenter: the writer records its
	// finished segments.
	Segmenter *segment.Segmenter
	// Recordable reports whether the segments being made now may be
	// recorded: false while the input feeding the stream is marked
	// `backup`. Safe from any goroutine.
	Recordable func() bool
	// From is the MSN of the first segment to record: segments below it
	// were made before the stream had this `dvr` line (a node that
	// relayed a cluster_ingest stream and now captures it made them from
	// its owner's media) and are not this recording's.
	From uint64
}

// DVRStarter opens a stream's archive for spec and returns it with the
// Props of the writer actor that records into it; the stream spawns the
// writer as its child and hands the archive to playback (Playback.Archive).
// An error (a `dvr @NAME` that names no DVR, a root that cannot be
// created) leaves the stream unrecorded; it is logged.
type DVRStarter func(DVRSpec) (dvr.Archive, *actor.Props, error)

// recorder is the stream actor's side of its DVR.
type recorder struct {
	pid     *actor.PID
	archive dvr.Archive
	cfg     *config.StreamDVR // what pid records under; nil when nothing is recorded
	// backup is set while the active input is a backup; shared with the
	// writer through DVRSpec.Recordable.
	backup atomic.Bool
}

// startDVR starts recording if the stream has a `dvr` line and the
// server records (Config.DVR); it then gives the playback the archive.
// from is the MSN of the first segment to record (DVRSpec.From).
func (a *streamActor) startDVR(ctx actor.Context, from uint64) {
	d := a.cfg.Stream.DVR
	if a.cfg.DVR == nil || d == nil {
		a.startRelayed()
		return
	}
	rec := &a.dvr
	spec := DVRSpec{
		Stream: media.StreamName(a.cfg.Stream.Name), Config: *d, Segmenter: a.media.Segmenter(),
		Recordable: func() bool { return !rec.backup.Load() }, From: from,
	}
	archive, props, err := a.cfg.DVR(spec)
	if err != nil {
		ctx.Logger().Error("stream: not recording", slog.String("stream", a.cfg.Stream.Name), slog.Any("err", err))
		return
	}
	pid := ctx.SpawnPrefix(props, "dvr")
	cfg := *d
	a.dvr.pid, a.dvr.archive, a.dvr.cfg = pid, archive, &cfg
	a.playback = a.playback.withArchive(archive)
}

// startRelayed gives the playback of a stream recorded elsewhere (a
// relay of a `cluster_ingest` stream) the cluster's recordings of it.
func (a *streamActor) startRelayed() {
	if a.cfg.Relayed == nil {
		return
	}
	if arc := a.cfg.Relayed(a.cfg.Stream.Name); arc != nil {
		a.dvr.archive = arc
		a.playback = a.playback.withArchive(arc)
	}
}

// updateDVR follows a change of the stream's configuration: a changed
// `dvr` line restarts the writer (a new archive when the roots changed),
// and a new Playback (a change of protocols) keeps the archive. A writer
// that follows another continues its recording (the window's segments it
// wrote are skipped by time); one that starts on a stream that recorded
// nothing records from the next segment on.
func (a *streamActor) updateDVR(ctx actor.Context) {
	if !reflect.DeepEqual(a.dvr.cfg, a.cfg.Stream.DVR) {
		from := a.media.Segmenter().NextMSN()
		if a.dvr.pid != nil {
			ctx.Stop(a.dvr.pid)
			from = 0
		}
		a.dvr.pid, a.dvr.archive, a.dvr.cfg = nil, nil, nil
		a.playback = a.playback.withArchive(nil)
		a.startDVR(ctx, from)
	}
	if a.playback.Archive() != a.dvr.archive {
		a.playback = a.playback.withArchive(a.dvr.archive)
	}
}

// syncDVR tells the writer whether the active input may be recorded. It
// runs with every status the stream publishes, so it follows failovers.
func (a *streamActor) syncDVR() {
	in := a.cfg.Stream.Inputs
	a.dvr.backup.Store(a.active >= 0 && a.active < len(in) && in[a.active].Backup)
}

// Archive returns the stream's recording, or nil when the stream records
// nothing (no `dvr` line, or it could not be opened). Archive playback
// reaches it from the gateway; it is safe for concurrent use.
func (p *Playback) Archive() dvr.Archive {
	if p == nil {
		return nil
	}
	return p.archive
}

// withArchive returns a copy of p with archive a (Playback is immutable
// once published).
func (p *Playback) withArchive(a dvr.Archive) *Playback {
	if p == nil {
		return nil
	}
	c := *p
	c.archive = a
	return &c
}
