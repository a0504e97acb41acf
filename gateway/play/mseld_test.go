package play

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"
	"github.com/fasthttp/websocket"

	"streamhive/media"
	"streamhive/media/mediatest"
)

// wsURL is the MSE-LD URL of stream name on the harness.
func (hr *harness) wsURL(name, query string) string {
	u := "ws" + strings.TrimPrefix(hr.base, "http") + "/" + name + "/mse_ld"
	if query != "" {
		u += "?" + query
	}
	return u
}

// dialMSE opens an MSE-LD socket; it closes when the test ends.
func dialMSE(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", url, err, status)
	}
	t.Cleanup(func() { _ = ws.Close() })
	return ws
}

// mseRead is what a client read: the init messages and each track's
// fragments by the tfhd track_ID, in order, and the events.
type mseRead struct {
	inits  []mseInit
	frags  map[uint32][][]byte
	events []string
}

// readMSE reads messages until until says it has enough, or fails the
// test after 10 s.
func readMSE(t *testing.T, ws *websocket.Conn, until func(*mseRead) bool) *mseRead {
	t.Helper()
	r := &mseRead{frags: map[uint32][][]byte{}}
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for !until(r) {
		typ, msg, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v (so far %d inits, %d tracks, events %v)", err, len(r.inits), len(r.frags), r.events)
		}
		if typ == websocket.BinaryMessage {
			at, ok := tfhdTrackIDAt(msg)
			if !ok {
				t.Fatalf("binary message without tfhd: % x", msg[:min(len(msg), 64)])
			}
			id := binary.BigEndian.Uint32(msg[at:])
			r.frags[id] = append(r.frags[id], msg)
			continue
		}
		var head struct{ Type, Event string }
		if err := json.Unmarshal(msg, &head); err != nil {
			t.Fatalf("text message %q: %v", msg, err)
		}
		switch head.Type {
		case "mse_init_segment":
			var in mseInit
			if err := json.Unmarshal(msg, &in); err != nil {
				t.Fatal(err)
			}
			r.inits = append(r.inits, in)
		case "event":
			r.events = append(r.events, head.Event)
		default:
			t.Fatalf("unexpected message %s", msg)
		}
	}
	return r
}

// fragments returns a predicate: n fragments of every track the last init
// announced.
func fragments(n int) func(*mseRead) bool {
	return func(r *mseRead) bool {
		if len(r.inits) == 0 {
			return false
		}
		for _, tr := range r.inits[len(r.inits)-1].Tracks {
			if len(r.frags[tr.ID]) < n {
				return false
			}
		}
		return true
	}
}

// contents returns the content of each track of an init message.
func contents(in mseInit) []string {
	var c []string
	for _, tr := range in.Tracks {
		c = append(c, tr.Content)
	}
	return c
}

func TestMSELDPlays(t *testing.T) {
	t.Parallel()
	hr := newHarness(t)
	ws := dialMSE(t, hr.wsURL("live/bunny", ""))
	r := readMSE(t, ws, fragments(3))
	in := r.inits[0]
	if got := strings.Join(contents(in), ","); got != "video,audio" {
		t.Fatalf("init tracks %s, want video,audio", got)
	}
	if len(in.Metadata.Tracks) < 2 || in.Metadata.Tracks[0].TrackID != "v1" || in.Metadata.Tracks[0].Width != 320 {
		t.Errorf("metadata %+v", in.Metadata)
	}
	for _, tr := range in.Tracks {
		meta := in.Metadata.Tracks[tr.ID-1] // Flussonic's player indexes by id-1
		if meta.Content != tr.Content {
			t.Errorf("track %d is %s, metadata[%d] %s", tr.ID, tr.Content, tr.ID-1, meta.Content)
		}
		if !strings.HasPrefix(tr.Codecs, map[string]string{"video": "avc1.", "audio": "mp4a.40."}[tr.Content]) {
			t.Errorf("track %d codecs %q", tr.ID, tr.Codecs)
		}
		f, err := mp4.DecodeFile(bytes.NewReader(tr.Payload))
		if err != nil || f.Init == nil {
			t.Fatalf("track %d init: %v", tr.ID, err)
		}
		if id := f.Init.Moov.Trak.Tkhd.TrackID; id != tr.ID {
			t.Errorf("init of track %d: tkhd track_ID %d", tr.ID, id)
		}
		if id := f.Init.Moov.Mvex.Trex.TrackID; id != tr.ID {
			t.Errorf("init of track %d: trex track_ID %d", tr.ID, id)
		}
		first := r.frags[tr.ID][0]
		ff, err := mp4.DecodeFile(bytes.NewReader(first))
		if err != nil || len(ff.Segments) == 0 {
			t.Fatalf("track %d fragment: %v", tr.ID, err)
		}
		if tr.Content == "video" {
			trun := ff.Segments[0].Fragments[0].Moof.Traf.Trun
			flags, ok := trun.FirstSampleFlags()
			if !ok {
				flags = trun.GetSamples()[0].Flags
			}
			if !mp4.IsSyncSampleFlags(flags) {
				t.Errorf("first video fragment does not start with a keyframe")
			}
		}
	}
}

func TestMSELDTrackSelection(t *testing.T) {
	t.Parallel()
	hr := newHarness(t)
	audio := readMSE(t, dialMSE(t, hr.wsURL("live/bunny", "tracks=a1")), fragments(2))
	if got := strings.Join(contents(audio.inits[0]), ","); got != "audio" {
		t.Errorf("tracks=a1: init tracks %s", got)
	}
	if len(audio.frags) != 1 {
		t.Errorf("tracks=a1: fragments of %d tracks", len(audio.frags))
	}

	ws := dialMSE(t, hr.wsURL("live/bunny", ""))
	readMSE(t, ws, fragments(1))
	if err := ws.WriteMessage(websocket.TextMessage, []byte("set_tracks=v1")); err != nil {
		t.Fatal(err)
	}
	r := readMSE(t, ws, func(r *mseRead) bool { return len(r.inits) == 1 && fragments(2)(r) })
	if got := strings.Join(contents(r.inits[0]), ","); got != "video" {
		t.Errorf("set_tracks=v1: init tracks %s", got)
	}
	if len(r.events) == 0 || r.events[0] != "tracks_switched" {
		t.Errorf("set_tracks=v1: events %v", r.events)
	}

	for _, q := range []string{"tracks=v2", "tracks=x1", "tracks=" + strings.Repeat("v1", 20)} {
		_, resp, err := websocket.DefaultDialer.Dial(hr.wsURL("live/bunny", q), nil)
		if !errors.Is(err, websocket.ErrBadHandshake) || resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %v, want 400", q, err)
		}
	}
}

func TestMSELDRefuses(t *testing.T) {
	t.Parallel()
	hr := newHarness(t)
	hr.streams["nohls"].disabled[ProtoMSELD] = true // before any request reads it
	for _, tc := range []struct {
		name string
		want int
	}{
		{"nosuch", http.StatusNotFound},
		{"nohls", http.StatusForbidden}, // producing, but its outputs are off
		{"idle", http.StatusServiceUnavailable},
	} {
		_, resp, err := websocket.DefaultDialer.Dial(hr.wsURL(tc.name, ""), nil)
		if err == nil || resp == nil || resp.StatusCode != tc.want {
			t.Errorf("%s: %v, want %d", tc.name, err, tc.want)
		}
	}
	resp, err := http.Get(hr.base + "/live/bunny/mse_ld") // no Upgrade
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("plain GET: %v %v, want 400", err, resp)
	}
	_ = resp.Body.Close()
}

func TestMSELDPauseResume(t *testing.T) {
	t.Parallel()
	hr := newHarness(t)
	ws := dialMSE(t, hr.wsURL("live/bunny", ""))
	readMSE(t, ws, fragments(1))
	if err := ws.WriteMessage(websocket.TextMessage, []byte("pause")); err != nil {
		t.Fatal(err)
	}
	readMSE(t, ws, func(r *mseRead) bool { return len(r.events) > 0 })
	// Paused, nothing comes: a read times out.
	_ = ws.SetReadDeadline(time.Now().Add(1500 * time.Millisecond))
	if _, msg, err := ws.ReadMessage(); err == nil {
		t.Fatalf("paused, got %d bytes", len(msg))
	}
	// A timed-out gorilla-style connection cannot read again: a new one
	// resumes.
	ws = dialMSE(t, hr.wsURL("live/bunny", ""))
	readMSE(t, ws, fragments(1))
	for _, m := range []string{"pause", "resume"} {
		if err := ws.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	r := readMSE(t, ws, func(r *mseRead) bool { return len(r.events) >= 2 && len(r.frags[1]) > 0 })
	if strings.Join(r.events, ",") != "paused,resumed" {
		t.Errorf("events %v", r.events)
	}
}

func TestMSELDLimitsClient(t *testing.T) {
	t.Parallel()
	hr := newHarness(t)
	for name, send := range map[string]func(*websocket.Conn) error{
		"too large": func(ws *websocket.Conn) error {
			return ws.WriteMessage(websocket.TextMessage, bytes.Repeat([]byte("a"), mseMaxMessage+1))
		},
		"flood": func(ws *websocket.Conn) error {
			var err error
			for i := 0; i < mseMsgBurst*3 && err == nil; i++ {
				err = ws.WriteMessage(websocket.TextMessage, []byte("resume"))
			}
			return nil // an error: closed under us, what the test wants
		},
	} {
		ws := dialMSE(t, hr.wsURL("live/bunny", ""))
		if err := send(ws); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		var err error
		for err == nil {
			_, _, err = ws.ReadMessage()
		}
		var ne interface{ Timeout() bool }
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s: the server kept the socket open", name)
		}
	}
}

func TestMSELDSession(t *testing.T) {
	gate := &fakeGate{}
	hr := newGatedHarness(t, gate)
	ws := dialMSE(t, hr.wsURL("live/bunny", "token=kicked"))
	readMSE(t, ws, fragments(1))
	if v := gate.seen(); len(v) != 1 || v[0].Proto != "mse_ld" || v[0].Stream != "live/bunny" {
		t.Fatalf("gate asked about %+v", v)
	}
	tk := gate.of("kicked")
	if tk.bytes.Load() <= 0 {
		t.Error("no bytes reported")
	}
	tk.end()
	_ = ws.SetReadDeadline(time.Now().Add(3 * time.Second))
	var err error
	for err == nil {
		_, _, err = ws.ReadMessage()
	}
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("kicked viewer's socket stayed open")
	}
	mediatest.WaitFor(t, 2*time.Second, "kicked session closed", func() bool { return tk.closed.Load() == 1 })

	left := dialMSE(t, hr.wsURL("live/bunny", "token=left"))
	readMSE(t, left, fragments(1))
	_ = left.Close()
	mediatest.WaitFor(t, 5*time.Second, "left session closed", func() bool { return gate.of("left").closed.Load() == 1 })

	_, resp, err := websocket.DefaultDialer.Dial(hr.wsURL("live/bunny", "token=deny"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("denied: %v, want 403", err)
	}
}

func TestParseMSEMessage(t *testing.T) {
	for in, want := range map[string]mseMsg{
		"resume":               {cmd: mseResume},
		"pause":                {cmd: msePause},
		"":                     {cmd: mseLive},
		"play_from=live":       {cmd: mseLive},
		"play_from=1651829645": {cmd: msePlayFrom, from: 1651829645},
		"set_tracks=v1a2": {cmd: mseSetTracks, tracks: []trackRef{
			{media.KindVideo, 1}, {media.KindAudio, 2},
		}},
	} {
		got, err := parseMSEMessage([]byte(in))
		if err != nil || got.cmd != want.cmd || got.from != want.from || len(got.tracks) != len(want.tracks) {
			t.Errorf("%q: %+v %v, want %+v", in, got, err, want)
			continue
		}
		for i := range want.tracks {
			if got.tracks[i] != want.tracks[i] {
				t.Errorf("%q: track %d %+v", in, i, got.tracks[i])
			}
		}
	}
	for _, in := range []string{
		"set_tracks=", "set_tracks=v0", "set_tracks=v01", "set_tracks=t1", "set_tracks=v12345",
		"play_from=-1", "play_from=x", "seek", "set_tracks=" + strings.Repeat("a1", mseMaxTracks+1), "\xff",
	} {
		if m, err := parseMSEMessage([]byte(in)); err == nil {
			t.Errorf("%q: %+v, want an error", in, m)
		}
	}
}

func TestSelectTracks(t *testing.T) {
	tracks := []media.Track{{ID: 0, Codec: media.CodecH264}, {ID: 1, Codec: media.CodecAAC}, {ID: 2, Codec: media.CodecAAC}, {ID: 3, Codec: media.CodecH264}}
	for _, tc := range []struct {
		refs string
		want []int
	}{
		{"", []int{0, 1}},
		{"v2", []int{3}},
		{"a2", []int{2}},
		{"v2a2", []int{3, 2}},
		{"a1v1", []int{0, 1}},
	} {
		var refs []trackRef
		if tc.refs != "" {
			var err error
			if refs, err = parseTrackList(tc.refs); err != nil {
				t.Fatal(err)
			}
		}
		got, err := selectTracks(tracks, refs)
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("%q: %v %v, want %v", tc.refs, got, err, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: %v, want %v", tc.refs, got, tc.want)
			}
		}
	}
	if _, err := selectTracks(tracks, []trackRef{{media.KindVideo, 3}}); err == nil {
		t.Error("v3 of 2 video tracks: no error")
	}
	if got, err := selectTracks(tracks[1:3], nil); err != nil || len(got) != 1 || got[0] != 1 {
		t.Errorf("audio only stream: %v %v", got, err)
	}
}

func TestMsgBucket(t *testing.T) {
	now := time.Unix(0, 0)
	b := newMsgBucket(2, 3, now)
	for i := range 3 {
		if !b.allow(now) {
			t.Fatalf("burst message %d refused", i)
		}
	}
	if b.allow(now) {
		t.Fatal("a 4th message at once allowed")
	}
	if !b.allow(now.Add(500 * time.Millisecond)) {
		t.Fatal("a message after 1/rate refused")
	}
}

func TestChildBoxBounds(t *testing.T) {
	for _, b := range [][]byte{
		nil,
		{0, 0, 0, 4, 'm', 'o', 'o', 'f'},     // size below a header
		{0, 0, 0, 99, 'm', 'o', 'o', 'f', 0}, // overruns
		{0, 0, 0, 16, 'm', 'o', 'o', 'f', 0, 0, 0, 8, 't'}, // child overruns parent's bytes
	} {
		if _, ok := tfhdTrackIDAt(b); ok {
			t.Errorf("% x: found a tfhd", b)
		}
		_ = initWithTrackID(b, 2) // must not panic
	}
}

func FuzzParseMSEMessage(f *testing.F) {
	for _, s := range []string{"resume", "pause", "", "set_tracks=v1a1", "play_from=1651829645", "set_tracks=v9999a1"} {
		f.Add([]byte(s))
	}
	tracks := []media.Track{{ID: 0, Codec: media.CodecH264}, {ID: 1, Codec: media.CodecAAC}}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseMSEMessage(b)
		if err != nil {
			return
		}
		if len(b) > mseMaxMessage || len(m.tracks) > mseMaxTracks {
			t.Fatalf("%q accepted: %+v", b, m)
		}
		if m.cmd == mseSetTracks {
			if len(m.tracks) == 0 {
				t.Fatalf("%q: set_tracks without tracks", b)
			}
			_, _ = selectTracks(tracks, m.tracks)
		}
	})
}

func FuzzBoxes(f *testing.F) {
	f.Add([]byte{0, 0, 0, 24, 'm', 'o', 'o', 'f', 0, 0, 0, 16, 't', 'r', 'a', 'f', 0, 0, 0, 8, 't', 'f', 'h', 'd'})
	f.Fuzz(func(t *testing.T, b []byte) {
		if at, ok := tfhdTrackIDAt(b); ok && at+4 > len(b) {
			t.Fatalf("track_ID at %d of %d bytes", at, len(b))
		}
		if out := initWithTrackID(b, 7); len(out) != len(b) {
			t.Fatal("init changed size")
		}
	})
}
