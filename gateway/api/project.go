package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// select=name,stats.alive,inputs.url returns only those fields: the item
// reduced to a tree of the selected paths, lists mapped element by element.
// Fields keep encoding/json's omitempty behaviour; unknown ones are left
// out.

// selNode is one selected name; whole means the entire value is wanted.
type selNode struct {
	name  string
	whole bool
	kids  []*selNode
}

func parseSelect(s string) []*selNode {
	var root []*selNode
	for f := range strings.SplitSeq(s, ",") {
		if path := splitPath(strings.TrimSpace(f)); len(path) > 0 {
			root = addSelect(root, path)
		}
	}
	return root
}

func addSelect(nodes []*selNode, path []string) []*selNode {
	var n *selNode
	for _, x := range nodes {
		if x.name == path[0] {
			n = x
		}
	}
	if n == nil {
		n = &selNode{name: path[0]}
		nodes = append(nodes, n)
	}
	switch {
	case n.whole:
	case len(path) == 1:
		n.whole, n.kids = true, nil
	default:
		n.kids = addSelect(n.kids, path[1:])
	}
	return nodes
}

// appendSelected appends the JSON of v reduced to sel.
func appendSelected(b []byte, v reflect.Value, sel []*selNode) ([]byte, error) {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		v = v.Elem()
	}
	if !v.IsValid() || v.Type().Implements(marshalerType) {
		return appendValue(b, v)
	}
	switch v.Kind() {
	case reflect.Struct:
		return appendSelectedFields(b, sel, func(name string) (reflect.Value, bool) {
			f, ok := fieldsOf(v.Type())[name]
			if !ok {
				return reflect.Value{}, false
			}
			fv := v.FieldByIndex(f.index)
			return fv, !f.omitEmpty || !isEmptyValue(fv)
		})
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendSelected(b, v.Index(i), sel); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return appendValue(b, v)
		}
		return appendSelectedFields(b, sel, func(name string) (reflect.Value, bool) {
			e := v.MapIndex(reflect.ValueOf(name).Convert(v.Type().Key()))
			return e, e.IsValid()
		})
	default:
		return appendValue(b, v)
	}
}

// appendSelectedFields writes an object of the selected names that field
// finds.
func appendSelectedFields(b []byte, sel []*selNode, field func(string) (reflect.Value, bool)) ([]byte, error) {
	b = append(b, '{')
	n := 0
	for _, s := range sel {
		fv, ok := field(s.name)
		if !ok {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendString(b, s.name)
		b = append(b, ':')
		var err error
		if s.whole {
			b, err = appendValue(b, fv)
		} else {
			b, err = appendSelected(b, fv, s.kids)
		}
		if err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendValue appends the JSON of v. Plain scalars are written directly:
// select over a long list is mostly those, and boxing each one for
// json.Marshal would cost an allocation per field.
func appendValue(b []byte, v reflect.Value) ([]byte, error) {
	if !v.IsValid() {
		return append(b, "null"...), nil
	}
	if !v.Type().Implements(marshalerType) {
		switch v.Kind() {
		case reflect.Bool:
			return strconv.AppendBool(b, v.Bool()), nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return strconv.AppendInt(b, v.Int(), 10), nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return strconv.AppendUint(b, v.Uint(), 10), nil
		case reflect.String:
			return appendString(b, v.String()), nil
		default:
		}
	}
	js, err := json.Marshal(v.Interface())
	return append(b, js...), err
}

// appendString appends s as a JSON string. Plain printable ASCII without
// quotes, backslashes or HTML characters (which encoding/json escapes) is
// copied as is; anything else goes through encoding/json.
func appendString(b []byte, s string) []byte {
	for i := range len(s) {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			js, err := json.Marshal(s)
			if err != nil {
				panic("api: a string always marshals: " + err.Error())
			}
			return append(b, js...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// isEmptyValue is encoding/json's test for omitempty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	default:
		return false
	}
}
