package main

import (
	"fmt"
	"slices"
)

// product is something the shop sells. Prices are in cents, so sums are
// exact.
type product struct {
	SKU   string
	Name  string
	Price int64
}

// catalog is the shop's fixed stock, in display order.
var catalog = []product{
	{SKU: "tea", Name: "Tea", Price: 450},
	{SKU: "coffee", Name: "Coffee", Price: 790},
	{SKU: "biscuits", Name: "Biscuits", Price: 275},
	{SKU: "jam", Name: "Strawberry jam", Price: 520},
}

// PriceText is the price as the shop shows it.
func (p product) PriceText() string { return money(p.Price) }

func findProduct(sku string) (product, bool) {
	i := slices.IndexFunc(catalog, func(p product) bool { return p.SKU == sku })
	if i < 0 {
		return product{}, false
	}
	return catalog[i], true
}

// Limits that keep a session small whatever a client posts.
const (
	maxQtyPerAdd = 9
	maxQtyPerSKU = 99
)

// addLine returns cart with qty more of sku, merging it into an existing
// line and capping the line at maxQtyPerSKU. The catalog bounds the number
// of lines.
func addLine(cart []CartLine, sku string, qty int) []CartLine {
	for i := range cart {
		if cart[i].SKU == sku {
			cart[i].Qty = min(cart[i].Qty+qty, maxQtyPerSKU)
			return cart
		}
	}
	return append(cart, CartLine{SKU: sku, Qty: qty})
}

// removeLine returns cart without sku's line, and whether it had one.
func removeLine(cart []CartLine, sku string) ([]CartLine, bool) {
	n := len(cart)
	cart = slices.DeleteFunc(cart, func(l CartLine) bool { return l.SKU == sku })
	return cart, len(cart) < n
}

// cartRow is a cart line as the cart page shows it.
type cartRow struct {
	SKU      string
	Name     string
	Qty      int
	Price    string
	Subtotal string
}

// cartView prices the cart. Lines whose product left the catalog since
// they were added are skipped.
func cartView(cart []CartLine) (rows []cartRow, total string, items int) {
	var sum int64
	for _, l := range cart {
		p, ok := findProduct(l.SKU)
		if !ok {
			continue
		}
		sub := p.Price * int64(l.Qty)
		sum += sub
		items += l.Qty
		rows = append(rows, cartRow{SKU: p.SKU, Name: p.Name, Qty: l.Qty, Price: money(p.Price), Subtotal: money(sub)})
	}
	return rows, money(sum), items
}

// money formats cents as euros.
func money(cents int64) string {
	return fmt.Sprintf("€%d.%02d", cents/100, cents%100)
}
