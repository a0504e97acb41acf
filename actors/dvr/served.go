package dvr

import (
	"log/slog"

	store "streamhive/media/dvr"
)

// Archive returns the archive this node serves of stream name, for the
// Control API: the union of every node's recording for a
// `cluster_ingest` stream (Options.Cluster), else the stream's own store.
// False when there is neither.
func (s *Storage) Archive(name string) (store.Archive, bool) {
	var local store.Archive
	if st, ok := s.Store(name); ok {
		local = st
	}
	a := s.served(name, local)
	return a, a != nil
}

// Relayed returns the archive of a stream this node runs without
// recording it (a relay of a `cluster_ingest` stream captured elsewhere):
// the cluster's recordings, this node's older one included; nil when the
// stream is not merged across the cluster.
func (s *Storage) Relayed(name string) store.Archive {
	if s.opt.Cluster == nil {
		return nil
	}
	var local store.Archive
	if st, ok := s.Store(name); ok {
		local = st
	}
	return s.opt.Cluster(name, local)
}

// served is the archive of name to serve given this node's recording.
func (s *Storage) served(name string, local store.Archive) store.Archive {
	if s.opt.Cluster != nil {
		if u := s.opt.Cluster(name, local); u != nil {
			return u
		}
	}
	return local
}

// reopen opens the store of a `cluster_ingest` stream with a `dvr` line
// whose writer never started in this process: the node relays the stream
// another node captures (it did not keep the capture across its restart),
// and what it recorded while it captured must stay in the cluster's
// archive (the other nodes read it through this node's store).
func (s *Storage) reopen(name string) (*store.Store, bool) {
	st, ok := s.opt.Current().Stream(name)
	if !ok || st.ClusterIngest == nil || st.DVR == nil {
		return nil, false
	}
	roots, limits, err := s.resolve(*st.DVR)
	if err != nil {
		return nil, false
	}
	rec, err := s.open(name, *st.DVR, roots, limits)
	if err != nil {
		s.log.Warn("dvr: this node's earlier recording cannot be read", slog.String("stream", name), slog.Any("err", err))
		return nil, false
	}
	return rec.store, true
}
