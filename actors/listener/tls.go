package listener

import (
	"crypto/tls"

	"github.com/asynkron/protoactor-go/actor"
)

// RTMPSProps returns the Props of an RTMPS listener actor (`rtmps PORT;`):
// the RTMP listener's server and hooks behind TLS with tc (certs.Book
// builds it; its GetCertificate lets a reload renew the certificate).
// Encoders publish to rtmps://HOST:PORT/live/NAME.
func RTMPSProps(cfg Config, tc *tls.Config) *actor.Props { return rtmpProps("rtmps", cfg, tc) }

// RTSPSProps returns the Props of an RTSPS listener actor (`rtsps PORT;`):
// the RTSP listener's server and hooks with TLS from tc. Publishers send
// RTP interleaved in the TLS connection (rtsps://HOST:PORT/NAME); RTP over
// plain UDP is refused.
func RTSPSProps(cfg Config, tc *tls.Config) *actor.Props { return rtspProps("rtsps", cfg, tc) }
