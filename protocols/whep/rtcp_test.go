package whep_test

import (
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media/mediatest"
	"streamhive/protocols/whep/wheptest"
)

// playing starts a session for cl and waits for its first keyframe.
func playing(t *testing.T, cl *wheptest.Client, offer string) {
	t.Helper()
	srv := newServer(t, nil)
	v := newViewer(t, offer)
	answer, _ := play(t, srv, v)
	if err := cl.SetAnswer(answer); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "a keyframe", func() bool { return cl.Keyframes.Load() > 0 })
}

// Video packets a viewer lost and NACKed arrive again (pion's responder
// answers from its send buffer).
func TestNACKRetransmits(t *testing.T) {
	cl, err := wheptest.NewWith(wheptest.H264Opus, wheptest.Options{Loss: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	offer := gathered(t, cl)
	playing(t, cl, offer)
	mediatest.WaitFor(t, 10*time.Second, "lost packets retransmitted", func() bool {
		return cl.Dropped() >= 10 && cl.Retransmitted.Load() >= 10
	})
	// Each loss is asked again until it arrives: nearly all come back.
	dropped, back := cl.Dropped(), int(cl.Retransmitted.Load())
	if back < dropped/2 {
		t.Errorf("%d of %d lost packets retransmitted", back, dropped)
	}
	t.Logf("%d of %d lost packets retransmitted", back, dropped)
}

// A PLI gets the viewer the next keyframe within a GOP (the clip's is
// 1 s), and the frames before it, which its decoder cannot use, are not
// sent.
func TestPLISkipsToNextKeyframe(t *testing.T) {
	cl, offer := offerOf(t, wheptest.H264Opus)
	playing(t, cl, offer)
	var (
		asked   atomic.Bool
		askedAt atomic.Int64 // unix ns of the PLI
		between atomic.Int64 // P-frames after the PLI, before the keyframe
		keyed   atomic.Int64 // unix ns of the keyframe after the PLI
	)
	cl.OnVideo(func(nal int) {
		switch {
		case !asked.Load() && nal == 5:
			askedAt.Store(time.Now().UnixNano())
			asked.Store(true) // just past a keyframe: a whole GOP of P-frames ahead
			if err := cl.RequestKeyframe(); err != nil {
				t.Error(err)
			}
		case asked.Load() && keyed.Load() == 0 && nal == 7:
			keyed.Store(time.Now().UnixNano())
		case asked.Load() && keyed.Load() == 0 && nal == 1:
			between.Add(1)
		}
	})
	mediatest.WaitFor(t, 4*time.Second, "the keyframe after a PLI", func() bool { return keyed.Load() != 0 })
	took := time.Duration(keyed.Load() - askedAt.Load())
	if took > 1500*time.Millisecond {
		t.Errorf("keyframe %v after the PLI, want within the GOP (1 s)", took)
	}
	// A 1 s GOP at 25 fps has 24 P-frames. Those sent before the PLI
	// reached the server pass (on a loaded machine the client reads its
	// packets late, and so sends the PLI late); the rest are skipped.
	if n := between.Load(); n > 18 {
		t.Errorf("%d P-frames between the PLI and the keyframe, want them skipped", n)
	}
	t.Logf("keyframe %v after the PLI, %d P-frames between", took, between.Load())
}
