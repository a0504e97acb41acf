package supervision

import (
	"errors"
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
)

func TestDecide(t *testing.T) {
	errRefused := errors.New("connection refused")
	tests := []struct {
		name   string
		reason any
		want   actor.Directive
	}{
		{"plain error restarts", errRefused, actor.RestartDirective},
		{"permanent stops", &Permanent{Err: errRefused}, actor.StopDirective},
		{"wrapped permanent stops", fmt.Errorf("input 0: %w", &Permanent{Err: errRefused}), actor.StopDirective},
		{"panic string restarts", "index out of range", actor.RestartDirective},
		{"nil restarts", nil, actor.RestartDirective},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decide(tt.reason); got != tt.want {
				t.Errorf("Decide(%v) = %v, want %v", tt.reason, got, tt.want)
			}
		})
	}
}

func TestPermanentWraps(t *testing.T) {
	errBase := errors.New("fake:// not supported")
	err := fmt.Errorf("input: %w", &Permanent{Err: errBase})
	if !errors.Is(err, errBase) {
		t.Errorf("errors.Is(%v, base) = false, want true", err)
	}
	if !IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = false, want true", err)
	}
	if got, want := err.Error(), "input: fake:// not supported"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if IsPermanent(errBase) {
		t.Errorf("IsPermanent(plain) = true, want false")
	}
}
