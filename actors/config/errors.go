package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a configuration. A problem found in config text
// names its file, line and column (1-based; the column counts bytes); one
// found in a configuration that came from JSON names the JSON pointer of the
// offending value instead (Line is then 0).
type Error struct {
	File    string
	Line    int
	Col     int
	Pointer string // JSON pointer such as /streams/0/inputs/1/url; may be set with a position too
	Msg     string
}

// Error formats as "file:line:col: msg", or "pointer: msg" without a position.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	if e.Pointer != "" {
		return e.Pointer + ": " + e.Msg
	}
	return e.Msg
}

// Is makes every *Error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// ErrorList is every problem found in one pass, in file order. Parse and
// Validate return one; it matches ErrInvalid with errors.Is and each item is
// reachable with errors.As.
type ErrorList []*Error

// Error is one problem per line.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap gives errors.Is and errors.As the items.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Is makes the list match ErrInvalid.
func (l ErrorList) Is(target error) bool { return target == ErrInvalid }

// err returns l as an error, or nil when l is empty (never a typed nil).
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return l
}

// position is where a token starts in config text.
type position struct {
	file      string
	line, col int
}

func (p position) known() bool { return p.line > 0 }

// errorAt makes an *Error at p (which may be unknown) for pointer ptr.
func errorAt(p position, ptr, format string, args ...any) *Error {
	return &Error{File: p.file, Line: p.line, Col: p.col, Pointer: ptr, Msg: fmt.Sprintf(format, args...)}
}

// invalid wraps err in ErrInvalid unless it already matches it.
func invalid(err error) error {
	if err == nil || errors.Is(err, ErrInvalid) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrInvalid, err)
}
