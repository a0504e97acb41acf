package hlspull

import (
	"encoding/binary"
	"fmt"
)

// tables are the full boxes (ISO/IEC 14496-12) whose entry count mp4ff
// trusts when it allocates: the offset of the 32-bit count after the box
// header, and the least bytes one entry takes. A count that the box
// cannot hold would have mp4ff allocate and loop over up to 2^32 entries.
var tables = map[string]struct{ countAt, entry int }{
	"stts": {4, 8}, "ctts": {4, 8}, "stsc": {4, 12}, "stco": {4, 4}, "co64": {4, 8},
	"stss": {4, 4}, "elst": {4, 12}, "stsz": {8, 4},
}

// refused are boxes a clear HLS segment never holds and whose decoding in
// mp4ff allocates by counts it does not check (sample encryption, the
// random-access index, subsegment indexes).
var refused = map[string]bool{"senc": true, "saiz": true, "saio": true, "mfra": true, "tfra": true, "ssix": true, "leva": true}

// containers are the boxes whose payload is more boxes.
var containers = map[string]bool{
	"moov": true, "trak": true, "mdia": true, "minf": true, "stbl": true, "mvex": true,
	"moof": true, "traf": true, "edts": true, "dinf": true,
}

// checkBoxes walks b's box tree before mp4ff decodes it: every box fits
// its parent, no refused box appears, and every table's count fits its
// box. It keeps hostile sizes from becoming huge allocations.
func checkBoxes(b []byte, depth int) error {
	if depth > 8 {
		return fmt.Errorf("%w: boxes nested too deep", errFMP4)
	}
	for len(b) > 0 {
		if len(b) < 8 {
			return fmt.Errorf("%w: %d stray bytes", errFMP4, len(b))
		}
		size, typ, hdr := uint64(binary.BigEndian.Uint32(b)), string(b[4:8]), 8
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return fmt.Errorf("%w: %s: short large size", errFMP4, typ)
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < uint64(hdr) || size > uint64(len(b)) {
			return fmt.Errorf("%w: %s box of %d bytes in %d", errFMP4, typ, size, len(b))
		}
		payload := b[hdr:size]
		if err := checkBox(typ, payload, depth); err != nil {
			return err
		}
		b = b[size:]
	}
	return nil
}

func checkBox(typ string, payload []byte, depth int) error {
	switch t, ok := tables[typ]; {
	case refused[typ]:
		return fmt.Errorf("%w: %s box (encrypted or indexed segments are not read)", errFMP4, typ)
	case containers[typ]:
		return checkBoxes(payload, depth+1)
	case ok:
		if len(payload) < t.countAt+4 {
			return fmt.Errorf("%w: %s box too short", errFMP4, typ)
		}
		if typ == "stsz" && binary.BigEndian.Uint32(payload[4:]) != 0 {
			return nil // one size for all samples: no table
		}
		count := uint64(binary.BigEndian.Uint32(payload[t.countAt:]))
		if count*uint64(t.entry) > uint64(len(payload)-t.countAt-4) {
			return fmt.Errorf("%w: %s box claims %d entries", errFMP4, typ, count)
		}
	}
	return nil
}
