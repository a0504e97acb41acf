package listener

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit/kittest"
	"streamhive/protocols/rtsp"
)

// keyedPolicies are fakePolicies under `auth_token pk;`.
type keyedPolicies struct{ *fakePolicies }

func (keyedPolicies) TokenKey() string { return "pk" }

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestPublishRequestFields: the token comes from auth_token's key (token=
// is then an ordinary query key), every attempt has a session_id of its
// own, and TLS listeners report rtmps and rtsps.
func TestPublishRequestFields(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		_, withDead := publishFixture(t, sys, "live1")
		pol := keyedPolicies{&fakePolicies{}}
		p := &publisher{root: sys.Root, lookup: withDead, policies: pol, log: slog.New(slog.DiscardHandler)}
		c := credentials{proto: "rtmps", peer: peer, query: "token=stray&pk=mine"}
		_ = p.authorize(context.Background(), "live1", c)
		first, _ := pol.last()
		_ = p.authorize(context.Background(), "live1", c)
		second, _ := pol.last()
		if first.Token != "mine" {
			t.Errorf("token %q, want the value of auth_token's key", first.Token)
		}
		if !uuidV4.MatchString(first.SessionID) || first.SessionID == second.SessionID {
			t.Errorf("session ids %q, %q: want a fresh UUID per attempt", first.SessionID, second.SessionID)
		}
		if first.Proto != "rtmps" {
			t.Errorf("proto %q", first.Proto)
		}
	})
	if c := rtmpCredentials(context.Background(), "rtmps", false); c.proto != "rtmps" {
		t.Errorf("rtmps hooks report %q", c.proto)
	}
	if c := rtmpCredentials(context.Background(), "", false); c.proto != "rtmp" {
		t.Errorf("rtmp hooks report %q", c.proto)
	}
}

// TestPublishRefusalLogged: a publisher the policy refuses is logged with
// stream, proto, ip and reason, and neither its password nor its token.
func TestPublishRefusalLogged(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		_, withDead := publishFixture(t, sys, "live1")
		var buf bytes.Buffer
		p := &publisher{root: sys.Root, lookup: withDead, policies: &fakePolicies{}, log: slog.New(slog.NewTextHandler(&buf, nil))}
		err := p.authorize(context.Background(), "live1", credentials{proto: "rtsps", peer: peer, query: "password=guess&token=tok-42"})
		if !errors.Is(err, ErrPublishDenied) {
			t.Fatalf("authorize = %v", err)
		}
		line := buf.String()
		for _, want := range []string{`msg="publisher refused by policy"`, "stream=live1", "proto=rtsps", "ip=127.0.0.1", `reason="wrong password"`} {
			if !strings.Contains(line, want) {
				t.Errorf("log %q lacks %s", line, want)
			}
		}
		for _, secret := range []string{"guess", "tok-42"} {
			if strings.Contains(line, secret) || strings.Contains(err.Error(), secret) {
				t.Errorf("log %q or error %q shows %q", line, err, secret)
			}
		}
		buf.Reset()
		if err := p.authorize(context.Background(), "live1", credentials{proto: "rtsp", peer: peer, query: "password=s3cret"}); err != nil || buf.Len() != 0 {
			t.Errorf("allowed publisher: err %v, log %q", err, buf.String())
		}
	})
}

// TestRTSPAdmitAsksForCredentials: an RTSP publisher refused without any
// credentials is asked for them (rtsp.ErrUnauthorized: a Basic
// challenge); one refused with credentials is not.
func TestRTSPAdmitAsksForCredentials(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		_, withDead := publishFixture(t, sys, "live1")
		h := rtspHooks{p: &publisher{root: sys.Root, lookup: withDead, policies: &fakePolicies{}, log: slog.New(slog.DiscardHandler)}}
		err := h.Admit(context.Background(), "live1")
		if !errors.Is(err, rtsp.ErrUnauthorized) || !errors.Is(err, ErrPublishDenied) {
			t.Errorf("Admit without credentials = %v, want ErrUnauthorized and ErrPublishDenied", err)
		}
		if err := h.Admit(context.Background(), "nope"); !errors.Is(err, ErrNoStream) {
			t.Errorf("Admit(nope) = %v, want ErrNoStream", err)
		}
	})
	for _, tt := range []struct {
		c    credentials
		none bool
	}{
		{credentials{}, true},
		{credentials{query: "a=1&token=x"}, true}, // token= is not the key under auth_token pk
		{credentials{query: "pk=x"}, false},
		{credentials{query: "password=x"}, false},
		{credentials{password: "x"}, false},
	} {
		if got := tt.c.none("pk"); got != tt.none {
			t.Errorf("%+v.none(pk) = %v", tt.c, got)
		}
	}
}
