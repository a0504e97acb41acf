package peer

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/m4f"
	"streamhive/media/mediatest"
)

const key = "cluster-secret"

// hubStream is a local stream as the handler sees it: a live.Stream (its
// other methods unused here) whose frames come from a real hub.
type hubStream struct {
	live.Stream
	h *hub.Hub
}

func (s hubStream) SourceFrames(context.Context) (*hub.Consumer, error) { return s.h.Subscribe(), nil }

// locator is a live.Locator over a map; remote names run elsewhere.
type locator struct {
	local  map[string]*hub.Hub
	remote map[string]bool
}

func (l locator) Locate(name string) (live.Location, bool) {
	if h, ok := l.local[name]; ok {
		return live.Location{Node: live.Local, Stream: hubStream{h: h}}, true
	}
	if l.remote[name] {
		return live.Location{Node: "node-b", Stream: hubStream{}}, true
	}
	return live.Location{}, false
}

// serve runs h on 127.0.0.1 and returns its base URL.
func serve(t *testing.T, h *M4F) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: h.Serve}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		h.Close()
		_ = srv.Shutdown()
	})
	return "http://" + ln.Addr().String()
}

func get(t *testing.T, url, proof string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if proof != "" {
		req.Header.Set(cluster.KeyHeader, proof)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func newHandler(l locator) *M4F {
	return &M4F{
		Streams: l, Key: func() string { return key },
		Relayed:   func(name string) bool { return name == "relayed" },
		Protected: func(name string) bool { return name == "paid" },
	}
}

func TestM4FRefuses(t *testing.T) {
	h := hub.New(hub.Options{})
	defer h.Close()
	l := locator{local: map[string]*hub.Hub{"cam": h, "relayed": h, "paid": h}, remote: map[string]bool{"far": true}}
	base := serve(t, newHandler(l))
	good := cluster.KeyProof(key, time.Now())
	for _, tc := range []struct {
		name, path, proof string
		want              int
	}{
		{"no proof", "cam", "", http.StatusForbidden},
		{"the wrong key", "cam", cluster.KeyProof("other", time.Now()), http.StatusForbidden},
		{"the key in clear", "cam", key, http.StatusForbidden},
		{"a stale proof", "cam", cluster.KeyProof(key, time.Now().Add(-time.Hour)), http.StatusForbidden},
		{"unknown stream", "nope", good, http.StatusNotFound},
		{"a stream of another node", "far", good, http.StatusNotFound},
		{"a stream relayed here", "relayed", good, http.StatusNotFound},
		{"no name", "", good, http.StatusNotFound},
		{"a protected stream: its relay would serve it clear", "paid", good, http.StatusForbidden},
	} {
		resp := get(t, base+m4f.Path+tc.path, tc.proof)
		if resp.StatusCode != tc.want || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %s %s, want %d", tc.name, resp.Status, resp.Header.Get("Content-Type"), tc.want)
		}
	}
}

// TestM4FProtectedToAProtectingNode: a protected stream's frames go to a
// pull that says its node protects the stream itself (its relay encrypts
// with its own drm line), never to one that does not, nor to one that
// says so without a valid proof of the cluster key.
func TestM4FProtectedToAProtectingNode(t *testing.T) {
	h := hub.New(hub.Options{})
	defer h.Close()
	h.SetTracks([]media.Track{{ID: 0, Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}, SampleRate: 48000, Channels: 2}})
	h.NewWriter().WriteFrame(&media.Frame{Track: 0, DTS: time.Second, PTS: time.Second, Keyframe: true, Data: [][]byte{{0x21}}})
	base := serve(t, newHandler(locator{local: map[string]*hub.Hub{"paid": h}}))
	good := cluster.KeyProof(key, time.Now())
	for _, tc := range []struct {
		name, proof, protects string
		want                  int
	}{
		{"no word of protection", good, "", http.StatusForbidden},
		{"another value", good, "yes", http.StatusForbidden},
		{"protecting without the key", cluster.KeyProof("other", time.Now()), m4f.ProtectsValue, http.StatusForbidden},
		{"a node that protects it", good, m4f.ProtectsValue, http.StatusOK},
	} {
		resp := get(t, base+m4f.Path+"paid", tc.proof, m4f.ProtectsHeader, tc.protects)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %s, want %d", tc.name, resp.Status, tc.want)
			continue
		}
		if tc.want != http.StatusOK {
			continue
		}
		if tracks, _, err := m4f.NewReader(resp.Body).Next(); err != nil || len(tracks) != 1 {
			t.Errorf("%s: tracks %+v, %v", tc.name, tracks, err)
		}
	}
}

// TestM4FNoKeyConfigured: a node without cluster_key serves nobody.
func TestM4FNoKeyConfigured(t *testing.T) {
	h := hub.New(hub.Options{})
	defer h.Close()
	m := newHandler(locator{local: map[string]*hub.Hub{"cam": h}})
	m.Key = func() string { return "" }
	if resp := get(t, serve(t, m)+m4f.Path+"cam", cluster.KeyProof("", time.Now())); resp.StatusCode != http.StatusForbidden {
		t.Errorf("%s", resp.Status)
	}
}

// TestM4FFramesFlow: the pull starts at the cached keyframe, follows
// live frames and a change of tracks, and ends when the stream stops.
func TestM4FFramesFlow(t *testing.T) {
	h := hub.New(hub.Options{})
	video := media.Track{ID: 0, Codec: media.CodecH264, SPS: []byte{0x67}, PPS: []byte{0x68}, Width: 320, Height: 240}
	aac := media.Track{ID: 1, Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}, SampleRate: 48000, Channels: 2}
	h.SetTracks([]media.Track{video, aac})
	w := h.NewWriter()
	w.WriteFrame(&media.Frame{Track: 0, DTS: time.Minute, PTS: time.Minute, Keyframe: true, Data: [][]byte{{0x65, 1}}})
	base := serve(t, newHandler(locator{local: map[string]*hub.Hub{"live/cam": h}}))
	resp := get(t, base+m4f.Path+"live/cam", cluster.KeyProof(key, time.Now()))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s", resp.Status)
	}
	r := m4f.NewReader(resp.Body)
	next := func() ([]media.Track, *media.Frame) {
		t.Helper()
		tracks, f, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		return tracks, f
	}
	if tracks, _ := next(); len(tracks) != 2 || tracks[1].SampleRate != 48000 || r.Stream() != "live/cam" {
		t.Fatalf("tracks %+v of %q", tracks, r.Stream())
	}
	if _, f := next(); f == nil || !f.Keyframe || f.DTS != time.Minute {
		t.Fatalf("first frame %+v, want the cached keyframe", f)
	}
	w.WriteFrame(&media.Frame{Track: 1, DTS: time.Minute + 10*time.Millisecond, PTS: time.Minute + 10*time.Millisecond, Keyframe: true, Data: [][]byte{{0x21}}})
	if _, f := next(); f == nil || f.Track != 1 || f.DTS != time.Minute+10*time.Millisecond {
		t.Fatalf("live frame %+v", f)
	}
	h.SetTracks([]media.Track{video})
	w.WriteFrame(&media.Frame{Track: 0, DTS: 2 * time.Minute, PTS: 2 * time.Minute, Keyframe: true, Data: [][]byte{{0x65, 2}}})
	if tracks, _ := next(); len(tracks) != 1 {
		t.Fatalf("tracks after the change: %+v", tracks)
	}
	if _, f := next(); f == nil || f.DTS != 2*time.Minute {
		t.Fatalf("frame after the change %+v", f)
	}
	h.Close()
	if _, _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the stream stopped: %v, want io.EOF", err)
	}
}

// TestM4FPullerLeaves: when the pulling node goes, its consumer leaves
// the hub (at the next frame the handler cannot write).
func TestM4FPullerLeaves(t *testing.T) {
	h := hub.New(hub.Options{})
	defer h.Close()
	h.SetTracks([]media.Track{{ID: 0, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2}})
	w := h.NewWriter()
	base := serve(t, newHandler(locator{local: map[string]*hub.Hub{"a": h}}))
	resp := get(t, base+m4f.Path+"a", cluster.KeyProof(key, time.Now()))
	mediatest.WaitFor(t, 5*time.Second, "the pull's consumer", func() bool { return h.Stats().Consumers == 1 })
	_ = resp.Body.Close()
	for i := 0; !mediatest.Eventually(100*time.Millisecond, func() bool { return h.Stats().Consumers == 0 }); i++ {
		if i > 100 {
			t.Fatal("the consumer stayed after the puller left")
		}
		w.WriteFrame(&media.Frame{Track: 0, DTS: time.Duration(i) * time.Millisecond, Keyframe: true, Data: [][]byte{make([]byte, 64<<10)}})
	}
}

// TestM4FPullCountsAsViewer: a pull counts through Pulling from its start
// until it ends (here the stream stops), so that the owner keeps an
// on-demand stream running for the pulling node's viewers; a refused pull
// never counts.
func TestM4FPullCountsAsViewer(t *testing.T) {
	h := hub.New(hub.Options{})
	h.SetTracks([]media.Track{{ID: 0, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2}})
	var pulling atomic.Int64
	handler := newHandler(locator{local: map[string]*hub.Hub{"a": h}})
	handler.Pulling = func(name string) func() {
		if name != "a" {
			t.Errorf("pulling %q", name)
		}
		pulling.Add(1)
		return func() { pulling.Add(-1) }
	}
	base := serve(t, handler)
	if resp := get(t, base+m4f.Path+"nope", cluster.KeyProof(key, time.Now())); resp.StatusCode != http.StatusNotFound || pulling.Load() != 0 {
		t.Fatalf("unknown stream: %s, %d pulling", resp.Status, pulling.Load())
	}
	resp := get(t, base+m4f.Path+"a", cluster.KeyProof(key, time.Now()))
	defer func() { _ = resp.Body.Close() }()
	mediatest.WaitFor(t, 5*time.Second, "the pull counted", func() bool { return pulling.Load() == 1 })
	h.Close()
	mediatest.WaitFor(t, 5*time.Second, "the pull's end counted", func() bool { return pulling.Load() == 0 })
}
