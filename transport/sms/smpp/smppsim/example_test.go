package smppsim_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/iotwire/iotwire/transport/sms/smpp"
	"github.com/iotwire/iotwire/transport/sms/smpp/smppsim"
)

// A simulated SMSC with one account; a fault makes it throttle the next
// submit_sm.
func Example() {
	ctx := context.Background()
	smsc := smppsim.New(smppsim.Config{Accounts: map[string]string{"esme": "secret"}})
	if err := smsc.ListenAndServe(ctx, "127.0.0.1:0"); err != nil {
		panic(err)
	}
	defer smsc.Close()

	_, err := smpp.Dial(ctx, smsc.Addr().String(), smpp.Config{SystemID: "esme", Password: "wrong"})
	fmt.Println("wrong password:", errors.Is(err, smpp.StatusInvPaswd))

	c, err := smpp.Dial(ctx, smsc.Addr().String(), smpp.Config{SystemID: "esme", Password: "secret"})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	smsc.Inject(smppsim.Fault{Command: smpp.CmdSubmitSM, Action: smppsim.RespondStatus, Status: smpp.StatusThrottled})
	sm := smpp.SubmitSM{DestinationAddr: []byte("15551234567"), ShortMessage: []byte("hi")}
	_, err = c.Submit(ctx, sm)
	fmt.Println(err)
	id, err := c.Submit(ctx, sm)
	fmt.Println(id, err)
	// Output:
	// wrong password: true
	// smpp: ESME_RTHROTTLED: throttling error
	// 1 <nil>
}
