package cpix_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"streamhive/media/drm"
	"streamhive/protocols/cpix"
	"streamhive/protocols/cpix/cpixtest"
)

func TestSourceRotatesAtThePeriod(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	src := cpix.NewSource(newClient(ks).Fetch, time.Minute)
	now := time.Now()
	if err := src.Refresh(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	cur, err := src.KeyAt(now)
	if err != nil {
		t.Fatal(err)
	}
	next, err := src.KeyAt(now.Add(time.Minute))
	if err != nil {
		t.Fatal("the next period's key was not fetched ahead:", err)
	}
	if cur.KID == next.KID || cur.Key == next.Key {
		t.Error("the key did not change at the period")
	}
	if cur.Until.Sub(cur.From) != time.Minute || !next.From.Equal(cur.Until) {
		t.Errorf("periods %v..%v then %v", cur.From, cur.Until, next.From)
	}
	same, _ := src.KeyAt(cur.Until.Add(-time.Millisecond))
	if same.KID != cur.KID {
		t.Error("the key changed inside its period")
	}
	if err := src.Refresh(context.Background(), now); err != nil || len(ks.Requests()) != 1 {
		t.Errorf("a refresh with both keys held asked again: %v, %d requests", err, len(ks.Requests()))
	}
	past, err := src.KeyAt(now.Add(-time.Hour))
	if err != nil || past.Key != ks.KeyFor("protected_channel", past.KID) {
		t.Errorf("archive key: %v", err)
	}
}

func TestSourceFailsClosedAndRecovers(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	ks.SetDown(true)
	src := cpix.NewSource(newClient(ks).Fetch, time.Minute)
	now := time.Now()
	if err := src.Refresh(context.Background(), now); err == nil {
		t.Fatal("refresh with the server down: want an error")
	}
	_, err := src.KeyAt(now)
	if !errors.Is(err, drm.ErrUnavailable) || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("down at start: %v", err)
	}
	if strings.Contains(err.Error(), "SECRET") || strings.Contains(src.Err().Error(), "SECRET") {
		t.Error("the key server's token reached an error message")
	}
	ks.SetDown(false)
	if err := src.Refresh(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if _, err := src.KeyAt(now); err != nil {
		t.Fatal("after recovery:", err)
	}
	// Down mid-stream: the period already fetched ahead still has its
	// key; the one after it has none and fails closed.
	ks.SetDown(true)
	later := now.Add(time.Minute)
	if err := src.Refresh(context.Background(), later); err == nil {
		t.Fatal("want the next key's fetch to fail")
	}
	if _, err := src.KeyAt(later); err != nil {
		t.Error("the key fetched ahead was lost:", err)
	}
	if _, err := src.KeyAt(later.Add(time.Minute)); !errors.Is(err, drm.ErrUnavailable) {
		t.Errorf("a period with no key: %v", err)
	}
}

func TestSourceWithoutRotation(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	src := cpix.NewSource(newClient(ks).Fetch, 0)
	if err := src.Refresh(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	a, err1 := src.KeyAt(time.Now())
	b, err2 := src.KeyAt(time.Now().Add(48 * time.Hour))
	if err1 != nil || err2 != nil || a.KID != b.KID || !a.Until.IsZero() {
		t.Errorf("one key for all time: %v %v", err1, err2)
	}
	if req := ks.Requests()[0]; req.Periods != nil || len(req.Keys.Items) != 1 {
		t.Errorf("a key that never rotates asks for no period: %+v", req)
	}
}

// TestSourceCheckNoticesAServerDownWhileKeysAreHeld: with no rotation a
// held key is never asked for again by Refresh; Check notices the server
// gone (the key still protects) and its return.
func TestSourceCheckNoticesAServerDownWhileKeysAreHeld(t *testing.T) {
	ks := cpixtest.New("seed")
	defer ks.Close()
	src := cpix.NewSource(newClient(ks).Fetch, 0)
	now := time.Now()
	if err := src.Refresh(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	ks.SetDown(true)
	if err := src.Refresh(context.Background(), now); err != nil {
		t.Fatalf("a refresh with the key held asks nothing: %v", err)
	}
	if err := src.Check(context.Background(), now); err == nil {
		t.Fatal("check with the server down: no error")
	}
	if err := src.Refresh(context.Background(), now); err == nil {
		t.Error("a refresh asking nothing forgot the check's failure")
	}
	if _, err := src.KeyAt(now); err != nil {
		t.Errorf("the held key stopped protecting: %v", err)
	}
	ks.SetDown(false)
	if err := src.Check(context.Background(), now); err != nil || src.Err() != nil {
		t.Errorf("after the server's return: %v", err)
	}
}

func TestLoadRecipient(t *testing.T) {
	r, err := cpixtest.NewRecipient()
	if err != nil {
		t.Fatal(err)
	}
	cert, key := cpixtest.RecipientPEM(r)
	got, err := cpix.LoadRecipient(cert, key)
	if err != nil || !got.Key.Equal(r.Key) {
		t.Fatalf("load: %v", err)
	}
	other, _ := cpixtest.NewRecipient()
	_, otherKey := cpixtest.RecipientPEM(other)
	for name, c := range map[string][2][]byte{
		"key of another cert": {cert, otherKey},
		"no cert":             {[]byte("hello"), key},
		"key as cert":         {key, key},
		"no key":              {cert, nil},
	} {
		if _, err := cpix.LoadRecipient(c[0], c[1]); !errors.Is(err, cpix.ErrRecipient) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
