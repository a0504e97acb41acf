package live

import "streamhive/media/drm"

// Keys is a Stream that says whether its outputs are protected (a `drm`
// line) and gives their keys: a local stream implements it from its key
// actor. The encrypting outputs ask it before serving; a protected
// stream's source fails closed (drm.ErrUnavailable) for a time it has no
// key for, and the output refuses then, never serving clear media.
type Keys interface {
	KeySource() (src drm.KeySource, protected bool)
}
