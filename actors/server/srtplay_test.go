package server_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	"streamhive/actors/input"
	"streamhive/actors/server"
	"streamhive/actors/sessions"
	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/fake"
	"streamhive/protocols/mpegts/mpegtstest"
	"streamhive/protocols/srt"
)

// srtPlayConf plays stream a over every kind of SRT port: the global srt
// (m=request), the global srt_play (r= names the stream; a passphrase),
// and the stream's own srt (m=request) and srt_play (any caller).
const srtPlayConf = `
srt 127.0.0.1:0;
srt_play { port 127.0.0.1:0; passphrase playsecret1; }
stream a {
  input fake://;
  segment_duration 1;
  srt 127.0.0.1:0;
  srt_play 127.0.0.1:0;
}
stream off {
  input fake://;
  protocols -srt;
}
ondemand od fake:// {
  srt_play 127.0.0.1:0;
}
`

// srtPlayURL is a caller's URL: streamid and passphrase in the query, as
// ffmpeg takes them.
func srtPlayURL(addr net.Addr, streamid, passphrase string) string {
	q := url.Values{}
	if streamid != "" {
		q.Set("streamid", streamid)
	}
	if passphrase != "" {
		q.Set("passphrase", passphrase)
	}
	return fmt.Sprintf("srt://%s?%s", addr, q.Encode())
}

// playSRT pulls url as a viewer until ctx ends and returns what it got.
func playSRT(ctx context.Context, u string) (*mpegtstest.Recorder, <-chan error) {
	rec := mpegtstest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- srt.Puller{}.Pull(ctx, u, nil, rec.Publish) }()
	return rec, done
}

func TestSRTPlay(t *testing.T) {
	s, _ := startRealServer(t, srtPlayConf, input.Pullers{"fake": fake.Puller{}})
	addrs := s.SRTAddrs() // srt, srt_play, a's srt, a's srt_play, od's srt_play
	if len(addrs) != 5 {
		t.Fatalf("SRTAddrs = %v, want 5", addrs)
	}
	for _, tt := range []struct{ name, url string }{
		{"global srt, m=request", srtPlayURL(addrs[0], "#!::r=a,m=request,u=tok1", "")},
		{"global srt_play, r= only", srtPlayURL(addrs[1], "#!::r=a", "playsecret1")},
		{"stream srt, m=request", srtPlayURL(addrs[2], "#!::m=request", "")},
		{"stream srt_play, bare port", srtPlayURL(addrs[3], "", "")},
		{"on-demand stream, woken", srtPlayURL(addrs[4], "", "")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rec, done := playSRT(ctx, tt.url)
			rec.WaitFor(t, 15*time.Second, done, "two seconds of both tracks", func(frames []*media.Frame) bool {
				per := map[int]int{}
				for _, f := range frames {
					per[f.Track]++
				}
				return len(per) == 2 && min(per[0], per[1]) >= 40
			})
			tracks, _, _ := rec.Snapshot()
			if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[1].Codec != media.CodecAAC {
				t.Errorf("tracks %+v, want H.264 and AAC", tracks)
			}
			checkSRTSession(t, s)
			cancel()
			<-done
			mediatest.WaitFor(t, 5*time.Second, "the session's end", func() bool { return len(srtSessions(s)) == 0 })
		})
	}
}

// checkSRTSession: the viewer has its session, which counts its bytes.
func checkSRTSession(t *testing.T, s *server.Server) {
	t.Helper()
	mediatest.WaitFor(t, 5*time.Second, "an srt session with bytes", func() bool {
		list := srtSessions(s)
		return len(list) == 1 && list[0].Bytes > 0
	})
}

func srtSessions(s *server.Server) []sessions.Info {
	var out []sessions.Info
	for _, i := range s.Sessions() {
		if i.Proto == "srt" {
			out = append(out, i)
		}
	}
	return out
}

func TestSRTPlayRefuses(t *testing.T) {
	s, _ := startRealServer(t, srtPlayConf, input.Pullers{"fake": fake.Puller{}})
	addrs := s.SRTAddrs()
	for _, tt := range []struct{ name, url string }{
		{"wrong passphrase", srtPlayURL(addrs[1], "#!::r=a", "wrongsecret")},
		{"no passphrase", srtPlayURL(addrs[1], "#!::r=a", "")},
		{"no stream named", srtPlayURL(addrs[1], "#!::m=request", "playsecret1")},
		{"unknown stream", srtPlayURL(addrs[0], "#!::r=nope,m=request", "")},
		{"protocols -srt", srtPlayURL(addrs[0], "#!::r=off,m=request", "")},
		{"publish on a play port", srtPlayURL(addrs[3], "#!::m=publish", "")},
		{"unknown mode", srtPlayURL(addrs[0], "#!::r=a,m=bidirectional", "")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, done := playSRT(ctx, tt.url)
			if err := <-done; err == nil || ctx.Err() != nil {
				t.Errorf("Pull = %v (%v), want a refusal", err, ctx.Err())
			}
			if n := len(srtSessions(s)); n != 0 {
				t.Errorf("%d srt sessions left open", n)
			}
		})
	}
}

// TestSRTPlayKick: a kicked viewer's connection closes at once.
func TestSRTPlayKick(t *testing.T) {
	s, _ := startRealServer(t, srtPlayConf, input.Pullers{"fake": fake.Puller{}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, done := playSRT(ctx, srtPlayURL(s.SRTAddrs()[3], "", ""))
	checkSRTSession(t, s)
	if !s.KickSession(srtSessions(s)[0].ID) {
		t.Fatal("KickSession found no session")
	}
	select {
	case err := <-done:
		if ctx.Err() != nil {
			t.Errorf("Pull = %v after its context ended", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the kicked viewer still plays")
	}
}

// TestSRTPlayTwoViewersOneIP: two viewers from one address without a
// token are two sessions: one leaving does not end the other.
func TestSRTPlayTwoViewersOneIP(t *testing.T) {
	s, _ := startRealServer(t, srtPlayConf, input.Pullers{"fake": fake.Puller{}})
	u := srtPlayURL(s.SRTAddrs()[3], "", "")
	ctx1, cancel1 := context.WithCancel(context.Background())
	defer cancel1()
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	_, done1 := playSRT(ctx1, u)
	rec2, done2 := playSRT(ctx2, u)
	mediatest.WaitFor(t, 15*time.Second, "two srt sessions", func() bool { return len(srtSessions(s)) == 2 })
	cancel1()
	<-done1
	mediatest.WaitFor(t, 5*time.Second, "one srt session", func() bool { return len(srtSessions(s)) == 1 })
	_, frames, _ := rec2.Snapshot()
	rec2.WaitFor(t, 10*time.Second, done2, "the other viewer going on", func(f []*media.Frame) bool { return len(f) > len(frames)+50 })
}
