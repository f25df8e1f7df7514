package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"strings"

	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/mqttpkt"
)

// codec is what a protocol plugs into the decode and encode commands.
// Each protocol lives in its own file (mqttjson.go, ...) and adds one
// line to codecs.
type codec struct {
	// decode appends the JSON Lines of one unit to dst: one object and a
	// '\n' per packet, message or record set. A malformed unit gives a
	// *unitError; the caller then drops everything appended for the unit.
	decode func(dst, unit []byte, o *options) ([]byte, error)
	// encode appends the wire bytes of the unit that one JSON object (one
	// line, without its newline) describes. Errors are *unitError.
	encode func(dst, obj []byte, o *options) ([]byte, error)
	// prepare, when set, checks and completes the options before the first
	// unit (such as parsing --base); its error is a usage error.
	prepare func(o *options) error
}

// codecs holds the implemented protocols.
var codecs = map[string]codec{
	"mqtt3":    mqttCodec(mqttpkt.V311),
	"mqtt5":    mqttCodec(mqttpkt.V5),
	"coap":     coapCodec(false),
	"coap+tcp": coapCodec(true),
	"tlv":      tlvCodec(),
	"link":     linkCodec(),

	"sms-deliver": smsCodec(false),
	"sms-submit":  smsCodec(true),

	"senml+json": contentCodec("senml+json"),
	"senml+cbor": contentCodec("senml+cbor"),
	"lwm2m+cbor": contentCodec("lwm2m+cbor"),
	"lwm2m+json": contentCodec("lwm2m+json"),
}

// protocols lists every --proto value of the JSON contract, in its order.
// Those without a codec answer "not supported yet".
var protocols = []string{"mqtt3", "mqtt5", "coap", "coap+tcp", "tlv", "senml+json", "senml+cbor",
	"lwm2m+cbor", "lwm2m+json", "link", "sms-deliver", "sms-submit"}

// options are the flags a codec may need.
type options struct {
	base     string    // --base: the request path LwM2M content formats answer
	basePath path.Path // base parsed, by the prepare of the codecs that use it
}

// Exit statuses.
const (
	exitOK        = 0
	exitMalformed = 1 // a malformed unit, or an output error
	exitUsage     = 2 // a usage error, an unsupported protocol or an unreadable input file
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole command, with its arguments (without the program name)
// and streams as parameters, and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageError(stderr, "missing command")
	}
	switch cmd := args[0]; cmd {
	case "help", "-h", "-help", "--help":
		io.WriteString(stdout, helpText)
		return exitOK
	case "decode", "encode":
		return runCodec(cmd, args[1:], stdin, stdout, stderr)
	case "coap":
		return runCoAP(args[1:], stdin, stdout, stderr)
	case "mqtt":
		return runMQTT(args[1:], stdin, stdout, stderr)
	default:
		return usageError(stderr, "unknown command "+quote(cmd))
	}
}

// runCodec parses the flags of decode or encode and runs it.
func runCodec(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	proto := fs.String("proto", "", "protocol")
	formatFlag := "out"
	var o options
	if cmd == "decode" {
		formatFlag = "in"
	}
	fs.StringVar(&o.base, "base", "/", "request path")
	format := fs.String(formatFlag, "hex", "input or output format")
	files, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		io.WriteString(stdout, helpText)
		return exitOK
	}
	switch {
	case err != nil:
		return usageError(stderr, cmd+": "+err.Error())
	case *proto == "":
		return usageError(stderr, cmd+": missing --proto")
	case !validProto(*proto):
		return usageError(stderr, "unknown protocol "+quote(*proto)+" (one of "+strings.Join(protocols, ", ")+")")
	case *format != "hex" && *format != "base64" && *format != "raw":
		return usageError(stderr, cmd+": --"+formatFlag+" must be hex, base64 or raw")
	case len(files) > 1:
		return usageError(stderr, cmd+": more than one input file")
	}
	c, ok := codecs[*proto]
	if !ok {
		io.WriteString(stderr, "iotwire: "+*proto+": not supported yet\n")
		return exitUsage
	}
	if c.prepare != nil {
		if err := c.prepare(&o); err != nil {
			return usageError(stderr, cmd+": "+err.Error())
		}
	}
	in := stdin
	if len(files) == 1 && files[0] != "-" {
		f, err := os.Open(files[0])
		if err != nil {
			io.WriteString(stderr, "iotwire: "+err.Error()+"\n")
			return exitUsage
		}
		defer f.Close()
		in = f
	}
	if cmd == "decode" {
		return decodeUnits(c, *proto, *format, &o, in, stdout, stderr)
	}
	return encodeUnits(c, *proto, *format, &o, in, stdout, stderr)
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, which it returns. After "--" everything is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func validProto(p string) bool {
	for _, q := range protocols {
		if p == q {
			return true
		}
	}
	return false
}

func quote(s string) string { return string(appendJSONString(nil, s)) }

func usageError(stderr io.Writer, msg string) int {
	io.WriteString(stderr, "iotwire: "+msg+"\n"+usageText)
	return exitUsage
}

const usageText = `usage: iotwire decode --proto PROTO [--in hex|base64|raw] [--base PATH] [FILE|-]
       iotwire encode --proto PROTO [--out hex|base64|raw] [--base PATH] [FILE|-]
       iotwire coap get|put|post|delete|observe URI [flags]   (iotwire coap help)
       iotwire mqtt pub|sub URL [flags]                       (iotwire mqtt help)
       iotwire help
`

const helpText = `iotwire turns IoT wire formats into JSON Lines and back.

` + usageText + `
decode reads units from FILE or standard input (also "-") and writes one JSON
object per packet, message or record set, one per line, in input order.
encode reads such JSON Lines and writes one unit per object.

  --proto PROTO  mqtt3, mqtt5, coap, coap+tcp, tlv, senml+json, senml+cbor,
                 lwm2m+cbor, lwm2m+json, link, sms-deliver, sms-submit
  --in FORMAT    decode input: hex (default) or base64, one unit per non-empty
                 line (white space inside a hex line is ignored), or raw: the
                 whole input is one unit
  --out FORMAT   encode output: hex (default) or base64, one line per object,
                 or raw: the units back to back
  --base PATH    the request path LwM2M payloads answer (default /), such as
                 /3/0 for a Read of /3/0: the LwM2M content formats need it,
                 in decode and encode, to resolve paths (TLV carries no
                 Object ID, SenML names may be relative); unused by MQTT,
                 CoAP, link and SMS

An MQTT or coap+tcp unit may hold several packets or frames back to back; a
coap unit is one datagram; an LwM2M content-format or link unit is one
payload (use --in raw for a JSON file); an sms-deliver or sms-submit unit is
a PDU as a modem shows it, the SMSC address first (00 for none). Byte strings
are lower-case hex in JSON.

Exit status: 0 when everything decoded or encoded; 1 at the first malformed
unit, with one line "iotwire: PROTO: unit N: MESSAGE (offset K)" on standard
error and no output for that unit; 2 for usage errors.

Example:
  iotwire decode --proto mqtt5 testdata/mqtt5-session.hex
  echo 'c000' | iotwire decode --proto mqtt3 | iotwire encode --proto mqtt3
  iotwire decode --proto coap testdata/coap-lwm2m.hex
  iotwire decode --proto tlv --base /3/0 testdata/lwm2m-device.tlv.hex
  iotwire decode --proto senml+cbor --base /3/0 testdata/lwm2m-device.senmlcbor.hex
  iotwire decode --proto link testdata/register.link.hex
  iotwire decode --proto sms-deliver testdata/sms-deliver.hex
`
