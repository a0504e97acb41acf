package fake

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// fontFile is the font the clock and name are drawn with, from Debian's
// fonts-dejavu-core (installed by make deps). Without it drawtext asks
// fontconfig for any monospace font.
const fontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"

// sampleRate and samplesPerBlock are the tone's: AAC-LC codes 1024 samples
// per access unit.
const (
	sampleRate      = 48000
	samplesPerBlock = 1024
)

// videoGraph describes the picture: colour bars, a box crossing the
// picture every few seconds, the time of day at which each frame is due
// (start plus the frame's timestamp, HH:MM:SS.mmm, local time) and the
// label. drawtext renders the clock from the frame's own timestamp, so the
// text costs no per-frame work on our side.
func videoGraph(o options, start time.Time) string {
	midnight := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, start.Location())
	offset := start.Sub(midnight).Seconds()
	font := "font=monospace"
	if _, err := os.Stat(fontFile); err == nil {
		font = "fontfile=" + fontFile
	}
	clockSize := max(o.height/10, 10)
	nameSize := max(o.height/14, 8)
	box := max(o.height/6, 8)
	g := fmt.Sprintf("smptebars=size=%dx%d:rate=%d", o.width, o.height, o.fps)
	g += fmt.Sprintf(",drawbox=x='mod(t*%d,iw-%d)':y=ih*0.72:w=%d:h=%d:color=white:t=fill", o.width/4, box, box, box)
	g += fmt.Sprintf(",drawtext=%s:text='%%{pts\\:hms\\:%.3f}':x=%d:y=%d:fontsize=%d:fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=%d",
		font, offset, clockSize/2, clockSize/2, clockSize, clockSize/6)
	if label := sanitize(o.name); label != "" {
		g += fmt.Sprintf(",drawtext=%s:text='%s':x=%d:y=%d:fontsize=%d:fontcolor=yellow:box=1:boxcolor=black@0.7:boxborderw=%d",
			font, label, clockSize/2, clockSize*2, nameSize, nameSize/6)
	}
	return g + ",format=yuv420p"
}

// audioGraph describes the tone (silence when tone is 0) in blocks the
// AAC encoder takes whole.
func audioGraph(o options) string {
	src := fmt.Sprintf("sine=frequency=%d:sample_rate=%d:samples_per_frame=%d", o.tone, sampleRate, samplesPerBlock)
	if o.tone == 0 {
		src = fmt.Sprintf("anullsrc=sample_rate=%d:channel_layout=mono:nb_samples=%d", sampleRate, samplesPerBlock)
	}
	return src + ",aformat=sample_fmts=fltp:channel_layouts=mono"
}

// sanitize keeps the characters of a label that need no escaping in a
// filtergraph (drawtext text is escaped twice, and % starts an expansion):
// stream names are letters, digits and a few separators anyway.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("-_./ #+=@", r):
			b.WriteRune(r)
		default:
			b.WriteRune('?')
		}
		if b.Len() >= 64 {
			break
		}
	}
	return b.String()
}
