package cpix_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"streamhive/media/drm"
	"streamhive/protocols/cpix"
	"streamhive/protocols/cpix/cpixtest"
)

var allSystems = []string{drm.SystemWidevine, drm.SystemPlayReady, drm.SystemFairPlay}

func newClient(ks *cpixtest.Server) *cpix.Client {
	return &cpix.Client{
		URL:       ks.URL + "/api/drm/cpix?client=app&clientToken=SECRET",
		ContentID: "protected_channel",
		Systems:   allSystems,
	}
}

func TestFetchClearKeysAndSignalling(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	c := newClient(ks)
	spans := []cpix.Span{cpix.SpanOf(100, time.Minute), cpix.SpanOf(101, time.Minute)}
	keys, err := c.Fetch(context.Background(), spans)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].KID == keys[1].KID || keys[0].Key == keys[1].Key {
		t.Fatalf("want two distinct keys, got %+v", keys)
	}
	for i, k := range keys {
		if k.Key != ks.KeyFor(c.ContentID, k.KID) {
			t.Errorf("key %d is not the server's", i)
		}
		if !k.From.Equal(spans[i].From) || !k.Until.Equal(spans[i].Until) {
			t.Errorf("key %d spans %v..%v, want %v..%v", i, k.From, k.Until, spans[i].From, spans[i].Until)
		}
		checkSignals(t, k)
	}
	req := ks.Requests()[0]
	if req.ContentID != "protected_channel" || len(req.Periods.Items) != 2 || len(req.Rules.Items) != 2 {
		t.Errorf("request: %+v", req)
	}
}

func checkSignals(t *testing.T, k drm.Key) {
	t.Helper()
	if len(k.Signals) != 3 {
		t.Fatalf("want 3 systems' signalling, got %d", len(k.Signals))
	}
	for _, s := range k.Signals {
		if !bytes.Contains(s.PSSH, k.KID[:]) || string(s.PSSH[4:8]) != "pssh" {
			t.Errorf("%s: pssh box does not name the key", s.SystemID)
		}
		switch s.SystemID {
		case drm.SystemFairPlay:
			if s.HLSURI != "skd://"+hex.EncodeToString(k.KID[:]) || s.HLSKeyFormat != "com.apple.streamingkeydelivery" {
				t.Errorf("fairplay HLS: %q %q", s.HLSURI, s.HLSKeyFormat)
			}
		case drm.SystemWidevine:
			if !strings.HasPrefix(s.HLSURI, "data:text/plain;base64,") || s.HLSKeyFormat != "urn:uuid:"+drm.SystemWidevine {
				t.Errorf("widevine HLS: %q %q", s.HLSURI, s.HLSKeyFormat)
			}
		}
	}
}

func TestFetchEncryptedKeys(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	me, err := cpixtest.NewRecipient()
	if err != nil {
		t.Fatal(err)
	}
	spans := []cpix.Span{cpix.SpanOf(7, time.Minute)}
	raw := post(t, ks.URL, cpix.NewRequest("res", spans, allSystems, me.Cert.Raw))
	doc, err := cpix.ParseDocument(raw)
	if err != nil {
		t.Fatal(err)
	}
	sec := doc.Keys.Items[0].Data.Secret
	if sec.PlainValue != "" || sec.EncryptedValue == nil || sec.ValueMAC == "" {
		t.Fatalf("want the key encrypted with the document key: %+v", sec)
	}
	keys, err := cpix.Keys(doc, "res", spans, me)
	if err != nil {
		t.Fatal(err)
	}
	if keys[0].Key != ks.KeyFor("res", keys[0].KID) {
		t.Error("decrypted key is not the server's")
	}
	if _, err := cpix.Keys(doc, "res", spans, nil); err == nil {
		t.Error("no recipient: want an error")
	}
	other, _ := cpixtest.NewRecipient()
	if _, err := cpix.Keys(doc, "res", spans, other); err == nil {
		t.Error("another recipient: want an error")
	}
	sec.ValueMAC = sec.ValueMAC[:8] + strings.Repeat("A", len(sec.ValueMAC)-8)
	doc.Keys.Items[0].Data.Secret = sec
	if _, err := cpix.Keys(doc, "res", spans, me); err == nil || !strings.Contains(err.Error(), "MAC") {
		t.Errorf("tampered MAC: %v", err)
	}
	c := &cpix.Client{URL: ks.URL, ContentID: "res", Systems: allSystems, Recipient: me}
	if keys, err = c.Fetch(context.Background(), spans); err != nil || keys[0].Key != ks.KeyFor("res", keys[0].KID) {
		t.Errorf("client with a recipient: %v", err)
	}
}

func post(t *testing.T, url string, d *cpix.Document) []byte {
	t.Helper()
	body, err := d.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(url, "application/xml", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d: %s", resp.StatusCode, b)
	}
	return b
}

func TestKeyServerRefusesIncompleteRequests(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	good := func() *cpix.Document {
		return cpix.NewRequest("res", []cpix.Span{cpix.SpanOf(1, time.Minute)}, allSystems, nil)
	}
	cases := map[string]func(d *cpix.Document){
		"no contentId":      func(d *cpix.Document) { d.ContentID = "" },
		"no content key":    func(d *cpix.Document) { d.Keys.Items = nil },
		"kid not a UUID":    func(d *cpix.Document) { d.Keys.Items[0].KID = "nope" },
		"system names none": func(d *cpix.Document) { d.Systems.Items[0].KID = cpix.UUID([16]byte{9}) },
		"filter names none": func(d *cpix.Document) { d.Rules.Items[0].Filters[0].PeriodID = "x" },
		"period backwards":  func(d *cpix.Document) { d.Periods.Items[0].End = d.Periods.Items[0].Start },
	}
	for name, spoil := range cases {
		d := good()
		spoil(d)
		body, _ := d.Marshal()
		resp, err := http.Post(ks.URL, "application/xml", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d, want 400", name, resp.StatusCode)
		}
	}
	if n := len(ks.Refusals()); n != len(cases) {
		t.Errorf("%d refusals, want %d", n, len(cases))
	}
}

func TestParseBounds(t *testing.T) {
	many := "<CPIX xmlns='urn:dashif:org:cpix'><ContentKeyList>" +
		strings.Repeat("<ContentKey kid='x'/>", 100) + "</ContentKeyList></CPIX>"
	deep := strings.Repeat("<a>", 40) + strings.Repeat("</a>", 40)
	huge := strings.Repeat(" ", cpix.MaxDocumentBytes+1)
	entity := "<!DOCTYPE x [<!ENTITY a 'b'>]><CPIX xmlns='urn:dashif:org:cpix'/>"
	for name, doc := range map[string]string{"many keys": many, "deep": deep, "huge": huge, "doctype": entity, "empty": ""} {
		if _, err := cpix.ParseDocument([]byte(doc)); !errors.Is(err, cpix.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzParseDocument(f *testing.F) {
	spans := []cpix.Span{cpix.SpanOf(3, time.Minute)}
	seed, _ := cpix.NewRequest("res", spans, allSystems, nil).Marshal()
	f.Add(seed)
	f.Add([]byte(`<CPIX xmlns="urn:dashif:org:cpix"><ContentKeyList><ContentKey kid="a"><Data/></ContentKey></ContentKeyList></CPIX>`))
	f.Fuzz(func(_ *testing.T, b []byte) {
		d, err := cpix.ParseDocument(b)
		if err != nil {
			return
		}
		_, _ = cpix.Keys(d, "res", spans, nil)
	})
}
