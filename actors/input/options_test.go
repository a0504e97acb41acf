package input

import (
	"maps"
	"testing"

	"streamhive/actors/config"
	"streamhive/actors/stream"
)

func TestPullOptions(t *testing.T) {
	tests := []struct {
		name string
		spec stream.InputSpec
		want map[string]string
	}{
		{"adds the stream name", stream.InputSpec{Stream: "demo"}, map[string]string{"name": "demo"}},
		{
			"keeps the input's options",
			stream.InputSpec{Stream: "demo", Config: config.Input{Options: map[string]string{"k": "v"}}},
			map[string]string{"k": "v", "name": "demo"},
		},
		{
			"the input's name wins",
			stream.InputSpec{Stream: "demo", Config: config.Input{Options: map[string]string{"name": "cam"}}},
			map[string]string{"name": "cam"},
		},
		{"no stream, no name", stream.InputSpec{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := maps.Clone(tt.spec.Config.Options)
			if got := pullOptions(tt.spec); !maps.Equal(got, tt.want) {
				t.Errorf("pullOptions = %v, want %v", got, tt.want)
			}
			if !maps.Equal(tt.spec.Config.Options, before) {
				t.Errorf("pullOptions modified the input's options")
			}
		})
	}
}
