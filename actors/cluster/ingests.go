package cluster

import "streamhive/actors/config"

// ingests lists the enabled cluster_ingest streams of the configuration
// in effect (a template's cluster_ingest counts), again only when it
// changed.
func (p *Placer) ingests() []ingest {
	cur := p.cfg.Current()
	if cur == p.seen {
		return p.list
	}
	p.seen, p.list = cur, nil
	for i := range cur.Streams {
		st := &cur.Streams[i]
		if !p.mayIngest(cur, st) {
			continue
		}
		if eff, ok := cur.Effective(st.Name); ok && !eff.Disabled && eff.ClusterIngest != nil {
			p.list = append(p.list, ingest{name: eff.Name, captureAt: eff.ClusterIngest.CaptureAt})
		}
	}
	return p.list
}

// mayIngest: the stream or its template says cluster_ingest (the cheap
// test before the effective configuration is merged).
func (p *Placer) mayIngest(cur *config.Server, st *config.Stream) bool {
	if st.ClusterIngest != nil {
		return true
	}
	t, ok := cur.Template(cur.TemplateFor(st))
	return ok && t.ClusterIngest != nil
}
