package vods

import (
	"context"

	"streamhive/media/vod"
)

// Storage returns location prefix as one vod.Storage, the shape
// gateway/vod's Locations asks for: Open searches the storages in order
// and counts the file as opened until it is closed; List lists the first
// storage that can.
func (r *Registry) Storage(prefix string) (vod.Storage, bool) {
	if _, ok := r.Location(prefix); !ok {
		return nil, false
	}
	return located{r: r, prefix: prefix}, true
}

type located struct {
	r      *Registry
	prefix string
}

func (s located) Open(ctx context.Context, path string) (vod.File, error) {
	return s.r.Open(ctx, s.prefix, path)
}

func (s located) List(ctx context.Context, dir string) ([]vod.Entry, error) {
	l, ok := s.r.Location(s.prefix)
	if !ok {
		return nil, vod.ErrNotFound
	}
	var err error
	for _, st := range l.Storages {
		var out []vod.Entry
		if out, err = st.List(ctx, dir); err == nil {
			return out, nil
		}
	}
	return nil, err
}
