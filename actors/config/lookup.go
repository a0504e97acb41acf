package config

// Lookups are linear scans: the lists are small in a config file, and a
// caller that serves many reads (the API) keeps its own index.

// Stream returns a pointer into s.Streams, so the caller may edit it in
// place; the pointer is invalid once s.Streams is appended to or shrunk.
func (s *Server) Stream(name string) (*Stream, bool) {
	for i := range s.Streams {
		if s.Streams[i].Name == name {
			return &s.Streams[i], true
		}
	}
	return nil, false
}

// Template returns a pointer into s.Templates, like Stream.
func (s *Server) Template(name string) (*Template, bool) {
	for i := range s.Templates {
		if s.Templates[i].Name == name {
			return &s.Templates[i], true
		}
	}
	return nil, false
}

// DVR returns a pointer into s.DVRs, like Stream.
func (s *Server) DVR(name string) (*DVR, bool) {
	for i := range s.DVRs {
		if s.DVRs[i].Name == name {
			return &s.DVRs[i], true
		}
	}
	return nil, false
}
