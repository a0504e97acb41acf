//go:build e2e

package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// clockReader reads the fake:// pattern's burned-in clock (HH:MM:SS.mmm,
// DejaVu Sans Mono Bold, white, at clockSize/2 from the top left, of a
// picture height/10 high) off a picture. The font is monospaced, so digit
// d at position i covers the pixels it covers in a line of twelve d's
// drawn the same way: refs holds those ten lines, drawn by ffmpeg.
type clockReader struct {
	size  int     // font size at the source
	scale float64 // picture height over the source's (a transcoded rendition)
	refs  [10]image.Image
}

// newClockReader reads the clock of a width x height source off pictures
// outHeight high.
func newClockReader(t *testing.T, width, height, outHeight int) *clockReader {
	t.Helper()
	const font = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
	if _, err := os.Stat(font); err != nil {
		t.Skip("no DejaVu font: the pattern's clock is in another font")
	}
	cr := &clockReader{size: max(height/10, 10), scale: float64(outHeight) / float64(height)}
	dir := t.TempDir()
	for d := range 10 {
		out := filepath.Join(dir, fmt.Sprintf("%d.png", d))
		text := strings.Repeat(fmt.Sprint(d), 12)
		vf := fmt.Sprintf("drawtext=fontfile=%s:text='%s':x=%d:y=%d:fontsize=%d:fontcolor=white,scale=-2:%d", font, text, cr.size/2, cr.size/2, cr.size, outHeight)
		b, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
			fmt.Sprintf("color=black:size=%dx%d", width, height), "-frames:v", "1", "-vf", vf, out).CombinedOutput()
		if err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, b)
		}
		f, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if cr.refs[d], err = png.Decode(bytes.NewReader(f)); err != nil {
			t.Fatal(err)
		}
	}
	return cr
}

func bright(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r+g+b)/3 > 0x9000
}

// read returns the clock's time of day on img. FFmpeg's hms expansion
// may lead with a blank for the sign: the text's first lit column says
// where the digits start.
func (cr *clockReader) read(img image.Image) (time.Duration, error) {
	adv := float64(cr.size) * 1233 / 2048 * cr.scale // DejaVu Sans Mono's advance
	x0, y0 := float64(cr.size/2)*cr.scale, int(float64(cr.size/2)*cr.scale)
	height := int(float64(cr.size) * cr.scale * 4 / 5) // the digits, not the box below them
	shift := (firstLit(img, int(x0)-1, int(x0+13*adv), y0, y0+height) - firstLit(cr.refs[8], 0, int(x0+13*adv), y0, y0+height))
	off := int(math.Round(float64(shift)/adv) * adv)
	var d []int
	// The tens of hours, minutes and seconds go no higher than 2, 5, 5,
	// and the hour's ones no higher than 3 after a 2: that settles the
	// small picture's closest confusion, 0 against 6 (20:xx read 26:xx).
	highest := map[int]int{0: 2, 3: 5, 6: 5}
	for i := range 12 {
		if i == 2 || i == 5 || i == 8 {
			continue
		}
		lo, hi := int(x0+float64(i)*adv), int(x0+float64(i+1)*adv)
		best, bestSim := -1, -2.0
		for digit, ref := range cr.refs {
			if top, ok := highest[i]; ok && digit > top {
				continue
			}
			if i == 1 && d[0] == 2 && digit > 3 {
				continue
			}
			if sim := correlation(img, ref, off, lo, hi, y0, y0+height); sim > bestSim {
				best, bestSim = digit, sim
			}
		}
		d = append(d, best)
	}
	n := func(ds ...int) int {
		v := 0
		for _, x := range ds {
			v = v*10 + x
		}
		return v
	}
	h, m, sec, ms := n(d[0:2]...), n(d[2:4]...), n(d[4:6]...), n(d[6:9]...)
	if h > 23 || m > 59 || sec > 59 {
		return 0, fmt.Errorf("read %02d:%02d:%02d.%03d", h, m, sec, ms)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond, nil
}

// correlation is the normalised cross-correlation of img's luminance,
// shifted left by off, with ref's over columns [x0, x1) and rows [y0, y1):
// it ignores the box's shade behind the digits and scaling's blur.
func correlation(img, ref image.Image, off, x0, x1, y0, y1 int) float64 {
	var sa, sb, saa, sbb, sab, n float64
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			a, b := luma(img, x+off, y), luma(ref, x, y)
			sa, sb, saa, sbb, sab, n = sa+a, sb+b, saa+a*a, sbb+b*b, sab+a*b, n+1
		}
	}
	cov := sab - sa*sb/n
	va, vb := saa-sa*sa/n, sbb-sb*sb/n
	if va <= 0 || vb <= 0 {
		return -1
	}
	return cov / math.Sqrt(va*vb)
}

func luma(img image.Image, x, y int) float64 {
	r, g, b, _ := img.At(x, y).RGBA()
	return float64(r+g+b) / 3
}

// firstLit returns the first column in [x0, x1) with a lit pixel in rows
// [y0, y1).
func firstLit(img image.Image, x0, x1, y0, y1 int) int {
	for x := max(x0, 0); x < x1; x++ {
		for y := y0; y < y1; y++ {
			if bright(img, x, y) {
				return x
			}
		}
	}
	return x0
}

// glassToGlass reads the clock off a page's picture (a PNG data URL) and
// returns how long before at (Unix ms, when the picture was taken) it
// was due.
func (cr *clockReader) glassToGlass(dataURL string, at int64) (time.Duration, error) {
	b64, ok := strings.CutPrefix(dataURL, "data:image/png;base64,")
	if !ok {
		return 0, fmt.Errorf("no PNG")
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return 0, err
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return 0, err
	}
	shown, err := cr.read(img)
	if err != nil {
		return 0, err
	}
	taken := time.UnixMilli(at)
	midnight := time.Date(taken.Year(), taken.Month(), taken.Day(), 0, 0, 0, 0, taken.Location())
	return taken.Sub(midnight) - shown, nil
}

// medianOf returns the median of ds.
func medianOf(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
