package main

import (
	"context"
	"fmt"
	"net"

	"streamhive/media"
	"streamhive/protocols/rtmp"
)

// runReceivers opens n UDP sockets that drain what they get, or one RTMP
// server that accepts any publisher and drops its frames, and prints
// their addresses (n lines) on stdout. It runs until killed.
func runReceivers(proto string, n int) error {
	if proto == "rtmp" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		for range n {
			fmt.Println(ln.Addr())
		}
		srv := &rtmp.Server{Hooks: dropHooks{}}
		return srv.Serve(ln)
	}
	for range n {
		conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			return err
		}
		_ = conn.SetReadBuffer(4 << 20)
		fmt.Println(conn.LocalAddr())
		go func() {
			buf := make([]byte, 2048)
			for {
				if _, _, err := conn.ReadFrom(buf); err != nil {
					return
				}
			}
		}()
	}
	select {}
}

// dropHooks accepts every publisher and discards its frames.
type dropHooks struct{}

func (dropHooks) Publish(context.Context, media.StreamName, []media.Track) (media.Sink, func(), error) {
	return discard{}, func() {}, nil
}

type discard struct{}

func (discard) WriteFrame(*media.Frame) {}
