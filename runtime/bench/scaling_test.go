package bench

import (
	"fmt"
	"testing"
)

// scaleLines are the cart sizes of the scaling benchmark. With 300 lines
// the session is about 9.8 KB encoded, 37 times workload 2's: a handler
// that reads two small fields of it should not pay for the other 9 KB.
var scaleLines = []int{1, 26, 300}

// shopperWith returns shopper() with a cart of n lines: shopper()'s own
// first, then more of the same shape (a 12-character SKU, a quantity and
// a price), 32 encoded bytes each.
func shopperWith(n int) Shopper {
	v := shopper()
	cart := make([]CartLine, n)
	for i := range cart {
		if i < len(v.Cart) {
			cart[i] = v.Cart[i]
			continue
		}
		cart[i] = CartLine{SKU: fmt.Sprintf("SKU-%04d-GRN", 3000+i), Qty: 1 + i%4, PriceCents: int64(499 + 100*(i%50))}
	}
	v.Cart = cart
	return v
}

// BenchmarkScaling is the full request of workloads 2, 3 and 4 on sessions
// of 1, 26 and 300 cart lines: its cost should follow what the handler
// touches (two small fields read, one written), not what the session
// holds. Sealed cookies stop at 26 lines: 300 do not fit in a cookie.
func BenchmarkScaling(b *testing.B) {
	for _, wl := range workloads {
		for _, lines := range scaleLines {
			if lines > wl.maxLines {
				continue
			}
			v := shopperWith(lines)
			for _, c := range wl.contenders(b) {
				name := fmt.Sprintf("store=%s/lines=%d/lib=%s", storeName(wl.name), lines, c.lib)
				b.Run(name, func(b *testing.B) { benchFullWith(b, c, v) })
			}
		}
	}
}

// storeName is the workload's name, and for Redis which server it runs
// on: a real server and miniredis give very different numbers.
func storeName(workload string) string {
	if workload == "redis" {
		return serverName()
	}
	return workload
}
