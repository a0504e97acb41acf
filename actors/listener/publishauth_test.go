package listener

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
	"streamhive/actors/kit/kittest"
	"streamhive/media"
)

// fakePolicies protect every stream with one policy that allows the
// password "s3cret" only, and records what it was asked.
type fakePolicies struct {
	mu    sync.Mutex
	asked []auth.Request
}

func (f *fakePolicies) Play(string) auth.Policy    { return nil }
func (f *fakePolicies) Publish(string) auth.Policy { return fakePolicy{f} }

type fakePolicy struct{ f *fakePolicies }

func (p fakePolicy) Limits() auth.Limits { return auth.Limits{} }

func (p fakePolicy) Check(_ context.Context, r auth.Request) auth.Decision {
	p.f.mu.Lock()
	p.f.asked = append(p.f.asked, r)
	p.f.mu.Unlock()
	if r.Password == "s3cret" {
		return auth.Decision{Verdict: auth.Allow}
	}
	return auth.Decision{Verdict: auth.Deny, Reason: "wrong password"}
}

func (f *fakePolicies) last() (auth.Request, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.asked) == 0 {
		return auth.Request{}, 0
	}
	return f.asked[len(f.asked)-1], len(f.asked)
}

var peer = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5000}

// TestPublishAuthorized: the one publish path asks the stream's publish
// policy with the publisher's credentials before it takes the slot; a
// refusal leaves the stream untouched, an allowed publisher feeds it.
func TestPublishAuthorized(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup, _ := publishFixture(t, sys, "live1")
		pol := &fakePolicies{}
		p := &publisher{root: sys.Root, lookup: lookup, policies: pol}

		denied := credentials{proto: "rtmp", peer: peer, query: "password=guess&token=t1"}
		if _, _, err := p.publish(context.Background(), "live1", aac, denied); !errors.Is(err, ErrPublishDenied) {
			t.Fatalf("publish with a wrong password = %v, want ErrPublishDenied", err)
		}
		r, n := pol.last()
		if n != 1 || !r.Publish || r.Proto != "rtmp" || r.Name != "live1" || r.IP.String() != "127.0.0.1" ||
			r.Password != "guess" || r.Token != "t1" || r.QS != "password=guess&token=t1" || r.Type != auth.NewSession {
			t.Errorf("asked %d times, last %+v", n, r)
		}
		if st, _ := lookup("live1"); st.Active != -1 {
			t.Errorf("a refused publisher took the slot: active %d", st.Active)
		}

		checkFeeds(t, lookup, feedCase{stream: "live1", waiting: true, publish: func(ctx context.Context) (media.Sink, func(), error) {
			return p.publish(ctx, "live1", aac, credentials{proto: "rtsp", peer: peer, query: "password=s3cret"})
		}})

		// Checked at the handshake already: not asked again.
		_, before := pol.last()
		sink, release, err := p.publish(context.Background(), "live1", aac, credentials{proto: "srt", checked: true})
		if err != nil || sink == nil {
			t.Fatalf("publish after a handshake check = %v", err)
		}
		release()
		if _, after := pol.last(); after != before {
			t.Errorf("the policy was asked again after the handshake check")
		}
		// An unknown stream is refused before any backend is asked.
		if _, _, err := p.publish(context.Background(), "nope", aac, denied); !errors.Is(err, ErrNoStream) {
			t.Errorf("publish(nope) = %v", err)
		}
		if _, after := pol.last(); after != before {
			t.Errorf("the policy was asked for a stream that does not exist")
		}
	})
}

// TestUnprotectedPublish: without policies, or with a nil policy for the
// stream, nobody is asked and publishing works as before.
func TestUnprotectedPublish(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup, _ := publishFixture(t, sys, "live1")
		p := &publisher{root: sys.Root, lookup: lookup}
		if err := p.authorize(context.Background(), "live1", credentials{}); err != nil {
			t.Errorf("authorize without policies = %v", err)
		}
	})
}

func TestRTMPQuery(t *testing.T) {
	for _, tt := range []struct{ app, key, want string }{
		{"live", "cam?password=x", "password=x"},
		{"cam?password=y", "", "password=y"},
		{"live?a=1", "cam?password=x", "password=x"},
		{"live", "cam", ""},
	} {
		if got := rtmpQuery(tt.app, tt.key); got != tt.want {
			t.Errorf("rtmpQuery(%q, %q) = %q, want %q", tt.app, tt.key, got, tt.want)
		}
	}
}

// TestSRTAdmitAuthorized: the SRT handshake asks the policy; a refusal is
// a REJX_FORBIDDEN rejection.
func TestSRTAdmitAuthorized(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		_, withDead := publishFixture(t, sys, "live1")
		pol := &fakePolicies{}
		h := &srtHooks{root: sys.Root, lookup: withDead, policies: pol}
		err := h.Admit(context.Background(), "live1", peer)
		if !errors.Is(err, ErrPublishDenied) {
			t.Fatalf("Admit without a password = %v, want ErrPublishDenied", err)
		}
		if r, _ := pol.last(); r.Proto != "srt" || !r.Publish {
			t.Errorf("asked %+v", r)
		}
	})
}

// TestWHIPAdmitAuthorized: a WHIP offer's credentials (query, bearer
// token) reach the policy at Admit.
func TestWHIPAdmitAuthorized(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		_, withDead := publishFixture(t, sys, "live1")
		pol := &fakePolicies{}
		p := NewPublisher(sys.Root, withDead, pol)
		for _, tt := range []struct {
			name, query, authz string
			want               error
		}{
			{"nothing", "", "", ErrPublishDenied},
			{"bearer", "", "Bearer s3cret", nil},
			{"wrong bearer", "", "Bearer nope", ErrPublishDenied},
			{"query password", "password=s3cret", "", nil},
			{"query password wins", "password=nope", "Bearer s3cret", ErrPublishDenied},
			{"basic is no bearer", "", "Basic czNjcmV0", ErrPublishDenied},
		} {
			ctx := WithPublishCredentials(context.Background(), tt.query, tt.authz)
			if err := p.Admit(ctx, "live1", peer); !errors.Is(err, tt.want) {
				t.Errorf("%s: Admit = %v, want %v", tt.name, err, tt.want)
			}
			if r, _ := pol.last(); r.Proto != "webrtc" || !r.Publish || r.QS != tt.query {
				t.Errorf("%s: asked %+v", tt.name, r)
			}
		}
		// Refusals from the directory come first: no backend request.
		_, before := pol.last()
		if err := p.Admit(context.Background(), "pulled", peer); err == nil || errors.Is(err, ErrPublishDenied) {
			t.Errorf("Admit(pulled) = %v", err)
		}
		if _, after := pol.last(); after != before {
			t.Errorf("the policy was asked for a stream without publish://")
		}
	})
}
