package api

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/valyala/fasthttp"
)

// vodHarness serves a location "m" over a folder holding a.mp4 and
// sub/b.mp4, beside a secret outside it and a symlink to it.
func vodHarness(t *testing.T) (*harness, string) {
	t.Helper()
	base := t.TempDir()
	dir := filepath.Join(base, "m")
	for p, body := range map[string]string{"a.mp4": "aaaa", "sub/b.mp4": "bb"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(base, "secret.mp4"), []byte("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(base, "secret.mp4"), filepath.Join(dir, "link.mp4")); err != nil {
		t.Fatal(err)
	}
	return newHarness(t, testConfig(t, "vod m {\n  storage "+dir+";\n  storage http://user:pw@origin.example.net/vod;\n}\n")), dir
}

func TestVODLocations(t *testing.T) {
	h, _ := vodHarness(t)
	item := schemaProps(t, "vod_config")
	r := h.get("vods")
	mustStatus(t, r, 200)
	env := decodeObject(t, r.body)
	envProps := schemaProps(t, "collection_response")
	envProps["vods"] = "array"
	mustMatchSchema(t, "vods_list", env, envProps)
	list, _ := env["vods"].([]any)
	if len(list) != 1 {
		t.Fatalf("list %s", r.body)
	}
	mustMatchSchema(t, "vod_config", list[0].(map[string]any), item, "prefix")

	mustStatus(t, h.do(fasthttp.MethodPut, "vods/n", `{"storages":[{"url":"/srv/n"}],"download":true}`), 200)
	r = h.get("vods/n")
	mustStatus(t, r, 200)
	mustMatchSchema(t, "vod_config", decodeObject(t, r.body), item, "prefix")
	if string(r.body) != `{"prefix":"n","storages":[{"url":"/srv/n"}],"download":true}` {
		t.Errorf("GET n: %s", r.body)
	}
	mustError(t, h.do(fasthttp.MethodPut, "vods/bad", `{"storages":[{"url":"s3://k@b/x"}]}`), 400, "invalid_config")
	mustStatus(t, h.do(fasthttp.MethodDelete, "vods/n", ""), 204)
	mustError(t, h.get("vods/n"), 404, "not_found")
}

func TestVODFiles(t *testing.T) {
	h, dir := vodHarness(t)
	file := schemaProps(t, "disk_file")
	r := h.get("vods/m/storages/0/files")
	mustStatus(t, r, 200)
	var got struct {
		Files []map[string]any `json:"files"`
	}
	r.json(t, &got)
	if len(got.Files) != 2 { // a.mp4 and sub; the link out is left out
		t.Fatalf("files %s", r.body)
	}
	for _, f := range got.Files {
		mustMatchSchema(t, "disk_file", f, file, "name")
	}
	r = h.get("vods/m/storages/0/files?folder=sub")
	r.json(t, &got)
	if len(got.Files) != 1 || got.Files[0]["subpath"] != "sub/b.mp4" || got.Files[0]["bytes"] != float64(2) {
		t.Errorf("folder sub: %s", r.body)
	}
	r = h.get("vods/m/storages/0/files/sub/b.mp4")
	mustStatus(t, r, 200)
	mustMatchSchema(t, "disk_file", decodeObject(t, r.body), file, "name")

	// Upload, read back, delete.
	mustStatus(t, h.do(fasthttp.MethodPut, "vods/m/storages/0/files/new/c.mp4", "cccccc"), 200)
	if b, err := os.ReadFile(filepath.Join(dir, "new", "c.mp4")); err != nil || string(b) != "cccccc" {
		t.Errorf("uploaded: %q %v", b, err)
	}
	mustStatus(t, h.do(fasthttp.MethodDelete, "vods/m/storages/0/files/new/c.mp4", ""), 204)
	mustError(t, h.get("vods/m/storages/0/files/new/c.mp4"), 404, "not_found")

	// Escapes are refused; nothing outside the storage is read or written.
	for _, p := range []string{"../secret.mp4", "link.mp4", "sub/../../secret.mp4", "%2e%2e/secret.mp4"} {
		r := h.get("vods/m/storages/0/files/" + p)
		if r.status != 400 && r.status != 404 {
			t.Errorf("GET %s: %d %s", p, r.status, r.body)
		}
	}
	mustError(t, h.get("vods/m/storages/0/files/link.mp4"), 400, "bad_path")
	// (fasthttp cleans `..` out of the URL path before any handler: an
	// escape by URL lands inside the API's own routes, never here.)
	// An upload over a link replaces the link (written beside, renamed
	// over it), never what it points to.
	mustStatus(t, h.do(fasthttp.MethodPut, "vods/m/storages/0/files/link.mp4", "x"), 200)
	if b, _ := os.ReadFile(filepath.Join(filepath.Dir(dir), "secret.mp4")); string(b) != "s" {
		t.Errorf("an upload through a link wrote outside the storage: %q", b)
	}
	mustError(t, h.get("vods/m/storages/0/files?folder=../"), 400, "bad_path")
	// The HTTP storage lists nothing and takes no upload; unknown storages 404.
	mustError(t, h.do(fasthttp.MethodPut, "vods/m/storages/1/files/x.mp4", "x"), 400, "bad_request")
	mustError(t, h.get("vods/m/storages/7/files"), 404, "not_found")
	mustError(t, h.get("vods/zz/storages/0/files"), 404, "not_found")
}

func TestVODOpenedFiles(t *testing.T) {
	h, _ := vodHarness(t)
	f, err := h.ctl.VODs().Open(context.Background(), "m", "sub/b.mp4")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	r := h.get("vods/opened_files?prefix=m")
	mustStatus(t, r, 200)
	var got struct {
		Files []map[string]any `json:"files"`
	}
	r.json(t, &got)
	if len(got.Files) != 1 || got.Files[0]["subpath"] != "sub/b.mp4" || got.Files[0]["opened"] != true {
		t.Fatalf("opened %s", r.body)
	}
	mustMatchSchema(t, "disk_file", got.Files[0], schemaProps(t, "disk_file"), "name")
	r = h.get("vods/m/storages/0/files?folder=sub")
	if r.json(t, &got); got.Files[0]["opened"] != true {
		t.Errorf("listing does not show it opened: %s", r.body)
	}
	r = h.get("vods/opened_files?prefix=other")
	if r.json(t, &got); len(got.Files) != 0 {
		t.Errorf("filter: %s", r.body)
	}
}
