module github.com/iotwire/iotwire/examples

go 1.26.0

require (
	github.com/iotwire/iotwire v0.0.0
	github.com/mochi-mqtt/server/v2 v2.7.9
)

require (
	github.com/coder/websocket v1.8.15 // indirect
	github.com/gorilla/websocket v1.5.0 // indirect
	github.com/pion/dtls/v3 v3.1.15 // indirect
	github.com/pion/logging v0.2.4 // indirect
	github.com/pion/transport/v5 v5.0.0 // indirect
	github.com/rs/xid v1.4.0 // indirect
	go.bug.st/serial v1.8.0 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	golang.org/x/sys v0.43.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace github.com/iotwire/iotwire => ../
