package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAddLine(t *testing.T) {
	tests := []struct {
		name string
		cart []CartLine
		sku  string
		qty  int
		want []CartLine
	}{
		{"empty cart", nil, "tea", 2, []CartLine{{"tea", 2}}},
		{"new line goes last", []CartLine{{"tea", 2}}, "jam", 1, []CartLine{{"tea", 2}, {"jam", 1}}},
		{"same product merges", []CartLine{{"tea", 2}, {"jam", 1}}, "tea", 3, []CartLine{{"tea", 5}, {"jam", 1}}},
		{"capped", []CartLine{{"tea", maxQtyPerSKU - 1}}, "tea", 5, []CartLine{{"tea", maxQtyPerSKU}}},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, addLine(tt.cart, tt.sku, tt.qty)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestRemoveLine(t *testing.T) {
	tests := []struct {
		name        string
		cart        []CartLine
		sku         string
		want        []CartLine
		wantRemoved bool
	}{
		{"present", []CartLine{{"tea", 2}, {"jam", 1}}, "tea", []CartLine{{"jam", 1}}, true},
		{"absent", []CartLine{{"jam", 1}}, "tea", []CartLine{{"jam", 1}}, false},
		{"empty", nil, "tea", nil, false},
	}
	for _, tt := range tests {
		got, removed := removeLine(tt.cart, tt.sku)
		if d := cmp.Diff(tt.want, got); d != "" || removed != tt.wantRemoved {
			t.Errorf("%s: removed %v, want %v; cart (-want +got):\n%s", tt.name, removed, tt.wantRemoved, d)
		}
	}
}

func TestCartView(t *testing.T) {
	rows, total, items := cartView([]CartLine{{"tea", 2}, {"withdrawn", 4}, {"jam", 1}})
	want := []cartRow{
		{SKU: "tea", Name: "Tea", Qty: 2, Price: "€4.50", Subtotal: "€9.00"},
		{SKU: "jam", Name: "Strawberry jam", Qty: 1, Price: "€5.20", Subtotal: "€5.20"},
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if total != "€14.20" || items != 3 {
		t.Errorf("total %s, items %d; want €14.20, 3 (a product no longer sold is skipped)", total, items)
	}
}
