package config

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// checkKeys walks a JSON patch alongside the model type t it describes. It
// returns an error naming the JSON pointer of every unknown key (the
// decoder's DisallowUnknownFields names neither the position nor all of
// them), and deletes read-only keys (stats) from the patch, since a PUT
// that carries them has them ignored. Type mismatches are left to the
// decoder.
func checkKeys(v any, t reflect.Type, ptr string) ErrorList {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return checkObject(v, t, ptr)
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			return nil
		}
		var errs ErrorList
		for i, e := range a {
			errs = append(errs, checkKeys(e, t.Elem(), ptr+"/"+strconv.Itoa(i))...)
		}
		return errs
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		var errs ErrorList
		for k, e := range m {
			errs = append(errs, checkKeys(e, t.Elem(), ptr+"/"+pointerToken(k))...)
		}
		return errs
	default:
		return nil
	}
}

func checkObject(v any, t reflect.Type, ptr string) ErrorList {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	fields := jsonFields(t)
	readOnly, hasReadOnly := readOnlyKeys[t]
	var errs ErrorList
	for k, e := range m {
		p := ptr + "/" + pointerToken(k)
		if k == resetKey {
			if _, ok := e.(bool); !ok {
				errs = append(errs, &Error{Pointer: p, Msg: `"$reset" must be a boolean`})
			}
			continue
		}
		f, ok := fields[k]
		switch {
		case hasReadOnly && k == readOnly:
			delete(m, k)
		case !ok:
			errs = append(errs, &Error{Pointer: p, Msg: "unknown field " + strconv.Quote(k)})
		case e != nil:
			errs = append(errs, checkKeys(e, f.typ, p)...)
		}
	}
	return errs
}

type jsonField struct {
	typ reflect.Type
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	fieldCache      sync.Map // reflect.Type -> map[string]jsonField
)

// readOnlyKeys name the key that the API adds to its answers of a model
// type: the runtime stats (stream_stats, input_stats, push_stats), which
// the model has no place for. A PUT that carries them has them ignored.
var readOnlyKeys = map[reflect.Type]string{
	typeOf[Stream](): "stats",
	typeOf[Input]():  "stats",
	typeOf[Push]():   "stats",
}

// jsonFields maps the JSON names of struct t's fields, embedded structs
// flattened as encoding/json flattens them, to their types.
func jsonFields(t reflect.Type) map[string]jsonField {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]jsonField)
	}
	fields := map[string]jsonField{}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(sf.Type) {
				fields[k] = v
			}
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fields[name] = jsonField{typ: sf.Type}
	}
	fieldCache.Store(t, fields)
	return fields
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
