package mpegts

import (
	"fmt"
	"slices"

	"streamhive/media"
)

// onSection handles one complete section on a PAT or PMT PID.
func (d *Demuxer) onSection(st *pidState, b []byte) error {
	s, err := parseSection(b)
	if err != nil {
		return d.dropSection(st, err)
	}
	if !s.current {
		return nil // announces the next version; it applies once current
	}
	if st.kind == pidPAT {
		programs, err := parsePAT(s)
		if err != nil {
			return d.dropSection(st, err)
		}
		return d.onPAT(programs)
	}
	if s.tableID == tableIDPMT && s.ext != d.program {
		return nil // another program's PMT sharing the PID
	}
	streams, err := parsePMT(s)
	if err != nil {
		return d.dropSection(st, err)
	}
	return d.onPMT(streams)
}

// onPAT picks the program and follows its PMT PID.
func (d *Demuxer) onPAT(programs []program) error {
	prog, ok := d.choose(programs)
	if !ok {
		d.stats.TS.PATErrors.Add(1)
		return fmt.Errorf("%w: want programs %v or PMT PIDs %v, PAT has %v", ErrNoProgram, d.cfg.Programs, d.cfg.PIDs, programs)
	}
	d.patSeen = true
	if d.pmtPID == int(prog.pmtPID) && d.program == prog.number {
		return nil
	}
	if d.pmtPID >= 0 {
		delete(d.pids, uint16(d.pmtPID))
	}
	d.pmtPID, d.program = int(prog.pmtPID), prog.number
	d.pids[prog.pmtPID] = &pidState{kind: pidPMT, cc: -1}
	return nil
}

// choose applies Config to the PAT's programs.
func (d *Demuxer) choose(programs []program) (program, bool) {
	if len(d.cfg.Programs) > 0 {
		for _, n := range d.cfg.Programs {
			for _, p := range programs {
				if int(p.number) == n {
					return p, true
				}
			}
		}
		return program{}, false
	}
	for _, p := range programs {
		if slices.Contains(d.cfg.PIDs, int(p.pmtPID)) {
			return p, true
		}
	}
	if len(programs) == 0 {
		return program{}, false
	}
	return programs[0], true
}

// onPMT takes the program's streams. The first PMT defines them; a later
// one that selects other streams ends the demux once tracks are
// published, and replaces them before.
func (d *Demuxer) onPMT(list []esInfo) error {
	sel := d.selectStreams(list)
	if d.streams != nil && sameStreams(d.streams, sel) {
		return nil
	}
	if d.published {
		return fmt.Errorf("%w: PMT of program %d", ErrTracksChanged, d.program)
	}
	if len(sel) == 0 {
		return fmt.Errorf("mpegts: program %d has no H.264, H.265, AAC or Opus stream (PMT: %v): %w",
			d.program, list, media.ErrUnsupportedCodec)
	}
	for pid, st := range d.pids {
		if st.kind == pidES {
			delete(d.pids, pid)
		}
	}
	d.streams, d.pending = nil, nil
	for _, e := range sel {
		es := &elementary{esInfo: e, id: -1}
		d.streams = append(d.streams, es)
		d.pids[e.pid] = &pidState{kind: pidES, es: es, cc: -1}
	}
	return nil
}

// selectStreams keeps the supported streams that Config.PIDs names (all
// of them when it names none of the program's streams), leaving out any
// on a PID the program's tables use.
func (d *Demuxer) selectStreams(list []esInfo) []esInfo {
	named := slices.ContainsFunc(list, func(e esInfo) bool { return slices.Contains(d.cfg.PIDs, int(e.pid)) })
	var out []esInfo
	for _, e := range list {
		switch {
		case e.codec == "":
		case named && !slices.Contains(d.cfg.PIDs, int(e.pid)):
		case e.pid == 0 || int(e.pid) == d.pmtPID || e.pid == 0x1fff:
		case slices.ContainsFunc(out, func(o esInfo) bool { return o.pid == e.pid }):
		default:
			out = append(out, e)
		}
	}
	return out
}

func sameStreams(have []*elementary, sel []esInfo) bool {
	if len(have) != len(sel) {
		return false
	}
	for i, es := range have {
		if es.esInfo != sel[i] {
			return false
		}
	}
	return true
}
