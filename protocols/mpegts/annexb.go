package mpegts

import (
	"bytes"
	"errors"
)

var (
	errNoStartCode = errors.New("no Annex B start code at the start of the unit")
	errNoNALUs     = errors.New("no NAL unit in the Annex B unit")
)

var startCode = []byte{0, 0, 1}

// splitAnnexB cuts an access unit in Annex B byte stream form (H.264 and
// H.265 Annex B) into its NAL units, appended to dst; they alias b. It
// finds start codes with bytes.Index, which is vectorised: mediacommon's
// AnnexB.Unmarshal tests every byte twice and was a fifth of a UDP
// ingest's CPU. A NAL unit ends before the next three-byte start code, or
// before the zero byte ahead of it (a four-byte start code); trailing
// zero bytes before a three-byte code stay in the unit, as mediacommon
// leaves them. Empty units are skipped.
func splitAnnexB(dst [][]byte, b []byte) ([][]byte, error) {
	if !bytes.HasPrefix(b, startCode) && !bytes.HasPrefix(b, []byte{0, 0, 0, 1}) {
		return dst, errNoStartCode
	}
	n := len(dst)
	start := bytes.Index(b, startCode) + len(startCode)
	for start < len(b) {
		k := bytes.Index(b[start:], startCode)
		if k < 0 {
			dst = append(dst, b[start:])
			break
		}
		end := start + k
		if k > 0 && b[end-1] == 0 {
			end--
		}
		if end > start {
			dst = append(dst, b[start:end])
		}
		start += k + len(startCode)
	}
	if len(dst) == n {
		return dst, errNoNALUs
	}
	return dst, nil
}
