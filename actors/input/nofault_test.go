//go:build !chaos

package input

import (
	"testing"

	"streamhive/actors/config"
	"streamhive/actors/stream"
)

// TestNoFaultHook: a normal build has no fault hook, and a config that
// carries chaos_panic is valid: the option is an ordinary protocol option,
// handed to the puller like any other.
func TestNoFaultHook(t *testing.T) {
	if chaosHook {
		t.Fatal("a build without -tags chaos has the fault hook")
	}
	c, err := config.Parse("test.conf", []byte("stream a { input udp://127.0.0.1:5000 chaos_panic=5; }\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	spec := stream.InputSpec{Stream: "a", Config: c.Streams[0].Inputs[0]}
	if got := pullOptions(spec)["chaos_panic"]; got != "5" {
		t.Errorf("pull options carry chaos_panic=%q, want the ordinary option 5", got)
	}
}
