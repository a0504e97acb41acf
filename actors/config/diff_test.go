package config

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

const diffBase = `
dvr arch { root /s; expiration 1d; }
template live { prefix live; segment_duration 4; }
template sport { prefix live/sport; transcoder vb=1000k; }
stream a { input fake://; }
stream b { input publish://; dvr @arch; }
stream live/x { input publish://; }
stream live/sport/y { input publish://; }
stream t { template live; input fake://; }
`

func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		next string
		want StreamDiff
	}{
		{"identical", diffBase, StreamDiff{}},
		{"reordered and reformatted", "stream t { template live;\n input fake://; }\n" + replace(diffBase, "stream t { template live; input fake://; }", ""), StreamDiff{}},
		{
			"added and removed", replace(diffBase, "stream a { input fake://; }", "stream c;"),
			StreamDiff{Added: []string{"c"}, Removed: []string{"a"}},
		},
		{
			"own change", replace(diffBase, "stream a { input fake://; }", "stream a { input fake://; title x; }"),
			StreamDiff{Changed: []string{"a"}},
		},
		{
			"named dvr change", replace(diffBase, "expiration 1d", "expiration 2d"),
			StreamDiff{Changed: []string{"b"}},
		},
		{
			"template by name and by prefix", replace(diffBase, "segment_duration 4", "segment_duration 5"),
			StreamDiff{Changed: []string{"live/x", "t"}},
		},
		{
			"longest prefix wins", replace(diffBase, "vb=1000k", "vb=2000k"),
			StreamDiff{Changed: []string{"live/sport/y"}},
		},
		{
			"template removed", replace(diffBase, "template sport { prefix live/sport; transcoder vb=1000k; }", ""),
			StreamDiff{Changed: []string{"live/sport/y"}},
		},
		{
			"template prefix moved", replace(diffBase, "prefix live;", "prefix other;"),
			StreamDiff{Changed: []string{"live/x", "t"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prev, next := mustParse(t, diffBase), mustParse(t, tt.next)
			got := Diff(prev, next)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v want %+v", got, tt.want)
			}
			if back := Diff(next, prev); len(back.Added) != len(got.Removed) || len(back.Changed) != len(got.Changed) {
				t.Errorf("Diff is not symmetric: %+v vs %+v", got, back)
			}
		})
	}
}

func TestDiffIgnoresPositions(t *testing.T) {
	prev := mustParse(t, diffBase)
	next := prev.Clone()
	next.Streams[0].pos = position{}
	if d := Diff(prev, next); !d.Empty() {
		t.Errorf("positions counted: %+v", d)
	}
	// A PUT that changes nothing leaves the stream unchanged.
	if err := (PutStream{Name: "b", Patch: []byte(`{"inputs":[{"url":"publish://"}]}`)}).Apply(next); err != nil {
		t.Fatal(err)
	}
	if d := Diff(prev, next); !d.Empty() {
		t.Errorf("a no-op PUT counted: %+v", d)
	}
}

func TestEffective(t *testing.T) {
	s := mustParse(t, `
template live { prefix live; segment_duration 4; segment_count 3; protocols -dash; transcoder vb=1000k ab=64k; input publish://; }
stream live/x { segment_count 5; protocols -rtmp; transcoder vb=2000k; }
stream other { input fake://; }
`)
	got, ok := s.Effective("live/x")
	if !ok {
		t.Fatal("live/x missing")
	}
	want := `{"name":"live/x","inputs":[{"url":"publish://"}],"transcoder":{"video":[{"bitrate":2000000}],"audio":{"bitrate":64000}},"protocols":{"dash":false,"rtmp":false},"segment_duration":4000,"segment_count":5}`
	if j := jsonOf(t, got); j != want {
		t.Errorf("got  %s\nwant %s", j, want)
	}
	if o, _ := s.Effective("other"); jsonOf(t, o) != `{"name":"other","inputs":[{"url":"fake://"}]}` {
		t.Errorf("stream without template: %s", jsonOf(t, o))
	}
	if _, ok := s.Effective("nope"); ok {
		t.Error("Effective of a missing stream")
	}
}

// replace replaces the one occurrence of old in s.
func replace(s, from, to string) string {
	if !strings.Contains(s, from) {
		panic("replace: " + from + " not found")
	}
	return strings.Replace(s, from, to, 1)
}

func jsonOf(t *testing.T, st Stream) string {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
