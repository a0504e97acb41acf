package transcode

import (
	"fmt"
	"strings"
	"time"

	"streamhive/media"
)

// DefaultKeyInterval is the time between forced keyframes when a Ladder
// names none: Flussonic's default segment_duration, so every segment
// starts with an IDR in every rendition.
const DefaultKeyInterval = 2 * time.Second

// Ladder describes one stream's transcoding: the video renditions made
// from its first video track and what becomes of its first audio track.
// Output tracks are numbered 0..len(Renditions)-1 for the renditions, then
// the audio track. Without renditions the video is copied as track 0.
type Ladder struct {
	Renditions []Rendition
	// Audio re-encodes the audio; nil copies the source's audio track.
	Audio *AudioOut
	// FPS converts every rendition to this frame rate; 0 keeps the
	// source's.
	FPS int
	// KeyInterval is the time between forced IDRs, on the source's
	// timeline: every rendition gets its keyframe at the first picture
	// at or after each multiple of it, so renditions switch seamlessly.
	// Default DefaultKeyInterval.
	KeyInterval time.Duration
	// GOP, when set, makes every GOPth picture (after FPS) a forced IDR
	// instead of KeyInterval: Flussonic's gop= counts frames. Every
	// rendition counts the same pictures, so they stay aligned.
	GOP int
	// Encoder is "libx264" (default) or "h264_nvenc": the device; an
	// HEVC rendition uses its counterpart (libx265, hevc_nvenc). Device
	// is the NVENC GPU index.
	Encoder string
	Device  int
}

// Rendition is one video output of a Ladder.
type Rendition struct {
	Width, Height int    // 0: keep the source's (one of them 0: keep the aspect)
	Bitrate       int    // bits per second; 0: x264's CRF
	Preset        string // x264 preset; default "veryfast"
	BFrames       int
	Profile       string      // the encoder's profile; empty: its default
	Codec         media.Codec // CodecH264 (default) or CodecH265
	Deinterlace   bool        // yadif before anything else
	// FieldRate makes one picture of each field when deinterlacing
	// (Flussonic's deinterlace_rate=field: twice the frame rate); the
	// default keeps one picture per frame.
	FieldRate bool
	Logo      *Logo // burnt in before scaling, as Flussonic does
}

// Logo is a picture (any format FFmpeg's movie source reads) overlaid on
// the source picture.
type Logo struct {
	Path string
	// Position is tl, tr, bl, br or c; empty means tl. The logo sits
	// LogoMargin pixels from the corner's edges.
	Position string
}

// LogoMargin is the distance between a cornered logo and the edges.
const LogoMargin = 10

// AudioOut re-encodes a stream's audio.
type AudioOut struct {
	Codec   media.Codec // CodecAAC (default) or CodecOpus
	Bitrate int         // bits per second; default 64 kbit/s per channel
	// Channels is 1 or 2; 0 keeps the source's, at most 2.
	Channels int
	// SampleRate is AAC's output rate; 0 keeps the source's when AAC
	// takes it (else 48 kHz). Opus is always 48 kHz.
	SampleRate int
}

func (l Ladder) withDefaults() Ladder {
	if l.KeyInterval <= 0 {
		l.KeyInterval = DefaultKeyInterval
	}
	if l.Encoder == "" {
		l.Encoder = "libx264"
	}
	return l
}

// videoGraph is the filter graph description of l's video: [in] is the
// decoded source, [outI] rendition I.
func (l Ladder) videoGraph() string {
	var b strings.Builder
	b.WriteString("[in]")
	if l.FPS > 0 {
		fmt.Fprintf(&b, "fps=%d,", l.FPS)
	}
	fmt.Fprintf(&b, "split=%d", len(l.Renditions))
	for i := range l.Renditions {
		fmt.Fprintf(&b, "[s%d]", i)
	}
	for i, r := range l.Renditions {
		b.WriteString(";")
		from := fmt.Sprintf("[s%d]", i)
		if r.Deinterlace {
			fmt.Fprintf(&b, "%syadif=mode=%s[d%d];", from, yadifMode(r.FieldRate), i)
			from = fmt.Sprintf("[d%d]", i)
		}
		if r.Logo != nil {
			fmt.Fprintf(&b, "movie=%s,format=rgba[logo%d];%s[logo%d]overlay=%s:format=auto,",
				escapeGraph(escapeOption(r.Logo.Path)), i, from, i, overlayXY(r.Logo.Position))
		} else {
			b.WriteString(from)
		}
		if r.Width > 0 || r.Height > 0 {
			fmt.Fprintf(&b, "scale=%d:%d,", dim(r.Width), dim(r.Height))
		}
		fmt.Fprintf(&b, "format=yuv420p[out%d]", i)
	}
	return b.String()
}

// yadifMode is yadif's send_frame (one picture per frame) or send_field
// (one per field).
func yadifMode(field bool) string {
	if field {
		return "send_field"
	}
	return "send_frame"
}

// dim is a scale dimension: 0 keeps the aspect with an even size.
func dim(n int) int {
	if n <= 0 {
		return -2
	}
	return n
}

// overlayXY places a logo (overlay's w, h) on the main picture (W, H).
func overlayXY(pos string) string {
	m := LogoMargin
	switch pos {
	case "tr":
		return fmt.Sprintf("x=W-w-%d:y=%d", m, m)
	case "bl":
		return fmt.Sprintf("x=%d:y=H-h-%d", m, m)
	case "br":
		return fmt.Sprintf("x=W-w-%d:y=H-h-%d", m, m)
	case "c":
		return "x=(W-w)/2:y=(H-h)/2"
	default:
		return fmt.Sprintf("x=%d:y=%d", m, m)
	}
}

// escapeOption escapes a filter option value (FFmpeg's first level of
// quoting: backslash, quote and colon).
func escapeOption(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`, `:`, `\:`).Replace(s)
}

// escapeGraph escapes a filter's arguments inside a graph description
// (the second level: backslash, quote, brackets, comma and semicolon).
func escapeGraph(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`, `[`, `\[`, `]`, `\]`, `,`, `\,`, `;`, `\;`).Replace(s)
}

// keyClock decides which pictures become IDRs: the first at or after each
// multiple of interval on the source's timeline. Every rendition sees the
// same picture times and so makes the same decisions.
type keyClock struct {
	interval time.Duration
	next     time.Duration
	started  bool
	// gop, when set, counts pictures instead: every gop-th is a key.
	gop, count int
}

// key reports whether the picture at pts is a forced keyframe.
func (k *keyClock) key(pts time.Duration) bool {
	if k.gop > 0 {
		key := k.count%k.gop == 0
		k.count++
		return key
	}
	if k.started && pts < k.next && pts > k.next-2*k.interval {
		return false
	}
	// The first picture, a due one, or a jump backwards (a new source).
	k.started = true
	k.next = (pts/k.interval + 1) * k.interval
	if pts < 0 {
		k.next = 0
	}
	return true
}
