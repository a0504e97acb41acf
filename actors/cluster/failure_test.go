package cluster

import (
	"errors"
	"fmt"
	"testing"

	"streamhive/actors/config"
)

// An owner's error crosses as a code and text and maps back to config's
// errors on the caller.
func TestFailureCrossesAsACode(t *testing.T) {
	for _, want := range []error{config.ErrNotFound, config.ErrNoInput, config.ErrInvalid} {
		err := fromFailure(failure(fmt.Errorf("stream a: %w", want)))
		if !errors.Is(err, want) {
			t.Errorf("%v: got %v", want, err)
		}
	}
	if err := fromFailure(failure(errors.New("disk full"))); err == nil || errors.Is(err, config.ErrNotFound) || err.Error() != "cluster: the owner says: disk full" {
		t.Errorf("other: %v", err)
	}
	if fromFailure(failure(nil)) != nil {
		t.Error("nil crossed as an error")
	}
}
