// Package bench compares the iotwire MQTT codec (package mqttpkt) with
// the packet codecs of other Go MQTT implementations:
//
//   - paho.golang: github.com/eclipse/paho.golang/packets (MQTT 5.0 only)
//   - paho.mqtt.golang: github.com/eclipse/paho.mqtt.golang/packets (MQTT 3.1.1 only)
//   - mochi: github.com/mochi-mqtt/server/v2/packets (MQTT 3.1.1 and 5.0)
//
// and the iotwire CoAP codec (package coapmsg) with the message coders of
// go-coap, github.com/plgd-dev/go-coap/v3 (udp/coder and tcp/coder), in the
// msg=coap... cases of the same benchmarks.
//
// The package holds only tests and benchmarks. It is a separate module so
// that the peers never become dependencies of iotwire itself.
//
// Every implementation decodes the same wire bytes, built once with the
// iotwire encoder, and TestSameMessage (TestSameCoAPMessage for CoAP)
// checks that each reads the same message from them and that each one's
// encoder output decodes with iotwire to that message. Run the comparison
// with
//
//	go test -run '^$' -bench . -count 6 > bench.txt
//	benchstat -col /impl -row .name,/msg bench.txt
//
// RESULTS.md records a run.
package bench
