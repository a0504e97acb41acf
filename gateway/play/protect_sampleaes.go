package play

import (
	"errors"

	"streamhive/gateway/live"
	"streamhive/media/drm"
	"streamhive/media/hls"
)

// sealSampleAES encrypts a TS segment or part with SAMPLE-AES, IV the
// key's (drm.SampleAESIV, which its EXT-X-KEY carries). A part after its
// segment's first may carry no tables: its program is the first part's.
func (h *Handler) sealSampleAES(st live.Stream, r route, key drm.Key, body []byte) ([]byte, error) {
	iv := drm.SampleAESIV(key)
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
