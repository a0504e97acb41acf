package segment

import (
	"bytes"
	"testing"

	"github.com/Eyevinn/mp4ff/mp4"
)

// TestMoofMatchesMP4ff holds appendMoof to the bytes mp4ff writes for the
// same fragment: a 32-bit and a 64-bit decode time, negative composition
// offsets, one sample and many; and fragmentSize to the length written
// (encode allocates exactly that).
func TestMoofMatchesMP4ff(t *testing.T) {
	for _, c := range []struct {
		name string
		base uint64
		n    int
	}{{"one", 0, 1}, {"many", 123456, 30}, {"64-bit time", 1<<33 + 5, 7}} {
		t.Run(c.name, func(t *testing.T) {
			var samples []mp4.Sample
			for i := range c.n {
				flags := mp4.NonSyncSampleFlags | mp4.SampleDependsOn1
				if i == 0 {
					flags = mp4.SyncSampleFlags
				}
				samples = append(samples, mp4.NewSample(flags, uint32(3000+i), uint32(100*i+7), int32(1500-600*(i%4))))
			}
			frag, err := mp4.CreateFragment(42, 1)
			if err != nil {
				t.Fatal(err)
			}
			frag.AddSamples(samples, c.base)
			var want bytes.Buffer
			if err := frag.Encode(&want); err != nil {
				t.Fatal(err)
			}
			got := appendMoof([]byte("x"), 42, c.base, samples)
			if !bytes.Equal(got[1:], want.Bytes()) {
				t.Errorf("appendMoof:\n got %x\nwant %x", got[1:], want.Bytes())
			}
			data := 0
			for _, s := range samples {
				data += int(s.Size)
			}
			if n := fragmentSize(c.base, samples); n != len(got)-1+data {
				t.Errorf("fragmentSize %d, want %d headers + %d data", n, len(got)-1, data)
			}
		})
	}
}
