package benchkit

import "testing"

func TestSteady(t *testing.T) {
	tests := []struct {
		rss  []int64
		want bool
	}{
		{nil, true}, // no pid: nothing to wait for
		{[]int64{100, 100}, false},
		{[]int64{100, 150, 200, 200}, false},
		{[]int64{100, 200, 200, 201}, true},
		{[]int64{300, 200, 100, 100}, true},
		{[]int64{100, 100, 100, 102}, false},
	}
	for _, tt := range tests {
		if got := Steady(tt.rss, 2, 0.01); got != tt.want {
			t.Errorf("Steady(%v, 2, 0.01) = %v, want %v", tt.rss, got, tt.want)
		}
	}
}
