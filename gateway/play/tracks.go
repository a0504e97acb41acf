package play

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"weak"

	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/hls"
	"streamhive/media/segment"
	"streamhive/media/tsselect"
)

// Track selection in the path, as Flussonic names it:
//
//	tracks-v1a1/index.m3u8     master: one variant of the selected tracks
//	tracks-v1a1/mono.m3u8      MPEG-TS media playlist (mono.ll.m3u8: LL-HLS)
//	tracks-v1a1/seg-*.ts       its segments and parts: the stream's TS with
//	                           only the selected tracks (media/tsselect)
//
// vN is the Nth video track, aN the Nth audio track, in track order: the
// numbers media_info.json and MSE-LD give them. The playlists' URIs are
// relative, so a player that read tracks-v1a1/mono.m3u8 asks for
// tracks-v1a1/seg-5.ts. A selected TS is made once per segment (or part)
// and selection and kept while the segment's bytes live (selCache), never
// per viewer.
//
// video.m3u8 is the set-top box playlist: MPEG-TS of the first video and
// the first audio track (tracks-v1a1/mono.m3u8 with the tracks- prefix on
// its URIs, so it lives beside index.m3u8). Flussonic's documentation we
// could read does not describe it; a set-top box plays one TS media
// playlist and many take at most one video and one audio track per
// segment, which mono.m3u8 does not promise for a transcoder's ladder.
const (
	tracksPrefix = "tracks-"
	videoSTB     = "v1a1" // video.m3u8's selection
)

// errNoSelTrack: a selection names a track the stream lacks.
var errNoSelTrack = errors.New("play: the stream has no such track")

// parseTracksDir parses FILE under a tracks-SEL/ path element. isSel is
// false when dir is no track selection (it is part of the stream's name);
// ok is false when FILE is nothing a selection serves.
func parseTracksDir(dir, file string) (r route, isSel, ok bool) {
	sel, found := strings.CutPrefix(dir, tracksPrefix)
	if !found || len(sel) > maxTrackQuery {
		return route{}, false, false
	}
	if _, err := parseTrackList(sel); err != nil {
		return route{}, false, false
	}
	r, ok = parseSelectionFile(file)
	r.tracks = sel
	return r, true, ok
}

// parseSelectionFile parses the files of a tracks-SEL/ directory.
func parseSelectionFile(file string) (route, bool) {
	if file == "index.m3u8" {
		return route{kind: kindMaster, format: hls.TS}, true
	}
	if r, ok := parseMediaPlaylist(file); ok {
		return r, r.format == hls.TS
	}
	ref, err := hls.ParseName(file)
	if err != nil || ref.Format != hls.TS {
		return route{}, false
	}
	return route{kind: kindSegment, format: hls.TS, ref: ref}, true
}

// selectedIDs resolves a selection against an epoch's tracks: the IDs,
// ascending, each once.
func selectedIDs(tracks []media.Track, sel string) ([]int, error) {
	refs, err := parseTrackList(sel)
	if err != nil {
		return nil, err
	}
	keep := make([]bool, len(tracks))
	for _, r := range refs {
		n, found := 0, false
		for _, t := range tracks {
			if t.Codec.Kind() == r.kind {
				if n++; n == r.n {
					keep[t.ID], found = true, true
					break
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: %s%d", errNoSelTrack, string(r.kind[:1]), r.n)
		}
	}
	var ids []int
	for id, k := range keep {
		if k {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// stbSelection is video.m3u8's selection of the stream's tracks: the
// first video and the first audio track ("v1" without audio).
func stbSelection(tracks []media.Track) (string, error) {
	var video, audio bool
	for _, t := range tracks {
		video = video || t.Codec.Kind() == media.KindVideo
		audio = audio || t.Codec.Kind() == media.KindAudio
	}
	switch {
	case !video:
		return "", errNoVideo
	case !audio:
		return "v1", nil
	}
	return videoSTB, nil
}

// dirNames prefixes the TS names of hls.DefaultNames with a directory:
// video.m3u8's segments are those of its tracks- directory.
type dirNames struct {
	hls.DefaultNames
	dir string
}

// Segment implements hls.Names.
func (n dirNames) Segment(seg *segment.Segment, f hls.Format, track int) string {
	return n.dir + n.DefaultNames.Segment(seg, f, track)
}

// Part implements hls.Names.
func (n dirNames) Part(seg *segment.Segment, part int, f hls.Format, track int) string {
	return n.dir + n.DefaultNames.Part(seg, part, f, track)
}

// renderSelection renders a selection's master or media playlist, or
// video.m3u8's.
func renderSelection(w *segment.Window, r route) ([]byte, error) {
	if len(w.Segments) == 0 && (!r.lowLatency || w.Partial == nil) {
		return nil, hls.ErrNotReady // no tracks may be known yet either
	}
	var names hls.Names = hls.DefaultNames{}
	sel := r.tracks
	if r.stb {
		var err error
		if sel, err = stbSelection(w.Tracks); err != nil {
			return nil, err
		}
		names = dirNames{dir: tracksPrefix + sel + "/"}
	}
	ids, err := selectedIDs(w.Tracks, sel)
	if err != nil {
		return nil, err
	}
	if r.kind == kindMaster {
		return hls.Master(w, hls.MasterOptions{Tracks: ids, LowLatency: r.lowLatency, Names: names})
	}
	return hls.Media(w, hls.MediaOptions{Format: hls.TS, LowLatency: r.lowLatency, Skip: r.skip, Names: names})
}

// selectTS returns the selected tracks of the TS segment or part body
// (r.ref in w), made once per body and selection.
func (h *Handler) selectTS(ctx context.Context, st live.Stream, w *segment.Window, r route, body []byte) ([]byte, error) {
	tracks := w.Tracks
	if seg := segmentOf(w, r.ref.MSN); seg != nil {
		tracks = seg.Init.Tracks
	}
	ids, err := selectedIDs(tracks, r.tracks)
	if err != nil {
		return nil, err
	}
	return h.selected.get(body, ids, func() ([]byte, error) {
		p, err := tsselect.ReadProgram(body)
		if errors.Is(err, tsselect.ErrNoProgram) && r.ref.Part > 0 {
			// a part after the first: its segment's first part has the tables
			first, ferr := st.Media(ctx, hls.Ref{Format: hls.TS, MSN: r.ref.MSN, Part: 0})
			if ferr != nil {
				return nil, ferr
			}
			p, err = tsselect.ReadProgram(first)
		}
		if err != nil {
			return nil, err
		}
		// The segmenter lists the PMT's streams in track ID order.
		return tsselect.Select(body, p, ids)
	})
}

// segmentOf returns segment msn of w, finished or in progress, or nil.
func segmentOf(w *segment.Window, msn uint64) *segment.Segment {
	if s := w.Segment(msn); s != nil {
		return s
	}
	if w.Partial != nil && w.Partial.MSN == msn {
		return w.Partial
	}
	return nil
}

// selCache keeps the selected TS of each (source bytes, selection): every
// viewer of a selection gets the bytes the first one made. Keys hold the
// source weakly (a segment's or part's TS, immutable), so an entry lives
// about as long as its segment stays in the stream's window; dead entries
// are swept as new ones arrive. A remote stream's Media fetches new bytes
// per request: its selections are made per request and swept.
type selCache struct {
	m      sync.Map // selKey → *selEntry
	stores atomic.Int64
}

type selKey struct {
	src weak.Pointer[byte]
	n   int    // the source's length: parts may share their segment's array
	ids string // the selection's track IDs
}

type selEntry struct {
	once sync.Once
	out  []byte
	err  error
}

// selSweepEvery: a sweep of dead entries per this many new ones.
const selSweepEvery = 64

// get returns the selection of src, made by mk at most once at a time.
// Errors are not kept.
func (c *selCache) get(src []byte, ids []int, mk func() ([]byte, error)) ([]byte, error) {
	if len(src) == 0 {
		return mk()
	}
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(strconv.Itoa(id) + ",")
	}
	key := selKey{src: weak.Make(&src[0]), n: len(src), ids: b.String()}
	v, loaded := c.m.LoadOrStore(key, &selEntry{})
	if !loaded && c.stores.Add(1)%selSweepEvery == 0 {
		c.sweep()
	}
	e := v.(*selEntry)
	e.once.Do(func() { e.out, e.err = mk() })
	if e.err != nil {
		c.m.CompareAndDelete(key, e)
	}
	return e.out, e.err
}

// sweep drops the entries whose source is garbage.
func (c *selCache) sweep() {
	c.m.Range(func(k, _ any) bool {
		if k.(selKey).src.Value() == nil {
			c.m.Delete(k)
		}
		return true
	})
}
