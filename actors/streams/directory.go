package streams

import (
	"sort"
	"sync/atomic"

	"streamhive/actors/config"
	"streamhive/actors/stream"
)

// Directory is an immutable snapshot of the running streams: name to the
// stream's published status. The supervisor publishes a new Directory
// whenever the set of streams changes; readers (the Control API) load it
// and each stream's status without sending a message. Safe for concurrent
// use.
type Directory struct {
	streams map[string]*atomic.Pointer[stream.Status]
	dynamic *[]config.Stream // templates' streams (lifecycle.go), by name; nil when none
}

// Dynamic returns the configurations of the streams templates created for
// publishers, sorted by name: immutable, one pointer per Directory, nil
// when there are none. They are in no configuration.
func (d *Directory) Dynamic() *[]config.Stream {
	if d == nil {
		return nil
	}
	return d.dynamic
}

// Status returns the latest status of stream name.
func (d *Directory) Status(name string) (*stream.Status, bool) {
	if d == nil {
		return nil, false
	}
	p, ok := d.streams[name]
	if !ok {
		return nil, false
	}
	st := p.Load()
	return st, st != nil
}

// Playback returns stream name's playback handle, lock-free: false when no
// such stream is configured (or it is disabled). The handle is nil (a valid
// *stream.Playback that has nothing to play) while the stream's actor has
// not started or after its supervisor gave up on it.
func (d *Directory) Playback(name string) (*stream.Playback, bool) {
	st, ok := d.Status(name)
	if !ok {
		return nil, false
	}
	return st.Playback, true
}

// Len returns the number of streams.
func (d *Directory) Len() int {
	if d == nil {
		return 0
	}
	return len(d.streams)
}

// Names returns the streams' names, sorted.
func (d *Directory) Names() []string {
	if d == nil {
		return nil
	}
	names := make([]string, 0, len(d.streams))
	for n := range d.streams {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
