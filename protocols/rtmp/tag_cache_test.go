package rtmp

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"streamhive/media"
)

func TestTagCacheBuildsEachFrameOnceForEveryViewer(t *testing.T) {
	video := media.Track{Codec: media.CodecH264}
	f := &media.Frame{DTS: time.Second, PTS: time.Second + 40*time.Millisecond, Keyframe: true, Data: [][]byte{{0x65, 1, 2}}}
	var c tagCache
	bodies := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Go(func() { _, bodies[i] = c.get(video, f) })
	}
	wg.Wait()
	_, want := appendFrameTag(nil, video, f)
	for i, b := range bodies {
		if !bytes.Equal(b, want) {
			t.Fatalf("viewer %d got tag % x, want % x", i, b, want)
		}
		if &b[0] != &bodies[0][0] {
			t.Fatalf("viewer %d got a copy of the tag body, not the shared one", i)
		}
	}
}

func TestTagCacheBuildsAgainAFrameThatLeftIt(t *testing.T) {
	audio := media.Track{Codec: media.CodecAAC}
	var c tagCache
	first := &media.Frame{Data: [][]byte{{1, 2, 3}}}
	typeID, old := c.get(audio, first)
	for range tagCacheFrames {
		c.get(audio, &media.Frame{Data: [][]byte{{4}}})
	}
	if len(c.m) != tagCacheFrames {
		t.Fatalf("cache holds %d frames, want at most %d", len(c.m), tagCacheFrames)
	}
	gotType, again := c.get(audio, first)
	if gotType != typeID || !bytes.Equal(again, old) || &again[0] == &old[0] {
		t.Fatalf("an evicted frame's tag: type %d % x (shared %v), want a new build of type %d % x",
			gotType, again, &again[0] == &old[0], typeID, old)
	}
}
