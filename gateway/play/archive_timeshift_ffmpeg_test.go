//go:build e2e

package play

import (
	"fmt"
	"testing"
	"time"
)

// TestArchiveTimeshiftFFmpeg: ffprobe finds H.264 and AAC in the
// continuous timeshift_abs-FROM.ts and timeshift_rel-S.ts, and ffmpeg
// decodes three seconds of each without an error line.
func TestArchiveTimeshiftFFmpeg(t *testing.T) {
	t.Parallel()
	needTools(t)
	ah := newArchiveHarness(t)
	ago := int64(time.Since(arcT0)/time.Second) - 4
	for _, path := range []string{
		arcPath("clean", "timeshift_abs-%d.ts", 2),
		fmt.Sprintf("/clean/timeshift_rel-%d.ts", ago),
	} {
		probe(t, ah.base+path)
		decode(t, ah.base+path, 3)
	}
}
