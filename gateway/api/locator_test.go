package api

import (
	"context"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api/apitest"
	"streamhive/gateway/live"
	"streamhive/media/stats"
)

// elsewhere is a Control whose locator finds its streams on another node:
// the API must act on what Locate hands out, not on the actor system.
type elsewhere struct {
	*apitest.Control
	streams map[string]*remoteStream
}

func (e elsewhere) Locate(name string) (live.Location, bool) {
	s, ok := e.streams[name]
	if !ok {
		return live.Location{}, false
	}
	return live.Location{Node: "node-b", Stream: s}, true
}

// remoteStream records the control calls that reach it. The playback
// methods (the embedded, nil live.Stream) are never called by the API.
type remoteStream struct {
	live.Stream
	stats    *stats.Stream
	stopped  int
	selected []int
}

func (s *remoteStream) Stats() (stats.Stream, bool) {
	if s.stats == nil {
		return stats.Stream{}, false
	}
	return *s.stats, true
}
func (s *remoteStream) Stop(context.Context) error { s.stopped++; return nil }

func (s *remoteStream) SelectInput(_ context.Context, index int) error {
	s.selected = append(s.selected, index)
	return nil
}

// TestLocatorReachesStreams: stats, stop and input select go to the
// stream the locator hands out; a configured stream it does not find is
// not running (stats say so, stop and select answer 404).
func TestLocatorReachesStreams(t *testing.T) {
	ctl := apitest.New(testConfig(t, bunnyConf))
	cam := &remoteStream{stats: &stats.Stream{Alive: true, Lifetime: 77 * time.Millisecond, Bitrate: 321_000}}
	h := startHarness(t, ctl, elsewhere{Control: ctl, streams: map[string]*remoteStream{"cam1": cam}})
	ctl.SetStats("news", &stats.Stream{Alive: true}) // the fake's own: not located, so unseen

	var st struct {
		Stats *StreamStats `json:"stats"`
	}
	h.get("streams/cam1").json(t, &st)
	if st.Stats == nil || !st.Stats.Alive || st.Stats.Lifetime != 77 || st.Stats.Bitrate != 321 {
		t.Errorf("cam1 stats %+v, want the located stream's", st.Stats)
	}
	st.Stats = nil
	h.get("streams/news").json(t, &st)
	if st.Stats == nil || st.Stats.Alive {
		t.Errorf("news stats %+v, want not alive: the locator does not find it", st.Stats)
	}

	mustStatus(t, h.do(fasthttp.MethodPost, "streams/cam1/stop", ""), fasthttp.StatusNoContent)
	mustStatus(t, h.do(fasthttp.MethodPost, "streams/cam1/inputs/1/select", ""), fasthttp.StatusNoContent)
	if cam.stopped != 1 || len(cam.selected) != 1 || cam.selected[0] != 1 {
		t.Errorf("located stream: stopped %d, selected %v; want 1, [1]", cam.stopped, cam.selected)
	}
	if got := ctl.Stopped(); len(got) != 0 {
		t.Errorf("the fake actor system was stopped %v: the call bypassed the locator", got)
	}

	mustError(t, h.do(fasthttp.MethodPost, "streams/news/stop", ""), fasthttp.StatusNotFound, "not_found")
	mustError(t, h.do(fasthttp.MethodPost, "streams/news/inputs/0/select", ""), fasthttp.StatusNotFound, "stream_not_found")
}
