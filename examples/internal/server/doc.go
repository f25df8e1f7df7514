// Package server is the LwM2M server of the examples: it accepts the
// registrations of LwM2M 1.0 and 1.1 clients on any number of transports
// at once (UDP, DTLS with pre-shared keys, SMS), reports what happens as
// events, and runs the Device Management and Information Reporting
// operations on a registered client by its endpoint name, decoding every
// payload into records whatever its format. It can also act as a bootstrap
// server, and update a client's firmware.
//
//	s := server.New(server.Config{OnEvent: func(ev server.Event) { ... }})
//	defer s.Close()
//	go s.ServePacketConn(ctx, "udp", udpConn)               // transport/udp
//	go s.ServeDTLS(ctx, dtlsListener)                        // transport/udp/dtls, see PSKConfig
//	go s.ServePacketConn(ctx, "sms", smsConn)               // transport/sms
//	c, err := s.Read(ctx, "node-1", path.Instance(3, 0), server.Preferred)
//
// # Registrations
//
// Register (POST /rd) gets the location /rd/<n>, a counter; the server
// keeps the endpoint name, lifetime, LwM2M version, binding, SMS number,
// object links and the formats the root link's ct lists, and where the
// client is: the transport and address of its last Register or Update (so
// a client that re-handshakes DTLS or changes address is reached where it
// now is). An Update restarts the lifetime; a registration expires
// Config.ExpiryGrace after its lifetime ends without one; an Update or
// De-register of an unknown location gets 4.04. A Register of an endpoint
// already registered replaces that registration.
//
// # Events
//
// Config.OnEvent receives, in order and from one goroutine, the events
// EventRegistered, EventUpdated, EventDeregistered, EventExpired,
// EventNotification (with the decoded values of the observation's
// notification), EventSend (the values of a Send) and EventBootstrapped.
// The callback may run operations; while it blocks, up to
// Config.EventQueue events wait, then the transports wait too (nothing is
// dropped).
//
// # Operations
//
// Read, Write (replace or partial update), Execute, Discover,
// WriteAttributes, Create, Delete, Observe and Observation.Cancel build
// their request with lwm2m/op, send it with coapep (confirmable,
// retransmitted), check the response code against the operation and
// decode the payload (TLV, SenML JSON, SenML CBOR, LwM2M CBOR, LwM2M JSON,
// plain text, opaque, CBOR) into records typed by Config.Registry. A
// response other than the operation's success code is a *StatusError.
// Preferred asks for the client's preferred format: TLV for a 1.0 client,
// else the first of its ct that the examples read, else SenML CBOR.
//
// UpdateFirmware pushes an image to the Firmware Update Object with a
// Block1 transfer, executes Update and follows State and Update Result by
// observation until the client reports the outcome.
//
// # Bootstrap
//
// With Config.Bootstrap set, the server answers Bootstrap-Request (POST
// /bs) for the endpoints the function knows, then deletes the client's
// accounts (Bootstrap-Delete /0 and /1), discovers what is left, writes a Security
// and a Server instance in the client's preferred format and finishes.
package server
