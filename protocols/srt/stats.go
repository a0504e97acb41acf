package srt

import (
	"context"
	"time"

	gosrt "github.com/datarhei/gosrt"

	"streamhive/media"
)

// statsInterval is how often a connection's statistics are copied into
// media.SRTStats: the Control API and /metrics are read every few seconds.
const statsInterval = time.Second

// copyStats copies conn's receiver statistics into dst.
func copyStats(conn gosrt.Conn, dst *media.SRTStats) {
	var s gosrt.Statistics
	conn.Stats(&s)
	dst.PacketsReceived.Store(s.Accumulated.PktRecv)
	dst.PacketsLost.Store(s.Accumulated.PktRecvLoss)
	dst.PacketsRetransmitted.Store(s.Accumulated.PktRecvRetrans)
	dst.PacketsDropped.Store(s.Accumulated.PktRecvDrop)
	dst.RTTMicros.Store(uint64(s.Instantaneous.MsRTT * 1000))
	dst.Connected.Store(true)
}

// watchStats copies conn's statistics into dst now and every
// statsInterval until ctx is done, then once more.
func watchStats(ctx context.Context, conn gosrt.Conn, dst *media.SRTStats) {
	copyStats(conn, dst)
	t := time.NewTicker(statsInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			copyStats(conn, dst)
			return
		case <-t.C:
			copyStats(conn, dst)
		}
	}
}
