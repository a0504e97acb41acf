//go:build e2e

package transcoder

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit/kittest"
	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/protocols/mpegts"
)

// TestOpusDecodesInFFmpeg: the Opus track WantOpus puts in the hub, muxed
// into MPEG-TS, is Opus at 48 kHz to ffprobe and decodes in ffmpeg
// without a word on stderr.
func TestOpusDecodesInFFmpeg(t *testing.T) {
	var frames []*media.Frame
	var track *media.Track
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		r := newOpusRig(t, sys, clipTracks)
		release, err := r.demand.Want()
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		synctest.Wait()
		r.feed(3 * time.Second)
		frames, track = r.opus(t)
	})
	if track == nil || len(frames) < 140 {
		t.Fatalf("Opus track %+v, %d frames from 3 s", track, len(frames))
	}
	var ts tsBuffer
	src := &tracksSource{tracks: &hub.Tracks{Version: 1, List: []media.Track{*track}}, frames: frames}
	if err := mpegts.PushTS(context.Background(), src, &ts); !errors.Is(err, hub.ErrClosed) {
		t.Fatalf("PushTS = %v", err)
	}
	path := filepath.Join(t.TempDir(), "opus.ts")
	if err := os.WriteFile(path, ts.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	probe, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels",
		"-of", "csv=p=0", path).CombinedOutput()
	if lines := strings.Fields(string(probe)); err != nil || len(lines) == 0 || lines[0] != "opus,48000,2" {
		t.Errorf("ffprobe: %v: %q, want opus,48000,2", err, probe)
	}
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Errorf("ffmpeg decoding the Opus track: %v: %s", err, out)
	}
}

// tracksSource plays frames under one track list, then ends as a closed
// hub does.
type tracksSource struct {
	tracks *hub.Tracks
	frames []*media.Frame
}

func (s *tracksSource) Read(context.Context) (*media.Frame, error) {
	if len(s.frames) == 0 {
		return nil, hub.ErrClosed
	}
	f := s.frames[0]
	s.frames = s.frames[1:]
	return f, nil
}

func (s *tracksSource) Tracks() *hub.Tracks { return s.tracks }

type tsBuffer struct{ bytes.Buffer }

func (*tsBuffer) Flush() error { return nil }
