package play

import (
	"errors"

	"streamhive/gateway/live"
	"streamhive/media/drm"
	"streamhive/media/hls"
)

// sealSampleAES encrypts a TS segment or part with SAMPLE-AES and iv
// (tsIV: its EXT-X-KEY gives it). A part after its segment's first may
// carry no tables: its program is the first part's.
func (h *Handler) sealSampleAES(st live.Stream, r route, key drm.Key, iv, body []byte) ([]byte, error) {
	out, err := drm.EncryptSampleAES(body, key, iv)
	if !errors.Is(err, drm.ErrNoTSProgram) || r.ref.Part <= 0 {
		return out, err
	}
	first, err := st.Media(h.ctx, hls.Ref{Format: hls.TS, MSN: r.ref.MSN, Part: 0})
	if err != nil || first == nil {
		return nil, errors.Join(errNoMediaTime, err)
	}
	p, err := drm.ReadTSProgram(first)
	if err != nil {
		return nil, err
	}
	return drm.EncryptSampleAESProgram(body, p, key, iv)
}
