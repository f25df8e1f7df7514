module github.com/iotwire/iotwire/examples

go 1.26.0

require github.com/iotwire/iotwire v0.0.0

replace github.com/iotwire/iotwire => ../
