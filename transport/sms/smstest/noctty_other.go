//go:build !unix

package smstest

const noctty = 0
