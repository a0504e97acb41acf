package config

import "errors"

// Errors that changes and validation return. The gateway maps them to HTTP
// statuses: ErrInvalid to 400, ErrNotFound to 404.
var (
	// ErrInvalid wraps every reason a change or a config is rejected
	// (a decoding error, an unknown key, a failed validation).
	ErrInvalid = errors.New("invalid configuration")
	// ErrNotFound is returned by a change that names a stream, template,
	// DVR or auth backend that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrNoInput is returned when a request names an input index a stream
	// does not have (POST /streams/{name}/inputs/{index}/select).
	ErrNoInput = errors.New("no such input")
)

// Change is one write to the configuration, as the Control API makes them.
// Apply edits s in place; the config owner calls it on a private clone, so
// an error leaves the running configuration untouched. Apply only replaces
// list elements and top-level fields, never writing through a pointer it
// did not make, so Server.ShallowClone is clone enough. Changes are
// immutable values and may be sent in actor messages.
type Change interface {
	Apply(s *Server) error
}

// PutStream creates or updates stream Name from a JSON body (PUT
// /streams/{name}): a deep partial merge into the existing stream, where
// null removes a field, an object carrying "$reset": true replaces instead of
// merging, and an unknown key is an ErrInvalid naming its JSON pointer.
type PutStream struct {
	Name  string
	Patch []byte
}

// DeleteStream removes stream Name (DELETE /streams/{name}).
type DeleteStream struct{ Name string }

// PutTemplate is PutStream for templates (PUT /templates/{name}).
type PutTemplate struct {
	Name  string
	Patch []byte
}

// DeleteTemplate removes template Name.
type DeleteTemplate struct{ Name string }

// PutDVR is PutStream for named DVRs (PUT /dvrs/{name}).
type PutDVR struct {
	Name  string
	Patch []byte
}

// DeleteDVR removes DVR Name.
type DeleteDVR struct{ Name string }

// PutAuthBackend is PutStream for auth backends (PUT
// /auth_backends/{name}): auth_backend_config, keyed by name.
type PutAuthBackend struct {
	Name  string
	Patch []byte
}

// DeleteAuthBackend removes auth backend Name (DELETE
// /auth_backends/{name}). A stream whose on_play still names it fails
// validation.
type DeleteAuthBackend struct{ Name string }

// PutEventSink is PutStream for event sinks (PUT /event_sinks/{name}):
// event_sink_config, keyed by name.
type PutEventSink struct {
	Name  string
	Patch []byte
}

// DeleteEventSink removes event sink Name (DELETE /event_sinks/{name}).
type DeleteEventSink struct{ Name string }

// PatchServer merges a JSON server_config body into the configuration
// (PUT /config with a JSON body), with PutStream's merge rules.
type PatchServer struct{ Patch []byte }

// ReplaceText replaces the whole configuration with config-file text
// (PUT /config with a text body). Filename is used in error positions.
type ReplaceText struct {
	Filename string
	Text     []byte
}
