// Package drm holds what a protected stream's outputs need from its keys:
// the content key of a time, the DRM systems' signalling for it, and the
// transforms that encrypt segments with it (CENC and CBCS for CMAF,
// AES-128 and SAMPLE-AES for MPEG-TS). Where the keys come from (a CPIX
// key server, a static key for tests) is behind KeySource, so the packagers
// and the gateway never know.
package drm

import (
	"errors"
	"time"
)

// Scheme is how a container's samples are encrypted.
type Scheme string

const (
	// CENC is AES-CTR full-sample encryption (ISO/IEC 23001-7 "cenc"): DASH.
	CENC Scheme = "cenc"
	// CBCS is AES-CBC pattern encryption ("cbcs"): HLS fMP4 (FairPlay) and DASH.
	CBCS Scheme = "cbcs"
	// AES128 encrypts whole MPEG-TS segments (HLS METHOD=AES-128).
	AES128 Scheme = "aes128"
	// SampleAES encrypts MPEG-TS elementary streams (HLS METHOD=SAMPLE-AES).
	SampleAES Scheme = "sample-aes"
)

// System identifiers (DASH-IF registry) of the DRM systems CPIX answers for.
const (
	SystemWidevine  = "edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"
	SystemPlayReady = "9a04f079-9840-4286-ab92-e65be0885f95"
	SystemFairPlay  = "94ce86fb-07ff-4f43-adb8-93d2fa968ca2"
	SystemClearKey  = "e2719d58-a985-b3c9-781a-b030af78d30e"
)

// Signal is one DRM system's signalling for a key, as the key server gave it.
type Signal struct {
	SystemID string // one of the System constants, lower case with dashes
	PSSH     []byte // the whole 'pssh' box, or nil
	// HLSURI is the EXT-X-KEY URI (FairPlay's skd://...); HLSKeyFormat its
	// KEYFORMAT. Empty when the system gave no HLS signalling.
	HLSURI       string
	HLSKeyFormat string
}

// Key is one content key and the span of media time it protects.
type Key struct {
	KID [16]byte
	Key [16]byte
	// IV is the explicit IV when the key server gave one (16 bytes), else nil
	// and the packager derives IVs itself.
	IV []byte
	// From and Until bound the media (wall-clock) time the key protects;
	// a zero Until means "until the next rotation".
	From, Until time.Time
	Signals     []Signal
}

// KeySource gives a protected stream's keys. Implementations cache and
// refresh ahead of rotation; KeyAt never blocks on the network for a time
// it already knows.
type KeySource interface {
	// KeyAt returns the key protecting media recorded at t. It fails with
	// an error wrapping ErrUnavailable when the key is not known (key server
	// down): the caller refuses the output, it never serves clear media.
	KeyAt(t time.Time) (Key, error)
}

// ErrUnavailable is wrapped by KeySource errors when no key can be had.
var ErrUnavailable = errors.New("drm: key unavailable")
