// Package mqttbridge is the MQTT side of the lwm2m-mqtt-gateway example:
// an MQTT 5.0 client built on iotwire's mqttpkt codec and its TCP and
// WebSocket transports, the gateway's MQTT contract (topics, JSON payloads,
// properties) as pure encode and decode functions, and a Bridge that
// publishes what LwM2M devices report and turns MQTT commands into LwM2M
// operations.
//
// It is example code: it shows how the toolkit composes, and it is tested
// against the embedded mochi-mqtt broker (examples/internal/broker) and
// mosquitto. It is not a general MQTT library: no QoS 2, no session
// resumption, no reconnection (Client.Done and Client.Err tell when the
// connection ends).
//
// # The client
//
// [Dial] connects to mqtt://host:port (TCP), mqtts:// (TLS), ws://host:port/path
// or wss:// as an MQTT 5.0 client with a clean start, and honours what the
// broker's CONNACK says: Receive Maximum bounds the QoS 1 messages in
// flight, Maximum Packet Size the packets we send, Topic Alias Maximum the
// aliases we use, Maximum QoS and Retain Available what we may publish,
// Server Keep Alive the ping interval. [Client.Publish] waits for the PUBACK;
// [Client.PublishAsync] only for room in the in-flight window, which is how
// a burst goes out without loss and with bounded memory. [Client.Subscribe]
// delivers messages to a [Handler], one at a time, acknowledging each after
// its handler returns, so that the broker's flow control (our Receive
// Maximum) bounds the messages waiting for handlers.
//
// # The MQTT contract of the gateway
//
// Every topic is under a prefix, "lwm2m" by default ([Topics]); <ep> is the
// device's endpoint name as one topic level ([EscapeEndpoint] writes '/',
// '+', '#', '%' and control characters as %XX).
//
//	lwm2m/<ep>/registration                      retained, QoS 1: the current registration
//	lwm2m/<ep>/deregistered                      QoS 1: the device left (or its lifetime ran out)
//	lwm2m/<ep>/data/<obj>/<inst>/<res>[/<ri>]    QoS 1 (or 0): one resource value of a notification or Send
//	lwm2m/<ep>/command                           clients publish commands here
//	lwm2m/<ep>/response                          results of commands that named no Response Topic
//
// Subscribe to lwm2m/# for everything, lwm2m/+/registration for the devices
// online (the registration is retained while a device is registered and
// deleted, by an empty retained message, when it de-registers), or
// lwm2m/+/data/3303/# for every temperature.
//
// Every payload is a small JSON document. Every message carries the MQTT 5.0
// Content Type "application/json", the Payload Format Indicator (UTF-8), and
// User Properties:
//
//	lwm2m-endpoint        the endpoint name (unescaped)
//	lwm2m-op              register, update, deregister, notify, send, or the command's op
//	lwm2m-time            when the gateway handled it, RFC 3339 in UTC with milliseconds
//	lwm2m-path            data and results: the LwM2M path, such as /3/0/13
//	lwm2m-content-format  data: the CoAP Content-Format the device used, as a number
//	                      (11542 TLV, 110 SenML JSON, 112 SenML CBOR, 11544 LwM2M CBOR, 0 text)
//	lwm2m-transport       registration and data: udp, dtls, sms, ... when known
//	lwm2m-code            results: the response code, such as 2.05
//
// Registration ([Registration]; "event" is "registered" or "updated"):
//
//	{"endpoint":"dev1","event":"registered","location":"/rd/1","lifetime":300,"lwm2m":"1.2","binding":"U",
//	 "objects":[{"path":"/1/0"},{"path":"/3/0","ver":"1.1"}],"transport":"udp","address":"127.0.0.1:56830",
//	 "time":"2026-01-02T15:04:05.123Z"}
//
// De-registration ([Deregistration]; "reason" is "deregistered" or "expired"):
//
//	{"endpoint":"dev1","reason":"deregistered","time":"2026-01-02T15:04:05.123Z"}
//
// Data ([Data]; "op" is "notify" or "send"; "time" only when the device
// timed the value, in seconds as SenML gives it):
//
//	{"endpoint":"dev1","op":"notify","path":"/3/0/13","type":"time","value":1767366245,
//	 "received":"2026-01-02T15:04:05.123Z"}
//
// Values are rendered by type, as iotwire's CLI does (the JSON contract of
// iotwire decode): "type" is one of string, integer, unsigned, float,
// boolean, opaque, time, objlnk, corelnk, none, and "value" is
//
//	string, corelnk     a JSON string                        "Open Mobile Alliance"
//	integer, unsigned   a JSON integer                       -5, 18446744073709551615
//	float               a JSON number ("NaN", "+Inf", "-Inf" as strings)  21.5
//	boolean             true or false
//	opaque              base64, standard alphabet, padded    "AQID"   (the CLI uses hex)
//	time                seconds since 1970, an integer       1767366245
//	objlnk              "object:instance"                    "3:0"
//	none                null
//
// Beware that JavaScript readers lose precision on integers past 2^53.
//
// Commands ([Command]): publish to lwm2m/<ep>/command, with MQTT 5.0
// Response Topic and Correlation Data (MQTT 5.0 section 4.10):
//
//	{"id":"7","op":"read","path":"/3/0"}
//	{"op":"write","path":"/1/0/1","value":600}
//	{"op":"write","path":"/3/0/13","type":"time","value":"2026-01-02T15:04:05Z"}
//	{"op":"write","path":"/1/0","values":[{"path":"/1/0/1","value":600},{"path":"/1/0/3","value":30}]}
//	{"op":"execute","path":"/3/0/4","args":"0='now'"}
//	{"op":"observe","path":"/3/0/13"}
//	{"op":"cancel","path":"/3/0/13"}
//
// A written value takes its type from "type", else from the object model of
// the resource (the core LwM2M objects are known), else from the JSON value.
// The gateway answers on the Response Topic (or lwm2m/<ep>/response), with
// the same Correlation Data, at QoS 1 ([Result]):
//
//	{"id":"7","endpoint":"dev1","op":"read","path":"/3/0/13","code":"2.05",
//	 "values":[{"path":"/3/0/13","type":"time","value":1767366245}]}
//	{"endpoint":"dev1","op":"execute","path":"/3/0/4","code":"4.05","error":"Method Not Allowed"}
//
// "code" is the CoAP response code of the LwM2M operation: 2.05 Content for
// read, observe and cancel, 2.04 Changed for write and execute, the device's
// error code otherwise; 4.00 for a command the gateway cannot read, 5.04
// when the device did not answer in time, 5.03 when the gateway stopped
// meanwhile, 5.00 for other failures.
// Commands run concurrently, up to a bound; the rest wait in the broker.
//
// Keys may be added to these documents, never renamed or removed: readers
// ignore keys they do not know, as the decoders here do.
//
// # The bridge
//
// [Bridge] ties the two sides through the [LwM2M] interface, which the
// gateway's LwM2M server implements. The server calls Bridge.Registered,
// Updated, Deregistered, Notify and Send as devices come and go;
// Bridge.Start and Stop (or Run) serve the commands. Config.OnEvent receives one [Event] per flow, a
// readable live log ([LogTo] writes it to an io.Writer).
//
// # Limits
//
// Received messages wait for their handler in a queue bounded by
// Options.ReceiveMaximum (QoS 1) plus Options.QoS0Buffer (QoS 0, dropped
// beyond), each at most Options.MaxPacketSize bytes. Published QoS 1
// messages in flight are bounded by Options.MaxInflight and the broker's
// Receive Maximum; running commands by Config.MaxCommands.
//
// # Errors
//
// A broker's refusal is a [*ReasonError] with its reason code; the end of
// the connection a [*ConnError] (I/O, timeout, protocol violation), or
// [ErrClosed] after Close. Publishing beyond what the broker allows gives
// [ErrQoS], [ErrRetain] or [ErrTooLarge].
package mqttbridge
