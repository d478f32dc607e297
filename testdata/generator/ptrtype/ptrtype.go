// Package ptrtype stores defined pointer types, which Go does not
// dereference for method calls or field selectors.
package ptrtype

// Cart is the session.
type Cart struct {
	Ref   ItemRef            `session:"ref"`
	Refs  []ItemRef          `session:"refs"`
	ByID  map[string]ItemRef `session:"by_id"`
	Ptr   *ItemRef           `session:"ptr"`
	Count CountRef           `session:"count"`
}

// Item is a struct of the package.
type Item struct {
	SKU string
	Qty int
}

// ItemRef is a defined pointer type over it.
type ItemRef *Item

// CountRef is a defined pointer type over a basic type.
type CountRef *int
