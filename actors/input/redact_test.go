package input

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/media/mediatest"
)

// quotingPuller fails every pull with an error that quotes its URL, as
// network libraries do.
type quotingPuller struct{}

func (quotingPuller) Pull(_ context.Context, url string, _ map[string]string, _ func([]media.Track) (media.Sink, error)) error {
	return fmt.Errorf("dial %s: 401 Unauthorized", url)
}

// TestFailureLogsNoSecret: an input's password reaches neither the log
// nor the input's last_error, which view-only API users read.
func TestFailureLogsNoSecret(t *testing.T) {
	const pass, tok = "hunter22", "tok-5678"
	url := "rtsp://admin:" + pass + "@10.0.0.5/s1?token=" + tok
	var logs mediatest.LogBuffer
	synctest.Test(t, func(t *testing.T) {
		sys := kit.NewSystem(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
		defer func() { sys.Shutdown(); time.Sleep(time.Minute); synctest.Wait() }()
		status := new(atomic.Pointer[stream.Status])
		probe := kittest.NewProbe(t, sys)
		probe.SpawnNamed(stream.Props(stream.Config{
			Stream: config.Stream{Name: "cam", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: url}}}},
			Input: func(s stream.InputSpec) *actor.Props {
				return Props(Config{Spec: s, Pullers: Pullers{"rtsp": quotingPuller{}}})
			},
			Status: status,
		}), "cam")
		time.Sleep(time.Minute)
		synctest.Wait()
		st := status.Load()
		if st == nil || len(st.Inputs) != 1 || !strings.Contains(st.Inputs[0].LastError, "401") {
			t.Fatalf("status %+v: the pull's failure was not recorded", st)
		}
		for _, s := range []string{pass, tok} {
			if last := st.Inputs[0].LastError; strings.Contains(logs.String(), s) || strings.Contains(last, s) {
				t.Errorf("%q leaks: last_error %q, log:\n%s", s, last, logs.String())
			}
		}
	})
}
