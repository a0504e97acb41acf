package play

import (
	"bufio"
	"log/slog"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/dvr"
)

// Timeshifted continuous MPEG-TS (timeshift_abs-FROM.ts, timeshift_rel-S.ts):
// the archive from FROM (S seconds before the request) on, as one endless
// response, the way a set-top box plays a channel delayed. Records go out
// at the pace they were recorded, tsLead ahead of it so the player keeps a
// buffer; past the recording's edge the response waits for the next
// record. It ends when the viewer leaves, its session ends, or the handler
// closes.

// tsLead is how far ahead of real time the records are sent.
const tsLead = 4 * time.Second

// tsPoll is how often a response that caught up with the recording looks
// for a newer record.
const tsPoll = time.Second

// serveArchiveLiveTS answers timeshift_abs-FROM.ts and timeshift_rel-S.ts.
func (h *Handler) serveArchiveLiveTS(rc *fasthttp.RequestCtx, a dvr.Archive, r route, g grant) {
	from := unix(r.arc.win.from)
	if r.arc.win.mode == winRel {
		from = time.Now().Add(-secsDur(r.arc.win.secs))
	}
	first, ok := nextRecord(a, from, true)
	if !ok {
		h.archiveFailed(rc, r.name, errNoRecording)
		return
	}
	rc.SetStatusCode(fasthttp.StatusOK)
	rc.SetContentType(typeTS)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	if rc.IsHead() {
		return
	}
	name, log, done := r.name, h.log, h.ctx.Done()
	rc.SetBodyStreamWriter(func(bw *bufio.Writer) {
		defer g.Close()
		p := tsPacer{a: a, start: time.Now(), origin: first.Start, ended: g.Ended(), done: done}
		var j tsJoiner
		recs := []dvr.Record{first}
		for {
			rec := recs[len(recs)-1]
			b, err := a.ReadTS(rec)
			if err != nil {
				log.Warn("play: timeshift ts cut short", slog.String("stream", name), slog.Any("err", err))
				return
			}
			out := j.join(b, recs, len(recs)-1)
			if _, err := bw.Write(out); err != nil || bw.Flush() != nil {
				return // the client left
			}
			g.Sent(len(out))
			next, ok := p.next(rec)
			if !ok {
				return
			}
			recs = append(recs[len(recs)-1:], next)
		}
	})
}

// nextRecord returns the record that holds t (first) or the first that
// starts after t; false when the archive has none yet.
func nextRecord(a dvr.Archive, t time.Time, first bool) (dvr.Record, bool) {
	for _, rec := range a.Records(t, t.Add(maxLiveLookback)) {
		if first && rec.End().After(t) || !rec.Start.Before(t) {
			return rec, true
		}
	}
	return dvr.Record{}, false
}

// tsPacer hands out the records after one another at the recording's pace.
type tsPacer struct {
	a      dvr.Archive
	start  time.Time // when the response began
	origin time.Time // the first record's start
	ended  <-chan struct{}
	done   <-chan struct{}
}

// next waits for the record after prev to exist and be due; false when the
// response must end first.
func (p *tsPacer) next(prev dvr.Record) (dvr.Record, bool) {
	for {
		rec, ok := nextRecord(p.a, prev.Start.Add(time.Millisecond), false)
		wait := tsPoll
		if ok {
			wait = time.Until(p.start.Add(rec.Start.Sub(p.origin)).Add(-tsLead))
			if wait <= 0 {
				return rec, true
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-p.ended:
			t.Stop()
			return dvr.Record{}, false
		case <-p.done:
			t.Stop()
			return dvr.Record{}, false
		case <-t.C:
		}
	}
}
