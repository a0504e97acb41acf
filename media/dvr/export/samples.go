package export

import (
	"bytes"
	"fmt"

	"github.com/Eyevinn/mp4ff/mp4"
)

// sample is one archived sample: decode time in the track's timescale on
// the archive's (segmenter's) timeline, and its bytes, which alias the
// fragment they were read from.
type sample struct {
	decode uint64
	dur    uint32
	cto    int32
	sync   bool
	data   []byte
}

// fragmentSamples parses one track's CMAF of one record (moof+mdat pairs,
// as media/segment writes them) into its samples, in decode order.
func fragmentSamples(b []byte) ([]sample, error) {
	if len(b) == 0 {
		return nil, nil
	}
	f, err := mp4.DecodeFile(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("export: reading fragments: %w", err)
	}
	var out []sample
	for _, seg := range f.Segments {
		for _, frag := range seg.Fragments {
			full, err := frag.GetFullSamples(nil)
			if err != nil {
				return nil, fmt.Errorf("export: reading fragment samples: %w", err)
			}
			for _, s := range full {
				out = append(out, sample{
					decode: s.DecodeTime, dur: s.Dur, cto: s.CompositionTimeOffset,
					sync: !mp4.DecodeSampleFlags(s.Flags).SampleIsNonSync, data: s.Data,
				})
			}
		}
	}
	return out, nil
}
