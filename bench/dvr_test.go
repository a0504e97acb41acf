package bench

import (
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/segment"
)

// The DVR store's write path on one disk path: how many 4 Mbit/s streams
// it records. A segment is 2 s of a 4 Mbit/s stream: 1 MB as MPEG-TS and
// about as much again as CMAF fragments (the store keeps both forms), so
// each write is three files (TS, CMAF, record), each synced, renamed, and
// the directory synced. DVR_DIR picks the disk path (the temp dir
// otherwise).

const (
	segDur   = 2 * time.Second
	segBytes = 4_000_000 / 8 * 2 // 4 Mbit/s for 2 s
)

func dvrDir(b *testing.B) string {
	if d := os.Getenv("DVR_DIR"); d != "" {
		dir, err := os.MkdirTemp(d, "dvrbench")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = os.RemoveAll(dir) })
		return dir
	}
	return b.TempDir()
}

// benchSegments makes n segments of payload that does not compress.
func benchSegments(n int, start time.Time) []*segment.Segment {
	in := &segment.Init{
		Tracks: []media.Track{{ID: 0, Codec: media.CodecH264}, {ID: 1, Codec: media.CodecAAC, SampleRate: 48000}},
		CMAF:   [][]byte{make([]byte, 700), make([]byte, 600)}, Timescales: []uint32{90000, 48000},
	}
	ts := make([]byte, segBytes)
	_, _ = rand.Read(ts)
	video, audio := ts[:segBytes-32_000], ts[segBytes-32_000:]
	out := make([]*segment.Segment, n)
	for i := range out {
		s := &segment.Segment{
			MSN: uint64(i), Init: in, DTS: time.Duration(i) * segDur, Duration: segDur,
			ProgramDateTime: start.Add(time.Duration(i) * segDur),
			CMAF:            [][]byte{video, audio},
		}
		out[i] = s.WithTS(ts)
	}
	return out
}

func openBenchStore(b *testing.B, disk *dvr.Disk, name string) *dvr.Store {
	st, err := dvr.Open(dvr.Options{
		Stream: name, Disks: []*dvr.Disk{disk}, Retention: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(st.Close)
	return st
}

// BenchmarkDVRWrite writes segments as fast as the disk takes them, from
// 1, 4 and 16 streams at once; streams/disk is how many real-time
// 4 Mbit/s streams that rate sustains.
func BenchmarkDVRWrite(b *testing.B) {
	for _, streams := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("streams=%d", streams), func(b *testing.B) {
			disk := dvr.NewDisk(dvrDir(b))
			segs := benchSegments(1, time.Unix(1_700_000_000, 0))[0]
			stores := make([]*dvr.Store, streams)
			for i := range stores {
				stores[i] = openBenchStore(b, disk, fmt.Sprintf("s%d", i))
			}
			b.SetBytes(int64(segs.TSLen() + len(segs.CMAF[0]) + len(segs.CMAF[1])))
			b.ResetTimer()
			var wg sync.WaitGroup
			per := (b.N + streams - 1) / streams
			for i, st := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for n := range per {
						s := *segs
						s.ProgramDateTime = s.ProgramDateTime.Add(time.Duration(n) * segDur)
						s.MSN, s.DTS = uint64(n), time.Duration(n)*segDur
						if _, err := st.Write(&s, false); err != nil {
							b.Errorf("stream %d: %v", i, err)
							return
						}
					}
				}()
			}
			wg.Wait()
			elapsed := b.Elapsed()
			writes := per * streams
			b.ReportMetric(float64(writes)/elapsed.Seconds()*segDur.Seconds(), "streams/disk")
		})
	}
}

// BenchmarkDVRRealtime records N streams in real time (one 2 s segment per
// stream every 2 s, the streams' writes spread over the interval) for
// 20 s, and reports the CPU the writes cost per stream and the slowest
// write. Run it with -benchtime 1x.
func BenchmarkDVRRealtime(b *testing.B) {
	for _, streams := range []int{10, 50} {
		b.Run(fmt.Sprintf("streams=%d", streams), func(b *testing.B) {
			disk := dvr.NewDisk(dvrDir(b))
			seg := benchSegments(1, time.Now())[0]
			stores := make([]*dvr.Store, streams)
			for i := range stores {
				stores[i] = openBenchStore(b, disk, fmt.Sprintf("s%d", i))
			}
			const rounds = 10
			var mu sync.Mutex
			var lat []time.Duration
			cpu0 := cpuTime()
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for i, st := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					offset := segDur * time.Duration(i) / time.Duration(streams)
					for n := range rounds {
						time.Sleep(time.Until(start.Add(offset + time.Duration(n)*segDur)))
						s := *seg
						s.ProgramDateTime = start.Add(time.Duration(n) * segDur)
						s.MSN, s.DTS = uint64(n), time.Duration(n)*segDur
						t := time.Now()
						if _, err := st.Write(&s, false); err != nil {
							b.Errorf("stream %d: %v", i, err)
							return
						}
						mu.Lock()
						lat = append(lat, time.Since(t))
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			wall := time.Since(start)
			cpu := cpuTime() - cpu0
			slices.Sort(lat)
			b.ReportMetric(100*cpu.Seconds()/wall.Seconds()/float64(streams), "cpu%/stream")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-write-ms")
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-write-ms")
		})
	}
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
