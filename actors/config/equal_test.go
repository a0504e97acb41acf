package config

import (
	"reflect"
	"testing"
)

// TestEqualCoversEveryField sets each configuration field of a stream,
// template and DVR in turn, down to the leaves, and checks that the
// equality Diff uses sees the difference: a field added to the model but
// not to equal.go fails here.
func TestEqualCoversEveryField(t *testing.T) {
	check := func(name string, typ reflect.Type, equal func(a, b reflect.Value) bool) {
		for _, s := range setters(typ, name) {
			a, b := reflect.New(typ), reflect.New(typ)
			s.set(a.Elem(), false)
			s.set(b.Elem(), true)
			if equal(a, b) {
				t.Errorf("%s: a change is not seen", s.path)
			}
		}
	}
	check("Stream", reflect.TypeFor[Stream](), func(a, b reflect.Value) bool {
		return a.Interface().(*Stream).EqualConfig(b.Interface().(*Stream))
	})
	check("Template", reflect.TypeFor[Template](), func(a, b reflect.Value) bool {
		return equalTemplate(a.Interface().(*Template), b.Interface().(*Template))
	})
	check("DVR", reflect.TypeFor[DVR](), func(a, b reflect.Value) bool {
		return equalDVR(a.Interface().(*DVR), b.Interface().(*DVR))
	})
	check("Protection", reflect.TypeFor[Protection](), func(a, b reflect.Value) bool {
		return equalProtection(a.Interface().(*Protection), b.Interface().(*Protection))
	})
}

// setter makes one field non-zero. With leaf false it only allocates the
// pointers and slices on the way, so the two values differ in that field
// alone.
type setter struct {
	path string
	set  func(v reflect.Value, leaf bool)
}

// setters returns a setter for every exported field reachable from struct
// t.
func setters(t reflect.Type, path string) []setter {
	var out []setter
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		p := path + "." + f.Name
		for _, s := range fieldSetters(f.Type, p) {
			out = append(out, setter{s.path, func(v reflect.Value, leaf bool) { s.set(v.Field(i), leaf) }})
		}
	}
	return out
}

func fieldSetters(t reflect.Type, path string) []setter {
	only := func(f func(reflect.Value)) []setter {
		return []setter{{path, func(v reflect.Value, leaf bool) {
			if leaf {
				f(v)
			}
		}}}
	}
	switch t.Kind() {
	case reflect.Struct:
		return setters(t, path)
	case reflect.Pointer:
		out := only(func(v reflect.Value) { v.Set(reflect.New(t.Elem())) })
		for _, s := range fieldSetters(t.Elem(), path) {
			out = append(out, setter{s.path, func(v reflect.Value, leaf bool) {
				v.Set(reflect.New(t.Elem()))
				s.set(v.Elem(), leaf)
			}})
		}
		return out
	case reflect.Slice:
		out := only(func(v reflect.Value) { v.Set(reflect.MakeSlice(t, 1, 1)) })
		for _, s := range fieldSetters(t.Elem(), path+"[0]") {
			out = append(out, setter{s.path, func(v reflect.Value, leaf bool) {
				v.Set(reflect.MakeSlice(t, 1, 1))
				s.set(v.Index(0), leaf)
			}})
		}
		return out
	case reflect.Map:
		return only(func(v reflect.Value) {
			m := reflect.MakeMap(t)
			m.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf("v"))
			v.Set(m)
		})
	case reflect.Bool:
		return only(func(v reflect.Value) { v.SetBool(true) })
	case reflect.Int, reflect.Int64:
		return only(func(v reflect.Value) { v.SetInt(1) })
	case reflect.String:
		return only(func(v reflect.Value) { v.SetString("x") })
	default:
		panic("fieldSetters: unhandled kind " + t.Kind().String() + " at " + path)
	}
}
