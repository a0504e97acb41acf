package dash

import (
	"fmt"
	"math"
	"strings"
	"time"

	"streamhive/media/segment"
)

// Image is an image track of an MPD (thumbnails, DASH-IF IOP 6.2.6): the
// box its pictures fit.
type Image struct{ Width, Height int }

// ID is the image Representation's id, images-WxH: with Flussonic's
// templates ($RepresentationID$/...) it is the thumbnails' directory.
func (im Image) ID() string { return fmt.Sprintf("images-%dx%d", im.Width, im.Height) }

// imageBandwidth is an image Representation's bandwidth: nominal, as
// Flussonic announces it.
const imageBandwidth = 10000

// thumbnailTile is the EssentialProperty scheme of a thumbnail tile.
const thumbnailTile = "http://dashif.org/guidelines/thumbnail_tile"

// imageSets writes one AdaptationSet per image track, ids from id on. Each
// lists a thumbnail every target duration (whole seconds, timescale 1) by
// a SegmentTemplate whose $Time$ is the seconds since the Period's start;
// media(from) is the template, from being the UTC second of the Period's
// start (availabilityStartTime: the Period starts at PT0S).
func imageSets(b *strings.Builder, w *segment.Window, ast time.Time, id int, images []Image, media func(from int64) string) {
	every := max(int(math.Round(w.TargetDuration.Seconds())), 1)
	for i, im := range images {
		fmt.Fprintf(b, "    <AdaptationSet id=\"%d\" contentType=\"image\" mimeType=\"image/jpeg\">\n", id+i)
		fmt.Fprintf(b, "      <SegmentTemplate timescale=\"1\" media=\"%s\" duration=\"%d\" startNumber=\"0\"/>\n",
			attr(media(ast.Unix())), every)
		fmt.Fprintf(b, "      <Representation id=\"%s\" bandwidth=\"%d\" width=\"%d\" height=\"%d\">\n",
			im.ID(), imageBandwidth, im.Width, im.Height)
		fmt.Fprintf(b, "        <EssentialProperty schemeIdUri=\"%s\" value=\"1x1\"/>\n", thumbnailTile)
		b.WriteString("      </Representation>\n    </AdaptationSet>\n")
	}
}
