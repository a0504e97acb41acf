package config

// ClusterIngest is cluster_ingest_config (`cluster_ingest;`, `cluster_ingest
// capture_at=NAME;`): the stream is configured on every node of the
// cluster and captured by one of them; the others relay it from that node.
// A nil *ClusterIngest is a stream every node captures itself.
type ClusterIngest struct {
	// CaptureAt names the node preferred for the capture: a `peer` line's
	// HOST[:PORT], or its host alone. A preference, not a binding: when
	// that node is down another captures the stream.
	CaptureAt string `json:"capture_at,omitempty"`
}

// parseClusterIngest handles `cluster_ingest;` and its option capture_at=.
func parseClusterIngest(p *parser, s *stmt, m *MediaOptions) {
	if !p.noBlock(s) {
		return
	}
	ci := &ClusterIngest{}
	for _, a := range s.args {
		if a.option && a.key == "capture_at" && a.val != "" {
			ci.CaptureAt = a.val
			continue
		}
		p.errorf(a.pos, "cluster_ingest: unknown option %s; want capture_at=NAME", a.describe())
	}
	m.ClusterIngest = ci
}

// clusterIngestWords prints ci as its line.
func clusterIngestWords(ci *ClusterIngest) []string {
	words := []string{"cluster_ingest"}
	if ci.CaptureAt != "" {
		words = append(words, opt("capture_at", ci.CaptureAt))
	}
	return words
}
