package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/pion/webrtc/v4"

	"streamhive/media"
)

// playWHEP plays s1 over WHEP with a pion PeerConnection: a recvonly
// video and audio offer with every ICE candidate (no trickle), the answer,
// then it reads RTP from every track until ctx ends, and DELETEs its
// session.
func playWHEP(ctx context.Context, srv *server, got *media.InputStats) error {
	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return err
	}
	defer func() { _ = pc.Close() }()
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			return err
		}
	}
	pc.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		buf := make([]byte, 1500)
		for {
			n, _, err := t.Read(buf)
			if err != nil {
				return
			}
			got.Bytes.Add(uint64(n))
			got.Frames.Add(1)
		}
	})
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		return err
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		return err
	}
	<-gathered
	answer, location, err := postOffer(ctx, srv.urls.whep, pc.LocalDescription().SDP)
	if err != nil {
		return err
	}
	defer deleteSession(srv, location)
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

func postOffer(ctx context.Context, url, offer string) (answer, location string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewBufferString(offer))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "application/sdp")
	resp, err := client.Do(req)
	if err != nil {
		return "", "", err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", "", err
	}
	if resp.StatusCode != http.StatusCreated {
		return "", "", fmt.Errorf("POST %s: %s: %s", url, resp.Status, b)
	}
	return string(b), resp.Header.Get("Location"), nil
}

// deleteSession ends the WHEP session at location (relative to the
// server) with a fresh context: the viewer's has ended by then.
func deleteSession(srv *server, location string) {
	if location == "" {
		return
	}
	if location[0] == '/' {
		u, err := url.Parse(srv.urls.whep)
		if err != nil {
			return
		}
		location = u.Scheme + "://" + u.Host + location
	}
	req, err := http.NewRequest(http.MethodDelete, location, nil) //nolint:noctx // ends after the viewer's context
	if err != nil {
		return
	}
	if resp, err := client.Do(req); err == nil {
		_ = resp.Body.Close()
	}
}
