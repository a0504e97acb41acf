package cluster

import (
	"errors"

	"streamhive/actors/config"
	"streamhive/protocols/clusterpb"
)

// failure is err as it crosses nodes: a code for the errors callers test
// with errors.Is, and the text. Nil for nil.
func failure(err error) *clusterpb.Failure {
	if err == nil {
		return nil
	}
	code := clusterpb.Code_INTERNAL
	switch {
	case errors.Is(err, config.ErrNotFound):
		code = clusterpb.Code_NOT_FOUND
	case errors.Is(err, config.ErrNoInput):
		code = clusterpb.Code_NO_INPUT
	case errors.Is(err, config.ErrInvalid):
		code = clusterpb.Code_INVALID
	}
	return &clusterpb.Failure{Code: code, Text: err.Error()}
}

// errRemote is a Failure an owner answered with, or nil.
type errRemote struct {
	f *clusterpb.Failure
}

func (e errRemote) Error() string { return "cluster: the owner says: " + e.f.GetText() }

// Is maps the code back to config's errors.
func (e errRemote) Is(target error) bool {
	switch e.f.GetCode() {
	case clusterpb.Code_NOT_FOUND:
		return target == config.ErrNotFound
	case clusterpb.Code_NO_INPUT:
		return target == config.ErrNoInput
	case clusterpb.Code_INVALID:
		return target == config.ErrInvalid
	case clusterpb.Code_OK, clusterpb.Code_INTERNAL:
	}
	return false
}

// fromFailure is the error f stands for (nil for none).
func fromFailure(f *clusterpb.Failure) error {
	if f == nil || f.GetCode() == clusterpb.Code_OK {
		return nil
	}
	return errRemote{f}
}
