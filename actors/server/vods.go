package server

import (
	"streamhive/actors/input"
	"streamhive/actors/vods"
	"streamhive/media/vod"
	"streamhive/protocols/file"
)

// VODs returns the registry of VOD locations: the running configuration's
// locations with their storages, and the files viewers have open.
func (s *Server) VODs() *vods.Registry { return s.vods }

// vodPuller plays vod://LOCATION/path inputs from the VOD registry, with
// file://'s reading; a path refused by the storage is permanent.
func (s *Server) vodPuller() input.Pullers {
	return input.Pullers{"vod": input.PermanentOn(file.VOD{Open: s.vods.Open}, file.ErrBadURL, file.ErrUnsupported, vod.ErrBadPath)}
}
