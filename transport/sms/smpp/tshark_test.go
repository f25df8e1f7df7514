package smpp_test

// tshark (Wireshark's SMPP dissector) as an independent decoding oracle:
// TestTshark encodes PDUs with this package, writes each as a TCP segment
// to port 2775 in a pcap file, runs `tshark -T fields` on it with SMPP
// decoding for that port, and compares what tshark read with what was
// encoded. Without tshark the test skips, or fails when CI=true. Find field
// names with: tshark -G fields | grep -P '\tsmpp\.'

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iotwire/iotwire/internal/codectest"
	"github.com/iotwire/iotwire/transport/sms/smpp"
)

// flow writes the segments of one TCP connection from an ESME to port 2775.
type flow struct {
	w   *codectest.Pcap
	seq [2]uint32
	id  uint16
}

func (f *flow) segment(fromESME bool, flags byte, payload []byte) int {
	src, dst, sport, dport, dir := [4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}, uint16(40000), uint16(2775), 0
	if !fromESME {
		src, dst, sport, dport, dir = dst, src, dport, sport, 1
	}
	be := binary.BigEndian
	total := 40 + len(payload)
	f.id++
	p := []byte{0x45, 0}
	p = be.AppendUint16(p, uint16(total))
	p = be.AppendUint16(p, f.id)
	p = be.AppendUint16(p, 0x4000)
	p = append(p, 64, 6, 0, 0)
	p = append(p, src[:]...)
	p = append(p, dst[:]...)
	p = be.AppendUint16(p, sport)
	p = be.AppendUint16(p, dport)
	p = be.AppendUint32(p, f.seq[dir])
	p = be.AppendUint32(p, f.seq[1-dir])
	p = append(p, 5<<4, flags)
	p = be.AppendUint16(p, 65535)
	p = be.AppendUint32(p, 0)
	p = append(p, payload...)
	f.seq[dir] += uint32(len(payload))
	if flags&0x02 != 0 {
		f.seq[dir]++
	}
	return f.w.Record(p)
}

type tsharkCase struct {
	name    string
	fromESE bool
	pdu     interface {
		AppendBinary([]byte) ([]byte, error)
	}
	want map[string]string
}

func tsharkCases() []tsharkCase {
	tlvs := smpp.AppendSAR(nil, smpp.SAR{Ref: 0x0102, Total: 3, Seq: 2})
	tlvs = smpp.AppendPorts(tlvs, 5684, 5683)
	tlvs = smpp.AppendTLV(tlvs, smpp.TagMessagePayload, []byte("coap"))
	receipt := smpp.AppendReceiptedMessageID(nil, []byte("msg-7"))
	receipt = smpp.AppendTLVUint8(receipt, smpp.TagMessageState, uint8(smpp.StateDelivered))
	return []tsharkCase{
		{"bind_transceiver", true, &smpp.Bind{Header: smpp.Header{Seq: 1}, SystemID: []byte("esme"), Password: []byte("secret"),
			SystemType: []byte("lwm2m"), InterfaceVersion: 0x34, AddrTON: 1, AddrNPI: 1, AddressRange: []byte("^1555")},
			map[string]string{"smpp.command_id": "0x00000009", "smpp.sequence_number": "1", "smpp.system_id": "esme",
				"smpp.password": "secret", "smpp.system_type": "lwm2m", "smpp.interface_version": "0x34",
				"smpp.address_range": "^1555"}},
		{"bind_transceiver_resp", false, &smpp.BindResp{Header: smpp.Header{Seq: 1}, SystemID: []byte("smsc"),
			TLVs: smpp.AppendTLVUint8(nil, smpp.TagSCInterfaceVersion, 0x34)},
			map[string]string{"smpp.command_id": "0x80000009", "smpp.command_status": "0x00000000", "smpp.system_id": "smsc"}},
		{"submit_sm-udh", true, &smpp.SubmitSM{Header: smpp.Header{Seq: 2}, SourceAddr: []byte("12345"), DestAddrTON: 1, DestAddrNPI: 1,
			DestinationAddr: []byte("15551234567"), ESMClass: smpp.ESMUDHI, DataCoding: smpp.CodingBinary,
			RegisteredDelivery: smpp.ReceiptAlways, ValidityPeriod: []byte("000000010000000R"), // relative: 1 hour (7.1.2)
			ShortMessage: []byte{0x06, 0x08, 0x04, 0x01, 0x02, 0x03, 0x01, 0x40, 0x01}},
			map[string]string{"smpp.command_id": "0x00000004", "smpp.command_length": "74", "smpp.source_addr": "12345",
				"smpp.destination_addr": "15551234567", "smpp.dest_addr_ton": "0x01", "smpp.data_coding": "0x04", "smpp.sm_length": "9",
				"smpp.esm.submit.features": "0x01", "smpp.regdel.receipt": "0x01", "smpp.validity_period_r": "3600.000000000"}},
		{"submit_sm_resp", false, &smpp.SubmitSMResp{Header: smpp.Header{Seq: 2}, MessageID: []byte("msg-7")},
			map[string]string{"smpp.command_id": "0x80000004", "smpp.message_id": "msg-7", "smpp.sequence_number": "2"}},
		{"submit_sm-tlvs", true, &smpp.SubmitSM{Header: smpp.Header{Seq: 3}, DestinationAddr: []byte("1"), DataCoding: smpp.CodingBinary, TLVs: tlvs},
			map[string]string{"smpp.sar_msg_ref_num": "258", "smpp.sar_total_segments": "3", "smpp.sar_segment_seqnum": "2",
				"smpp.source_port": "5684", "smpp.destination_port": "5683", "smpp.sm_length": "0"}},
		{"submit_sm_resp-throttled", false, &smpp.SubmitSMResp{Header: smpp.Header{Seq: 3, Status: smpp.StatusThrottled}},
			map[string]string{"smpp.command_status": "0x00000058", "smpp.command_length": "16"}},
		{"deliver_sm-receipt", false, &smpp.DeliverSM{Header: smpp.Header{Seq: 9}, SourceAddr: []byte("15551234567"), DestinationAddr: []byte("12345"),
			ESMClass: smpp.ESMTypeDeliveryReceipt, ShortMessage: []byte("id:msg-7 stat:DELIVRD"), TLVs: receipt},
			map[string]string{"smpp.command_id": "0x00000005", "smpp.receipted_message_id": "msg-7", "smpp.message_state": "2",
				"smpp.source_addr": "15551234567"}},
		{"deliver_sm_resp", true, &smpp.DeliverSMResp{Header: smpp.Header{Seq: 9}},
			map[string]string{"smpp.command_id": "0x80000005", "smpp.sequence_number": "9"}},
		{"enquire_link", true, &smpp.EnquireLink{Header: smpp.Header{Seq: 10}},
			map[string]string{"smpp.command_id": "0x00000015", "smpp.sequence_number": "10"}},
		{"enquire_link_resp", false, &smpp.EnquireLinkResp{Header: smpp.Header{Seq: 10}},
			map[string]string{"smpp.command_id": "0x80000015"}},
		{"generic_nack", true, &smpp.GenericNack{Header: smpp.Header{Seq: 11, Status: smpp.StatusInvCmdID}},
			map[string]string{"smpp.command_id": "0x80000000", "smpp.command_status": "0x00000003"}},
		{"unbind", true, &smpp.Unbind{Header: smpp.Header{Seq: 12}}, map[string]string{"smpp.command_id": "0x00000006"}},
		{"unbind_resp", false, &smpp.UnbindResp{Header: smpp.Header{Seq: 12}}, map[string]string{"smpp.command_id": "0x80000006"}},
	}
}

func TestTshark(t *testing.T) {
	bin := codectest.LookTool(t, "tshark", "/usr/bin/tshark", "/usr/local/bin/tshark")
	t.Parallel()
	w := codectest.NewPcap()
	f := &flow{w: w, seq: [2]uint32{1000, 9000}}
	f.segment(true, 0x02, nil)
	f.segment(false, 0x12, nil)
	f.segment(true, 0x10, nil)
	cases := tsharkCases()
	frames := map[int]tsharkCase{}
	fields := []string{"frame.number"}
	seen := map[string]bool{}
	for _, c := range cases {
		out, err := c.pdu.AppendBinary(nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		frames[f.segment(c.fromESE, 0x18, out)] = c
		for k := range c.want {
			if !seen[k] {
				seen[k] = true
				fields = append(fields, k)
			}
		}
	}
	file := filepath.Join(t.TempDir(), "smpp.pcap")
	if err := os.WriteFile(file, w.B, 0o644); err != nil {
		t.Fatal(err)
	}
	got := codectest.RunTshark(t, bin, file, fields, 30*time.Second, "-d", "tcp.port==2775,smpp")
	for n, c := range frames {
		row := got[n]
		for k, v := range c.want {
			if g := row[k]; !sameField(g, v) {
				t.Errorf("%s: %s = %q, want %q", c.name, k, g, v)
			}
		}
	}
}

// sameField compares tshark's text with the expected value, as numbers
// when both parse as numbers.
func sameField(got, want string) bool {
	if got == want {
		return true
	}
	g, err1 := strconv.ParseFloat(strings.TrimSpace(got), 64)
	w, err2 := strconv.ParseFloat(want, 64)
	if err1 == nil && err2 == nil {
		return g == w
	}
	gi, err1 := strconv.ParseUint(got, 0, 64)
	wi, err2 := strconv.ParseUint(want, 0, 64)
	return err1 == nil && err2 == nil && gi == wi
}
