package server

import "streamhive/actors/vods"

// VODs returns the registry of VOD locations: the running configuration's
// locations with their storages, and the files viewers have open.
func (s *Server) VODs() *vods.Registry { return s.vods }
