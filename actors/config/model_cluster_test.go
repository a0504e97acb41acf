package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestSourceParsePrint: a source block parses into the model, prints back
// to the same model, and its key is masked for viewers.
func TestSourceParsePrint(t *testing.T) {
	src := "cluster_key k;\nsource o1.tv:8081 {\n  only a \"b/*\";\n  except b/x;\n  cluster_key other;\n}\nsource o2.tv { }\n"
	s, err := Parse("t.conf", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []Source{{URL: "o1.tv:8081", Only: []string{"a", "b/*"}, Except: []string{"b/x"}, ClusterKey: "other"}, {URL: "o2.tv"}}
	if len(s.Sources) != 2 || s.Sources[0].URL != want[0].URL || !slices.Equal(s.Sources[0].Only, want[0].Only) ||
		!slices.Equal(s.Sources[0].Except, want[0].Except) || s.Sources[0].ClusterKey != "other" || s.Sources[1].URL != "o2.tv" {
		t.Fatalf("sources = %+v, want %+v", s.Sources, want)
	}
	printed := string(Print(s))
	again, err := Parse("t.conf", []byte(printed))
	if err != nil {
		t.Fatalf("%s: %v", printed, err)
	}
	if !slices.EqualFunc(again.Sources, s.Sources, func(a, b Source) bool {
		return a.URL == b.URL && slices.Equal(a.Only, b.Only) && slices.Equal(a.Except, b.Except) && a.ClusterKey == b.ClusterKey
	}) {
		t.Errorf("printed and parsed again: %+v, want %+v\n%s", again.Sources, s.Sources, printed)
	}
	if r := s.Redacted(); r.Sources[0].ClusterKey == "other" || strings.Contains(string(Print(r)), "other") {
		t.Error("a source's cluster_key reaches the redacted configuration")
	}
}

// TestSourceTakes: only lets names and prefixes through, except wins.
func TestSourceTakes(t *testing.T) {
	s := Source{Only: []string{"cbc", "sports/*"}, Except: []string{"sports/golf"}}
	for name, want := range map[string]bool{
		"cbc": true, "sports/f1": true, "sports/golf": false, "sports": false, "news": false, "sports/": false,
	} {
		if got := s.Takes(name); got != want {
			t.Errorf("Takes(%q) = %v, want %v", name, got, want)
		}
	}
	all := Source{Except: []string{"comedy"}}
	if !all.Takes("news") || all.Takes("comedy") {
		t.Error("an empty only takes everything but except")
	}
}

// TestPutDeletePeerSource: the API's writes of peers and sources.
func TestPutDeletePeerSource(t *testing.T) {
	s := &Server{ClusterKey: "k"}
	if err := (PutPeer{Hostname: "b:81", Patch: []byte(`{"api_url":"http://b:81","cluster_key":"k"}`)}).Apply(s); err != nil {
		t.Fatal(err)
	}
	if err := (PutSource{URL: "o:80", Patch: []byte(`{"only":["a"]}`)}).Apply(s); err != nil {
		t.Fatal(err)
	}
	if len(s.Peers) != 1 || s.Peers[0].APIURL != "http://b:81" || len(s.Sources) != 1 || s.Sources[0].Only[0] != "a" {
		t.Fatalf("peers %+v sources %+v", s.Peers, s.Sources)
	}
	if err := (DeletePeer{Hostname: "b:81"}).Apply(s); err != nil || len(s.Peers) != 0 {
		t.Errorf("DeletePeer = %v, peers %+v", err, s.Peers)
	}
	if err := (DeleteSource{URL: "x"}).Apply(s); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteSource(x) = %v, want ErrNotFound", err)
	}
}
