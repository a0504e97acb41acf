package config

import (
	"strings"
)

// vodGlobal are the top-level directives of VOD locations.
var vodGlobal = map[string]handler[*Server]{"vod": parseVOD, "file": parseVOD}

// parseVOD handles a VOD location in both of Flussonic's forms:
//
//	vod NAME { storage PATH_OR_URL; ... cache PATH 400G 48h misses=3; download; }
//	file NAME PATH_OR_URL;
//	file NAME { path PATH; paths PATH PATH; cache ...; }
//
// Both read to one VOD; the printer writes the vod form.
func parseVOD(p *parser, s *stmt, srv *Server) {
	if len(s.args) == 0 || len(s.args) > 2 {
		p.wrongArgs(s, min(len(s.args), 2), "a location name and, for file, a path")
		return
	}
	v := VOD{Prefix: s.args[0].text, pos: s.name.pos}
	if len(s.args) == 2 {
		v.addStorage(s.args[1])
	}
	dispatch(p, s.block, vodDirectives, &v)
	srv.VODs = append(srv.VODs, v)
}

var vodDirectives = map[string]handler[*VOD]{
	"storage":  vodStorages(1),
	"path":     vodStorages(1),
	"paths":    vodStorages(-1),
	"download": func(p *parser, s *stmt, v *VOD) { p.flag(s, &v.Download) },
	"auto_mbr": func(p *parser, s *stmt, v *VOD) { p.flag(s, &v.AutoMBR) },
	"segment_duration": func(p *parser, s *stmt, v *VOD) {
		m := MediaOptions{}
		parseSegmentDuration(p, s, &m)
		v.SegmentDuration = m.SegmentDuration
	},
	"cache": parseVODCache,
}

// vodStorages reads one (storage, path) or several (paths) storages.
func vodStorages(most int) handler[*VOD] {
	return func(p *parser, s *stmt, v *VOD) {
		if p.nargs(s, 1, most, "a path or URL") {
			for _, a := range s.args {
				v.addStorage(a)
			}
		}
	}
}

func (v *VOD) addStorage(a token) {
	v.Storages = append(v.Storages, VODStorage{URL: a.text})
	v.stoPos = append(v.stoPos, a.pos)
}

// parseVODCache reads `cache PATH [SIZE] [EXPIRATION] [misses=N];`: after
// the path, a word with a size unit (or a bare number) is the storage
// limit and one with a time unit the expiration, as on a dvr line.
func parseVODCache(p *parser, s *stmt, v *VOD) {
	if !p.nargs(s, 1, 4, "a path, a size, an expiration, misses=N") {
		return
	}
	c := &VODCache{Path: s.args[0].text, pos: s.name.pos}
	for _, a := range s.args[1:] {
		var err error
		t := a.text
		switch {
		case a.option && a.key == "misses":
			c.Misses, err = scaled(a.val, 1, "misses", a.val)
		case a.option:
			p.errorf(a.pos, "unknown cache option %s; want misses", a.key)
		case t != "" && strings.ContainsAny(t[len(t)-1:], "smhd"):
			c.Expiration, err = ParseDuration(t)
		default:
			c.StorageLimit, err = ParseSize(t)
		}
		if err != nil {
			p.errorf(a.valPos(), "cache: %v", err)
		}
	}
	v.Cache = c
}
