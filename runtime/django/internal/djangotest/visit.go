// Package djangotest holds the session type runtime/django's tests share
// with the Django script in testdata/django.
package djangotest

import "time"

//go:generate go tool sessiongen -type Visit

// Visit is a session a Go service and a Django application both use.
type Visit struct {
	UserID int64           `session:"uid"`
	Name   string          `session:"name"`
	Roles  []string        `session:"roles"`
	Cart   []Line          `session:"cart"`
	Flags  map[string]bool `session:"flags"`
	Ratio  float64         `session:"ratio"`
	Seen   time.Time       `session:"seen"`
	Counts map[int]int     `session:"counts"`
	Note   *string         `session:"note"`
}

// Line is one line of a cart.
type Line struct {
	SKU   string `session:"sku"`
	Qty   int    `session:"qty"`
	Price int64  `session:"price"`
}
