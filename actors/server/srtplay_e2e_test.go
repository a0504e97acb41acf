//go:build e2e

package server_test

import (
	"context"
	"encoding/json"
	"net"
	"os/exec"
	"slices"
	"testing"
	"time"

	"streamhive/actors/input"
	"streamhive/actors/server"
	"streamhive/protocols/fake"
)

// srtFFmpegConf: stream a plays over the global srt (m=request, no
// passphrase), the global srt_play (r=, a passphrase) and its own
// srt_play (another passphrase); stream tc has a transcoder ladder of two
// video renditions.
const srtFFmpegConf = `
srt 127.0.0.1:0;
srt_play { port 127.0.0.1:0; passphrase playsecret1; }
stream a {
  input fake://;
  srt_play { port 127.0.0.1:0; passphrase streamsecret; }
}
stream tc {
  input fake://;
  transcoder vb=300k size=320x180 preset=ultrafast vb=150k size=160x90 preset=ultrafast ab=64k;
  srt_play 127.0.0.1:0;
}
`

func startSRTFFmpeg(t *testing.T) []net.Addr {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " not installed")
		}
	}
	s, _ := startRealServer(t, srtFFmpegConf, input.Pullers{"fake": fake.Puller{}})
	addrs := s.SRTAddrs() // srt, srt_play, a's srt_play, tc's srt_play
	if len(addrs) != 4 {
		t.Fatalf("SRTAddrs = %v, want 4", addrs)
	}
	waitSegments(t, s, "a")
	waitSegments(t, s, "tc")
	return addrs
}

// waitSegments waits for the stream's first segment: it plays from then.
func waitSegments(t *testing.T, s *server.Server, name string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if pb, ok := s.Playback(name); ok && pb != nil && len(pb.Window().Segments) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream %s has no segment after 30 s", name)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSRTPlayFFmpeg: the real ffmpeg plays every kind of SRT port for 10
// s and decodes it without a word; a wrong or missing passphrase is
// refused.
func TestSRTPlayFFmpeg(t *testing.T) {
	addrs := startSRTFFmpeg(t)
	t.Run("plays", func(t *testing.T) {
		for _, tt := range []struct{ name, url string }{
			{"global srt", "srt://" + addrs[0].String() + "?streamid=#!::r=a,m=request"},
			{"global srt_play", "srt://" + addrs[1].String() + "?streamid=#!::r=a&passphrase=playsecret1"},
			{"stream srt_play", "srt://" + addrs[2].String() + "?passphrase=streamsecret"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
				defer cancel()
				began := time.Now()
				out, err := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
					"-i", tt.url, "-t", "10", "-f", "null", "-").CombinedOutput()
				if err != nil || len(out) != 0 {
					t.Errorf("ffmpeg: %v\n%s", err, out)
				}
				if d := time.Since(began); d < 9*time.Second {
					t.Errorf("ffmpeg ended after %v: want 10 s of live media", d)
				}
			})
		}
	})
	for _, tt := range []struct{ name, url string }{
		{"wrong passphrase", "srt://" + addrs[2].String() + "?passphrase=wrongsecret"},
		{"no passphrase", "srt://" + addrs[1].String() + "?streamid=#!::r=a"},
		{"unknown stream", "srt://" + addrs[0].String() + "?streamid=#!::r=nope,m=request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
				"-i", tt.url, "-t", "2", "-f", "null", "-").CombinedOutput()
			if err == nil || ctx.Err() != nil {
				t.Errorf("ffmpeg played (%v, %v)\n%s", err, ctx.Err(), out)
			}
		})
	}
}

// TestSRTPlayFFprobeTracks: ffprobe sees every track: video and audio,
// and both video renditions of a transcoder ladder.
func TestSRTPlayFFprobeTracks(t *testing.T) {
	addrs := startSRTFFmpeg(t)
	for _, tt := range []struct {
		name, url string
		want      []string
	}{
		{"stream", "srt://" + addrs[0].String() + "?streamid=#!::r=a,m=request", []string{"audio,aac", "video,h264"}},
		{"ladder", "srt://" + addrs[3].String(), []string{"audio,aac", "video,h264", "video,h264"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name",
				"-of", "json", tt.url).Output()
			var probe struct {
				Streams []struct {
					CodecType string `json:"codec_type"`
					CodecName string `json:"codec_name"`
				} `json:"streams"`
			}
			if err != nil || json.Unmarshal(out, &probe) != nil {
				t.Fatalf("ffprobe: %v\n%s", err, out)
			}
			var got []string
			for _, st := range probe.Streams {
				got = append(got, st.CodecType+","+st.CodecName)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ffprobe sees %q, want %q\n%s", got, tt.want, out)
			}
		})
	}
}
