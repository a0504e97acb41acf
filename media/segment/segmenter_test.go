package segment

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func fixedNow() time.Time { return t0 }

func loadClip(t testing.TB) *mediatest.Clip {
	t.Helper()
	c, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// feed writes frames into a new segmenter configured by cfg.
func feed(t testing.TB, cfg Config, tracks []media.Track, frames []*media.Frame) *Segmenter {
	t.Helper()
	cfg.Now = fixedNow
	s := New(cfg)
	if err := s.SetTracks(tracks); err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		s.WriteFrame(f)
	}
	return s
}

func TestSegmentsOfClip(t *testing.T) {
	clip := loadClip(t)
	var finished []*Segment
	s := feed(t, Config{WindowSegments: 3, OnSegment: func(seg *Segment) { finished = append(finished, seg) }},
		clip.Tracks, clip.Loop(10*time.Second))
	w := s.Window()
	// 12 s of input: segments of 2 s, the last one still in progress.
	if len(finished) != 5 {
		t.Fatalf("got %d finished segments, want 5", len(finished))
	}
	if len(w.Segments) != 3 || w.Segments[0].MSN != 2 {
		t.Errorf("window: got %d segments from MSN %d, want 3 from 2", len(w.Segments), w.Segments[0].MSN)
	}
	for i, seg := range finished {
		if seg.MSN != uint64(i) {
			t.Errorf("segment %d: MSN %d", i, seg.MSN)
		}
		if seg.Duration != 2*time.Second || seg.DTS != time.Duration(i)*2*time.Second {
			t.Errorf("segment %d: DTS %v duration %v, want %v and 2s", i, seg.DTS, seg.Duration, time.Duration(i)*2*time.Second)
		}
		if !seg.ProgramDateTime.Equal(t0.Add(seg.DTS)) {
			t.Errorf("segment %d: PDT %v", i, seg.ProgramDateTime)
		}
		// Parts of the default 200 ms; the clip's keyframes, every
		// second, start parts 0 and 5.
		if len(seg.Parts) != 10 {
			t.Errorf("segment %d: %d parts, want 10", i, len(seg.Parts))
		}
		for j, p := range seg.Parts {
			if p.Duration != DefaultPartDuration || p.Independent != (j%5 == 0) {
				t.Errorf("segment %d part %d: %v, independent %v", i, j, p.Duration, p.Independent)
			}
		}
		var ts, cm0, cm1 int
		for _, p := range seg.Parts {
			ts += len(p.MPEGTS())
			cm0 += len(p.CMAF[0])
			cm1 += len(p.CMAF[1])
		}
		if ts != len(seg.MPEGTS()) || ts != seg.TSLen() || cm0 != len(seg.CMAF[0]) || cm1 != len(seg.CMAF[1]) {
			t.Errorf("segment %d: parts do not add up to the segment", i)
		}
		if b := seg.MPEGTS(); len(b)%188 != 0 || b[0] != 0x47 || b[1]&0x1f != 0 || b[2] != 0 {
			t.Errorf("segment %d: TS does not start with a PAT packet", i)
		}
		if string(seg.CMAF[0][4:8]) != "moof" {
			t.Errorf("segment %d: CMAF starts with %q", i, seg.CMAF[0][4:8])
		}
		if v := seg.Spans[0]; v.Timescale != 90000 || v.Base != uint64(i)*180000 || v.Length != 180000 || v.Samples != 50 {
			t.Errorf("segment %d: video span %+v", i, v)
		}
	}
	// The timeline of each track advances without gaps.
	for tr := range 2 {
		for i := 1; i < len(finished); i++ {
			a, b := finished[i-1].Spans[tr], finished[i].Spans[tr]
			if gap := int64(b.Base) - int64(a.Base+a.Length); gap != 0 {
				t.Errorf("track %d: gap of %d units before segment %d", tr, gap, i)
			}
		}
	}
	if w.Partial == nil || w.Partial.MSN != 5 || len(w.Partial.Parts) != 9 {
		t.Errorf("partial: got %+v, want MSN 5 with 9 parts", w.Partial)
	}
	if st := s.Stats(); st.Errors != 0 {
		t.Errorf("stats: %+v", st)
	}
}

func TestAudioOnlyAndVideoOnly(t *testing.T) {
	clip := loadClip(t)
	for _, keep := range []int{0, 1} {
		tr := clip.Tracks[keep]
		tr.ID = 0
		var frames []*media.Frame
		for _, f := range clip.Loop(8 * time.Second) {
			if f.Track == keep {
				g := *f
				g.Track = 0
				frames = append(frames, &g)
			}
		}
		s := feed(t, Config{}, []media.Track{tr}, frames)
		w := s.Window()
		if len(w.Segments) < 3 {
			t.Fatalf("%s only: got %d segments", tr.Codec, len(w.Segments))
		}
		for _, seg := range w.Segments {
			if d := seg.Duration; d < 2*time.Second-12*time.Millisecond || d > 2*time.Second+50*time.Millisecond {
				t.Errorf("%s only: segment %d lasts %v", tr.Codec, seg.MSN, d)
			}
			for _, p := range seg.Parts {
				if p.Duration > DefaultPartDuration+time.Millisecond {
					t.Errorf("%s only: part lasts %v, over the %v target", tr.Codec, p.Duration, DefaultPartDuration)
				}
			}
		}
	}
}

func TestCodecChangeStartsDiscontinuity(t *testing.T) {
	clip := loadClip(t)
	frames := clip.Loop(4 * time.Second)
	s := feed(t, Config{}, clip.Tracks, frames)
	changed := append([]media.Track(nil), clip.Tracks...)
	changed[1].AudioConfig = []byte{0x11, 0x90} // AAC-LC 48 kHz stereo
	changed[1].SampleRate = 48000
	if err := s.SetTracks(changed); err != nil {
		t.Fatal(err)
	}
	for _, f := range frames { // the new source starts its clock at 0 again
		s.WriteFrame(f)
	}
	s.Close()
	w := s.Window()
	var disc []uint64
	for _, seg := range w.Segments {
		if seg.Discontinuity {
			disc = append(disc, seg.MSN)
		}
		if seg.Discontinuity != (seg.Init.Epoch == 1 && seg.DiscontinuitySeq == 1 && disc[0] == seg.MSN) {
			t.Errorf("segment %d: discontinuity %v, epoch %d, seq %d", seg.MSN, seg.Discontinuity, seg.Init.Epoch, seg.DiscontinuitySeq)
		}
	}
	if len(disc) != 1 || w.Init.Epoch != 1 || !w.Ended {
		t.Errorf("got discontinuities at %v, epoch %d, ended %v", disc, w.Init.Epoch, w.Ended)
	}
	for i := 1; i < len(w.Segments); i++ { // the output timeline keeps going
		a, b := w.Segments[i-1], w.Segments[i]
		if b.DTS != a.DTS+a.Duration {
			t.Errorf("segment %d starts at %v, previous ends at %v", b.MSN, b.DTS, a.DTS+a.Duration)
		}
	}
	if err := s.SetTracks(clip.Tracks); !errors.Is(err, ErrClosed) {
		t.Errorf("SetTracks after Close: %v", err)
	}
}

// TestWait runs in a synctest bubble, so "Wait has not returned" is
// checked once the waiting goroutine is blocked, not merely not yet run.
func TestWait(t *testing.T) {
	clip := loadClip(t)
	frames := clip.Loop(4 * time.Second)
	synctest.Test(t, func(t *testing.T) {
		s := New(Config{Now: fixedNow})
		if err := s.SetTracks(clip.Tracks); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Wait(ctx, 9, 0); !errors.Is(err, ErrTooFarAhead) {
			t.Errorf("far ahead: got %v, want ErrTooFarAhead", err)
		}
		result := make(chan error, 1)
		go func() { result <- s.Wait(ctx, 0, 1) }() // segment 0's second part
		i := 0
		for ; s.Window().Part(0, 1) == nil; i++ {
			synctest.Wait() // the waiter has run as far as it can
			select {
			case err := <-result:
				t.Fatalf("Wait returned %v before the part existed", err)
			default:
			}
			s.WriteFrame(frames[i])
		}
		if err := <-result; err != nil {
			t.Errorf("Wait: %v", err)
		}
		short, cancelShort := context.WithCancel(ctx)
		cancelShort()
		if err := s.Wait(short, 1, 0); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: got %v", err)
		}
		// Segment 2 is within reach (the partial segment is 0), so only Close
		// can end this wait, whichever runs first.
		go func() { result <- s.Wait(ctx, 2, -1) }()
		s.Close()
		if err := <-result; !errors.Is(err, ErrClosed) {
			t.Errorf("after Close: got %v, want ErrClosed", err)
		}
	})
}

// TestNext: Next returns a window that differs from the one given at
// once, waits for the next publish otherwise, and ends with ctx.
func TestNext(t *testing.T) {
	s := New(Config{Now: fixedNow})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	first := s.Window()
	if w, err := s.Next(ctx, nil); w != first || err != nil {
		t.Fatalf("Next(nil) = %p, %v; want the latest window %p", w, err, first)
	}
	result := make(chan *Window, 1)
	go func() { w, _ := s.Next(ctx, first); result <- w }()
	clip := loadClip(t)
	if err := s.SetTracks(clip.Tracks); err != nil { // publishes
		t.Fatal(err)
	}
	if w := <-result; w == first || w != s.Window() {
		t.Errorf("Next(first) = %p, want the window SetTracks published %p", w, s.Window())
	}
	if w, err := s.Next(ctx, first); w != s.Window() || err != nil {
		t.Errorf("Next(stale) = %p, %v; want the latest at once", w, err)
	}
	short, cancelShort := context.WithCancel(ctx)
	cancelShort()
	if _, err := s.Next(short, s.Window()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

func TestWindowLookups(t *testing.T) {
	w := &Window{
		Segments:   []*Segment{{MSN: 4, Parts: []*Part{{}, {}}}, {MSN: 5, Parts: []*Part{{}, {}}}},
		Partial:    &Segment{MSN: 6, Parts: []*Part{{}}},
		PartTarget: time.Second,
	}
	for _, tc := range []struct {
		msn      uint64
		part     int
		has, far bool
		seg, prt bool
	}{
		{3, -1, true, false, false, false},
		{5, -1, true, false, true, false},
		{5, 1, true, false, true, true},
		{6, -1, false, false, false, false},
		{6, 0, true, false, false, true},
		{6, 1, false, false, false, false},
		{6, 3, false, false, false, false},
		{6, 4, false, true, false, false},
		{8, 0, false, false, false, false},
		{9, 0, false, true, false, false},
	} {
		if got := w.Has(tc.msn, tc.part); got != tc.has {
			t.Errorf("Has(%d, %d) = %v", tc.msn, tc.part, got)
		}
		if got := w.TooFarAhead(tc.msn, tc.part); got != tc.far {
			t.Errorf("TooFarAhead(%d, %d) = %v", tc.msn, tc.part, got)
		}
		if got := w.Segment(tc.msn) != nil; got != tc.seg {
			t.Errorf("Segment(%d) present = %v", tc.msn, got)
		}
		if got := tc.part >= 0 && w.Part(tc.msn, tc.part) != nil; got != (tc.prt || (tc.msn == 6 && tc.part == 0)) {
			t.Errorf("Part(%d, %d) present = %v", tc.msn, tc.part, got)
		}
	}
}

func BenchmarkWriteFrame(b *testing.B) {
	clip := loadClip(b)
	frames := clip.Loop(40 * time.Second)
	s := New(Config{Now: fixedNow})
	if err := s.SetTracks(clip.Tracks); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(frames) { // another pass, 40 s later, its frame headers made untimed
			b.StopTimer()
			for j, f := range frames {
				g := *f
				g.DTS += 40 * time.Second
				g.PTS += 40 * time.Second
				frames[j] = &g
			}
			i = 0
			b.StartTimer()
		}
		s.WriteFrame(frames[i])
		i++
	}
}
