package mqttbridge

import (
	"testing"

	"github.com/iotwire/iotwire/lwm2m/path"
	"github.com/iotwire/iotwire/mqttpkt"
)

func TestTopics(t *testing.T) {
	var tp Topics
	tests := []struct {
		topic, ep, kind string
		p               path.Path
	}{
		{tp.Registration("dev1"), "dev1", KindRegistration, path.Path{}},
		{tp.Deregistered("dev1"), "dev1", KindDeregistered, path.Path{}},
		{tp.Command("urn:imei:356938035643809"), "urn:imei:356938035643809", KindCommand, path.Path{}},
		{tp.Response("dev1"), "dev1", KindResponse, path.Path{}},
		{tp.Data("dev1", path.Resource(3, 0, 13)), "dev1", KindData, path.Resource(3, 0, 13)},
		{tp.Data("a/b+c#d%e", path.ResourceInstance(3, 0, 7, 1)), "a/b+c#d%e", KindData, path.ResourceInstance(3, 0, 7, 1)},
	}
	want := []string{"lwm2m/dev1/registration", "lwm2m/dev1/deregistered", "lwm2m/urn:imei:356938035643809/command",
		"lwm2m/dev1/response", "lwm2m/dev1/data/3/0/13", "lwm2m/a%2Fb%2Bc%23d%25e/data/3/0/7/1"}
	for i, tt := range tests {
		if tt.topic != want[i] {
			t.Errorf("topic %q, want %q", tt.topic, want[i])
		}
		if err := mqttpkt.ValidateTopicName([]byte(tt.topic)); err != nil {
			t.Errorf("%q: %v", tt.topic, err)
		}
		ep, kind, p, err := tp.Parse(tt.topic)
		if err != nil || ep != tt.ep || kind != tt.kind || p != tt.p {
			t.Errorf("Parse(%q) = %q %q %v %v", tt.topic, ep, kind, p, err)
		}
	}
	if got := tp.CommandFilter(); got != "lwm2m/+/command" {
		t.Errorf("CommandFilter = %q", got)
	}
	if !mqttpkt.MatchTopic([]byte(tp.CommandFilter()), []byte(tp.Command("x%y/z"))) {
		t.Error("the command filter does not match an escaped endpoint's command topic")
	}
	other := Topics{Prefix: "site/a"}
	if got := other.Data("d", path.Resource(1, 2, 3)); got != "site/a/d/data/1/2/3" {
		t.Errorf("prefixed Data = %q", got)
	}
	if ep, _, _, err := other.Parse("site/a/d/command"); err != nil || ep != "d" {
		t.Errorf("prefixed Parse: %q %v", ep, err)
	}
	for _, s := range []string{"other/dev1/command", "lwm2m//command", "lwm2m/dev1/commands", "lwm2m/dev1/command/x",
		"lwm2m/dev1/data/3/0", "lwm2m/dev1/data/3/0/x", "lwm2m/dev%2/command", "lwm2m/dev%zz/command"} {
		if _, _, _, err := tp.Parse(s); err == nil {
			t.Errorf("Parse(%q): no error", s)
		}
	}
}

func TestEscapeEndpoint(t *testing.T) {
	tests := []struct{ ep, level string }{
		{"dev1", "dev1"},
		{"urn:imei:356938035643809", "urn:imei:356938035643809"},
		{"urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"},
		{"a/b", "a%2Fb"},
		{"+#", "%2B%23"},
		{"100%", "100%25"},
		{"tab\there\x00", "tab%09here%00"},
		{"del\x7f", "del%7F"},
		{"bad\xffutf8", "bad%FFutf8"},
		{"c1\u0085x", "c1%C2%85x"},
		{"капибара", "капибара"},
		{"$SYS", "$SYS"},
	}
	for _, tt := range tests {
		if got := EscapeEndpoint(tt.ep); got != tt.level {
			t.Errorf("EscapeEndpoint(%q) = %q, want %q", tt.ep, got, tt.level)
		}
		if back, err := UnescapeEndpoint(tt.level); err != nil || back != tt.ep {
			t.Errorf("UnescapeEndpoint(%q) = %q, %v", tt.level, back, err)
		}
		if err := mqttpkt.ValidateTopicName([]byte("lwm2m/" + tt.level)); err != nil {
			t.Errorf("%q: %v", tt.level, err)
		}
	}
}
