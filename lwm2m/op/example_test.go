package op_test

import (
	"errors"
	"fmt"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/lwm2m/link"
	"github.com/iotwire/iotwire/lwm2m/op"
	"github.com/iotwire/iotwire/lwm2m/path"
)

// A client registers; the server reads the registration and answers 2.01
// Created with the location it assigns; the client keeps the location for
// its Update and De-register.
func Example_register() {
	var client, server op.Builder

	// Client: Register (LwM2M Core 6.2.1).
	reg := op.Request{
		Kind: op.KindRegister, MessageID: 0x2001, Token: []byte{0x17},
		ContentFormat: coapmsg.AppLinkFormat, HasContentFormat: true,
		Params: op.Params{
			Set:      op.ParamEndpoint | op.ParamLifetime | op.ParamVersion | op.ParamBinding | op.ParamQueue,
			Endpoint: []byte("node-17"), Lifetime: 300, Version: link.Version{Major: 1, Minor: 1}, Binding: op.BindingUDP,
		},
		Payload: []byte(`</1/0>,</3/0>,</3303/0>`),
	}
	datagram, err := client.AppendRequest(nil, &reg)
	if err != nil {
		panic(err)
	}

	// Server: decode, map, answer.
	var msg coapmsg.Message
	if _, err := msg.Decode(datagram); err != nil {
		panic(err)
	}
	var req op.Request
	if err := req.Parse(&msg, op.RoleServer); err != nil {
		panic(err)
	}
	fmt.Println(req.Kind, string(req.Params.Endpoint), req.Params.Lifetime, req.Params.Version, req.Params.Binding, req.Params.Queue())
	resp := op.Reply(&req, coapmsg.Created)
	resp.Location.SetText([]byte("/rd/5a3f"))
	answer, err := server.AppendResponse(nil, &resp)
	if err != nil {
		panic(err)
	}

	// Client: check the answer and keep the location.
	var ack coapmsg.Message
	if _, err := ack.Decode(answer); err != nil {
		panic(err)
	}
	var created op.Response
	if err := created.Parse(&ack, op.KindRegister); err != nil {
		panic(err)
	}
	fmt.Println(created.Code, created.Location.String())
	// The location aliases ack's buffer: copy it to keep it past this datagram.
	location := []byte(created.Location.String())

	update := op.Request{Kind: op.KindUpdate, MessageID: 0x2002, Token: []byte{0x18},
		Params: op.Params{Set: op.ParamLifetime, Lifetime: 600}}
	update.Location.SetText(location)
	out, err := client.AppendRequest(nil, &update)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", out)
	// Output:
	// Register node-17 300 1.1 U true
	// 2.01 Created /rd/5a3f
	// 4102200218b272640435613366466c743d363030
}

// A server reads the Device Object Instance in SenML CBOR; the client
// maps the request and answers 2.05 Content.
func ExampleRequest_Parse_read() {
	var bd op.Builder
	read := op.Request{Kind: op.KindRead, MessageID: 7, Token: []byte{1},
		Path: path.Instance(3, 0), Accept: coapmsg.AppSenMLCBOR, HasAccept: true}
	datagram, _ := bd.AppendRequest(nil, &read)
	fmt.Printf("%x\n", datagram)

	var msg coapmsg.Message
	msg.Decode(datagram)
	var req op.Request
	if err := req.Parse(&msg, op.RoleClientFromServer); err != nil {
		panic(err)
	}
	fmt.Println(req.Kind, req.Path, req.Accept)

	resp := op.Reply(&req, coapmsg.Content)
	resp.ContentFormat, resp.HasContentFormat = coapmsg.AppSenMLCBOR, true
	resp.Payload = []byte{0x81, 0xa2, 0x00, 0x66, '/', '3', '/', '0', '/', '0', 0x03, 0x64, 'A', 'C', 'M', 'E'}
	answer, _ := bd.AppendResponse(nil, &resp)
	fmt.Printf("%x\n", answer)
	// Output:
	// 4101000701b13301306170
	// Read /3/0 application/senml+cbor
	// 6145000701c170ff81a200662f332f302f30036441434d45
}

// A server observes a temperature; the client answers with the first
// value and then notifies, each notification with the next Observe
// sequence number; the server cancels with a Reset.
func Example_observe() {
	var server, client op.Builder
	observe := op.Request{Kind: op.KindObserve, MessageID: 0x30, Token: []byte{0xbe, 0xef},
		Path: path.Resource(3303, 0, 5700), Accept: coapmsg.TextPlain, HasAccept: true}
	datagram, _ := server.AppendRequest(nil, &observe)

	var msg coapmsg.Message
	msg.Decode(datagram)
	var obs op.Request
	if err := obs.Parse(&msg, op.RoleClientFromServer); err != nil {
		panic(err)
	}
	fmt.Println(obs.Kind, obs.Path)

	first := op.Reply(&obs, coapmsg.Content)
	first.Observe, first.HasObserve = 1, true
	first.ContentFormat, first.HasContentFormat, first.Payload = coapmsg.TextPlain, true, []byte("21.5")
	outs := [][]byte{}
	out, _ := client.AppendResponse(nil, &first)
	outs = append(outs, out)
	for seq, v := range []string{"21.7", "22.0"} {
		n := op.Notify(&obs, uint32(seq+2))
		n.MessageID = uint16(0x100 + seq)
		n.ContentFormat, n.HasContentFormat, n.Payload = coapmsg.TextPlain, true, []byte(v)
		out, _ := client.AppendResponse(nil, &n)
		outs = append(outs, out)
	}

	for i, b := range outs {
		var m coapmsg.Message
		m.Decode(b)
		kind := op.KindNotify
		if i == 0 {
			kind = op.KindObserve // the response to the request itself
		}
		var resp op.Response
		if err := resp.Parse(&m, kind); err != nil {
			panic(err)
		}
		fmt.Println(resp.Type, resp.Code, resp.Observe, string(resp.Payload))
	}

	// The server no longer wants notifications: a Reset answers the last one.
	rst, _ := server.AppendRequest(nil, &op.Request{Kind: op.KindCancelObservation, Type: coapmsg.Reset, MessageID: 0x101})
	msg.Decode(rst)
	var cancel op.Request
	cancel.Parse(&msg, op.RoleClientFromServer)
	fmt.Println(cancel.Kind, cancel.Type, cancel.MessageID)
	// Output:
	// Observe /3303/0/5700
	// ACK 2.05 Content 1 21.5
	// NON 2.05 Content 2 21.7
	// NON 2.05 Content 3 22.0
	// Cancel Observation RST 257
}

// Write-Attributes sets the notification attributes of a Resource; the
// client gets them typed and checked, and a request that breaks a rule of
// LwM2M Core 7.3 gets the error to answer with.
func Example_writeAttributes() {
	var bd op.Builder
	wa := op.Request{Kind: op.KindWriteAttributes, MessageID: 9, Token: []byte{2}, Path: path.Resource(3303, 0, 5700),
		Attrs: op.Attributes{Set: link.AttrPmin | link.AttrPmax | link.AttrSt, Pmin: 10, Pmax: 60, St: 0.5}}
	datagram, _ := bd.AppendRequest(nil, &wa)

	var msg coapmsg.Message
	msg.Decode(datagram)
	fmt.Println(string(msg.AppendQuery(nil)))
	var req op.Request
	if err := req.Parse(&msg, op.RoleClientFromServer); err != nil {
		panic(err)
	}
	fmt.Println(req.Kind, req.Path, req.Attrs.Set, req.Attrs.Pmin, req.Attrs.Pmax, req.Attrs.St)

	// pmin above pmax: the client answers 4.00.
	msg.Reset()
	msg.Type, msg.Code, msg.MessageID = coapmsg.Confirmable, coapmsg.PUT, 10
	msg.SetPath([]byte("/3303/0/5700"))
	msg.SetQuery([]byte("pmin=60&pmax=10"))
	err := req.Parse(&msg, op.RoleClientFromServer)
	var e *op.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Msg, errors.Is(err, op.ErrBadRequest))
	}
	// Output:
	// pmin=10&pmax=60&st=0.5
	// Write-Attributes /3303/0/5700 pmin|pmax|st 10 60 0.5
	// 4.00 Bad Request pmin greater than pmax true
}
