package rtmp

import (
	"encoding/binary"
	"io"
)

// writerChunkSize is the chunk size the client writes with: RTMP's default,
// so that it never has to announce another. It only sends commands.
const writerChunkSize = 128

// writeMessage writes one message on chunk stream csid (2 to 63) with a
// type 0 header and type 3 continuations (RTMP 1.0 §5.3.1). Timestamps
// are 0: the client sends no media.
func writeMessage(w io.Writer, csid byte, typeID uint8, streamID uint32, payload []byte) error {
	buf := make([]byte, 0, 12+len(payload)+len(payload)/writerChunkSize)
	buf = append(buf, csid&0x3f, 0, 0, 0,
		byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload)), typeID)
	buf = binary.LittleEndian.AppendUint32(buf, streamID)
	for i := 0; i < len(payload); i += writerChunkSize {
		if i > 0 {
			buf = append(buf, 0xc0|csid&0x3f)
		}
		buf = append(buf, payload[i:min(i+writerChunkSize, len(payload))]...)
	}
	_, err := w.Write(buf)
	return err
}
