package dvr

import (
	"fmt"
	"path/filepath"
	"time"

	"streamhive/actors/config"
	store "streamhive/media/dvr"
)

// resolve turns a stream's `dvr` line into roots and limits: an inline
// root, or the global DVR it names, whose `disk` lines (relative to its
// root unless absolute) are its roots when it has any. The stream's own
// limits override the global DVR's.
func (s *Storage) resolve(d config.StreamDVR) ([]string, store.Limits, error) {
	own := d.DVRLimits
	if d.Reference == "" {
		if d.Root == "" {
			return nil, store.Limits{}, fmt.Errorf("dvr: no root")
		}
		return []string{filepath.Clean(d.Root)}, limitsOf(own), nil
	}
	g, ok := s.opt.Current().DVR(d.Reference)
	if !ok {
		return nil, store.Limits{}, fmt.Errorf("%w: @%s", ErrUnknownDVR, d.Reference)
	}
	l := g.DVRLimits
	if own.Expiration != 0 {
		l.Expiration = own.Expiration
	}
	if own.StorageLimit != 0 {
		l.StorageLimit = own.StorageLimit
	}
	if own.DiskUsageLimit != 0 {
		l.DiskUsageLimit = own.DiskUsageLimit
	}
	var roots []string
	for _, disk := range g.Disks {
		p := disk.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(g.Root, p)
		}
		roots = append(roots, filepath.Clean(p))
	}
	if len(roots) == 0 {
		if g.Root == "" {
			return nil, store.Limits{}, fmt.Errorf("dvr @%s: no root", d.Reference)
		}
		roots = []string{filepath.Clean(g.Root)}
	}
	return roots, limitsOf(l), nil
}

func limitsOf(l config.DVRLimits) store.Limits {
	return store.Limits{
		Expiration:   time.Duration(l.Expiration) * time.Second,
		StorageLimit: l.StorageLimit,
		DiskUsage:    l.DiskUsageLimit,
	}
}
