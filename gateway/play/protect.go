package play

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media/drm"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// A protected stream's outputs go out encrypted or not at all. The layer
// sits at the serving seam: segments, parts and inits come from
// Stream.Media in clear, are encrypted here with the key of the time they
// were recorded and cached per key; playlists and the MPD get their
// signalling added when rendered. Outputs that cannot be encrypted are
// refused (403) unless the configuration lets them out clear.

// DRM finds a stream's protection. The server implements it over the
// running configuration and the streams' key sources.
type DRM interface {
	// Protection returns the protection of the named stream; false: the
	// stream is not protected.
	Protection(stream string) (Protection, bool)
}

// Protection is how a protected stream's outputs are encrypted.
type Protection struct {
	Keys drm.KeySource
	TS   drm.Scheme // HLS MPEG-TS: drm.AES128 or drm.SampleAES
	HLS  drm.Scheme // HLS fMP4: drm.CBCS (or drm.CENC)
	DASH drm.Scheme // DASH: drm.CENC (or drm.CBCS)
	// Clear lists the outputs (protocol names: ProtoJPEG, ProtoTSHTTP, ...)
	// the configuration explicitly lets out unencrypted.
	Clear []string
}

const (
	codeProtected = "protected"
	codeNoKey     = "key_unavailable"
	// drmAtKey is the query of an init's URI naming the key's start (unix
	// ms): the init carries the key id, so it changes with rotation.
	drmAtKey = "drm_at"
)

// protection returns the stream's protection; false for a clear stream.
func (h *Handler) protection(name string) (Protection, bool) {
	if h.drm == nil {
		return Protection{}, false
	}
	return h.drm.Protection(name)
}

// refusedClear answers 403 when r asks a protected stream for an output
// that cannot be encrypted and the configuration does not let it out.
func (h *Handler) refusedClear(rc *fasthttp.RequestCtx, r route) bool {
	p, ok := h.protection(r.name)
	if !ok || encryptable(r) {
		return false
	}
	proto, _ := r.protocol()
	if slices.Contains(p.Clear, proto) {
		return false
	}
	writeError(rc, fasthttp.StatusForbidden, codeProtected,
		"stream "+strconv.Quote(r.name)+" is protected: "+proto+" cannot be encrypted")
	return true
}

// encryptable: the outputs this layer encrypts or that carry no media.
func encryptable(r route) bool {
	switch r.kind {
	case kindMaster, kindMedia, kindSegment, kindMPD, kindMediaInfo, kindInfo, kindIndexJSON, kindEmbed:
		return r.tracks == "" || r.kind != kindSegment || r.format == hls.TS
	case kindArchive:
		return archiveEncryptable(r.arc) // protect_archive.go
	case kindMPEGTS, kindPreview, kindPreviewMP4, kindLiveDTS, kindImage, kindImagePlaylist, kindMSELD:
		return false
	}
	return false
}

// keyFailed answers a protected output whose key cannot be had: 503 and
// a JSON error, never clear media.
func (h *Handler) keyFailed(rc *fasthttp.RequestCtx, name string, err error) {
	h.log.Warn("drm: no key", "stream", name, "error", err)
	rc.Response.Header.Set(fasthttp.HeaderRetryAfter, "1")
	writeError(rc, fasthttp.StatusServiceUnavailable, codeNoKey, "stream "+strconv.Quote(name)+": content key unavailable")
}

// mediaTime is the recording time of the segment ref names (its program
// date time); the init's is its drm_at query, else now.
func mediaTime(rc *fasthttp.RequestCtx, w *segment.Window, ref hls.Ref) (time.Time, bool) {
	if ref.Init {
		if ms, err := strconv.ParseInt(string(rc.QueryArgs().Peek(drmAtKey)), 10, 64); err == nil {
			return time.UnixMilli(ms), true
		}
		return time.Now(), true
	}
	if s := w.Segment(ref.MSN); s != nil {
		return s.ProgramDateTime, true
	}
	if p := w.Partial; p != nil && p.MSN == ref.MSN {
		return p.ProgramDateTime, true
	}
	return time.Time{}, false
}

// sealCache holds encrypted bytes per resource and key, and the
// encrypting form of each init, while they are hot. Bounded in entries and
// bytes: when full it starts over (entries are cheap to make again).
type sealCache struct {
	mu     sync.Mutex
	sealed map[sealKey][]byte
	bytes  int
	tracks map[trackKey]*drm.CMAFTrack
	// starts keeps each protected stream's MPD Period starts.
	starts map[string]*drm.PeriodStarts
}

type sealKey struct {
	stream string
	tracks string // a track selection's TS differs from the whole one
	ref    hls.Ref
	// at is the recording time (Unix ms): a stream that restarts its
	// sequence numbers names other media by the same ref.
	at     int64
	scheme drm.Scheme
	kid    [16]byte
}

type trackKey struct {
	stream string
	epoch  int
	track  int
	scheme drm.Scheme
	kid    [16]byte
}

const (
	maxSealed      = 1024
	maxSealedBytes = 64 << 20
)

func (c *sealCache) get(k sealKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.sealed[k]
	return b, ok
}

func (c *sealCache) put(k sealKey, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sealed == nil || len(c.sealed) >= maxSealed || c.bytes+len(b) > maxSealedBytes {
		c.sealed, c.bytes = make(map[sealKey][]byte), 0
	}
	c.sealed[k] = b
	c.bytes += len(b)
}

// periodStarts returns the stream's kept Period starts. Bounded like the
// rest: when full it starts over (a Period listed then may move once).
func (c *sealCache) periodStarts(stream string) *drm.PeriodStarts {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps, ok := c.starts[stream]
	if !ok {
		if c.starts == nil || len(c.starts) >= maxSealed {
			c.starts = make(map[string]*drm.PeriodStarts)
		}
		ps = &drm.PeriodStarts{}
		c.starts[stream] = ps
	}
	return ps
}

func (c *sealCache) track(k trackKey, build func() (*drm.CMAFTrack, error)) (*drm.CMAFTrack, error) {
	c.mu.Lock()
	t, ok := c.tracks[k]
	c.mu.Unlock()
	if ok {
		return t, nil
	}
	t, err := build()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tracks == nil || len(c.tracks) >= maxSealed {
		c.tracks = make(map[trackKey]*drm.CMAFTrack)
	}
	c.tracks[k] = t
	return t, nil
}

var errNoMediaTime = errors.New("play: segment left the window")

// seal encrypts body, the clear bytes of r's segment, part or init, with
// the key of its recording time.
func (h *Handler) seal(rc *fasthttp.RequestCtx, st live.Stream, r route, p Protection, body []byte) ([]byte, error) {
	w := st.Window()
	at, ok := mediaTime(rc, w, r.ref)
	if !ok {
		return nil, errNoMediaTime
	}
	key, err := p.Keys.KeyAt(at)
	if err != nil {
		return nil, err
	}
	scheme := p.HLS
	switch {
	case r.ref.Format == hls.TS:
		scheme = p.TS
	case r.dash:
		scheme = p.DASH
	}
	sk := sealKey{stream: r.name, tracks: r.tracks, ref: r.ref, scheme: scheme, kid: key.KID}
	if !r.ref.Init { // an init's is its key's (or now)
		sk.at = at.UnixMilli()
	}
	if b, ok := h.sealed.get(sk); ok {
		return b, nil
	}
	var out []byte
	switch scheme {
	case drm.AES128:
		out, err = drm.EncryptAES128(body, key, tsIV(at))
	case drm.SampleAES:
		out, err = h.sealSampleAES(st, r, key, segmentIV(scheme, key, at), body)
	case drm.CENC, drm.CBCS:
		out, err = h.sealCMAF(st, r, scheme, key, at, body)
	default:
		err = fmt.Errorf("play: stream %q: no %q encryption for this output", r.name, scheme)
	}
	if err != nil {
		return nil, err
	}
	h.sealed.put(sk, out)
	return out, nil
}

// sealCMAF encrypts an init or fragments of an fMP4 track; at is the
// program date time of the segment they are or belong to (mediaTime).
func (h *Handler) sealCMAF(st live.Stream, r route, scheme drm.Scheme, key drm.Key, at time.Time, body []byte) ([]byte, error) {
	epoch := r.ref.Epoch
	if !r.ref.Init {
		w := st.Window()
		s := w.Segment(r.ref.MSN)
		if s == nil {
			s = w.Partial
		}
		if s == nil || s.Init == nil {
			return nil, errNoMediaTime
		}
		epoch = s.Init.Epoch
	}
	tk := trackKey{stream: r.name, epoch: epoch, track: r.ref.Track, scheme: scheme, kid: key.KID}
	t, err := h.sealed.track(tk, func() (*drm.CMAFTrack, error) {
		init := body
		if !r.ref.Init {
			var err error
			init, err = st.Media(h.ctx, hls.Ref{Format: hls.FMP4, Init: true, Epoch: epoch, Track: r.ref.Track})
			if err != nil || init == nil {
				return nil, errors.Join(errNoMediaTime, err)
			}
		}
		return drm.ProtectTrack(init, key, scheme, r.ref.Track)
	})
	if err != nil {
		return nil, err
	}
	if r.ref.Init {
		return t.Init(), nil
	}
	return t.Encrypt(body, at)
}

// refusedWHEP answers 403 to a WebRTC viewer of a protected stream unless
// the configuration lets WebRTC out clear.
func (h *Handler) refusedWHEP(rc *fasthttp.RequestCtx, name string) bool {
	p, ok := h.protection(name)
	if !ok || slices.Contains(p.Clear, ProtoWebRTC) {
		return false
	}
	writeError(rc, fasthttp.StatusForbidden, codeProtected, "stream "+strconv.Quote(name)+" is protected: webrtc cannot be encrypted")
	return true
}
