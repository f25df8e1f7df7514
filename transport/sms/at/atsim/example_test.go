package atsim_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/iotwire/iotwire/transport/sms/at/atsim"
)

// A terminal typing AT commands to the simulated modem over a pipe.
func Example() {
	sim := atsim.New(atsim.Config{})
	dce, dte := net.Pipe()
	go sim.Serve(context.Background(), dce)
	defer dte.Close()
	r := bufio.NewReader(dte)
	for _, cmd := range []string{"ATE0", "AT+CMEE=1", "AT+CSMS=1", "AT+CMGF=1", "AT+CMGR=1"} {
		dte.Write([]byte(cmd + "\r"))
		for {
			l, _ := r.ReadString('\n')
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			fmt.Printf("%-10s %s\n", cmd, l)
			if l == "OK" || strings.Contains(l, "ERROR") {
				break
			}
		}
	}
	fmt.Printf("%+v\n", sim.State())
	// Output:
	// ATE0       ATE0
	// ATE0       OK
	// AT+CMEE=1  OK
	// AT+CSMS=1  +CSMS: 1,1,1
	// AT+CSMS=1  OK
	// AT+CMGF=1  +CMS ERROR: 303
	// AT+CMGR=1  +CMS ERROR: 321
	// {Echo:false CMEE:1 CSMS:1 CNMI:[0 0 0 0 0] Stored:0 Awaiting:false Queued:0 Resets:0}
}
