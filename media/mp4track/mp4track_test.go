package mp4track

import (
	"bytes"
	"errors"
	"testing"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// TestRoundTrip reads back the tracks of the init segments our segmenter
// writes: every field a stream needs survives.
func TestRoundTrip(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	s := segment.New(segment.Config{})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	init := s.Window().Init
	for i, want := range clip.Tracks {
		f, err := mp4.DecodeFile(bytes.NewReader(init.CMAF[i]))
		if err != nil {
			t.Fatal(err)
		}
		got, err := FromStsd(f.Init.Moov.Trak.Mdia.Minf.Stbl.Stsd)
		if err != nil {
			t.Fatalf("track %d: %v", i, err)
		}
		if got.Codec != want.Codec || !bytes.Equal(got.SPS, want.SPS) || !bytes.Equal(got.PPS, want.PPS) ||
			!bytes.Equal(got.AudioConfig, want.AudioConfig) || got.Width != want.Width || got.Height != want.Height ||
			got.SampleRate != want.SampleRate || got.Channels != want.Channels {
			t.Errorf("track %d: got %+v, want %+v", i, got, want)
		}
	}
}

func TestMissingConfig(t *testing.T) {
	for name, stsd := range map[string]*mp4.StsdBox{
		"avcC without SPS":    {AvcX: &mp4.VisualSampleEntryBox{AvcC: &mp4.AvcCBox{}}},
		"hvcC without VPS":    {HvcX: &mp4.VisualSampleEntryBox{HvcC: &mp4.HvcCBox{}}},
		"mp4a without esds":   {Mp4a: &mp4.AudioSampleEntryBox{}},
		"mp4a with a bad ASC": {Mp4a: &mp4.AudioSampleEntryBox{Esds: mp4.CreateEsdsBox([]byte{0xff})}},
	} {
		if _, err := FromStsd(stsd); !errors.Is(err, ErrNoConfig) {
			t.Errorf("%s: %v, want ErrNoConfig", name, err)
		}
	}
	if tr, err := FromStsd(&mp4.StsdBox{}); err != nil || tr.Codec != media.Codec("") {
		t.Errorf("an unknown codec: %+v %v, want no codec and no error", tr, err)
	}
}
