package config

import (
	"strings"
)

// parseDVR handles a named DVR:
//
//	dvr NAME { root PATH; expiration 7d; storage_limit 10G; disk_usage_limit 80; disk PATH; }
//	dvr NAME PATH [EXPIRATION [STORAGE_LIMIT]] [N%];
func parseDVR(p *parser, s *stmt, srv *Server) {
	if len(s.args) == 0 {
		p.errorf(s.last().end, "expected a dvr name after %s", s.describe())
		return
	}
	d := DVR{Name: s.args[0].text, pos: s.name.pos}
	if len(s.args) > 1 {
		d.Root = s.args[1].text
		p.dvrLimits(s.args[2:], &d.DVRLimits)
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
	"expiration": func(p *parser, s *stmt, d *DVR) {
		if p.nargs(s, 1, 1, "a duration") {
			p.limit("expiration", s.args[0], s.args[0].text, &d.DVRLimits)
		}
	},
	"storage_limit": func(p *parser, s *stmt, d *DVR) {
		if p.nargs(s, 1, 1, "a size") {
			p.limit("storage_limit", s.args[0], s.args[0].text, &d.DVRLimits)
		}
	},
	"disk_usage_limit": func(p *parser, s *stmt, d *DVR) {
		if p.nargs(s, 1, 1, "a percentage") {
			p.limit("disk_usage_limit", s.args[0], s.args[0].text, &d.DVRLimits)
		}
	},
}

// parseStreamDVR handles a stream's dvr line:
//
//	dvr @NAME [EXPIRATION [STORAGE_LIMIT]] [N%];
//	dvr PATH [EXPIRATION [STORAGE_LIMIT]] [N%];
//
// Limits may also be written expiration=7d storage_limit=10G disk_usage_limit=80.
func parseStreamDVR(p *parser, s *stmt, m *MediaOptions) {
	if !p.nargs(s, 1, -1, "a path or @NAME") {
		return
	}
	d := &StreamDVR{}
	first := s.args[0]
	if ref, ok := strings.CutPrefix(first.text, "@"); ok && !first.quoted {
		d.Reference = ref
	} else {
		d.Root = first.text
	}
	p.dvrLimits(s.args[1:], &d.DVRLimits)
	m.DVR = d
}

// dvrLimits reads limits after the root: positional expiration then
// storage limit, a percentage, or key=value.
func (p *parser) dvrLimits(args []token, l *DVRLimits) {
	positional := 0
	for _, a := range args {
		switch {
		case a.option:
			p.limit(a.key, a, a.val, l)
		case strings.HasSuffix(a.text, "%"):
			p.limit("disk_usage_limit", a, a.text, l)
		case positional == 0:
			p.limit("expiration", a, a.text, l)
			positional++
		case positional == 1:
			p.limit("storage_limit", a, a.text, l)
			positional++
		default:
			p.errorf(a.pos, "unexpected argument %s: expected ';' after the dvr limits", a.describe())
		}
	}
}

// limit sets one DVR limit from its text.
func (p *parser) limit(key string, at token, text string, l *DVRLimits) {
	var err error
	switch key {
	case "expiration":
		l.Expiration, err = ParseDuration(text)
	case "storage_limit":
		l.StorageLimit, err = ParseSize(text)
	case "disk_usage_limit":
		l.DiskUsageLimit, err = ParsePercent(text)
	default:
		p.errorf(at.pos, "unknown dvr option %q; want expiration, storage_limit or disk_usage_limit", key)
		return
	}
	if err != nil {
		p.errorf(at.valPos(), "%s: %v", key, err)
	}
}
