package api

import (
	"strings"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/sessions"
)

// secretsConfig holds a distinct secret in every place of the model that
// can hold one (built in Go: some of these directives have no grammar
// yet).
func secretsConfig() (*config.Server, map[string]string) {
	secrets := map[string]string{
		"edit_auth":               "editpw01",
		"view_auth":               "viewpw02",
		"rtsp input credentials":  "rtsppw03",
		"rtmp input stream key":   "inkey04",
		"input token":             "intok05",
		"srt input passphrase":    "inpp06",
		"rtmp push stream key":    "pushkey07",
		"srt push streamid":       "pushsid08",
		"push option passphrase":  "pushpp09",
		"stream password":         "streampw10",
		"stream securetoken":      "stok11",
		"template input":          "tplpw12",
		"template on_publish":     "tplpub13",
		"server on_play":          "srvplay14",
		"auth_backend backend":    "abpw15",
		"auth_backend allow":      "abtok16",
		"srt_publish passphrase":  "srtpp17",
		"cluster_key":             "ck18",
		"input option streamid":   "insid19",
		"stream on_publish query": "pubq20",
		"peer cluster_key":        "peerkey21",
		"source cluster_key":      "srckey22",
	}
	cfg := &config.Server{
		EditAuth:   &config.Credentials{Login: "admin", Password: secrets["edit_auth"]},
		ViewAuth:   &config.Credentials{Login: "viewer", Password: secrets["view_auth"]},
		ClusterKey: secrets["cluster_key"],
		Peers:      []config.Peer{{Hostname: "b:81", ClusterKey: secrets["peer cluster_key"]}},
		Sources:    []config.Source{{URL: "o:80", ClusterKey: secrets["source cluster_key"]}},
		SRTPublish: &config.SRTConfig{Passphrase: secrets["srt_publish passphrase"]},
		Templates: []config.Template{{Name: "tpl", Prefixes: []string{"tp/"}, MediaOptions: config.MediaOptions{
			Inputs:    []config.Input{{URL: "rtsp://u:" + secrets["template input"] + "@cam/s"}},
			OnPublish: &config.AuthSpec{URL: "http://auth/p?token=" + secrets["template on_publish"]},
		}}},
		Streams: []config.Stream{{Name: "cam", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{
				{URL: "rtsp://admin:" + secrets["rtsp input credentials"] + "@10.0.0.5:554/s1"},
				{URL: "rtmp://origin/live/" + secrets["rtmp input stream key"]},
				{URL: "http://h/i.m3u8?token=" + secrets["input token"]},
				{URL: "srt://h:9000?passphrase=" + secrets["srt input passphrase"]},
				{URL: "srt://h:9001", Options: map[string]string{"streamid": "#!::r=cam,password=" + secrets["input option streamid"]}},
			},
			Pushes: []config.Push{
				{URL: "rtmp://a.rtmp.youtube.com/live2/" + secrets["rtmp push stream key"]},
				{URL: "srt://h:9000?streamid=" + secrets["srt push streamid"]},
				{URL: "srt://h:9002", Options: map[string]string{"passphrase": secrets["push option passphrase"]}},
			},
			Password:  secrets["stream password"],
			OnPlay:    &config.AuthSpec{URL: "securetoken://" + secrets["stream securetoken"]},
			OnPublish: &config.AuthSpec{URL: "http://auth/pub?key=" + secrets["stream on_publish query"]},
		}}},
	}
	cfg.OnPlay = &config.AuthSpec{URL: "http://u:" + secrets["server on_play"] + "@auth/play"}
	cfg.AuthBackends = []config.AuthBackend{{
		Name:        "main",
		AllowTokens: []string{secrets["auth_backend allow"]},
		Backends:    []config.AuthBackendURL{{URL: "http://u:" + secrets["auth_backend backend"] + "@b/auth"}},
	}}
	return cfg, secrets
}

// TestViewerSeesNoSecret: every read a view user may make shows none of
// the secrets; the same reads by the edit user show each of them, so the
// check is not vacuous.
func TestViewerSeesNoSecret(t *testing.T) {
	cfg, secrets := secretsConfig()
	h := newHarness(t, cfg)
	reads := []string{
		"streams", "streams/cam", "templates", "templates/tpl", "config", "config/stats", "dvrs",
		"auth_backends", "sessions", "sessions/s1", "cluster/peers", "cluster/peers/b:81", "cluster/sources",
		"cluster/sources/o:80",
	}
	secrets["session token"] = "sesstok17"
	h.ctl.SetSessions([]sessions.Info{{
		ID: "s1", Stream: "cam", Proto: "hls", Token: secrets["session token"],
		Query: "a=1&token=" + secrets["session token"], OpenedAt: time.Unix(1, 0), LastActive: time.Unix(2, 0),
	}})
	read := func(login, password string) string {
		var all strings.Builder
		for _, path := range reads {
			r := h.get(path, "Authorization", basic(login, password))
			mustStatus(t, r, 200)
			all.Write(r.body)
		}
		return all.String()
	}
	viewer, editor := read("viewer", secrets["view_auth"]), read("admin", secrets["edit_auth"])
	for place, secret := range secrets {
		if strings.Contains(viewer, secret) {
			t.Errorf("%s: a view user reads the secret %q", place, secret)
		}
		if !strings.Contains(editor, secret) {
			t.Errorf("%s: the edit user does not read %q", place, secret)
		}
	}
	// What is no secret stays readable.
	for _, want := range []string{
		`rtsp://admin:***@10.0.0.5:554/s1`, `rtmp://a.rtmp.youtube.com/live2/***`, `"login":"viewer"`,
		`"query_string":"a=1\u0026token=***"`,
	} {
		if !strings.Contains(viewer, want) {
			t.Errorf("a view user does not read %s", want)
		}
	}
}

// TestViewerCannotSearchForSecrets: q= and filters run over the masked
// values for a view user, so they cannot be used to guess a secret.
func TestViewerCannotSearchForSecrets(t *testing.T) {
	cfg, secrets := secretsConfig()
	h := newHarness(t, cfg)
	q := "streams?q=" + secrets["rtsp input credentials"]
	var list struct{ Streams []struct{ Name string } }
	h.get(q, "Authorization", basic("viewer", secrets["view_auth"])).json(t, &list)
	if len(list.Streams) != 0 {
		t.Errorf("a view user's search for a password finds %v", list.Streams)
	}
	h.get(q, "Authorization", basic("admin", secrets["edit_auth"])).json(t, &list)
	if len(list.Streams) != 1 {
		t.Errorf("the edit user's search finds %v, want cam", list.Streams)
	}
}
