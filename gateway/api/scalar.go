package api

import (
	"cmp"
	"encoding/json"
	"reflect"
	"strconv"
)

// scalarKind orders kinds for sorting: null < bool < number < string <
// other (objects and arrays, which compare equal among themselves).
type scalarKind uint8

const (
	kindNull scalarKind = iota
	kindBool
	kindNum
	kindStr
	kindOther
)

// scalar is a leaf value of an item reduced to what filters and sort keys
// compare: JSON's null, boolean, number or string.
type scalar struct {
	kind scalarKind
	b    bool
	n    float64
	s    string
}

// toScalar reduces v. Types with their own MarshalJSON (a timeout that is
// seconds or false, a listen spec) are compared as the JSON they print.
func toScalar(v reflect.Value) scalar {
	if !v.IsValid() {
		return scalar{}
	}
	if v.Type().Implements(marshalerType) {
		b, err := v.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return scalar{kind: kindOther}
		}
		var x any
		if json.Unmarshal(b, &x) != nil {
			return scalar{kind: kindOther}
		}
		return anyScalar(x)
	}
	switch v.Kind() {
	case reflect.Bool:
		return scalar{kind: kindBool, b: v.Bool()}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return scalar{kind: kindNum, n: float64(v.Int())}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return scalar{kind: kindNum, n: float64(v.Uint())}
	case reflect.Float32, reflect.Float64:
		return scalar{kind: kindNum, n: v.Float()}
	case reflect.String:
		return scalar{kind: kindStr, s: v.String()}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return scalar{}
		}
		return toScalar(v.Elem())
	default:
		return scalar{kind: kindOther}
	}
}

// anyScalar reduces a value decoded from JSON (a cursor, a MarshalJSON).
func anyScalar(x any) scalar {
	switch x := x.(type) {
	case nil:
		return scalar{}
	case bool:
		return scalar{kind: kindBool, b: x}
	case float64:
		return scalar{kind: kindNum, n: x}
	case string:
		return scalar{kind: kindStr, s: x}
	default:
		return scalar{kind: kindOther}
	}
}

// toAny is the inverse of anyScalar, for encoding a cursor.
func (s scalar) toAny() any {
	switch s.kind {
	case kindBool:
		return s.b
	case kindNum:
		return s.n
	case kindStr:
		return s.s
	default:
		return nil
	}
}

// text is the string a _like filter matches against.
func (s scalar) text() (string, bool) {
	switch s.kind {
	case kindBool:
		return strconv.FormatBool(s.b), true
	case kindNum:
		return strconv.FormatFloat(s.n, 'f', -1, 64), true
	case kindStr:
		return s.s, true
	default:
		return "", false
	}
}

// compareScalars is a total order over scalars.
func compareScalars(a, b scalar) int {
	if a.kind != b.kind {
		return cmp.Compare(a.kind, b.kind)
	}
	switch a.kind {
	case kindBool:
		switch {
		case a.b == b.b:
			return 0
		case b.b:
			return -1
		default:
			return 1
		}
	case kindNum:
		return cmp.Compare(a.n, b.n)
	case kindStr:
		return cmp.Compare(a.s, b.s)
	default:
		return 0
	}
}
