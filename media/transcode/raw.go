package transcode

import (
	"time"

	"github.com/asticode/go-astiav"
)

// Raw is one uncompressed picture or block of samples inside a pipeline.
// It belongs to the producer that returned it and stays valid until that
// producer's next call; consumers (encoders, graphs) read it and keep
// nothing.
type Raw struct {
	f  *astiav.Frame
	tb astiav.Rational // time base of f's pts
}

// PTS returns the presentation time of r.
func (r *Raw) PTS() time.Duration {
	return toDuration(r.f.Pts(), r.tb)
}

// nanoTimeBase is time.Duration's time base.
var nanoTimeBase = astiav.NewRational(1, int(time.Second))

// toDuration converts a timestamp in time base tb.
func toDuration(ts int64, tb astiav.Rational) time.Duration {
	return time.Duration(astiav.RescaleQ(ts, tb, nanoTimeBase))
}
