package drm_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// clipSegments segments 6 s of the test clip (video track 0, audio 1).
func clipSegments(t testing.TB) []*segment.Segment {
	t.Helper()
	return segmentClipAt(t, time.Now, nil)
}

// clipSegmentsAt is clipSegments with a wall clock: two runs at different
// times give the same decode times under other program date times.
func clipSegmentsAt(t testing.TB, now func() time.Time) []*segment.Segment {
	t.Helper()
	return segmentClipAt(t, now, nil)
}

// segmentClip segments 6 s of the test clip, each frame through edit
// first when there is one.
func segmentClip(t testing.TB, edit func(*media.Frame) *media.Frame) []*segment.Segment {
	t.Helper()
	return segmentClipAt(t, time.Now, edit)
}

// segmentClipAt is segmentClip under the wall clock now.
func segmentClipAt(t testing.TB, now func() time.Time, edit func(*media.Frame) *media.Frame) []*segment.Segment {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	var segs []*segment.Segment
	s := segment.New(segment.Config{Now: now, OnSegment: func(seg *segment.Segment) { segs = append(segs, seg) }})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	for _, f := range clip.Loop(6 * time.Second) {
		if edit != nil {
			f = edit(f)
		}
		s.WriteFrame(f)
	}
	if len(segs) < 2 {
		t.Fatalf("got %d segments", len(segs))
	}
	return segs
}

// decryptCMAF decrypts init+data with key using mp4ff and returns the
// samples' bytes of every fragment, concatenated.
func decryptCMAF(t testing.TB, init, data []byte, key []byte) []byte {
	t.Helper()
	f, err := mp4.DecodeFile(bytes.NewReader(append(append([]byte(nil), init...), data...)))
	if err != nil {
		t.Fatal(err)
	}
	di, err := mp4.DecryptInit(f.Init)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, seg := range f.Segments {
		if err := mp4.DecryptSegment(seg, di, key); err != nil {
			t.Fatal(err)
		}
		out = append(out, samplesOf(t, f.Init, seg)...)
	}
	return out
}

func samplesOf(t testing.TB, init *mp4.InitSegment, seg *mp4.MediaSegment) []byte {
	t.Helper()
	var out []byte
	for _, frag := range seg.Fragments {
		fss, err := frag.GetFullSamples(init.Moov.Mvex.Trex)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range fss {
			out = append(out, s.Data...)
		}
	}
	return out
}

func clearSamples(t testing.TB, init, data []byte) []byte {
	t.Helper()
	f, err := mp4.DecodeFile(bytes.NewReader(append(append([]byte(nil), init...), data...)))
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, seg := range f.Segments {
		out = append(out, samplesOf(t, f.Init, seg)...)
	}
	return out
}

func TestCMAFRoundTrip(t *testing.T) {
	segs := clipSegments(t)
	key, _ := drmtest.New("round trip").KeyAt(time.Now())
	for _, scheme := range []drm.Scheme{drm.CENC, drm.CBCS} {
		for tr := range 2 {
			seg := segs[1]
			p, err := drm.ProtectTrack(seg.Init.CMAF[tr], key, scheme, tr)
			if err != nil {
				t.Fatalf("%s track %d: %v", scheme, tr, err)
			}
			enc, err := p.Encrypt(seg.CMAF[tr], seg.ProgramDateTime)
			if err != nil {
				t.Fatalf("%s track %d: %v", scheme, tr, err)
			}
			plain := clearSamples(t, seg.Init.CMAF[tr], seg.CMAF[tr])
			if bytes.Equal(clearSamples(t, p.Init(), enc), plain) {
				t.Errorf("%s track %d: encrypted samples equal the clear ones", scheme, tr)
			}
			if got := decryptCMAF(t, p.Init(), enc, key.Key[:]); !bytes.Equal(got, plain) {
				t.Errorf("%s track %d: decrypted samples differ from the clear ones", scheme, tr)
			}
			var parts []byte
			for _, part := range seg.Parts {
				e, err := p.Encrypt(part.CMAF[tr], seg.ProgramDateTime)
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, e...)
			}
			if !bytes.Equal(parts, enc) {
				t.Errorf("%s track %d: the encrypted parts are not the encrypted segment", scheme, tr)
			}
		}
	}
}

func TestProtectedInitSignals(t *testing.T) {
	segs := clipSegments(t)
	key, _ := drmtest.New("init").KeyAt(time.Now())
	p, err := drm.ProtectTrack(segs[0].Init.CMAF[0], key, drm.CENC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := mp4.DecodeFile(bytes.NewReader(p.Init()))
	if err != nil {
		t.Fatal(err)
	}
	sinf := f.Init.Moov.Trak.Mdia.Minf.Stbl.Stsd.Encv.Sinf
	if sinf == nil || sinf.Schm.SchemeType != "cenc" || !bytes.Equal(sinf.Schi.Tenc.DefaultKID, key.KID[:]) {
		t.Fatalf("sinf: %+v", sinf)
	}
	if len(f.Init.Moov.Psshs) != 1 || mp4.ProtectionSystemName(f.Init.Moov.Psshs[0].SystemID) != "W3C Common PSSH box" {
		t.Errorf("pssh boxes: %+v", f.Init.Moov.Psshs)
	}
}

func TestEncryptRefusesBadInput(t *testing.T) {
	segs := clipSegments(t)
	key, _ := drmtest.New("bad").KeyAt(time.Now())
	p, err := drm.ProtectTrack(segs[0].Init.CMAF[0], key, drm.CENC, 0)
	if err != nil {
		t.Fatal(err)
	}
	data := segs[0].CMAF[0]
	for name, in := range map[string][]byte{
		"truncated":  data[:len(data)-5],
		"short":      data[:6],
		"moof alone": data[:int(uint32(data[0])<<24|uint32(data[1])<<16|uint32(data[2])<<8|uint32(data[3]))],
		"huge size":  append([]byte{0xff, 0xff, 0xff, 0xf0, 'm', 'o', 'o', 'f'}, data[8:]...),
		"init bytes": segs[0].Init.CMAF[0],
	} {
		if _, err := p.Encrypt(in, time.Now()); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := drm.ProtectTrack([]byte("nonsense"), key, drm.CENC, 0); err == nil {
		t.Error("nonsense init: no error")
	}
}
