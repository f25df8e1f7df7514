module github.com/iotwire/iotwire

go 1.26
