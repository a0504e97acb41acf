package input

import (
	"testing"
	"time"
)

func TestChaosDelay(t *testing.T) {
	tests := []struct {
		enabled bool
		opts    map[string]string
		want    time.Duration
		ok      bool
	}{
		{true, map[string]string{"chaos_panic": "2"}, 2 * time.Second, true},
		{true, map[string]string{"chaos_panic": "0.5"}, 500 * time.Millisecond, true},
		{false, map[string]string{"chaos_panic": "2"}, 0, false}, // the hook is off without the env
		{true, map[string]string{"chaos_panic": "soon"}, 0, false},
		{true, map[string]string{"chaos_panic": "-1"}, 0, false},
		{true, nil, 0, false},
	}
	for _, tt := range tests {
		d, ok := chaosDelay(tt.enabled, tt.opts)
		if d != tt.want || ok != tt.ok {
			t.Errorf("chaosDelay(%v, %v) = %v %v, want %v %v", tt.enabled, tt.opts, d, ok, tt.want, tt.ok)
		}
	}
}
