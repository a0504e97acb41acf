package config

// Transcoder is transcoder_opts (the `transcoder` line).
type Transcoder struct {
	Global *TranscoderGlobal `json:"global,omitempty"`
	Video  []TranscoderVideo `json:"video,omitempty"`
	Audio  *TranscoderAudio  `json:"audio,omitempty"`
	// Raw are documented options nothing applies yet, kept as written
	// (the grammar table's inactive transcoder options).
	Raw []TranscoderOption `json:"raw_options,omitempty"`

	pos position // where the parser read the line; zero from JSON
}

// TranscoderOption is one option of the transcoder line kept as written,
// with the rendition it follows.
type TranscoderOption struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	// Rendition is the index of the vb= it follows; -1 before the first.
	Rendition int `json:"rendition"`
}

// TranscoderGlobal is tc_global.
type TranscoderGlobal struct {
	HW       string `json:"hw,omitempty"` // "nvenc", or empty for software
	DeviceID *int   `json:"deviceid,omitempty"`
	// Fallback is the device to transcode on when HW cannot be opened
	// (`fallback=cpu`; ours, the Flussonic API has no counterpart). Empty:
	// no fallback, the transcoder reports the error and retries HW.
	Fallback string `json:"fallback,omitempty"`
	FPS      int    `json:"fps,omitempty"`
	GOP      int    `json:"gop,omitempty"`
}

// TranscoderVideo is one video rendition (one `vb=` on the line).
type TranscoderVideo struct {
	Bitrate int `json:"bitrate,omitempty"` // bits per second (`4000k` in the file)
	// Width and Height are the picture's size; -1 (or 0) for one of them
	// keeps the source's aspect (`size=-1x360`).
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
	Codec   string `json:"codec,omitempty"` // h264 (default) or hevc: `vcodec=`
	Preset  string `json:"preset,omitempty"`
	Profile string `json:"profile,omitempty"` // the encoder's profile: baseline, main, high (H.264); main (HEVC)
	BFrames *int   `json:"bframes,omitempty"`
	// Deinterlace runs a deinterlacer first; DeinterlaceRate is frame
	// (one picture per frame, the default) or field (one per field, twice
	// the frame rate).
	Deinterlace     bool   `json:"deinterlace,omitempty"`
	DeinterlaceRate string `json:"deinterlace_rate,omitempty"`
	Logo            *Logo  `json:"logo,omitempty"`
}

// Logo is an overlay picture and where it sits.
type Logo struct {
	Path     string `json:"path"`
	Position string `json:"position,omitempty"` // tl tr bl br c
}

// TranscoderAudio is the audio part of the transcoder line.
type TranscoderAudio struct {
	Codec   string `json:"codec,omitempty"`   // aac, opus
	Bitrate int    `json:"bitrate,omitempty"` // bits per second (`128k`)
	// Channels (`ac=`) is 1 or 2; 0 keeps the source's, at most 2.
	Channels int `json:"channels,omitempty"`
	// SampleRate (`ar=`) is the AAC output rate in Hz; 0 keeps the
	// source's.
	SampleRate int `json:"sample_rate,omitempty"`
	// Copy passes the source's audio through unchanged (`ab=copy`), as
	// no audio option at all does; it says so in the file.
	Copy bool `json:"copy,omitempty"`
}
