package stream

import (
	"bytes"
	"encoding/json"
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
// input's options. It compares the API's JSON form, which leaves out
// what the model keeps only for error messages (file positions).
func inputsChanged(old, cur []config.Input) bool {
	return !bytes.Equal(inputsJSON(old), inputsJSON(cur))
}

func inputsJSON(inputs []config.Input) []byte {
	if len(inputs) == 0 {
		return nil
	}
	b, err := json.Marshal(inputs)
	if err != nil {
		// The model always marshals: the API serves it.
		panic("stream: config.Input does not marshal: " + err.Error())
	}
	return b
}
