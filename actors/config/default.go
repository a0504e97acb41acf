package config

import _ "embed"

// DefaultText is the configuration StreamHive runs when started without a
// config file (ARCHITECTURE.md, "Ports and defaults"). Callers must not
// modify it.
//
//go:embed default.conf
var DefaultText []byte

// Default returns a fresh copy of the parsed default configuration. It
// panics if the embedded text does not parse and validate, which a test
// rules out.
func Default() *Server {
	s, err := Parse("default.conf", DefaultText)
	if err != nil {
		panic("config: embedded default.conf does not parse: " + err.Error())
	}
	if err := s.Validate(); err != nil {
		panic("config: embedded default.conf is invalid: " + err.Error())
	}
	return s
}
