package peer

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
	"streamhive/media/dvr"
	"streamhive/media/dvr/remote"
)

// DVR serves this node's own recordings of streams to the other nodes
// (media/dvr/remote reads them): the list of records and their bytes.
// It serves only what this node recorded, never the union it plays, so
// that nodes never echo each other's records.
type DVR struct {
	// Key returns the cluster key in force; "" refuses every request.
	Key func() string
	// Local returns the archive this node recorded of a stream; false
	// when it recorded none.
	Local func(stream string) (dvr.Archive, bool)
	// Protected, when set, reports whether stream is protected here (a
	// drm line): its recording is clear media, so only a read that says
	// its node protects the stream itself (remote.ProtectsHeader, which
	// media/dvr/remote sends for a stream whose drm line encrypts what it
	// plays) gets it; any other is refused (403), as that node would play
	// the records clear.
	Protected func(stream string) bool
	// Now is the clock of the key's proof; time.Now when nil.
	Now func() time.Time
}

// Stores adapts a lookup of this node's stores (actors/server.Server.DVR)
// to DVR.Local.
func Stores(lookup func(stream string) (*dvr.Store, bool)) func(string) (dvr.Archive, bool) {
	return func(stream string) (dvr.Archive, bool) {
		st, ok := lookup(stream)
		if !ok || st == nil {
			return nil, false
		}
		return st, true
	}
}

// DVRPrefix is the path prefix DVR serves.
const DVRPrefix = "/streamhive/cluster/dvr/"

// pageWindow is how much archive one Records call of a page spans: the
// index is read a window at a time so that a page never copies more of a
// long archive than it sends.
const pageWindow = 10 * time.Minute

// ServeHTTP answers a request whose path starts with DVRPrefix.
func (d *DVR) ServeHTTP(rc *fasthttp.RequestCtx) {
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	if !cluster.CheckKeyProof(d.Key(), string(rc.Request.Header.Peek(cluster.KeyHeader)), now()) {
		writeError(rc, fasthttp.StatusForbidden, "forbidden", "no valid cluster key proof")
		return
	}
	if !rc.IsGet() {
		writeError(rc, fasthttp.StatusMethodNotAllowed, "method_not_allowed", "GET only")
		return
	}
	name := string(rc.QueryArgs().Peek("stream"))
	if d.Protected != nil && d.Protected(name) && string(rc.Request.Header.Peek(remote.ProtectsHeader)) != remote.ProtectsValue {
		writeError(rc, fasthttp.StatusForbidden, "protected", "stream "+strconv.Quote(name)+
			" is protected: its recording goes only to a node whose own drm line encrypts it")
		return
	}
	a, ok := d.Local(name)
	if !ok || a == nil {
		writeError(rc, fasthttp.StatusNotFound, "not_found", "no recording of "+strconv.Quote(name)+" here")
		return
	}
	switch string(rc.Path()) {
	case remote.PathRecords:
		servePage(rc, a)
	case remote.PathInit:
		serveInit(rc, a)
	case remote.PathTS, remote.PathCMAF:
		serveRecord(rc, a)
	default:
		writeError(rc, fasthttp.StatusNotFound, "not_found", "no such resource")
	}
}

// servePage answers the records after after= (all when absent).
func servePage(rc *fasthttp.RequestCtx, a dvr.Archive) {
	after := time.Time{}
	if s := rc.QueryArgs().Peek("after"); len(s) > 0 {
		ns, err := strconv.ParseInt(string(s), 10, 64)
		if err != nil {
			writeError(rc, fasthttp.StatusBadRequest, "bad_request", "after: want Unix nanoseconds")
			return
		}
		after = time.Unix(0, ns)
	}
	ranges := a.Ranges()
	p := remote.Page{Ranges: make([]remote.Range, 0, min(len(ranges), remote.MaxRanges)), Records: []remote.Record{}}
	for _, r := range ranges[max(len(ranges)-remote.MaxRanges, 0):] {
		p.Ranges = append(p.Ranges, remote.RangeOf(r))
	}
	p.Records, p.More = recordsAfter(a, ranges, after)
	b, err := json.Marshal(p)
	if err != nil {
		writeError(rc, fasthttp.StatusInternalServerError, "internal", err.Error())
		return
	}
	rc.SetContentType("application/json")
	rc.SetBody(b)
}

// recordsAfter returns up to MaxPageRecords records starting after after,
// reading the index a window at a time and skipping the gaps between
// ranges; more reports that some were left out.
func recordsAfter(a dvr.Archive, ranges []dvr.Range, after time.Time) ([]remote.Record, bool) {
	out := []remote.Record{}
	for _, r := range ranges {
		end := r.From.Add(r.Duration)
		if !end.After(after) {
			continue
		}
		for from := laterOf(r.From, after); from.Before(end); from = from.Add(pageWindow) {
			for _, rec := range a.Records(from, from.Add(pageWindow)) {
				if !rec.Start.After(after) || (len(out) > 0 && !rec.Start.After(time.Unix(0, out[len(out)-1].Start))) {
					continue
				}
				if len(out) == remote.MaxPageRecords {
					return out, true
				}
				out = append(out, remote.RecordOf(rec))
			}
		}
	}
	return out, false
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// serveInit answers epoch=N's init segments.
func serveInit(rc *fasthttp.RequestCtx, a dvr.Archive) {
	epoch, err := strconv.Atoi(string(rc.QueryArgs().Peek("epoch")))
	if err != nil || epoch < 0 {
		writeError(rc, fasthttp.StatusBadRequest, "bad_request", "epoch: want a number")
		return
	}
	in, err := a.Init(dvr.Record{Epoch: epoch})
	if err != nil {
		readFailed(rc, err)
		return
	}
	b, err := json.Marshal(in)
	if err != nil {
		readFailed(rc, err)
		return
	}
	rc.SetContentType("application/json")
	rc.SetBody(b)
}

// serveRecord answers the TS or the CMAF of the record at start=UNIX_NS.
func serveRecord(rc *fasthttp.RequestCtx, a dvr.Archive) {
	ns, err := strconv.ParseInt(string(rc.QueryArgs().Peek("start")), 10, 64)
	if err != nil {
		writeError(rc, fasthttp.StatusBadRequest, "bad_request", "start: want Unix nanoseconds")
		return
	}
	t := time.Unix(0, ns)
	var rec dvr.Record
	found := false
	for _, r := range a.Records(t, t.Add(time.Nanosecond)) {
		if r.Start.Equal(t) {
			rec, found = r, true
		}
	}
	if !found {
		writeError(rc, fasthttp.StatusNotFound, "not_found", "no record starts there")
		return
	}
	rc.SetContentType("application/octet-stream")
	if strings.HasSuffix(string(rc.Path()), "/ts") {
		b, err := a.ReadTS(rec)
		if err != nil {
			readFailed(rc, err)
			return
		}
		rc.SetBody(b)
		return
	}
	frags, err := a.ReadCMAF(rec)
	if err != nil {
		readFailed(rc, err)
		return
	}
	rc.Response.Header.Set(remote.PartsHeader, remote.PartsOf(frags))
	for _, f := range frags {
		rc.Response.AppendBody(f)
	}
}

// readFailed answers a failed read: 404 for a record that is gone.
func readFailed(rc *fasthttp.RequestCtx, err error) {
	if errors.Is(err, dvr.ErrGone) {
		writeError(rc, fasthttp.StatusNotFound, "not_found", err.Error())
		return
	}
	writeError(rc, fasthttp.StatusInternalServerError, "internal", err.Error())
}

// writeError answers status with a JSON error body.
func writeError(rc *fasthttp.RequestCtx, status int, code, msg string) {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": msg}}) // strings: cannot fail
	rc.SetStatusCode(status)
	rc.SetContentType("application/json")
	rc.SetBody(b)
}
