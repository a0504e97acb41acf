package config

// VOD is vod_config: a location whose files play under its prefix
// (`/PREFIX/path/file.mp4/index.m3u8`), looked up in each storage in turn.
// `vod NAME { storage PATH; }` in the file, and the older `file NAME PATH;`
// or `file NAME { path PATH; }`, which read to the same model.
type VOD struct {
	Prefix   string       `json:"prefix"`
	Storages []VODStorage `json:"storages,omitempty"`
	// Cache keeps what HTTP storages read on a local disk.
	Cache *VODCache `json:"cache,omitempty"`
	// Download lets viewers fetch the files themselves (with ranges).
	Download bool `json:"download,omitempty"`
	// AutoMBR plays a folder of renditions (FOLDER/FOLDER*.mp4) as one
	// multi-bitrate presentation at /PREFIX/FOLDER/index.m3u8.
	AutoMBR bool `json:"auto_mbr,omitempty"`
	// SegmentDuration is the segments' target in milliseconds (seconds in
	// the file); the server's default when zero.
	SegmentDuration int `json:"segment_duration,omitempty"`
	// Raw are the location's directives kept as text (raw.go).
	Raw []RawDirective `json:"raw_directives,omitempty"`

	pos    position   // where the parser read it; zero when it came from JSON
	stoPos []position // where each storage was read
}

// VODStorage is vod_storage: a folder (an absolute path) or an http(s)
// URL, in the order they are searched.
type VODStorage struct {
	URL string `json:"url"`
}

// VODCache is cache_spec: `cache PATH [SIZE] [EXPIRATION] [misses=N];`.
type VODCache struct {
	Path         string `json:"path,omitempty"`
	Misses       int    `json:"misses,omitempty"`        // fetches of a block before it is kept
	StorageLimit int64  `json:"storage_limit,omitempty"` // bytes (`400G` in the file)
	Expiration   int    `json:"expiration,omitempty"`    // seconds (`48h` in the file)

	pos position
}

// VOD returns a pointer into s.VODs, like Stream.
func (s *Server) VOD(prefix string) (*VOD, bool) {
	for i := range s.VODs {
		if s.VODs[i].Prefix == prefix {
			return &s.VODs[i], true
		}
	}
	return nil, false
}

func (v *VOD) rawLevel() string         { return "vod " }
func (v *VOD) rawList() *[]RawDirective { return &v.Raw }

// PutVOD is PutStream for VOD locations (PUT /vods/{prefix}).
type PutVOD struct {
	Prefix string
	Patch  []byte
}

// DeleteVOD removes VOD location Prefix (DELETE /vods/{prefix}).
type DeleteVOD struct{ Prefix string }

// Apply creates or updates the VOD location.
func (c PutVOD) Apply(s *Server) error {
	return errOrValidate(s, putNamed(&s.VODs, "vod", c.Prefix, c.Patch, vodPrefix))
}

// Apply removes the VOD location, or returns ErrNotFound.
func (c DeleteVOD) Apply(s *Server) error {
	return errOrValidate(s, deleteNamed(&s.VODs, "vod", c.Prefix, vodPrefix))
}

func vodPrefix(x *VOD) *string { return &x.Prefix }
