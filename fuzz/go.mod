module github.com/iotwire/iotwire/fuzz

go 1.26.0

require (
	github.com/eclipse/paho.golang v0.23.0
	github.com/eclipse/paho.mqtt.golang v1.5.1
	github.com/fxamacker/cbor/v2 v2.10.0
	github.com/iotwire/iotwire v0.0.0
	github.com/mochi-mqtt/server/v2 v2.7.9
	github.com/plgd-dev/go-coap/v3 v3.8.0
	sigs.k8s.io/randfill v1.0.0
)

require (
	github.com/x448/float16 v0.8.4 // indirect
	golang.org/x/exp v0.0.0-20261014143641-f0251eb4aa3e // indirect
)

replace github.com/iotwire/iotwire => ../
