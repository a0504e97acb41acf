package transcode

import (
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"
)

// receive drains the packets an encoder has ready and hands each to fn
// with its timestamps in the encoder's time base. The data passed to fn is a fresh copy that
// fn may keep.
func receive(cc *astiav.CodecContext, pkt *astiav.Packet,
	fn func(data []byte, pts, dts int64, key bool) error,
) error {
	for {
		err := cc.ReceivePacket(pkt)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("transcode: receiving packet: %w", err)
		}
		data := pkt.Data() // a copy (C.GoBytes)
		pts, dts := pkt.Pts(), pkt.Dts()
		key := pkt.Flags().Has(astiav.PacketFlagKey)
		pkt.Unref()
		if err := fn(data, pts, dts, key); err != nil {
			return err
		}
	}
}

// sendFrame sends r to an encoder whose time base is tb. r's frame gets
// its timestamp rescaled for the call and restored after it, so that r can
// go to several encoders (a ladder's renditions).
func sendFrame(cc *astiav.CodecContext, r *Raw, tb astiav.Rational) error {
	pts := r.f.Pts()
	r.f.SetPts(astiav.RescaleQ(pts, r.tb, tb))
	err := cc.SendFrame(r.f)
	r.f.SetPts(pts)
	return err
}
