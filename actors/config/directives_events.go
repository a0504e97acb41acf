package config

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// eventSinkOptions are the lines of an event_sink block besides only and
// except, with where each one goes.
var eventSinkOptions = map[string]func(*EventSink) *int{
	"throttle_delay": func(e *EventSink) *int { return &e.ThrottleDelay },
	"resend_limit":   func(e *EventSink) *int { return &e.ResendLimit },
	"resend_timeout": func(e *EventSink) *int { return &e.ResendTimeout },
}

// parseEventSink handles
//
//	event_sink NAME {
//	  url http://host/hook;        (or log:///path, jsonlog:///path)
//	  only event=stream_started,source_* media=cam1;   (may repeat)
//	  except event=play_opened;                        (may repeat)
//	  throttle_delay 1;  resend_limit 1000;  resend_timeout 10;
//	  level info;
//	}
//
// Each only or except line is one filter set: its key=value1,value2
// options must all match.
func parseEventSink(p *parser, s *stmt, srv *Server) {
	if len(s.args) != 1 {
		p.wrongArgs(s, 1, "an event_sink name")
		return
	}
	e := EventSink{Name: s.args[0].text, pos: s.name.pos, at: positions{}}
	for _, r := range s.block {
		switch name := r.name.text; {
		case name == "url":
			e.at.set("url", r.name.pos)
			p.stringArg(r, &e.URL, "a URL")
		case name == "only" || name == "except":
			list := &e.Only
			if name == "except" {
				list = &e.Except
			}
			e.at.set(name+"/"+strconv.Itoa(len(*list)), r.name.pos)
			if f := p.eventFilter(r); f != nil {
				*list = append(*list, f)
			}
		case name == "level" || name == "verbose":
			e.at.set("level", r.name.pos)
			p.stringArg(r, &e.Level, "a log level")
		case eventSinkOptions[name] != nil:
			e.at.set(name, r.name.pos)
			p.intArg(r, eventSinkOptions[name](&e), "a number")
		default:
			p.unknown(r.name, append(slices.Sorted(maps.Keys(eventSinkOptions)), "url", "only", "except", "level"))
		}
	}
	srv.EventSinks = append(srv.EventSinks, e)
}

// eventFilter reads `only KEY=V1,V2 ...;` into one filter set.
func (p *parser) eventFilter(r *stmt) EventFilter {
	if !p.nargs(r, 1, -1, "key=value options (event=stream_started)") {
		return nil
	}
	f := EventFilter{}
	for _, o := range r.args {
		if !o.option || o.key == "" || o.val == "" {
			p.errorf(o.pos, "unexpected argument %s: %s takes key=value options", o.describe(), r.name.text)
			return nil
		}
		for _, it := range splitItems(o) {
			f[o.key] = append(f[o.key], it.text)
		}
	}
	return f
}

// eventSink writes an event_sink block; a filter set's keys in sorted
// order.
func (w *printer) eventSink(e *EventSink) {
	w.blank()
	w.open("event_sink", quoteIfNeeded(e.Name))
	w.line("url", quoteIfNeeded(e.URL))
	for _, l := range []struct {
		name string
		sets []EventFilter
	}{{"only", e.Only}, {"except", e.Except}} {
		for _, f := range l.sets {
			words := []string{l.name}
			for _, k := range slices.Sorted(maps.Keys(f)) {
				words = append(words, quoteIfNeeded(k+"="+strings.Join(f[k], ",")))
			}
			w.line(words...)
		}
	}
	for _, o := range []struct {
		name string
		v    int
	}{{"throttle_delay", e.ThrottleDelay}, {"resend_limit", e.ResendLimit}, {"resend_timeout", e.ResendTimeout}} {
		if o.v != 0 {
			w.line(o.name, strconv.Itoa(o.v))
		}
	}
	if e.Level != "" {
		w.line("level", quoteIfNeeded(e.Level))
	}
	w.close()
}

func (e EventSink) equal(o EventSink) bool {
	return e.Name == o.Name && e.URL == o.URL && slices.EqualFunc(e.Only, o.Only, EventFilter.equal) &&
		slices.EqualFunc(e.Except, o.Except, EventFilter.equal) && e.ThrottleDelay == o.ThrottleDelay &&
		e.ResendLimit == o.ResendLimit && e.ResendTimeout == o.ResendTimeout && e.Level == o.Level
}

func (f EventFilter) equal(o EventFilter) bool {
	return maps.EqualFunc(f, o, slices.Equal[[]string])
}

// EqualEventSinks reports whether a and b configure the same event sinks,
// in the same order; file positions do not count.
func EqualEventSinks(a, b *Server) bool {
	return slices.EqualFunc(a.EventSinks, b.EventSinks, EventSink.equal)
}

func (e EventSink) clone() EventSink {
	e.Only = cloneEach(e.Only, EventFilter.clone)
	e.Except = cloneEach(e.Except, EventFilter.clone)
	e.at = maps.Clone(e.at)
	return e
}

func (f EventFilter) clone() EventFilter {
	c := make(EventFilter, len(f))
	for k, v := range f {
		c[k] = slices.Clone(v)
	}
	return c
}
