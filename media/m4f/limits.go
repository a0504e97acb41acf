package m4f

import "errors"

// Version is the framing's version, sent in the Header. A Reader refuses
// any other: nodes of one cluster run one StreamHive release.
const Version = 1

// Limits bound what a Reader accepts. They are far above what a real
// stream carries and low enough that a hostile or broken peer cannot make
// a node allocate much: a record is refused by its length prefix, before
// its bytes are read.
const (
	// MaxRecord is the largest record: a 4K HEVC intra frame at a high
	// bitrate is a few MB.
	MaxRecord = 8 << 20
	// MaxTracks is the most tracks a Tracks record lists: a transcoder's
	// ladder of renditions plus a few audio tracks.
	MaxTracks = 32
	// MaxTrackID bounds a track's ID: the hub indexes tables by it.
	MaxTrackID = 1023
	// MaxUnits is the most payload units (NAL units) one frame carries.
	MaxUnits = 1024
	// MaxParamSet bounds a parameter set or an AudioSpecificConfig.
	MaxParamSet = 4096
	// MaxDimension bounds a picture's width and height.
	MaxDimension = 16384
	// MaxSampleRate and MaxChannels bound an audio track.
	MaxSampleRate = 384000
	MaxChannels   = 64
)

// Errors a Reader returns; a malformed stream wraps ErrMalformed.
var (
	// ErrMalformed: a record that does not parse, breaks a limit, or
	// names what the stream has not announced.
	ErrMalformed = errors.New("m4f: malformed record")
	// ErrVersion: the sender speaks another version of the framing.
	ErrVersion = errors.New("m4f: unsupported framing version")
)

// Path is where a node serves its streams' records over HTTP:
// GET Path+NAME ("/streamhive/cluster/m4f/live/bunny"), with the cluster
// key's proof in a header. The owner's handler (gateway) and the puller
// (protocols/m4f) share it from here.
const Path = "/streamhive/cluster/m4f/"

// ProtectsHeader, set to ProtectsValue on a pull, says that the pulling
// node protects the stream itself: its own drm line encrypts what it
// serves (the same key server and resource_id give it the same keys). The
// owner of a protected stream hands its clear frames only to such a pull.
const (
	ProtectsHeader = "X-Streamhive-Protects"
	ProtectsValue  = "drm"
)
