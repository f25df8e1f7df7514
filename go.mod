module github.com/iotwire/iotwire

go 1.26

require (
	github.com/coder/websocket v1.8.15
	github.com/pion/dtls/v3 v3.1.15
	go.bug.st/serial v1.8.0
)

require (
	github.com/pion/logging v0.2.4 // indirect
	github.com/pion/transport/v5 v5.0.0 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	golang.org/x/sys v0.43.0 // indirect
)
