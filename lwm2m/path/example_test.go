package path_test

import (
	"fmt"

	"github.com/iotwire/iotwire/lwm2m/path"
)

func ExampleParse() {
	p, err := path.Parse("/3/0/6/1")
	if err != nil {
		panic(err)
	}
	fmt.Println(p, p.Level(), p.Parent(), path.Object(3).Contains(p))
	_, err = path.Parse("/3/65535")
	fmt.Println(err)
	// Output:
	// /3/0/6/1 resource instance /3/0/6 true
	// path: at offset 3: identifier above 65534 (MAX_ID 65535 is reserved) [LwM2M Core 7.1]
}
