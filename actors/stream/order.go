package stream

import (
	"reflect"
	"slices"

	"streamhive/actors/config"
)

// priorityOrder returns the indexes of inputs, best first: by priority=
// when set, else by position in the list (an input without priority ranks
// as if its priority were its index), ties keeping list order.
func priorityOrder(inputs []config.Input) []int {
	order := make([]int, len(inputs))
	for i := range order {
		order[i] = i
	}
	key := func(i int) int {
		if p := inputs[i].Priority; p != nil {
			return *p
		}
		return i
	}
	slices.SortStableFunc(order, func(a, b int) int { return key(a) - key(b) })
	return order
}

// inputsChanged reports whether a configuration update must restart the
// stream's inputs: any difference in the input list, its order or an
// input's options, ignoring read-only stats.
func inputsChanged(old, new []config.Input) bool {
	return !reflect.DeepEqual(withoutStats(old), withoutStats(new))
}

func withoutStats(inputs []config.Input) []config.Input {
	out := make([]config.Input, len(inputs))
	for i, in := range inputs {
		in.Stats = nil
		if len(in.Options) == 0 {
			in.Options = nil // an empty map and no map mean the same
		}
		out[i] = in
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
