package mqttbridge_test

import (
	"context"
	"fmt"
	"time"

	"github.com/iotwire/iotwire/coapmsg"
	"github.com/iotwire/iotwire/examples/internal/broker"
	"github.com/iotwire/iotwire/examples/internal/mqttbridge"
	"github.com/iotwire/iotwire/lwm2m"
	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/lwm2m/senml"
)

// A backend application's side of the contract: build a command, read
// the result the gateway sends back.
func ExampleEncodeCommand() {
	cmd := mqttbridge.Command{ID: "42", Op: mqttbridge.OpWrite, Path: path.Resource(1, 0, 1),
		Values: []senml.Resolved{{Path: path.Resource(1, 0, 1), Value: lwm2m.IntegerValue(600)}}}
	b, _ := mqttbridge.EncodeCommand(&cmd)
	fmt.Println(string(b))

	// Without "type", the object model types the value (/1/0/1 is the
	// Server object's Lifetime, an integer).
	cmd, err := mqttbridge.DecodeCommand([]byte(`{"op":"write","path":"/1/0/1","value":600}`), nil)
	fmt.Println(cmd.Values[0].Value.Type(), err)

	res, _ := mqttbridge.DecodeResult([]byte(`{"id":"42","endpoint":"dev1","op":"write","path":"/1/0/1","code":"2.04"}`))
	fmt.Println(res.Code, res.OK())
	// Output:
	// {"id":"42","op":"write","path":"/1/0/1","type":"integer","value":600}
	// integer <nil>
	// 2.04 Changed true
}

// How each LwM2M type is rendered in JSON.
func ExampleAppendValue() {
	for _, v := range []lwm2m.Value{
		lwm2m.StringValue([]byte("ACME")),
		lwm2m.IntegerValue(-5),
		lwm2m.UnsignedValue(5),
		lwm2m.FloatValue(21.5),
		lwm2m.BoolValue(true),
		lwm2m.OpaqueValue([]byte{1, 2, 3}),
		lwm2m.TimeValue(1767366245),
		lwm2m.ObjlnkValue(lwm2m.ObjLink{Object: 3, Instance: 0}),
		lwm2m.CorelnkValue([]byte("</3/0>")),
		{},
	} {
		fmt.Printf("%-8s %s\n", v.Type(), mqttbridge.AppendValue(nil, v))
	}
	// Output:
	// string   "ACME"
	// integer  -5
	// unsigned 5
	// float    21.5
	// boolean  true
	// opaque   "AQID"
	// time     1767366245
	// objlnk   "3:0"
	// corelnk  "</3/0>"
	// none     null
}

func ExampleTopics() {
	var t mqttbridge.Topics
	fmt.Println(t.Data("urn:dev/7", path.Resource(3303, 0, 5700)))
	fmt.Println(t.CommandFilter())
	ep, kind, p, _ := t.Parse("lwm2m/urn:dev%2F7/data/3303/0/5700")
	fmt.Println(ep, kind, p)
	// Output:
	// lwm2m/urn:dev%2F7/data/3303/0/5700
	// lwm2m/+/command
	// urn:dev/7 data /3303/0/5700
}

// The gateway's MQTT side in a few lines: an embedded broker, a client, a
// bridge publishing a notification, and an application receiving it.
func ExampleBridge() {
	b, err := broker.Start(broker.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	app, err := mqttbridge.Dial(ctx, b.URL(), mqttbridge.Options{ClientID: "app"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer app.Close()
	got := make(chan *mqttbridge.Message, 1)
	app.Subscribe(ctx, func(m *mqttbridge.Message) { got <- m }, "lwm2m/+/data/#")

	gw, err := mqttbridge.Dial(ctx, b.URL(), mqttbridge.Options{ClientID: "gateway"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer gw.Close()
	// The LwM2M side is nil here: this bridge only publishes. A gateway
	// passes its LwM2M server and calls Run to serve commands.
	br := mqttbridge.NewBridge(gw, nil, mqttbridge.Config{})
	at := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	br.Notify(ctx, "dev1", []senml.Resolved{{Path: path.Resource(3303, 0, 5700), Value: lwm2m.FloatValue(21.5)}},
		mqttbridge.Meta{ContentFormat: coapmsg.AppLwM2MTLV, HasContentFormat: true, Transport: "udp", Received: at})

	m := <-got
	fmt.Println(m.Topic, m.Props.ContentType)
	fmt.Println(string(m.Payload))
	for _, u := range m.Props.User {
		if u.Key != mqttbridge.PropTime {
			fmt.Println(u.Key, u.Value)
		}
	}
	// Output:
	// lwm2m/dev1/data/3303/0/5700 application/json
	// {"endpoint":"dev1","op":"notify","path":"/3303/0/5700","type":"float","value":21.5,"received":"2026-01-02T15:04:05Z"}
	// lwm2m-endpoint dev1
	// lwm2m-op notify
	// lwm2m-path /3303/0/5700
	// lwm2m-content-format 11542
	// lwm2m-transport udp
}
