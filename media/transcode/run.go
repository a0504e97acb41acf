package transcode

import (
	"context"
	"fmt"

	"streamhive/media"
)

// maxPending bounds the frames a ladder holds back until every rendition
// has produced its first keyframe (its track is known only then): about
// 20 s of two renditions and audio at 25 fps.
const maxPending = 3000

// Source is where a ladder reads its stream's frames.
type Source interface {
	// Read blocks for the next frame. tracks is the track list the frame
	// belongs to; the same slice is returned until the list changes.
	Read(ctx context.Context) (f *media.Frame, tracks []media.Track, err error)
}

// Output receives a ladder's track list and then its frames. SetTracks is
// called again, before the frames it describes, when the source's codec
// parameters change and the ladder starts afresh.
type Output interface {
	SetTracks([]media.Track)
	media.Sink
}

// Run reads frames from src, decodes the first video track once, makes
// every rendition of l from each picture and writes their frames (and the
// audio, re-encoded or copied) to out — a ladder without renditions copies
// the video and only re-encodes the audio — until src.Read fails or an encoder
// cannot be opened. A frame the decoder rejects is counted in st and
// skipped. It runs on the calling goroutine and frees everything it
// allocated before it returns. An NVENC encoder that cannot be opened
// returns an error wrapping ErrNoDevice.
func Run(ctx context.Context, l Ladder, src Source, out Output, st *Stats) error {
	l = l.withDefaults()
	if st == nil || st.Renditions() != len(l.Renditions) {
		return fmt.Errorf("transcode: stats for %d renditions, ladder has %d", st.Renditions(), len(l.Renditions))
	}
	p := &pipeline{l: l, out: out, st: st}
	defer p.reset()
	for {
		f, tracks, err := src.Read(ctx)
		if err != nil {
			return err
		}
		if err := p.write(f, tracks); err != nil {
			return err
		}
	}
}
