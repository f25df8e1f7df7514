package tpdu

import (
	"errors"
	"io"
	"testing"

	"github.com/iotwire/iotwire/internal/codectest"
)

func errorAt(e *Error) (int, string) { return e.Offset, e.Field }

// decodeAs decodes the TPDU b as the type named by typ ("deliver",
// "submit", "status", "smsc").
func decodeAs(typ string, b []byte) error {
	var err error
	switch typ {
	case "deliver":
		var d Deliver
		_, err = d.Decode(b)
	case "submit":
		var s Submit
		_, err = s.Decode(b)
	case "status":
		var r StatusReport
		_, err = r.Decode(b)
	case "smsc":
		_, _, err = DecodeSMSC(b)
	}
	return err
}

// errorCases are TPDUs (SMSC addresses for "smsc") that break a rule, with
// the class, offset and field of the error.
var errorCases = []struct {
	name, typ, hex string
	class          error
	offset         int
	field          string
}{
	{"empty", "deliver", ``, ErrTruncated, 0, "first octet"},
	{"deliver given a submit", "deliver", `11 00 00 81 00 00 00`, ErrMalformed, 0, "TP-MTI"},
	{"submit given a reserved type", "submit", `03`, ErrMalformed, 0, "TP-MTI"},
	{"address length above 20", "deliver", `04 15 91 00000000000000000000`, ErrMalformed, 1, "TP-OA"},
	{"address cut short", "deliver", `04 0B 91 1346`, ErrTruncated, 1, "TP-OA"},
	{"address without type", "deliver", `04 00`, ErrTruncated, 1, "TP-OA"},
	{"end mark among digits", "deliver", `04 04 91 F121 00 00 20806291731400 00`, ErrMalformed, 3, "TP-OA"},
	{"odd digits without end mark", "deliver", `04 03 91 2101 00 00 20806291731400 00`, ErrMalformed, 4, "TP-OA"},
	{"no PID", "deliver", `04 02 91 21`, ErrTruncated, 4, "TP-PID"},
	{"time stamp cut short", "deliver", `04 02 91 21 00 00 208062`, ErrTruncated, 6, "TP-SCTS"},
	{"time stamp not BCD", "deliver", `04 02 91 21 00 00 20A062917314 00 00`, ErrMalformed, 7, "TP-SCTS"},
	{"time zone not BCD", "deliver", `04 02 91 21 00 00 208062917314A0 00`, ErrMalformed, 12, "TP-SCTS"},
	{"no UDL", "deliver", `04 02 91 21 00 00 20806291731400`, ErrTruncated, 13, "TP-UDL"},
	{"UDL above 160 septets", "deliver", `04 02 91 21 00 00 20806291731400 A1`, ErrMalformed, 13, "TP-UDL"},
	{"UDL above 140 octets", "deliver", `04 02 91 21 00 04 20806291731400 8D`, ErrMalformed, 13, "TP-UDL"},
	{"user data cut short", "deliver", `04 02 91 21 00 00 20806291731400 0A E832`, ErrTruncated, 14, "TP-UD"},
	{"octets after the user data", "deliver", `04 02 91 21 00 04 20806291731400 01 FF FF`, ErrMalformed, 15, "TP-UD"},
	{"UDHI with empty user data", "deliver", `44 02 91 21 00 04 20806291731400 00`, ErrMalformed, 14, "UDHL"},
	{"header longer than user data", "deliver", `44 02 91 21 00 04 20806291731400 02 05 00`, ErrMalformed, 14, "UDHL"},
	{"header longer than the septets", "deliver", `44 02 91 21 00 00 20806291731400 01 00`, ErrMalformed, 14, "UDHL"},
	{"IE overruns the header", "deliver", `44 02 91 21 00 04 20806291731400 04 03 00 05 01`, ErrMalformed, 15, "UDH"},
	{"IE without its length", "deliver", `44 02 91 21 00 04 20806291731400 02 01 00`, ErrMalformed, 15, "UDH"},
	{"concat of length 2", "deliver", `44 02 91 21 00 04 20806291731400 05 04 00 02 01 02`, ErrMalformed, 15, "UDH"},
	{"16-bit concat of length 3", "submit", `41 00 00 81 00 04 06 05 08 03 01 02 03`, ErrMalformed, 8, "UDH"},
	{"8-bit ports of length 4", "submit", `41 00 00 81 00 04 07 06 04 04 01 02 03 04`, ErrMalformed, 8, "UDH"},
	{"16-bit ports of length 2", "submit", `41 00 00 81 00 04 05 04 05 02 01 02`, ErrMalformed, 8, "UDH"},
	{"submit without MR", "submit", `11`, ErrTruncated, 1, "TP-MR"},
	{"relative VP missing", "submit", `11 00 00 81 00 00`, ErrTruncated, 6, "TP-VP"},
	{"enhanced VP cut short", "submit", `09 00 00 81 00 00 01 00`, ErrTruncated, 6, "TP-VP"},
	{"absolute VP not BCD", "submit", `19 00 00 81 00 00 0F000000000000 00`, ErrMalformed, 6, "TP-VP"},
	{"status report without ST", "status", `06 00 00 81 20806291731400 20806291731400`, ErrTruncated, 18, "TP-ST"},
	{"status report DT cut", "status", `06 00 00 81 20806291731400 208062`, ErrTruncated, 11, "TP-DT"},
	{"extended TP-PI", "status", `06 00 00 81 20806291731400 20806291731400 00 80`, ErrUnsupported, 19, "TP-PI"},
	{"TP-PI without PID", "status", `06 00 00 81 20806291731400 20806291731400 00 01`, ErrTruncated, 20, "TP-PID"},
	{"octets after TP-PI fields", "status", `06 00 00 81 20806291731400 20806291731400 00 02 00 FF`, ErrMalformed, 21, "TP-PI"},
	{"SMSC empty input", "smsc", ``, ErrTruncated, 0, "SMSC"},
	{"SMSC above 11 octets", "smsc", `0C 91 000000000000000000000000`, ErrMalformed, 0, "SMSC"},
	{"SMSC cut short", "smsc", `07 91 1326`, ErrTruncated, 0, "SMSC"},
	{"SMSC end mark among digits", "smsc", `03 91 F1 21`, ErrMalformed, 2, "SMSC"},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			err := decodeAs(c.typ, codectest.Unhex(t, c.hex))
			codectest.CheckVectorError(t, err, c.class, c.offset, c.field, errorAt)
			if c.class == ErrTruncated && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%v does not wrap io.ErrUnexpectedEOF", err)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	err := decodeAs("deliver", codectest.Unhex(t, `04 15 91`))
	want := "tpdu: TP-OA at offset 1: Address-Length exceeds 20 semi-octets [3GPP TS 23.040 9.1.2.5]"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	var s Submit
	s.Body = make([]byte, 141)
	s.DCS = DCS8Bit
	out, err := s.AppendBinary([]byte{1})
	want = "tpdu: encode TP-UDL: user data longer than 140 octets [3GPP TS 23.040 9.2.3.16]"
	if err == nil || err.Error() != want || len(out) != 1 {
		t.Errorf("got %v, %x\nwant %s and b unchanged", err, out, want)
	}
}

func TestEncodeErrors(t *testing.T) {
	hdr := []byte{0x00, 0x02, 0x01, 0x02} // concat of length 2
	tests := []struct {
		name string
		fn   func() ([]byte, error)
	}{
		{"septets do not match body", func() ([]byte, error) {
			d := Deliver{UserData: UserData{Body: []byte{1, 2}, Septets: 5}}
			return d.AppendBinary(nil)
		}},
		{"more than 160 septets", func() ([]byte, error) {
			d := Deliver{UserData: UserData{Body: make([]byte, 141), Septets: 161}}
			return d.AppendBinary(nil)
		}},
		{"bad header", func() ([]byte, error) {
			d := Deliver{DCS: DCS8Bit, UserData: UserData{Header: hdr}}
			return d.AppendBinary(nil)
		}},
		{"time stamp field above 99", func() ([]byte, error) {
			d := Deliver{SCTS: Timestamp{Month: 100}}
			return d.AppendBinary(nil)
		}},
		{"VPF above 3", func() ([]byte, error) {
			s := Submit{VP: ValidityPeriod{Format: 4}}
			return s.AppendBinary(nil)
		}},
		{"status report user data without PIUDL", func() ([]byte, error) {
			r := StatusReport{HasPI: true, UserData: UserData{Body: []byte{1}}}
			return r.AppendBinary(nil)
		}},
		{"status report DCS without PIDCS", func() ([]byte, error) {
			r := StatusReport{HasPI: true, DCS: DCS8Bit}
			return r.AppendBinary(nil)
		}},
		{"status report PI without HasPI", func() ([]byte, error) {
			r := StatusReport{PI: PIPID}
			return r.AppendBinary(nil)
		}},
	}
	for _, tt := range tests {
		out, err := tt.fn()
		var e *Error
		if !errors.As(err, &e) || e.Offset != -1 || !errors.Is(err, ErrMalformed) || len(out) != 0 {
			t.Errorf("%s: got %v, %x; want an encode error", tt.name, err, out)
		}
	}
}
