package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// markBuilt marks the entries built (all of them when keys is empty) for
// the test: the hook through which tests see a configuration accepted
// once what it uses works. Tests in this package do not run in parallel.
func markBuilt(t *testing.T, keys ...string) { markAs(t, on, keys...) }

// markNotBuilt is markBuilt's opposite: the refusal of an entry is tested
// whatever its state in the table today.
func markNotBuilt(t *testing.T, keys ...string) { markAs(t, notBuilt, keys...) }

func markAs(t *testing.T, state entry, keys ...string) {
	t.Helper()
	saved := maps.Clone(grammar)
	t.Cleanup(func() { grammar = saved })
	grammar = maps.Clone(saved)
	if len(keys) == 0 {
		keys = slices.Collect(maps.Keys(protectionEntries))
	}
	for _, k := range keys {
		if _, ok := protectionEntries[k]; !ok {
			t.Fatalf("markAs: no entry %q", k)
		}
		grammar[k] = state
	}
}

// protectionUse is a configuration that uses one table entry, in config
// text (src, refused at the position want) or in API JSON (json, refused
// at the pointer want).
type protectionUse struct {
	src, json string
	want      string
}

// protectionUses has a use of every entry of protectionEntries.
var protectionUses = map[string]protectionUse{
	"on_play in a stream":        {src: "stream a {\n  on_play http://h/a;\n}", want: "test.conf:2:3"},
	"on_play in a template":      {src: "template t {\n  on_play http://h/a;\n}", want: "test.conf:2:3"},
	"on_play at server level":    {src: "http 80;\non_play true;", want: "test.conf:2:1"},
	"on_publish in a stream":     {src: "stream a { on_publish http://h/a; }", want: "test.conf:1:12"},
	"on_publish in a template":   {src: "template t { on_publish http://h/a; }", want: "test.conf:1:14"},
	"on_publish at server level": {json: `{"on_publish":{"url":"true"}}`, want: "/on_publish"},

	"on_play http(s)://":        {src: "stream a { on_play https://h/a; }", want: "test.conf:1:20"},
	"on_play auth://":           {src: "auth_backend b { allow default; }\nstream a { on_play auth://b; }", want: "test.conf:2:20"},
	"on_play securetoken://":    {src: "stream a { on_play securetoken://k; }", want: "test.conf:1:20"},
	"on_publish http(s)://":     {src: "stream a { on_publish http://h/a; }", want: "test.conf:1:23"},
	"on_publish auth://":        {json: `{"auth_backends":[{"name":"b"}],"on_publish":{"url":"auth://b"}}`, want: "/on_publish/url"},
	"on_publish securetoken://": {src: "stream a { on_publish securetoken://k; }", want: "test.conf:1:23"},

	"on_play domains":                 {src: "stream a { on_play true domains=a.b; }", want: "test.conf:1:25"},
	"on_play max_sessions":            {src: "stream a { on_play true max_sessions=3; }", want: "test.conf:1:25"},
	"on_play allowed_countries":       {src: "stream a { allowed_countries RU; }", want: "test.conf:1:12"},
	"on_play disallowed_countries":    {src: "stream a { on_play disallowed_countries=RU; }", want: "test.conf:1:20"},
	"on_play soft_limitation":         {src: "template t { soft_limitation; }", want: "test.conf:1:14"},
	"on_play session_keys":            {src: "on_play true session_keys=name,ip,proto;", want: "test.conf:1:14"},
	"on_publish domains":              {src: "stream a { on_publish true domains=a.b; }", want: "test.conf:1:28"},
	"on_publish max_sessions":         {src: "stream a { on_publish true max_sessions=3; }", want: "test.conf:1:28"},
	"on_publish allowed_countries":    {json: `{"on_publish":{"allowed_countries":["RU"]}}`, want: "/on_publish/allowed_countries"},
	"on_publish disallowed_countries": {json: `{"on_publish":{"disallowed_countries":["RU"]}}`, want: "/on_publish/disallowed_countries"},
	"on_publish soft_limitation":      {json: `{"on_publish":{"soft_limitation":true}}`, want: "/on_publish/soft_limitation"},
	"on_publish session_keys":         {json: `{"on_publish":{"session_keys":["name","ip","proto","token"]}}`, want: "/on_publish/session_keys"},

	"drm cpix":  {src: "stream a {\n  input publish://;\n  drm cpix keyserver=http://k/cpix;\n}", want: "test.conf:3:3"},
	"drm cpix ": {json: `{"streams":[{"name":"a","drm":{"vendor":"cpix","keyserver":"http://k/"}}]}`, want: "/streams/0/drm"},

	"password": {src: "stream a {\n  input publish://;\n  password secret;\n}", want: "test.conf:3:3"},

	"auth_backend":         {src: "auth_backend b {\n  allow default;\n}", want: "test.conf:1:1"},
	"auth_backend backend": {src: "auth_backend b {\n  backend http://h/a;\n}", want: "test.conf:2:11"},
	"auth_backend country": {src: "auth_backend b { deny country GB; }", want: "test.conf:1:31"},
	// The same from the API, naming JSON pointers.
	"auth_backend country ": {json: `{"auth_backends":[{"name":"b","deny_countries":["GB"]}]}`, want: "/auth_backends/0/deny_countries"},

	"geoip":                        {src: "geoip /g.mmdb;", want: "test.conf:1:1"},
	"api_allowed_from":             {src: "api_allowed_from 10/8;", want: "test.conf:1:1"},
	"auth_token":                   {src: "http 80;\n auth_token t;", want: "test.conf:2:2"},
	"max_sessions at server level": {src: "max_sessions 100;", want: "test.conf:1:1"},

	"https listener":           {src: "http 80;\nhttps 443;", want: "test.conf:2:7"},
	"rtmps listener":           {src: "rtmps 1936;", want: "test.conf:1:7"},
	"rtsps listener":           {src: "rtsps 1555;", want: "test.conf:1:7"},
	"listener certificate":     {src: "https 443 certificate=/c.pem certificate_key=/k.pem;", want: "test.conf:1:11"},
	"listener certificate_key": {json: `{"listeners":{"rtmps":[{"port":1936,"certificate":"/c.pem","certificate_key":"/k.pem"}]}}`, want: "/listeners/rtmps/0/certificate_key"},
	"listener ssl_protocols":   {src: "rtsps 1555 ssl_protocols=tlsv1.2;", want: "test.conf:1:12"},
}

func (u protectionUse) load(t *testing.T) *Server {
	t.Helper()
	if u.src != "" {
		return mustParse(t, u.src)
	}
	var s Server
	if err := json.Unmarshal([]byte(u.json), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// TestProtectionTableRefusesWhatIsNotBuilt: every entry, while not built,
// is refused with its position (file:line:column from text, the JSON
// pointer from the API); built, the same configuration is accepted.
func TestProtectionTableRefusesWhatIsNotBuilt(t *testing.T) {
	for key := range protectionEntries {
		if _, ok := protectionUses[key]; !ok {
			t.Errorf("entry %q has no use in protectionUses", key)
		}
	}
	for name, use := range protectionUses {
		// A trailing space marks a second use of the same entry.
		key := strings.TrimSpace(name)
		t.Run(name, func(t *testing.T) {
			if _, ok := protectionEntries[key]; !ok {
				t.Fatalf("no entry %q in protectionEntries", key)
			}
			markNotBuilt(t, key)
			s := use.load(t)
			want := use.want + ": " + fmt.Sprintf(refusal, key)
			if err := s.Validate(); err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("Validate: got\n%v\nwant a line %q", err, want)
			}
			markBuilt(t, key)
			if err := s.Validate(); err != nil && strings.Contains(err.Error(), fmt.Sprintf(refusal, key)) {
				t.Errorf("built, still refused: %v", err)
			}
			markBuilt(t)
			if err := s.Validate(); err != nil {
				t.Errorf("everything built, Validate: %v", err)
			}
		})
	}
}

// TestProtectionRefusalNamesTheAlias: a stream protected with `auth` is
// refused in the words the operator wrote.
func TestProtectionRefusalNamesTheAlias(t *testing.T) {
	markNotBuilt(t, "on_play in a stream")
	err := mustParse(t, "stream a { auth http://h/a; }").Validate()
	if want := "test.conf:1:12: auth (on_play) in a stream is not supported yet"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// TestProtectionRefusedThroughTheAPI: an API write that adds protection is
// refused like a file, naming the JSON pointer.
func TestProtectionRefusedThroughTheAPI(t *testing.T) {
	markNotBuilt(t, "on_play in a stream")
	s := &Server{}
	err := PutStream{Name: "a", Patch: []byte(`{"inputs":[{"url":"publish://"}],"on_play":{"url":"http://h/a"}}`)}.Apply(s)
	if want := "/streams/0/on_play: on_play in a stream is not supported yet"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}
