package listener

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
	"streamhive/media/hub"
	"streamhive/protocols/srt"
)

// srtViewersFake admits or denies every viewer and answers Parts with err.
type srtViewersFake struct {
	verdict auth.Verdict
	err     error
	seen    []sessions.Viewer
	ticket  *srtTicketFake
}

func (f *srtViewersFake) Admit(_ context.Context, v sessions.Viewer) sessions.Admission {
	f.seen = append(f.seen, v)
	if f.verdict != auth.Allow {
		return sessions.Admission{Verdict: f.verdict}
	}
	return sessions.Admission{Verdict: auth.Allow, Ticket: f.ticket}
}

func (f *srtViewersFake) Subscribe(context.Context, string, string) (*hub.Consumer, error) {
	return nil, errors.New("not used")
}

func (f *srtViewersFake) Parts(context.Context, string, string) (TSParts, error) { return nil, f.err }

type srtTicketFake struct{ closed int }

func (*srtTicketFake) ID() string             { return "id" }
func (*srtTicketFake) Sent(int)               {}
func (*srtTicketFake) Ended() <-chan struct{} { return nil }
func (t *srtTicketFake) Close()               { t.closed++ }

func TestSRTAdmitPlay(t *testing.T) {
	peer := &net.UDPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 4001}
	for _, tt := range []struct {
		name    string
		verdict auth.Verdict
		err     error
		stream  string // the port's own stream
		reason  srt.Reason
		closed  int
	}{
		{"denied by the gate", auth.Deny, nil, "", srt.ReasonForbidden, 0},
		{"redirect is a refusal", auth.Redirect, nil, "", srt.ReasonForbidden, 0},
		{"no such stream", auth.Allow, fmt.Errorf("%w: x", ErrNoStream), "", srt.ReasonNotFound, 1},
		{"protocol off", auth.Allow, fmt.Errorf("%w: x", ErrProtocolOff), "", srt.ReasonForbidden, 1},
		{"down", auth.Allow, fmt.Errorf("%w: x", ErrStreamDown), "", srt.ReasonDown, 1},
		{"still waking", auth.Allow, fmt.Errorf("%w: x: %w", ErrStreamDown, context.DeadlineExceeded), "", 0, 0},
		{"stream port", auth.Allow, fmt.Errorf("%w: x: %w", ErrStreamDown, context.DeadlineExceeded), "own", 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := &srtViewersFake{verdict: tt.verdict, err: tt.err, ticket: &srtTicketFake{}}
			p := &srtPlayer{viewers: v, stream: tt.stream}
			req := srt.PlayRequest{Name: "cam1", Peer: peer, ID: srt.StreamID{Name: "cam1", User: "tok", UserAgent: "vlc"}}
			play, err := p.AdmitPlay(context.Background(), req)
			var re *srt.RejectError
			switch {
			case tt.reason == 0 && (err != nil || play == nil):
				t.Fatalf("AdmitPlay = %v, want a viewer", err)
			case tt.reason != 0 && (!errors.As(err, &re) || re.Reason != tt.reason):
				t.Fatalf("AdmitPlay = %v, want %s", err, tt.reason)
			}
			if v.ticket.closed != tt.closed {
				t.Errorf("ticket closed %d times, want %d", v.ticket.closed, tt.closed)
			}
			want := "cam1"
			if tt.stream != "" {
				want = tt.stream
			}
			if s := v.seen[0]; s.Stream != want || s.Proto != "srt" || s.Token != "tok" || s.UserAgent != "vlc" ||
				s.IP.String() != "10.0.0.7" || s.Conn != "10.0.0.7:4001" {
				t.Errorf("the gate saw %+v", s)
			}
		})
	}
	t.Run("no stream named", func(t *testing.T) {
		v := &srtViewersFake{ticket: &srtTicketFake{}}
		_, err := (&srtPlayer{viewers: v}).AdmitPlay(context.Background(), srt.PlayRequest{Peer: peer})
		var re *srt.RejectError
		if !errors.As(err, &re) || re.Reason != srt.ReasonNotFound || len(v.seen) != 0 {
			t.Errorf("AdmitPlay = %v after %d admissions, want REJX_NOTFOUND before the gate", err, len(v.seen))
		}
	})
}
