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
	return errOrValidate(s, putNamed(&s.Streams, "stream", c.Name, c.Patch, streamName))
}

// Apply removes the stream, or returns ErrNotFound.
func (c DeleteStream) Apply(s *Server) error {
	return errOrValidate(s, deleteNamed(&s.Streams, "stream", c.Name, streamName))
}

// Apply creates or updates the template.
func (c PutTemplate) Apply(s *Server) error {
	return errOrValidate(s, putNamed(&s.Templates, "template", c.Name, c.Patch, templateName))
}

// Apply removes the template, or returns ErrNotFound.
func (c DeleteTemplate) Apply(s *Server) error {
	return errOrValidate(s, deleteNamed(&s.Templates, "template", c.Name, templateName))
}

// Apply creates or updates the named DVR.
func (c PutDVR) Apply(s *Server) error {
	return errOrValidate(s, putNamed(&s.DVRs, "dvr", c.Name, c.Patch, dvrName))
}

// Apply removes the named DVR, or returns ErrNotFound. A stream that still
// references it fails validation.
func (c DeleteDVR) Apply(s *Server) error {
	return errOrValidate(s, deleteNamed(&s.DVRs, "dvr", c.Name, dvrName))
}

// Apply creates or updates the auth backend.
func (c PutAuthBackend) Apply(s *Server) error {
	return errOrValidate(s, putNamed(&s.AuthBackends, "auth_backend", c.Name, c.Patch, authBackendName))
}

// Apply removes the auth backend, or returns ErrNotFound.
func (c DeleteAuthBackend) Apply(s *Server) error {
	return errOrValidate(s, deleteNamed(&s.AuthBackends, "auth_backend", c.Name, authBackendName))
}

// Apply creates or updates the event sink.
func (c PutEventSink) Apply(s *Server) error {
	return errOrValidate(s, putNamed(&s.EventSinks, "event_sink", c.Name, c.Patch, eventSinkName))
}

// Apply removes the event sink, or returns ErrNotFound.
func (c DeleteEventSink) Apply(s *Server) error {
	return errOrValidate(s, deleteNamed(&s.EventSinks, "event_sink", c.Name, eventSinkName))
}

func eventSinkName(x *EventSink) *string     { return &x.Name }
func streamName(x *Stream) *string           { return &x.Name }
func templateName(x *Template) *string       { return &x.Name }
func dvrName(x *DVR) *string                 { return &x.Name }
func authBackendName(x *AuthBackend) *string { return &x.Name }

// putNamed merges patch over the element of list called name (or over an
// empty one with that name) and stores the result in place or at the end.
func putNamed[T any](list *[]T, kind, name string, patch []byte, nameOf func(*T) *string) error {
	i := indexNamed(*list, name, nameOf)
	var cur, next T
	if i >= 0 {
		cur = (*list)[i]
	}
	*nameOf(&cur) = name
	if err := mergePatch(&cur, patch, &next); err != nil {
		return err
	}
	if err := checkName(kind, name, nameOf(&next)); err != nil {
		return err
	}
	if i < 0 {
		*list = append(*list, next)
	} else {
		(*list)[i] = next
	}
	return nil
}

// deleteNamed removes the element called name, or returns ErrNotFound.
func deleteNamed[T any](list *[]T, kind, name string, nameOf func(*T) *string) error {
	i := indexNamed(*list, name, nameOf)
	if i < 0 {
		return fmt.Errorf("%s %q: %w", kind, name, ErrNotFound)
	}
	*list = append((*list)[:i], (*list)[i+1:]...)
	return nil
}

func indexNamed[T any](list []T, name string, nameOf func(*T) *string) int {
	for i := range list {
		if *nameOf(&list[i]) == name {
			return i
		}
	}
	return -1
}

func errOrValidate(s *Server, err error) error {
	if err != nil {
		return err
	}
	return s.validateChange()
}

// Apply merges the body into the server_config JSON. Lists in the body
// (streams, templates, dvrs, peers, auth_backends, api_allowed_from)
// replace the current lists wholesale.
func (c PatchServer) Apply(s *Server) error {
	var n Server
	if err := mergePatch(s, c.Patch, &n); err != nil {
		return err
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
