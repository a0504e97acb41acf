package mpegts

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"streamhive/protocols/mpegts/mpegtstest"
)

// unitSpots returns, for pid, the index of the second packet of every
// PES unit that has at least two packets, skipping the first units (the
// ones that make the tracks).
func unitSpots(ps []tsPacket, pid int) []int {
	var spots []int
	unit, pos, second := -1, 0, -1
	flush := func() {
		if unit >= 3 && pos >= 2 {
			spots = append(spots, second)
		}
	}
	for i, p := range ps {
		if p.pid() != pid || !p.payload() {
			continue
		}
		if p.start() {
			flush()
			unit, pos = unit+1, 0
		}
		if pos == 1 {
			second = i
		}
		pos++
	}
	flush()
	return spots
}

// TestInjectedContinuityErrors damages a clean stream in known ways and
// checks that every counter reports exactly what was done: N counter
// jumps (+3 from that packet on) and M deleted packets, each inside a
// different PES unit of the video or audio PID.
func TestInjectedContinuityErrors(t *testing.T) {
	clean := mpegtstest.H264AAC(t, "2")
	ps := packets(t, clean)
	type spot struct {
		index int
		pid   int
	}
	var spots []spot
	for _, pid := range []int{videoPID, audioPID} {
		s := unitSpots(ps, pid)
		for i := 0; i < len(s) && i < 12; i += 2 { // every other unit: never two in one
			spots = append(spots, spot{s[i], pid})
		}
	}
	if len(spots) < 6 {
		t.Fatalf("only %d places to damage", len(spots))
	}
	var bumps, deletes, brokenVideo int
	deleted := map[int]bool{}
	shift := map[int]int{} // pid -> counter jump applied from the current packet on
	at := map[int]spot{}
	for i, s := range spots {
		at[s.index] = spots[i]
	}
	var out []tsPacket
	for i, p := range ps {
		if s, ok := at[i]; ok {
			if s.pid == videoPID {
				brokenVideo++
			}
			if len(deleted)%2 == 0 && bumps <= deletes {
				bumps++
				shift[s.pid] += 3
			} else {
				deletes++
				deleted[i] = true
				continue
			}
		}
		if p.payload() {
			p.setCC(p.cc() + shift[p.pid()])
		}
		out = append(out, p)
	}
	r := demuxAll(t, join(out), Config{})
	wantEOF(t, r.err)
	s := &r.stats.TS
	n := uint64(bumps + deletes)
	if got := s.CCErrors.Load(); got != n {
		t.Errorf("CC errors %d, want %d (%d jumps, %d deletions)", got, n, bumps, deletes)
	}
	if got, want := s.LostPackets.Load(), uint64(3*bumps+deletes); got != want {
		t.Errorf("lost packets %d, want %d", got, want)
	}
	if got := s.BrokenPayloads.Load(); got != n {
		t.Errorf("broken payloads %d, want %d", got, n)
	}
	if got := r.stats.Errors.Load(); got != n {
		t.Errorf("errors %d, want %d", got, n)
	}
	if v, _ := r.count(0); v != 50-brokenVideo {
		t.Errorf("%d video frames, want %d (50 less %d broken)", v, 50-brokenVideo, brokenVideo)
	}
	r.checkMonotonic(t)
}

func TestScrambledAndTransportErrorPackets(t *testing.T) {
	ps := packets(t, mpegtstest.H264AAC(t, "2"))
	spots := unitSpots(ps, videoPID)
	scrambled := spots[0:6:6]
	for _, i := range scrambled[:3] {
		ps[i].scramble()
	}
	for _, i := range scrambled[3:] {
		ps[i][1] |= 0x80 // transport_error_indicator
	}
	r := demuxAll(t, join(ps), Config{})
	wantEOF(t, r.err)
	s := &r.stats.TS
	// A TEI packet is dropped unread, so the next packet of its PID shows
	// one lost packet; a scrambled one keeps the counter running.
	for name, c := range map[string][2]uint64{
		"scrambled":        {s.Scrambled.Load(), 3},
		"transport errors": {s.TransportErrors.Load(), 3},
		"cc errors":        {s.CCErrors.Load(), 3},
		"lost":             {s.LostPackets.Load(), 3},
		"broken":           {s.BrokenPayloads.Load(), 6},
	} {
		if c[0] != c[1] {
			t.Errorf("%s: %d, want %d", name, c[0], c[1])
		}
	}
}

func dropPID(ps []tsPacket, pid int) []tsPacket {
	var out []tsPacket
	for _, p := range ps {
		if p.pid() != pid {
			out = append(out, p)
		}
	}
	return out
}

func TestMissingAndInvalidTables(t *testing.T) {
	clean := mpegtstest.H264AAC(t, "1")
	corruptPMT := packets(t, clean)
	pmts := 0
	for _, p := range corruptPMT {
		if p.pid() == pmtPID {
			p[20] ^= 0x55 // inside the section: the CRC no longer matches
			pmts++
		}
	}
	for _, tc := range []struct {
		name     string
		data     []byte
		want     error
		pat, pmt uint64
	}{
		{"no PAT", join(dropPID(packets(t, clean), 0)), ErrNoPAT, 1, 0},
		{"no PMT", join(dropPID(packets(t, clean), pmtPID)), ErrNoPMT, 0, 1},
		{"bad PMT CRC", join(corruptPMT), ErrNoPMT, 0, uint64(pmts) + 1},
		{"program not in PAT", clean, ErrNoProgram, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{}
			if errors.Is(tc.want, ErrNoProgram) {
				cfg.Programs = []int{7}
			}
			r := demuxAll(t, tc.data, cfg)
			if !errors.Is(r.err, tc.want) || r.tracks != nil || r.frames != nil {
				t.Fatalf("got %v with %d tracks, want %v and none", r.err, len(r.tracks), tc.want)
			}
			if p, m := r.stats.TS.PATErrors.Load(), r.stats.TS.PMTErrors.Load(); p != tc.pat || m != tc.pmt {
				t.Errorf("PAT errors %d, PMT errors %d; want %d, %d", p, m, tc.pat, tc.pmt)
			}
		})
	}
}

// TestGarbageAndTruncatedPackets inserts runs of garbage between packets
// and cuts packets short: each is one sync error, a cut packet is also a
// lost one, and the rest of the stream plays.
func TestGarbageAndTruncatedPackets(t *testing.T) {
	ps := packets(t, mpegtstest.H264AAC(t, "2"))
	spots := unitSpots(ps, videoPID)
	garbageAt, cutAt := map[int]bool{}, map[int]bool{}
	for i, s := range spots[:8] {
		if i%2 == 0 {
			garbageAt[s] = true
		} else {
			cutAt[s] = true
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for i, p := range ps {
		switch {
		case garbageAt[i]:
			for range 1 + rng.IntN(400) {
				b.WriteByte(byte(rng.IntN(0x47))) // never a sync byte
			}
			b.Write(p)
		case cutAt[i]:
			b.Write(p[:1+rng.IntN(packetSize-2)])
		default:
			b.Write(p)
		}
	}
	b.Write([]byte{0x47, 0x01, 0x00}) // and a truncated last packet
	r := demuxAll(t, b.Bytes(), Config{})
	wantEOF(t, r.err)
	s := &r.stats.TS
	if got, want := s.SyncErrors.Load(), uint64(len(garbageAt)+len(cutAt)+1); got != want {
		t.Errorf("sync errors %d, want %d", got, want)
	}
	if got, want := s.CCErrors.Load(), uint64(len(cutAt)); got != want {
		t.Errorf("CC errors %d, want %d", got, want)
	}
	if got, want := s.BrokenPayloads.Load(), uint64(len(cutAt)); got != want {
		t.Errorf("broken payloads %d, want %d", got, want)
	}
	if v, _ := r.count(0); v != 50-len(cutAt) {
		t.Errorf("%d video frames, want %d", v, 50-len(cutAt))
	}
}

func TestGarbageOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	junk := make([]byte, 1<<20)
	for i := range junk {
		junk[i] = byte(rng.Uint32())
	}
	r := demuxAll(t, junk, Config{})
	if !errors.Is(r.err, ErrNoPAT) {
		t.Fatalf("got %v, want ErrNoPAT", r.err)
	}
	if r.stats.TS.SyncErrors.Load() == 0 {
		t.Errorf("no sync errors counted for 1 MiB of noise")
	}
}
