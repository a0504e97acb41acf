package stream

import (
	"slices"
	"testing"

	"streamhive/actors/config"
)

func prio(p int) *int { return &p }

func TestPriorityOrder(t *testing.T) {
	tests := []struct {
		name   string
		inputs []config.Input
		want   []int
	}{
		{"none", nil, []int{}},
		{"list order", []config.Input{{URL: "a"}, {URL: "b"}, {URL: "c"}}, []int{0, 1, 2}},
		{"priority reorders", []config.Input{{URL: "a", Priority: prio(3)}, {URL: "b", Priority: prio(1)}, {URL: "c", Priority: prio(2)}}, []int{1, 2, 0}},
		{"ties keep list order", []config.Input{{URL: "a", Priority: prio(1)}, {URL: "b", Priority: prio(1)}}, []int{0, 1}},
		{"unset ranks as its index", []config.Input{{URL: "a"}, {URL: "b"}, {URL: "c", Priority: prio(0)}}, []int{0, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := priorityOrder(tt.inputs); !slices.Equal(got, tt.want) {
				t.Errorf("priorityOrder = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInputsChanged(t *testing.T) {
	base := []config.Input{{URL: "rtmp://a/live", Options: map[string]string{"x": "1"}}, {URL: "publish://"}}
	tests := []struct {
		name string
		new  []config.Input
		want bool
	}{
		{"same", []config.Input{{URL: "rtmp://a/live", Options: map[string]string{"x": "1"}}, {URL: "publish://"}}, false},
		{"url", []config.Input{{URL: "rtmp://b/live", Options: map[string]string{"x": "1"}}, {URL: "publish://"}}, true},
		{"option", []config.Input{{URL: "rtmp://a/live", Options: map[string]string{"x": "2"}}, {URL: "publish://"}}, true},
		{"order", []config.Input{{URL: "publish://"}, {URL: "rtmp://a/live", Options: map[string]string{"x": "1"}}}, true},
		{"removed", []config.Input{{URL: "rtmp://a/live", Options: map[string]string{"x": "1"}}}, true},
		{"priority", []config.Input{{URL: "rtmp://a/live", Options: map[string]string{"x": "1"}, Priority: prio(1)}, {URL: "publish://"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inputsChanged(base, tt.new); got != tt.want {
				t.Errorf("inputsChanged = %v, want %v", got, tt.want)
			}
		})
	}
	if inputsChanged(nil, []config.Input{}) {
		t.Errorf("nil and empty input lists differ")
	}
	if inputsChanged([]config.Input{{URL: "a"}}, []config.Input{{URL: "a", Options: map[string]string{}}}) {
		t.Errorf("no options and empty options differ")
	}
}
