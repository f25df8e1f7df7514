// Package fuzz holds iotwire's differential fuzz targets: the same bytes go
// to an iotwire decoder and to a peer (paho, mochi, go-coap, encoding/json,
// fxamacker/cbor), and the two must agree on every input iotwire accepts.
//
// It is its own module so that the peers never enter the main module's
// go.mod. Run its targets with go test -fuzz from this directory; test.sh
// runs each for a few seconds.
package fuzz
