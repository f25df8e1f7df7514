package bench

import (
	"io"
	"testing"

	"github.com/iotwire/iotwire/mqttpkt"
)

// The stream benchmark decodes a 64 MiB buffer of mixed MQTT 5.0 packets,
// as a broker reads a busy connection, and sets it next to a copy of the
// same buffer: the distance from the memory-bandwidth limit.
//
//	BenchmarkStream/msg=mqtt5-mixed-64MiB/impl=iotwire   PeekHeader + Decode of every packet, in place
//	BenchmarkStream/msg=mqtt5-mixed-64MiB/impl=copy      copy of the buffer into another

// streamSize is the size of the mixed buffer.
const streamSize = 64 << 20

// streamCases are the v5 cases the mixed stream cycles through, weighted as
// telemetry traffic: mostly PUBLISH, with their acknowledgements and the
// occasional control packet.
var streamCases = []string{
	"publish-qos0-v5", "publish-qos1-v5", "puback-v5", "publish-qos0-v5", "publish-qos1-v5", "puback-v5",
	"publish-qos0-v5", "subscribe-v5", "suback-v5", "publish-qos1-v5", "puback-v5", "pingreq-v311",
}

// mixedStream returns the buffer and the number of packets in it.
func mixedStream(tb testing.TB) ([]byte, int) {
	wires := map[string][]byte{}
	for _, c := range cases(tb) {
		wires[c.name] = c.wire
	}
	buf := make([]byte, 0, streamSize+256)
	n := 0
	for len(buf) < streamSize {
		for _, name := range streamCases {
			buf = append(buf, wires[name]...)
			n++
		}
	}
	return buf, n
}

// streamDecoder decodes every packet of a buffer in place with values it
// reuses: PeekHeader frames the next packet, the Decode method of its type
// reads it. (mqttpkt.Reader does the framing off an io.Reader, copying
// into its buffer; here the bytes are in memory already.)
type streamDecoder struct {
	pub    mqttpkt.Publish
	ack    mqttpkt.Ack
	sub    mqttpkt.Subscribe
	suback mqttpkt.Suback
	ping   mqttpkt.Pingreq
}

// decodeAll decodes the whole of buf and returns the number of packets.
func (d *streamDecoder) decodeAll(buf []byte) (int, error) {
	n := 0
	for len(buf) > 0 {
		h, _, total, err := mqttpkt.PeekHeader(buf)
		if err != nil {
			return n, err
		}
		if total > len(buf) {
			return n, io.ErrUnexpectedEOF
		}
		pkt := buf[:total]
		switch h.Type {
		case mqttpkt.TypePublish:
			_, err = d.pub.Decode(pkt, mqttpkt.V5)
		case mqttpkt.TypePuback:
			_, err = d.ack.Decode(pkt, mqttpkt.V5)
		case mqttpkt.TypeSubscribe:
			_, err = d.sub.Decode(pkt, mqttpkt.V5)
		case mqttpkt.TypeSuback:
			_, err = d.suback.Decode(pkt, mqttpkt.V5)
		case mqttpkt.TypePingreq:
			_, err = d.ping.Decode(pkt, mqttpkt.V5)
		}
		if err != nil {
			return n, err
		}
		buf = buf[total:]
		n++
	}
	return n, nil
}

func BenchmarkStream(b *testing.B) {
	buf, want := mixedStream(b)
	b.Run("msg=mqtt5-mixed-64MiB", func(b *testing.B) {
		b.Run("impl=iotwire", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(buf)))
			d := &streamDecoder{}
			for b.Loop() {
				if n, err := d.decodeAll(buf); err != nil || n != want {
					b.Fatalf("%d of %d packets: %v", n, want, err)
				}
			}
		})
		b.Run("impl=copy", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(buf)))
			dst := make([]byte, len(buf))
			for b.Loop() {
				copy(dst, buf)
			}
		})
	})
}

// TestStream checks that the mixed stream decodes whole.
func TestStream(t *testing.T) {
	buf, want := mixedStream(t)
	d := &streamDecoder{}
	if n, err := d.decodeAll(buf); err != nil || n != want {
		t.Fatalf("%d of %d packets: %v", n, want, err)
	}
}
