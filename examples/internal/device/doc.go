// Package device is the LwM2M 1.1 client of the examples: an object store
// holding the core objects and the application's, served to an LwM2M
// server (and a bootstrap server) over any datagram transport: UDP, DTLS
// with a pre-shared key, or SMS. It shows how the toolkit composes:
//
//   - examples/internal/coapep carries CoAP (retransmission, duplicates,
//     Observe, Block1);
//   - lwm2m/op maps every request to an LwM2M operation (Request.Parse
//     with the client's role) and builds every request and response
//     (Builder), which checks the response code against the operation;
//   - lwm2m/tlv, lwm2m/senml, lwm2m/lwcbor and lwm2m/lwjson encode and
//     decode the values (through the content sub-package), typed by the
//     lwm2m registry;
//   - lwm2m/link writes the Register payload and the Discover answers.
//
// A client starts with the core objects: Security (0) and Server (1) for
// its first account, Device (3), Connectivity Monitoring (4) and Firmware
// Update (5). The application adds its own with AddObject (such as the
// Temperature object of TemperatureObject) and changes values with Set,
// which notifies the observers:
//
//	c, _ := device.New(device.Config{Endpoint: "node-1", ServerURI: "coap://127.0.0.1:5683"})
//	c.AddObject(device.TemperatureObject(nil))
//	c.Set(path.Resource(3303, 0, 5700), lwm2m.FloatValue(21.5))
//	pc, addr, _ := device.Dial(ctx, "coap://127.0.0.1:5683", device.DialOptions{})
//	err := c.Run(ctx, pc, addr) // registers, serves, updates; de-registers when ctx ends
//
// # Lifecycle
//
// Bootstrap (optional) sends Bootstrap-Request and serves the bootstrap
// server's Bootstrap-Write, -Read, -Discover and -Delete until its
// Bootstrap-Finish; Accounts then lists the servers written. Run sends
// Register (ep, lt, lwm2m, b, sms and the object links), an Update before
// the lifetime ends (half of it for a short lifetime, else a minute
// before), an Update at once when a server writes the lifetime or binding,
// executes Registration Update Trigger or the object list changes, a new
// Register when an Update gets 4.04, and De-register when its context ends.
//
// # Operations and formats
//
// The client answers Read, Write (replace with PUT, partial update with
// POST), Execute, Discover, Create, Delete, Write-Attributes, Observe and
// Cancel Observation, with the codes of lwm2m/op's tables: 4.04 for what
// does not exist, 4.05 for an operation the resource does not allow (a
// Read of a write-only resource, a Write of a read-only one, a Create on a
// core object), 4.06 for a format it cannot answer in, 4.00 for a payload
// that does not decode. Read-, Write- and Observe-Composite get 5.01.
//
// A read answers in the format of the server's Accept: TLV, SenML JSON,
// SenML CBOR, LwM2M CBOR, LwM2M JSON, or plain text, opaque or CBOR for a
// single value. Without an Accept a client registered as LwM2M 1.1 answers
// in SenML CBOR, which carries every type at every path level (LwM2M 1.1
// leaves the choice to the client); one registered as 1.0 answers in TLV,
// the format every 1.0 server reads.
//
// # Notifications
//
// An observation is notified when a value under its path changes, no
// sooner than pmin after the previous notification, and at least every
// pmax; for a numeric resource the gt, lt and st conditions apply. The
// attributes come from the Server Object's default periods, then those
// written on the object, instance, resource and resource instance, then
// those given with the Observe. Notifications are CON by default (each
// acknowledged; a Reset or no answer ends the observation).
//
// # Firmware update
//
// The Firmware Update object follows LwM2M Core Appendix E.6 with push
// delivery: a Block1 write of an image to /5/0/0 moves State from Idle to
// Downloading (Update Result reset to 0), then to Downloaded when the
// image passes its check, or back to Idle with Update Result 2 (larger
// than Config.FirmwareMaxSize), 5 (integrity) or 6 (not an image).
// Executing /5/0/2 in Downloaded moves to Updating, runs
// Config.FirmwareApply, and ends in Idle with Update Result 1 (the Device
// Object's firmware version becomes the image's), or back in Downloaded
// with 8. Execute in another state answers 4.05. See MakeImage for the
// image format: a header with a SHA-256 of the payload.
//
// # Transports
//
// Run and Bootstrap take a net.PacketConn and the server's address; Dial
// makes them from a coap://, coaps:// (PSK) or sms: URI, and PacketConn
// adapts any connected net.Conn. Handlers run on the transport's read
// goroutine; notifications and background work have goroutines of their
// own, all ended when Run returns.
package device
