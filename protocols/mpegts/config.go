package mpegts

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultProbePackets is Config.ProbePackets's default: 20000 packets
// (3.76 MB) is 7.5 s of a 4 Mbit/s channel and 30 s of a 1 Mbit/s one,
// while encoders repeat PAT and PMT at least every 0.5 s (ETSI TR 101
// 290, PAT_error and PMT_error) and start a GOP every few seconds.
const DefaultProbePackets = 20000

// Config selects what to take from a transport stream.
type Config struct {
	// Programs lists program_numbers to take, in order of preference: the
	// first one the PAT lists is used. Empty: the PMT PID named in PIDs,
	// else the program holding one of PIDs, else the PAT's first program.
	Programs []int
	// PIDs, when not empty, keeps only the elementary streams whose PID is
	// listed; a listed PMT PID selects that program (Flussonic's pids
	// option). Empty: every supported stream of the program.
	PIDs []int
	// ProbePackets bounds the packets read before the tracks are known;
	// 0 means DefaultProbePackets.
	ProbePackets int
}

// ParseOptions reads a Flussonic input's MPEG-TS options: program=N (the
// config file's spelling), programs=N,M (the API's list), pids=N,M and
// pid=N. Other keys are ignored: they belong to the transport.
func ParseOptions(options map[string]string) (Config, error) {
	var c Config
	for _, o := range []struct {
		keys []string
		dst  *[]int
	}{
		{[]string{"program", "programs"}, &c.Programs},
		{[]string{"pid", "pids"}, &c.PIDs},
	} {
		for _, k := range o.keys {
			v, ok := options[k]
			if !ok {
				continue
			}
			list, err := parseList(v)
			if err != nil {
				return c, fmt.Errorf("%w: %s=%q: %w", ErrBadOptions, k, v, err)
			}
			*o.dst = append(*o.dst, list...)
		}
	}
	return c, nil
}

// parseList parses "1", "1,2" or "[1, 2]" into numbers from 0 to 65535.
func parseList(s string) ([]int, error) {
	s = strings.Trim(strings.TrimSpace(s), "[]")
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > 0xffff {
			return nil, fmt.Errorf("%q is not a number from 0 to 65535", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty list")
	}
	return out, nil
}

func (c Config) probePackets() int {
	if c.ProbePackets > 0 {
		return c.ProbePackets
	}
	return DefaultProbePackets
}
