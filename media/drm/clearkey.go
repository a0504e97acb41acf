package drm

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrBadLicenseRequest is wrapped when a ClearKey license request is not
// the W3C JSON form or exceeds the bounds below.
var ErrBadLicenseRequest = errors.New("drm: bad clearkey license request")

const (
	// MaxLicenseRequest bounds a license request body in bytes.
	MaxLicenseRequest = 4096
	maxLicenseKIDs    = 32
)

type licenseRequest struct {
	KIDs []string `json:"kids"`
	Type string   `json:"type"`
}

type licenseKey struct {
	Kty string `json:"kty"`
	K   string `json:"k"`
	KID string `json:"kid"`
}

type license struct {
	Keys []licenseKey `json:"keys"`
	Type string       `json:"type"`
}

var b64 = base64.RawURLEncoding

// ClearKeyLicense answers a W3C ClearKey license request (EME "keyids"
// JSON: base64url key ids) with the JSON Web Key set of the requested keys
// found in known. The caller has checked the session is authorised. A
// request naming no known key gets an empty key set.
func ClearKeyLicense(req []byte, known []Key) ([]byte, error) {
	if len(req) > MaxLicenseRequest {
		return nil, fmt.Errorf("%w: %d bytes", ErrBadLicenseRequest, len(req))
	}
	var r licenseRequest
	if err := json.Unmarshal(req, &r); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadLicenseRequest, err)
	}
	if len(r.KIDs) == 0 || len(r.KIDs) > maxLicenseKIDs {
		return nil, fmt.Errorf("%w: %d key ids", ErrBadLicenseRequest, len(r.KIDs))
	}
	l := license{Keys: []licenseKey{}, Type: "temporary"}
	if r.Type == "persistent-license" {
		l.Type = r.Type
	}
	for _, s := range r.KIDs {
		kid, err := b64.DecodeString(s)
		if err != nil || len(kid) != 16 {
			return nil, fmt.Errorf("%w: key id %q", ErrBadLicenseRequest, s)
		}
		for _, k := range known {
			if string(k.KID[:]) == string(kid) {
				l.Keys = append(l.Keys, licenseKey{Kty: "oct", K: b64.EncodeToString(k.Key[:]), KID: s})
				break
			}
		}
	}
	return json.Marshal(l)
}
