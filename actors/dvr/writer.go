package dvr

import (
	"log/slog"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/events"
	"streamhive/actors/stream"
	store "streamhive/media/dvr"
	"streamhive/media/segment"
)

// counters are a recording's writer counters; they live as long as the
// recording, across writers.
type counters struct {
	written, skipped, errors atomic.Uint64
}

// writer is one stream's DVR writer actor. It owns a goroutine (follow)
// that waits on the segmenter's windows and writes each finished segment:
// the disk I/O never runs on the actor's or the stream's goroutines, and
// the segmenter never waits for it. A writer that falls behind (a slow
// disk) finds the segments it missed gone from the window; they are
// counted as skipped and the next record is a Gap.
type writer struct {
	spec stream.DVRSpec
	rec  *recording
	log  *slog.Logger
	stop chan struct{}
}

func writerProps(spec stream.DVRSpec, rec *recording, log *slog.Logger) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor {
		return &writer{spec: spec, rec: rec, log: log.With(slog.String("stream", string(spec.Stream)))}
	})
}

// Receive implements actor.Actor.
func (w *writer) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		stop := make(chan struct{}) // the goroutine gets its own copy: Stopping clears w.stop
		w.stop = stop
		w.rec.writers.Add(1)
		go func() {
			defer w.rec.writers.Done()
			follow(w.spec, w.rec, stop, w.log)
		}()
	case *GetStats:
		c := &w.rec.stats
		ctx.Respond(&StatsReply{Written: c.written.Load(), Skipped: c.skipped.Load(), Errors: c.errors.Load()})
	case *actor.Stopping, *actor.Restarting:
		// The goroutine drains the window it has and returns; it is not
		// waited for, since a hung disk would hang the stream's stop.
		if w.stop != nil {
			close(w.stop)
			w.stop = nil
		}
	}
}

// follow writes the segmenter's finished segments in MSN order until the
// segmenter ends or stop closes (then it writes what the latest window
// holds and returns).
func follow(spec stream.DVRSpec, rec *recording, stop <-chan struct{}, log *slog.Logger) {
	f := follower{spec: spec, rec: rec, log: log, gap: true, next: spec.From, have: spec.From > 0}
	f.last, f.resume = rec.store.Last()
	win := spec.Segmenter.Window()
	for {
		f.drain(win)
		if win.Ended {
			return
		}
		select {
		case <-win.Changed():
			win = spec.Segmenter.Window()
		case <-stop:
			f.drain(spec.Segmenter.Window())
			return
		}
	}
}

// follower is follow's state.
type follower struct {
	spec   stream.DVRSpec
	rec    *recording
	log    *slog.Logger
	next   uint64 // the MSN to write next
	have   bool   // next is known
	gap    bool   // the next record follows an interruption
	failed bool   // the last write failed (logged once per outage)
	// The store's latest record when the writer started: a writer that
	// follows another on the same segmenter (a changed `dvr` line)
	// skips what that one wrote and continues its range.
	last   store.Record
	resume bool
}

// drain writes the window's segments from f.next on.
func (f *follower) drain(win *segment.Window) {
	for _, seg := range win.Segments {
		if f.have && seg.MSN < f.next {
			continue
		}
		if f.have && seg.MSN > f.next {
			f.rec.stats.skipped.Add(seg.MSN - f.next)
			f.gap = true
		}
		f.next, f.have = seg.MSN+1, true
		f.write(seg)
	}
}

func (f *follower) write(seg *segment.Segment) {
	c := &f.rec.stats
	if f.resume {
		if seg.ProgramDateTime.UnixMilli() <= f.last.Start.UnixMilli() {
			return // written by the writer before this one
		}
		f.resume = false
		if d := seg.ProgramDateTime.Sub(f.last.End()); d < f.last.Duration/2 && d > -f.last.Duration/2 {
			f.gap = false
		}
	}
	if f.spec.Recordable != nil && !f.spec.Recordable() {
		c.skipped.Add(1)
		f.gap = true // a backup input feeds the stream: not recorded
		return
	}
	if _, err := f.rec.store.Write(seg, f.gap); err != nil {
		c.errors.Add(1)
		f.gap = true
		if !f.failed {
			f.log.Error("dvr: segment not recorded; live delivery goes on", slog.Any("err", err))
			f.rec.events.Publish(events.Event{Event: events.DVRError, Media: string(f.spec.Stream), Fields: []events.Field{
				events.F("error", err.Error()), events.F("errors", c.errors.Load()),
			}})
		}
		f.failed = true
		return
	}
	if f.failed {
		f.log.Info("dvr: recording again")
	}
	f.failed, f.gap = false, false
	c.written.Add(1)
}
