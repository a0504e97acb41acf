package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// List queries (filters, sort keys, select) name fields by dotted JSON
// paths such as stats.alive or inputs.url. They are resolved by reflection
// against the config structs themselves (and the wire structs of a
// stream's stats, wire_*.go), with the names encoding/json uses, so a
// filter never needs the JSON of an item and a field the config package
// adds is filterable without a change here.

// jsonField is one JSON-visible field of a struct type.
type jsonField struct {
	index     []int
	omitEmpty bool
}

// fieldTables caches the JSON field table of each struct type
// (reflect.Type -> map[string]jsonField). Safe for concurrent use.
var fieldTables sync.Map

var marshalerType = reflect.TypeFor[json.Marshaler]()

// fieldsOf returns the fields of struct type t by JSON name, flattening
// untagged embedded structs as encoding/json does.
func fieldsOf(t reflect.Type) map[string]jsonField {
	if m, ok := fieldTables.Load(t); ok {
		return m.(map[string]jsonField)
	}
	m := make(map[string]jsonField)
	for _, f := range reflect.VisibleFields(t) {
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			continue // its fields are visible on their own
		}
		if name == "" {
			name = f.Name
		}
		if old, dup := m[name]; dup && len(old.index) <= len(f.Index) {
			continue // the shallower field wins, as in encoding/json
		}
		m[name] = jsonField{index: f.Index, omitEmpty: strings.Contains(opts, "omitempty")}
	}
	fieldTables.Store(t, m)
	return m
}

// visit calls fn with every value found at path under v. A slice fans out
// over its elements unless the segment is an index; a path that leads
// nowhere (unknown name, nil pointer, missing map key) yields one invalid
// Value, which reads as null.
func visit(v reflect.Value, path []string, fn func(reflect.Value)) {
	for {
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				fn(reflect.Value{})
				return
			}
			v = v.Elem()
		}
		if len(path) == 0 {
			fn(v)
			return
		}
		seg := path[0]
		switch v.Kind() {
		case reflect.Struct:
			f, ok := fieldsOf(v.Type())[seg]
			if !ok || v.Type().Implements(marshalerType) {
				fn(reflect.Value{})
				return
			}
			v = v.FieldByIndex(f.index)
		case reflect.Slice, reflect.Array:
			if i, err := strconv.Atoi(seg); err == nil {
				if i < 0 || i >= v.Len() {
					fn(reflect.Value{})
					return
				}
				v = v.Index(i)
				break
			}
			if v.Len() == 0 {
				fn(reflect.Value{})
				return
			}
			for i := range v.Len() {
				visit(v.Index(i), path, fn)
			}
			return
		case reflect.Map:
			if v.Type().Key().Kind() != reflect.String {
				fn(reflect.Value{})
				return
			}
			e := v.MapIndex(reflect.ValueOf(seg).Convert(v.Type().Key()))
			if !e.IsValid() {
				fn(reflect.Value{})
				return
			}
			v = e
		default:
			fn(reflect.Value{})
			return
		}
		path = path[1:]
	}
}

// first returns the first value visit finds at path (invalid for none).
func first(v reflect.Value, path []string) reflect.Value {
	var out reflect.Value
	done := false
	visit(v, path, func(x reflect.Value) {
		if !done {
			out, done = x, true
		}
	})
	return out
}

// splitPath splits a dotted path; empty segments are dropped.
func splitPath(p string) []string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
