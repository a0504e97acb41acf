package api

import (
	"encoding/json"
	"path/filepath"

	"github.com/valyala/fasthttp"
)

// GET /dvrs and /dvrs/{name} answer the configured DVRs (templates.go)
// with each disk's runtime state in disks[].stats (raid_disk_config's
// read-only stats): a DVR configured with a root only shows the root as
// its one disk.

func (a *API) listDVRsWithDisks(rc *fasthttp.RequestCtx, r *request) {
	a.listDVRs(rc, r)
	a.addDiskStats(rc, func(v map[string]any) {
		items, _ := v["dvrs"].([]any)
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				addDisks(m, a.diskStats())
			}
		}
	})
}

func (a *API) getDVRWithDisks(rc *fasthttp.RequestCtx, r *request) {
	a.getDVR(rc, r)
	a.addDiskStats(rc, func(v map[string]any) { addDisks(v, a.diskStats()) })
}

// addDiskStats rewrites a 200 JSON answer through edit.
func (a *API) addDiskStats(rc *fasthttp.RequestCtx, edit func(map[string]any)) {
	if rc.Response.StatusCode() != fasthttp.StatusOK {
		return
	}
	var v map[string]any
	if json.Unmarshal(rc.Response.Body(), &v) != nil {
		return
	}
	edit(v)
	writeJSON(rc, fasthttp.StatusOK, v)
}

// diskStats returns the disks in use by path.
func (a *API) diskStats() map[string]DVRDiskStats {
	out := make(map[string]DVRDiskStats)
	for _, d := range a.ctl.DVRDisks() {
		out[d.Path] = diskStatsOf(d)
	}
	return out
}

// addDisks sets the stats of one dvr_config item's disks, as the DVR
// storage resolves their paths (relative to root unless absolute).
func addDisks(item map[string]any, stats map[string]DVRDiskStats) {
	root, _ := item["root"].(string)
	disks, _ := item["disks"].([]any)
	if len(disks) == 0 && root != "" {
		disks = []any{map[string]any{"path": root}}
	}
	for _, d := range disks {
		m, ok := d.(map[string]any)
		if !ok {
			continue
		}
		p, _ := m["path"].(string)
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		if st, ok := stats[filepath.Clean(p)]; ok {
			m["stats"] = st
		}
	}
	item["disks"] = disks
}
