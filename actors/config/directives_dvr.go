package config

import (
	"strings"
)

// parseDVR handles a named DVR:
//
//	dvr NAME { root PATH; expiration 7d; storage_limit 10G; disk_usage_limit 80; disk PATH; }
//	dvr NAME PATH [EXPIRATION] [SIZE] [N%] [replicate] [copy=PATH];
func parseDVR(p *parser, s *stmt, srv *Server) {
	if len(s.args) == 0 {
		p.errorf(s.last().end, "expected a dvr name after %s", s.describe())
		return
	}
	d := DVR{Name: s.args[0].text, pos: s.name.pos}
	if len(s.args) > 1 {
		d.Root = s.args[1].text
		d.optPos = p.dvrLimits(s.args[2:], &d.DVRLimits)
	}
	dispatch(p, s.block, dvrDirectives, &d)
	srv.DVRs = append(srv.DVRs, d)
}

var dvrDirectives = map[string]handler[*DVR]{
	"root": func(p *parser, s *stmt, d *DVR) { p.stringArg(s, &d.Root, "a path") },
	"disk": func(p *parser, s *stmt, d *DVR) {
		if p.nargs(s, 1, 1, "a path") {
			d.Disks = append(d.Disks, DVRDisk{Path: s.args[0].text})
		}
	},
	"expiration":          dvrSetting("a duration"),
	"storage_limit":       dvrSetting("a size"),
	"disk_usage_limit":    dvrSetting("a percentage"),
	"copy":                dvrSetting("a path or URL"),
	"replication_port":    dvrSetting("a port"),
	"episodes_expiration": dvrSetting("a duration"),
	"replicate":           dvrFlag,
	"dvr_replicate":       dvrFlag,
}

// dvrSetting is a directive of a named dvr that takes one value, read as
// the same key on a dvr line.
func dvrSetting(what string) handler[*DVR] {
	return func(p *parser, s *stmt, d *DVR) {
		if p.nargs(s, 1, 1, what) {
			p.limit(s.name.text, s.args[0], s.args[0].text, &d.DVRLimits)
			d.notePos(s.name.text, s.name.pos)
		}
	}
}

// dvrFlag handles `replicate;` (or `dvr_replicate true;`) in a named dvr.
func dvrFlag(p *parser, s *stmt, d *DVR) {
	p.flag(s, &d.Replicate)
	d.notePos(s.name.text, s.name.pos)
}

func (d *DVR) notePos(key string, at position) {
	if d.optPos == nil {
		d.optPos = map[string]position{}
	}
	d.optPos[key] = at
}

// parseStreamDVR handles a stream's dvr line:
//
//	dvr @NAME [EXPIRATION] [SIZE] [N%] [replicate] [KEY=VALUE ...];
//	dvr PATH [EXPIRATION] [SIZE] [N%] [replicate] [KEY=VALUE ...];
//
// The limits after the root are told apart by their unit (dvrLimits), and
// each may also be written as KEY=VALUE.
func parseStreamDVR(p *parser, s *stmt, m *MediaOptions) {
	if !p.nargs(s, 1, -1, "a path or @NAME") {
		return
	}
	d := &StreamDVR{pos: s.name.pos}
	first := s.args[0]
	if ref, ok := strings.CutPrefix(first.text, "@"); ok && !first.quoted {
		d.Reference = ref
	} else {
		d.Root = first.text
	}
	d.optPos = p.dvrLimits(s.args[1:], &d.DVRLimits)
	m.DVR = d
}

// dvrLimits reads the words after a dvr line's root, each by its form: a
// percentage is the disk usage limit; a number with a size unit (K, M, G,
// T; lowercase k, g, t too, but a lowercase m is minutes) the storage
// limit; a duration (s, m, h, d) the expiration; a bare number the
// expiration, or the storage limit when an expiration came before (the
// older positional form); `replicate` a flag; KEY=VALUE any setting. It
// returns where each DVRKept setting was read.
func (p *parser) dvrLimits(args []token, l *DVRLimits) map[string]position {
	at := map[string]position{}
	haveExpiration := false
	for _, a := range args {
		key, text := dvrWordKey(a, haveExpiration), a.text
		if a.option {
			text = a.val
		}
		if _, twice := at[key]; twice {
			p.errorf(a.pos, "dvr: %s given twice (%s)", key, a.describe())
			continue
		}
		if key == "replicate" {
			l.Replicate = true
		} else if !p.limit(key, a, text, l) {
			continue
		}
		haveExpiration = haveExpiration || key == "expiration"
		at[key] = a.pos
	}
	return at
}

// dvrWordKey is the setting a word of a dvr line sets.
func dvrWordKey(a token, haveExpiration bool) string {
	t := a.text
	switch {
	case a.option:
		return a.key
	case t == "replicate" && !a.quoted:
		return "replicate"
	case strings.HasSuffix(t, "%"):
		return "disk_usage_limit"
	case t != "" && strings.ContainsRune("KMGTkgt", rune(t[len(t)-1])):
		return "storage_limit"
	case t != "" && allDigits(t) && haveExpiration:
		return "storage_limit"
	}
	return "expiration"
}

// limit sets one DVR setting from its text; false when it is not one.
func (p *parser) limit(key string, at token, text string, l *DVRLimits) bool {
	var err error
	switch key {
	case "expiration":
		l.Expiration, err = ParseDuration(text)
	case "storage_limit":
		l.StorageLimit, err = ParseSize(text)
	case "disk_usage_limit":
		l.DiskUsageLimit, err = ParsePercent(text)
	case "episodes_expiration":
		l.EpisodesExpiration, err = ParseDuration(text)
	case "replication_port":
		l.ReplicationPort, err = parsePort(text)
	case "copy":
		l.Copy = text
	default:
		p.errorf(at.pos, "unknown dvr option %q; want expiration, storage_limit, disk_usage_limit, copy, replication_port, episodes_expiration or replicate", key)
		return false
	}
	if err != nil {
		p.errorf(at.valPos(), "%s: %v", key, err)
		return false
	}
	return true
}

// parsePort reads a TCP or UDP port number, 1 to 65535.
func parsePort(s string) (int, error) {
	n, err := scaled(s, 1, "port", s)
	if err == nil && (n < 1 || n > 65535) {
		err = errRange
	}
	return n, err
}
