package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// dump writes every segment each viewer saw, and the fault time, into the
// scenario's directory (viewer-NAME.txt), for reading a failure.
func (e *env) dump(fault time.Time) {
	for name, v := range e.viewer {
		var b strings.Builder
		fmt.Fprintf(&b, "fault at %s\n", fault.Format("15:04:05.000"))
		for _, s := range v.Segments() {
			first, last := time.Duration(-1), time.Duration(-1)
			if len(s.Times) > 0 {
				first, last = s.Times[0], s.Times[len(s.Times)-1]
			}
			fmt.Fprintf(&b, "msn %d appeared %s extinf %v frames %d pts %v..%v disc %v\n", s.MSN,
				s.Appeared.Format("15:04:05.000"), s.Duration, len(s.Times), first, last, s.Discontinuity)
			for i := 1; i < len(s.Times); i++ {
				if d := s.Times[i] - s.Times[i-1]; d > 100*time.Millisecond {
					fmt.Fprintf(&b, "  hole of %v after frame %d (pts %v)\n", d, i-1, s.Times[i-1])
				}
			}
		}
		for _, r := range v.Reloads() {
			fmt.Fprintf(&b, "reload %s: %s\n", r.At.Format("15:04:05.000"), r.What)
		}
		_ = os.WriteFile(filepath.Join(e.dir, "viewer-"+name+".txt"), []byte(b.String()), 0o644)
	}
}
