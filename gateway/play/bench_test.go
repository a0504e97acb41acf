package play

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
	"streamhive/media/hls"
)

// benchHandler serves "b", a stream holding 12 s of the clip that does not
// change, so every request of a benchmark sees one window version.
func benchHandler(b *testing.B) *Handler {
	b.Helper()
	st := &fakeStream{}
	st.set(staticSegmenter(b, 12*time.Second))
	h := New(Options{Streams: fakeStreams{"live/b": st}})
	b.Cleanup(h.Close)
	return h
}

// benchServe drives h.Serve for uri the way fasthttp's server does,
// without the network: the cost of the handler itself.
func benchServe(b *testing.B, h *Handler, uri string) {
	var rc fasthttp.RequestCtx
	rc.Request.SetRequestURI(uri)
	h.Serve(&rc)
	if rc.Response.StatusCode() != 200 {
		b.Fatalf("%s: status %d: %s", uri, rc.Response.StatusCode(), rc.Response.Body())
	}
	b.ReportAllocs()
	for b.Loop() {
		rc.Response.Reset()
		h.Serve(&rc)
	}
}

// BenchmarkPlaylist: an LL-HLS media playlist, cached per window version.
func BenchmarkPlaylist(b *testing.B) {
	benchServe(b, benchHandler(b), "/live/b/track-0.ll.m3u8")
}

// BenchmarkPlaylistMaster: the master playlist (index.m3u8).
func BenchmarkPlaylistMaster(b *testing.B) {
	benchServe(b, benchHandler(b), "/live/b/index.m3u8")
}

// BenchmarkPlaylistRender is what BenchmarkPlaylist would cost without
// the cache: rendering the same playlist on every request.
func BenchmarkPlaylistRender(b *testing.B) {
	w := staticSegmenter(b, 12*time.Second).Window()
	o := hls.MediaOptions{Format: hls.FMP4, Track: 0, LowLatency: true, Names: hls.DefaultNames{}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := hls.Media(w, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSegment: a TS segment, sent without copying.
func BenchmarkSegment(b *testing.B) {
	benchServe(b, benchHandler(b), "/live/b/seg-3.ts")
}

// BenchmarkPart: an LL-HLS CMAF part.
func BenchmarkPart(b *testing.B) {
	benchServe(b, benchHandler(b), "/live/b/seg-3.part-1.t0.m4s")
}

// lookupGate is the cheapest Gate that keeps sessions: a known token is
// one map read, as the session registry's hot path is meant to be. It
// measures what the handler adds around Admit (building the Viewer,
// the query, reporting bytes), not the registry.
type lookupGate struct{ sessions sync.Map } // token → *fakeTicket

func (g *lookupGate) Admit(_ context.Context, v sessions.Viewer) sessions.Admission {
	t, ok := g.sessions.Load(v.Token)
	if !ok {
		t, _ = g.sessions.LoadOrStore(v.Token, &fakeTicket{ended: make(chan struct{})})
	}
	return sessions.Admission{Verdict: auth.Allow, Ticket: t.(*fakeTicket), ChildQuery: v.Query}
}

// benchGated is benchHandler with every request through a lookupGate.
func benchGated(b *testing.B) *Handler {
	b.Helper()
	st := &fakeStream{}
	st.set(staticSegmenter(b, 12*time.Second))
	h := New(Options{Streams: fakeStreams{"live/b": st}, Gate: &lookupGate{}})
	b.Cleanup(h.Close)
	return h
}

// BenchmarkSegmentGate: BenchmarkSegment for a viewer of a known session.
func BenchmarkSegmentGate(b *testing.B) {
	benchServe(b, benchGated(b), "/live/b/seg-3.ts?token=0123456789abcdef")
}

// BenchmarkPlaylistGate: BenchmarkPlaylist for a viewer of a known
// session: the cached rendering with the token spliced into its URIs.
func BenchmarkPlaylistGate(b *testing.B) {
	benchServe(b, benchGated(b), "/live/b/track-0.ll.m3u8?token=0123456789abcdef")
}

// benchTable is benchHandler with every request through a real
// sessions.Table whose stream "live/b" is protected by a policy that
// allows at once: after the first request the viewer's session is known,
// as with cached backend decisions.
func benchTable(b *testing.B) *Handler {
	b.Helper()
	st := &fakeStream{}
	st.set(staticSegmenter(b, 12*time.Second))
	t := sessions.New(sessions.Options{Policies: allowPolicies{}})
	b.Cleanup(t.Close)
	h := New(Options{Streams: fakeStreams{"live/b": st}, Gate: t})
	b.Cleanup(h.Close)
	return h
}

// allowPolicies protects every stream with a policy that allows.
type allowPolicies struct{}

func (allowPolicies) Play(string) auth.Policy    { return allowPolicy{} }
func (allowPolicies) Publish(string) auth.Policy { return nil }

type allowPolicy struct{}

func (allowPolicy) Check(context.Context, auth.Request) auth.Decision {
	return auth.Decision{Verdict: auth.Allow, Duration: time.Hour}
}
func (allowPolicy) Limits() auth.Limits { return auth.Limits{} }

// BenchmarkSegmentTable: BenchmarkSegment for a viewer of a known session
// in the real session registry.
func BenchmarkSegmentTable(b *testing.B) {
	benchServe(b, benchTable(b), "/live/b/seg-3.ts?token=0123456789abcdef")
}

// BenchmarkPlaylistTable: BenchmarkPlaylist for a viewer of a known
// session in the real session registry, its token spliced in.
func BenchmarkPlaylistTable(b *testing.B) {
	benchServe(b, benchTable(b), "/live/b/track-0.ll.m3u8?token=0123456789abcdef")
}

// TestServingAllocs holds the serving paths to what their benchmarks
// show: one allocation per request (the copy of the path that the route
// keeps), whether the answer is a segment, a part or a cached playlist.
func TestServingAllocs(t *testing.T) {
	st := &fakeStream{}
	st.set(staticSegmenter(t, 12*time.Second))
	h := New(Options{Streams: fakeStreams{"live/b": st}})
	defer h.Close()
	for _, uri := range []string{"/live/b/track-0.ll.m3u8", "/live/b/seg-3.ts", "/live/b/seg-3.part-1.t0.m4s", "/live/b/seg-3.t0.m4s"} {
		var rc fasthttp.RequestCtx
		rc.Request.SetRequestURI(uri)
		h.Serve(&rc)
		if rc.Response.StatusCode() != 200 {
			t.Fatalf("%s: status %d: %s", uri, rc.Response.StatusCode(), rc.Response.Body())
		}
		if n := testing.AllocsPerRun(100, func() { rc.Response.Reset(); h.Serve(&rc) }); n > 1 {
			t.Errorf("%s: %.0f allocations per request, want at most 1", uri, n)
		}
	}
}
