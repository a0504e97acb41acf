package events

import (
	"strings"

	"streamhive/actors/config"
)

// Filter is an event sink's only and except: an event passes when it
// matches one of Only's sets (or Only is empty) and none of Except's.
type Filter struct {
	Only, Except []config.EventFilter
}

// Pass reports whether e goes to the sink.
func (f Filter) Pass(e *Event) bool {
	if len(f.Only) > 0 && !anySet(f.Only, e) {
		return false
	}
	return !anySet(f.Except, e)
}

func anySet(sets []config.EventFilter, e *Event) bool {
	for _, s := range sets {
		if matchSet(s, e) {
			return true
		}
	}
	return false
}

// matchSet: every field of the set has one of its values in e.
func matchSet(s config.EventFilter, e *Event) bool {
	for key, values := range s {
		v, ok := e.Get(key)
		if !ok || !matchAny(values, v) {
			return false
		}
	}
	return true
}

// matchAny: v is one of values; "x*" matches by prefix, "*" anything.
func matchAny(values []string, v string) bool {
	for _, w := range values {
		if prefix, ok := strings.CutSuffix(w, "*"); ok && strings.HasPrefix(v, prefix) || w == v {
			return true
		}
	}
	return false
}
