package dvr

import store "streamhive/media/dvr"

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
