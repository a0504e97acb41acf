package config

// DVR is dvr_config: a named storage referenced by streams as `dvr @NAME`.
type DVR struct {
	Name string `json:"name"`
	DVRLimits
	Root  string    `json:"root,omitempty"`
	Disks []DVRDisk `json:"disks,omitempty"`
	// Raw are the dvr's directives kept as text (raw.go).
	Raw []RawDirective `json:"raw_directives,omitempty"`

	pos    position            // where the parser read it; zero when it came from JSON
	optPos map[string]position // where each of DVRKept's settings was read
}

// DVRLimits is dvr_base_config: retention limits shared by named DVRs and a
// stream's own dvr line.
type DVRLimits struct {
	Expiration     int   `json:"expiration,omitempty"`       // seconds (`7d` in the file)
	StorageLimit   int64 `json:"storage_limit,omitempty"`    // bytes (`10G` in the file)
	DiskUsageLimit int   `json:"disk_usage_limit,omitempty"` // percent
	DVRKept
}

// DVRKept are dvr_base_config's settings the file and the API carry but
// nothing acts on yet (inactive in the grammar table, reported by
// Inactive): a copy of the archive elsewhere and replication from the
// stream's m4f source.
type DVRKept struct {
	Copy               string `json:"copy,omitempty"`                // `copy=PATH` on the dvr line
	Replicate          bool   `json:"dvr_replicate,omitempty"`       // bare `replicate` on the dvr line
	ReplicationPort    int    `json:"replication_port,omitempty"`    // `replication_port=8002`
	EpisodesExpiration int    `json:"episodes_expiration,omitempty"` // seconds (`30d` in the file)
}

// DVRDisk is one root of a DVR spread across disks.
type DVRDisk struct {
	Path string `json:"path"`
}

// StreamDVR is stream_dvr_spec: `dvr @NAME 7d;` (Reference) or
// `dvr /path 2h;` (Root).
type StreamDVR struct {
	Reference string `json:"reference,omitempty"`
	Root      string `json:"root,omitempty"`
	DVRLimits

	pos    position            // where the parser read the dvr line
	optPos map[string]position // where each of DVRKept's settings was read
}
