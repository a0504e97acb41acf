package api

import (
	"reflect"
	"strconv"
	"strings"
)

// Field filters of list requests. Any query parameter that is not one of
// the list parameters (select, sort, limit, cursor, q, format) filters on
// the field its name paths to, as Flussonic's lists do:
//
//	name=cam1            equal
//	stats.alive_ne=true  not equal
//	stats.lifetime_gt=5  greater (_gte, _lt, _lte likewise); numbers compare
//	                     as numbers, strings lexically, false < true
//	title_like=news      case-insensitive substring; with `*` the whole value
//	                     must match the wildcard pattern (`cam*`, `*-hd`)
//
// A path through a list (inputs.url) matches when any element matches;
// _ne matches when no element is equal. Fields read as their Go values,
// so the zero value of a plain field is a value (`disabled=false`,
// `title=` for no title); a path that leads nowhere (an unset optional
// field, an unknown name) reads as null, so `x=null` finds items without x
// and an unknown field matches nothing but _ne. Several filters must all
// match.

type filterOp uint8

const (
	opEq filterOp = iota
	opNe
	opGt
	opGte
	opLt
	opLte
	opLike
)

// filterSuffixes is checked in order; no suffix is a suffix of another.
var filterSuffixes = [...]struct {
	suffix string
	op     filterOp
}{
	{"_gte", opGte},
	{"_lte", opLte},
	{"_like", opLike},
	{"_ne", opNe},
	{"_gt", opGt},
	{"_lt", opLt},
}

// filter is one parsed field filter; value's readings are parsed once.
type filter struct {
	path  []string
	op    filterOp
	value string
	lower string // value lowercased, for _like
	num   float64
	isNum bool
	b     bool
	isB   bool
}

// newFilter parses key=value; key carries the operator suffix.
func newFilter(key, value string) filter {
	f := filter{op: opEq, value: value, lower: strings.ToLower(value)}
	for _, s := range filterSuffixes {
		if strings.HasSuffix(key, s.suffix) {
			key, f.op = strings.TrimSuffix(key, s.suffix), s.op
			break
		}
	}
	f.path = splitPath(key)
	if n, err := strconv.ParseFloat(value, 64); err == nil {
		f.num, f.isNum = n, true
	}
	if b, err := strconv.ParseBool(value); err == nil && (value == "true" || value == "false") {
		f.b, f.isB = b, true
	}
	return f
}

// matchesAt reports whether the value at path under v passes the filter
// (the path the caller resolved from f.path).
func (f *filter) matchesAt(v reflect.Value, path []string) bool {
	op := f.op
	if op == opNe {
		op = opEq
	}
	hit := false
	visit(v, path, func(x reflect.Value) {
		if !hit && f.matchOne(op, toScalar(x)) {
			hit = true
		}
	})
	if f.op == opNe {
		return !hit
	}
	return hit
}

func (f *filter) matchOne(op filterOp, s scalar) bool {
	switch op {
	case opLike:
		t, ok := s.text()
		return ok && like(t, f.lower)
	case opEq:
		return f.equal(s)
	default:
		c, ok := f.compare(s)
		if !ok {
			return false
		}
		switch op {
		case opGt:
			return c > 0
		case opGte:
			return c >= 0
		case opLt:
			return c < 0
		default:
			return c <= 0
		}
	}
}

func (f *filter) equal(s scalar) bool {
	switch s.kind {
	case kindNull:
		return f.value == "null"
	case kindBool:
		return f.isB && f.b == s.b
	case kindNum:
		return f.isNum && f.num == s.n
	case kindStr:
		return f.value == s.s
	default:
		return false
	}
}

// compare orders the field value s against the filter value.
func (f *filter) compare(s scalar) (int, bool) {
	switch {
	case s.kind == kindNum && f.isNum:
		return compareScalars(s, scalar{kind: kindNum, n: f.num}), true
	case s.kind == kindBool && f.isB:
		return compareScalars(s, scalar{kind: kindBool, b: f.b}), true
	case s.kind == kindStr:
		return strings.Compare(s.s, f.value), true
	default:
		return 0, false
	}
}

// like matches text against a lowercased pattern: a substring, or with
// `*` a wildcard pattern over the whole value; case-insensitive.
func like(text, pattern string) bool {
	if !strings.Contains(pattern, "*") {
		return containsFold(text, pattern)
	}
	return glob(strings.ToLower(text), pattern)
}

// glob matches s against p where `*` stands for any run of bytes.
func glob(s, p string) bool {
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == s[si]:
			si++
			pi++
		case star >= 0:
			mark++
			si, pi = mark, star+1
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// containsFold is a case-insensitive strings.Contains that does not
// allocate.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
