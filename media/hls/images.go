package hls

import (
	"fmt"
	"math"
	"strings"
	"time"

	"streamhive/media/segment"
)

// Image is an image track of a master playlist (thumbnails, as the image
// playlist specification Roku and Apple players follow defines it): the
// box its pictures fit and the URI of its image media playlist.
type Image struct {
	Width, Height int
	URI           string
}

// imageBandwidth is an image track's BANDWIDTH: nominal, as Flussonic
// announces it (a thumbnail is fetched while scrubbing, not streamed).
const imageBandwidth = 10000

// ImageStream writes im as an EXT-X-IMAGE-STREAM-INF line. It stands alone
// (its URI is an attribute, no line follows), so players that do not know
// the tag skip it whole.
func ImageStream(b *strings.Builder, im Image) {
	fmt.Fprintf(b, "#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=%d,RESOLUTION=%dx%d,CODECS=\"jpeg\",URI=%q\n",
		imageBandwidth, im.Width, im.Height, im.URI)
}

// ImageOptions select an image media playlist.
type ImageOptions struct {
	Width, Height int // the tiles' RESOLUTION
	// Name is a thumbnail's URI, relative to the playlist, showing the
	// moment at (whole UTC seconds).
	Name func(at int64) string
}

// ImagePlaylist renders the image media playlist of w: one thumbnail per
// segment (a 1x1 tile), showing the keyframe the segment starts with, by
// its program date time. Its media sequence numbers are the segments'.
func ImagePlaylist(w *segment.Window, o ImageOptions) ([]byte, error) {
	segs := w.Segments
	if len(segs) == 0 {
		return nil, ErrNotReady
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:%d\n#EXT-X-IMAGES-ONLY\n",
		int(math.Ceil(w.TargetDuration.Seconds())), segs[0].MSN)
	for _, s := range segs {
		d := secs(s.Duration)
		fmt.Fprintf(&b, "#EXTINF:%.3f,\n#EXT-X-TILES:RESOLUTION=%dx%d,LAYOUT=1x1,DURATION=%.3f\n%s\n",
			d, o.Width, o.Height, d, o.Name(s.ProgramDateTime.Round(time.Second).Unix()))
	}
	return []byte(b.String()), nil
}
