package metrics

import (
	"math"
	"strconv"
	"strings"
)

// Family types, as the TYPE line names them.
const (
	Counter   = "counter"
	Gauge     = "gauge"
	Histogram = "histogram"
)

// Text builds a page in the Prometheus text exposition format (0.0.4):
// each family once, its HELP and TYPE lines first and all its samples
// after them, which is what Prometheus and `promtool check metrics` ask
// for. Not safe for concurrent use: one per scrape.
type Text struct{ b []byte }

// Family starts family name. Every sample written until the next Family
// must belong to it (name, or name_bucket, _sum, _count for a histogram).
func (t *Text) Family(name, typ, help string) {
	t.b = append(t.b, "# HELP "...)
	t.b = append(t.b, name...)
	t.b = append(t.b, ' ')
	t.b = append(t.b, help...)
	t.b = append(t.b, "\n# TYPE "...)
	t.b = append(t.b, name...)
	t.b = append(t.b, ' ')
	t.b = append(t.b, typ...)
	t.b = append(t.b, '\n')
}

// Int writes one sample with an integer value; labels is rendered
// (Labels), "" for none.
func (t *Text) Int(name, labels string, v int64) {
	t.head(name, labels)
	t.b = strconv.AppendInt(t.b, v, 10)
	t.b = append(t.b, '\n')
}

// Float writes one sample with a float value.
func (t *Text) Float(name, labels string, v float64) {
	t.head(name, labels)
	switch {
	case math.IsInf(v, 1):
		t.b = append(t.b, "+Inf"...)
	case math.IsInf(v, -1):
		t.b = append(t.b, "-Inf"...)
	case math.IsNaN(v):
		t.b = append(t.b, "NaN"...)
	default:
		t.b = strconv.AppendFloat(t.b, v, 'g', -1, 64)
	}
	t.b = append(t.b, '\n')
}

func (t *Text) head(name, labels string) {
	t.b = append(t.b, name...)
	if labels != "" {
		t.b = append(t.b, '{')
		t.b = append(t.b, labels...)
		t.b = append(t.b, '}')
	}
	t.b = append(t.b, ' ')
}

// Reset empties the page, keeping its buffer.
func (t *Text) Reset() { t.b = t.b[:0] }

// Raw appends text already in the format (whole lines).
func (t *Text) Raw(p []byte) { t.b = append(t.b, p...) }

// Bytes returns the page; valid until the next write.
func (t *Text) Bytes() []byte { return t.b }

// Labels renders label pairs (name, value, name, value...) for Int and
// Float: `name="cam1",input="0"`, values escaped as the format wants
// (backslash, double quote, newline).
func Labels(kv ...string) string {
	var sb strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(kv[i])
		sb.WriteString(`="`)
		escape(&sb, kv[i+1])
		sb.WriteByte('"')
	}
	return sb.String()
}

// With appends pairs to labels already rendered.
func With(labels string, kv ...string) string {
	if labels == "" {
		return Labels(kv...)
	}
	return labels + "," + Labels(kv...)
}

func escape(sb *strings.Builder, v string) {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			sb.WriteString(`\\`)
		case '"':
			sb.WriteString(`\"`)
		case '\n':
			sb.WriteString(`\n`)
		default:
			sb.WriteByte(c)
		}
	}
}
