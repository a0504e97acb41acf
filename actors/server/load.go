package server

import (
	"fmt"

	"streamhive/actors/auth"
	"streamhive/actors/config"
)

// Load parses and validates the config file at path, or returns the
// embedded default configuration when path is empty. Errors wrap
// config.ErrInvalid, with file positions, or the file's read error. The
// protection it configures is built once (auth.NewBook), so that what
// only shows then (a geoip file that is not a database, an auth:// without
// its auth_backend) refuses the file too.
func Load(path string) (*config.Server, error) {
	if path == "" {
		return config.Default(), nil
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if _, err := auth.NewBook(cfg, auth.Options{}); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}
