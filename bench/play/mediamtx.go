package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// mediamtxConfig serves s1 (published as live/s1) over every protocol the
// viewers play, on loopback ports, as close to StreamHive's setup as its
// options go: HLS in MPEG-TS segments of 2 s remuxed from the publish on,
// RTSP over UDP and TCP, one UDP port for every WebRTC peer. The API
// tells when the path is ready.
const mediamtxConfig = `logLevel: warn
api: yes
apiAddress: %s
metrics: no
pprof: no
playback: no
rtsp: yes
rtspTransports: [udp, tcp]
rtspAddress: %s
rtpAddress: 127.0.0.1:%d
rtcpAddress: 127.0.0.1:%d
rtmp: yes
rtmpAddress: %s
hls: yes
hlsAddress: %s
hlsAlwaysRemux: yes
hlsVariant: mpegts
hlsSegmentCount: 6
hlsSegmentDuration: 2s
webrtc: yes
webrtcAddress: %s
webrtcLocalUDPAddress: %s
webrtcLocalTCPAddress: ''
webrtcIPsFromInterfaces: yes
webrtcAdditionalHosts: []
srt: yes
srtAddress: %s
paths:
  all_others:
`

// startMediamtx runs the MediaMTX binary bin with s1 published to it.
func startMediamtx(ctx context.Context, bin, dir string, smp *rtmppub.Sample) (*server, error) {
	s := &server{name: "mediamtx"}
	if err := s.listeners(); err != nil {
		return nil, err
	}
	api, err := freeAddr("tcp")
	if err != nil {
		return nil, err
	}
	whep, err := freeAddr("tcp")
	if err != nil {
		return nil, err
	}
	rtp, err := freeRTPPair()
	if err != nil {
		return nil, err
	}
	// WebRTC on every interface: MediaMTX offers its interfaces' addresses
	// as candidates, and pion's client offers no loopback one.
	webrtc := s.webrtc[strings.LastIndex(s.webrtc, ":"):]
	conf := fmt.Sprintf(mediamtxConfig, api, s.rtsp, rtp, rtp+1, s.rtmp, s.http, whep, webrtc, s.srt)
	path := filepath.Join(dir, "mediamtx.yml")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	s.urls = urls{
		hls:  "http://" + s.http + "/live/" + streamName + "/index.m3u8",
		rtmp: "rtmp://" + s.rtmp + "/live/" + streamName,
		rtsp: "rtsp://" + s.rtsp + "/live/" + streamName,
		srt:  "srt://" + s.srt + "?streamid=read:live/" + streamName,
		whep: "http://" + whep + "/live/" + streamName + "/whep",
	}
	s.alive = func() bool { return mediamtxReady("http://" + api + "/v3/paths/get/live/" + streamName) }
	ready := func() bool { return benchkit.HTTPOK("http://" + api + "/v3/paths/list") }
	if err := s.start(ctx, bin, []string{path}, filepath.Join(dir, "mediamtx.log"), ready); err != nil {
		return nil, err
	}
	return s, s.publish(ctx, smp)
}

// mediamtxReady reports whether MediaMTX's path at u is ready with at
// least two tracks.
func mediamtxReady(u string) bool {
	resp, err := http.Get(u) //nolint:noctx // loopback
	if err != nil {
		return false
	}
	defer func() { _ = resp.Body.Close() }()
	var p struct {
		Ready  bool              `json:"ready"`
		Tracks []json.RawMessage `json:"tracks"`
	}
	return json.NewDecoder(resp.Body).Decode(&p) == nil && p.Ready && len(p.Tracks) >= 2
}

func freeAddr(network string) (string, error) {
	p, err := benchkit.FreePort(network)
	return fmt.Sprintf("127.0.0.1:%d", p), err
}

// freeRTPPair finds an even UDP port whose next one is free too: MediaMTX
// takes RTP on the one and RTCP on the other.
func freeRTPPair() (int, error) {
	for range 100 {
		p, err := benchkit.FreePort("udp")
		if err != nil {
			return 0, err
		}
		p &^= 1
		if udpFree(p) && udpFree(p+1) {
			return p, nil
		}
	}
	return 0, fmt.Errorf("no free pair of UDP ports for RTP and RTCP")
}

func udpFree(p int) bool {
	c, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", p))
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}
