package server

import (
	"fmt"
	"strconv"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/keys"
	"streamhive/media/drm"
)

// KeySource returns stream name's keys for its protected outputs (the
// gateway's encrypting layer), and whether the stream is protected: a
// `drm` line in its effective configuration (templates included). A
// protected stream whose actor is not running has a source that fails
// closed, so a caller never mistakes it for a clear one. Lock-free while
// the stream runs.
func (s *Server) KeySource(name string) (drm.KeySource, bool) {
	pb, ok := s.Playback(name)
	if !ok {
		return nil, false
	}
	if pb != nil {
		return pb.KeySource() // the running actor's own configuration decides
	}
	if cfg, ok := s.Config().Effective(name); ok && cfg.DRM != nil {
		return noKeys{}, true
	}
	return nil, false
}

// ClearOutputs is what stream name's drm line lets out unencrypted
// (clear=): nil for a stream not running, which serves nothing.
func (s *Server) ClearOutputs(name string) []string {
	pb, _ := s.Playback(name)
	return pb.ClearOutputs()
}

// TSMethod is how stream name's drm line has HLS MPEG-TS encrypted (its
// ts_method=); empty for a stream not running or without the option.
func (s *Server) TSMethod(name string) string {
	pb, _ := s.Playback(name)
	return pb.TSMethod()
}

// noKeys is the keys of a protected stream whose key actor is not running.
type noKeys struct{}

func (noKeys) KeyAt(time.Time) (drm.Key, error) {
	return drm.Key{}, fmt.Errorf("%w: the stream is not running", drm.ErrUnavailable)
}

// checkWith is what the config owner checks besides config's validation
// (and Start, first): the drm lines' files, then the auth Book.
func checkWith(b *books) func(*config.Server) error {
	return func(cfg *config.Server) error {
		if err := checkDRM(cfg); err != nil {
			return err
		}
		return b.prepare(cfg)
	}
}

// checkDRM refuses a configuration whose drm lines' delivery identity
// (end_user_cert=, end_user_private_key=) cannot be read, at the
// option's position: a stream that could get no key must not load.
func checkDRM(cfg *config.Server) error {
	var errs config.ErrorList
	check := func(ptr string, d *config.DRM) {
		if _, opt, err := keys.Recipient(d); err != nil {
			errs = append(errs, d.ErrorAt(opt, ptr+"/drm/"+opt, err.Error()))
		}
	}
	for i := range cfg.Streams {
		check("/streams/"+strconv.Itoa(i), cfg.Streams[i].DRM)
	}
	for i := range cfg.Templates {
		check("/templates/"+strconv.Itoa(i), cfg.Templates[i].DRM)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
