package listener

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
	"streamhive/protocols/srt"
)

// srtProto is the SRT viewers' name for the Gate and the `protocols`
// directive.
const srtProto = "srt"

// srtPlayer implements srt.Player over Viewers. Its methods run on
// connection goroutines.
type srtPlayer struct {
	viewers Viewers
	stream  string // a stream's own port: the only stream it serves
}

// AdmitPlay admits a viewer during the handshake: the Gate first (the
// streamid's u= is the token, as Flussonic takes it), then the stream's
// shared MPEG-TS, waking an on-demand stream. A refusal is the caller's
// rejection reason: REJX_FORBIDDEN (the Gate, or `protocols -srt`),
// REJX_NOTFOUND (no such stream), REJX_DOWN (not running).
func (p *srtPlayer) AdmitPlay(ctx context.Context, req srt.PlayRequest) (srt.Play, error) {
	name := string(req.Name)
	if p.stream != "" {
		name = p.stream
	}
	if name == "" {
		return nil, srt.Reject(srt.ReasonNotFound, fmt.Errorf("%w: the streamid names none (r=)", ErrNoStream))
	}
	adm := p.viewers.Admit(ctx, sessions.Viewer{
		Stream: name, Proto: srtProto, IP: addrIP(req.Peer), Token: req.ID.User, UserAgent: req.ID.UserAgent,
		Conn: peerString(req.Peer),
	})
	if adm.Verdict != auth.Allow || adm.Ticket == nil {
		return nil, srt.Reject(srt.ReasonForbidden, fmt.Errorf("srt: viewer of %q refused", name))
	}
	parts, err := p.viewers.Parts(ctx, name, srtProto)
	if waking(err) {
		// An on-demand stream that takes longer to start than a
		// handshake may last: the caller is let in and Serve waits on.
		err = nil
	}
	if err != nil {
		adm.Ticket.Close()
		return nil, srt.Reject(playReason(err), err)
	}
	return &srtViewer{viewers: p.viewers, name: name, parts: parts, ticket: adm.Ticket}, nil
}

// waking reports whether err says the stream exists but did not start
// within the handshake.
func waking(err error) bool {
	return errors.Is(err, ErrStreamDown) && errors.Is(err, context.DeadlineExceeded)
}

// peerString is a connection's name for its session: its peer address.
func peerString(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

// playReason is the rejection reason for a stream that cannot be played.
func playReason(err error) srt.Reason {
	switch {
	case errors.Is(err, ErrNoStream):
		return srt.ReasonNotFound
	case errors.Is(err, ErrProtocolOff):
		return srt.ReasonForbidden
	}
	return srt.ReasonDown
}

// srtViewer is one admitted SRT viewer: its session and the stream's
// parts.
type srtViewer struct {
	viewers Viewers
	name    string
	parts   TSParts // nil: the stream was still starting at the handshake
	ticket  sessions.Ticket
}

// Serve implements srt.Play: the stream's parts from the latest keyframe
// on, until the caller leaves, the stream ends or stalls, or the session
// ends (kicked, banned, denied at re-authorization).
func (v *srtViewer) Serve(ctx context.Context, w io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-v.ticket.Ended():
			cancel()
		case <-ctx.Done():
		}
	}()
	if v.parts == nil {
		wctx, wcancel := context.WithTimeout(ctx, tsStall)
		parts, err := v.viewers.Parts(wctx, v.name, srtProto)
		wcancel()
		if err != nil {
			return err
		}
		v.parts = parts
	}
	f := &tsFollower{
		parts: v.parts,
		again: func(ctx context.Context) (TSParts, error) { return v.viewers.Parts(ctx, v.name, srtProto) },
		sent:  v.ticket.Sent,
	}
	err := f.follow(ctx, w)
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		select {
		case <-v.ticket.Ended():
			return errSessionEnded
		default:
		}
	}
	return err
}

// errSessionEnded: the viewer's session ended (kicked, banned, denied at
// re-authorization) and its connection with it.
var errSessionEnded = errors.New("the viewer's session ended")

// Close implements srt.Play: the session ends with the connection.
func (v *srtViewer) Close() { v.ticket.Close() }
