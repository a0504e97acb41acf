//go:build chaos

package input

import (
	"testing"
	"time"
)

func TestChaosHookCompiledIn(t *testing.T) {
	if !chaosHook {
		t.Fatal("a -tags chaos build lacks the fault hook")
	}
}

func TestChaosDelay(t *testing.T) {
	tests := []struct {
		opts map[string]string
		want time.Duration
		ok   bool
	}{
		{map[string]string{"chaos_panic": "2"}, 2 * time.Second, true},
		{map[string]string{"chaos_panic": "0.5"}, 500 * time.Millisecond, true},
		{map[string]string{"chaos_panic": "soon"}, 0, false},
		{map[string]string{"chaos_panic": "-1"}, 0, false},
		{nil, 0, false},
	}
	for _, tt := range tests {
		d, ok := chaosDelay(tt.opts)
		if d != tt.want || ok != tt.ok {
			t.Errorf("chaosDelay(%v) = %v %v, want %v %v", tt.opts, d, ok, tt.want, tt.ok)
		}
	}
}
