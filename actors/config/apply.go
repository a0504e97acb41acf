package config

import (
	"fmt"
)

// Every Apply edits s in place and then validates the whole result: an
// error (always matching ErrInvalid or ErrNotFound) means s may be half
// edited and must be dropped, which is why the config owner applies
// changes to a clone.
//
// Objects rewritten from JSON lose their file positions: their validation
// errors name JSON pointers, since the text they came from is gone.

// Apply creates or updates the stream.
func (c PutStream) Apply(s *Server) error {
	i := s.streamIndex(c.Name)
	cur := Stream{Name: c.Name}
	if i >= 0 {
		cur = s.Streams[i]
		cur.Stats = nil
	}
	var st Stream
	if err := mergePatch(&cur, c.Patch, &st); err != nil {
		return err
	}
	if err := checkName("stream", c.Name, &st.Name); err != nil {
		return err
	}
	if i >= 0 {
		st.Stats = s.Streams[i].Stats
		s.Streams[i] = st
	} else {
		s.Streams = append(s.Streams, st)
	}
	return s.validateChange()
}

// Apply removes the stream, or returns ErrNotFound.
func (c DeleteStream) Apply(s *Server) error {
	i := s.streamIndex(c.Name)
	if i < 0 {
		return fmt.Errorf("stream %q: %w", c.Name, ErrNotFound)
	}
	s.Streams = append(s.Streams[:i], s.Streams[i+1:]...)
	return s.validateChange()
}

// Apply creates or updates the template.
func (c PutTemplate) Apply(s *Server) error {
	i := s.templateIndex(c.Name)
	cur := Template{Name: c.Name}
	if i >= 0 {
		cur = s.Templates[i]
	}
	var t Template
	if err := mergePatch(&cur, c.Patch, &t); err != nil {
		return err
	}
	if err := checkName("template", c.Name, &t.Name); err != nil {
		return err
	}
	if i >= 0 {
		s.Templates[i] = t
	} else {
		s.Templates = append(s.Templates, t)
	}
	return s.validateChange()
}

// Apply removes the template, or returns ErrNotFound.
func (c DeleteTemplate) Apply(s *Server) error {
	i := s.templateIndex(c.Name)
	if i < 0 {
		return fmt.Errorf("template %q: %w", c.Name, ErrNotFound)
	}
	s.Templates = append(s.Templates[:i], s.Templates[i+1:]...)
	return s.validateChange()
}

// Apply creates or updates the named DVR.
func (c PutDVR) Apply(s *Server) error {
	i := s.dvrIndex(c.Name)
	cur := DVR{Name: c.Name}
	if i >= 0 {
		cur = s.DVRs[i]
	}
	var d DVR
	if err := mergePatch(&cur, c.Patch, &d); err != nil {
		return err
	}
	if err := checkName("dvr", c.Name, &d.Name); err != nil {
		return err
	}
	if i >= 0 {
		s.DVRs[i] = d
	} else {
		s.DVRs = append(s.DVRs, d)
	}
	return s.validateChange()
}

// Apply removes the named DVR, or returns ErrNotFound. A stream that still
// references it fails validation.
func (c DeleteDVR) Apply(s *Server) error {
	i := s.dvrIndex(c.Name)
	if i < 0 {
		return fmt.Errorf("dvr %q: %w", c.Name, ErrNotFound)
	}
	s.DVRs = append(s.DVRs[:i], s.DVRs[i+1:]...)
	return s.validateChange()
}

// Apply merges the body into the server_config JSON. Lists in the body
// (streams, templates, dvrs, peers) replace the current lists wholesale;
// the runtime stats of streams that keep their name are kept.
func (c PatchServer) Apply(s *Server) error {
	cur := s.Clone()
	stats := make(map[string]*StreamStats, len(cur.Streams))
	for i := range cur.Streams {
		stats[cur.Streams[i].Name] = cur.Streams[i].Stats
		cur.Streams[i].Stats = nil
	}
	var n Server
	if err := mergePatch(cur, c.Patch, &n); err != nil {
		return err
	}
	for i := range n.Streams {
		n.Streams[i].Stats = stats[n.Streams[i].Name]
	}
	*s = n
	return s.validateChange()
}

// checkName fills an absent name from the path and rejects a different one.
func checkName(kind, want string, got *string) error {
	if *got == "" {
		*got = want
		return nil
	}
	if *got != want {
		return &Error{Pointer: "/name", Msg: fmt.Sprintf("%s name %q in the body differs from %q in the path", kind, *got, want)}
	}
	return nil
}

func (s *Server) validateChange() error {
	return invalid(s.Validate())
}
