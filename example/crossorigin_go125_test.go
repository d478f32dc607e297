//go:build go1.25

package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCrossOrigin(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"same origin (Sec-Fetch-Site)", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
		{"same origin (Origin)", map[string]string{"Origin": "http://shop.test"}, http.StatusSeeOther},
		{"no browser headers", nil, http.StatusSeeOther},
		{"cross-site (Sec-Fetch-Site)", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same-site other origin", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"other Origin", map[string]string{"Origin": "https://evil.test"}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestShop(t, nil)
			c := ts.client(t)
			form := url.Values{csrfField: {csrfOf(t, c.get("/").body)}, "sku": {"tea"}, "qty": {"1"}}
			r := httptest.NewRequest(http.MethodPost, "http://shop.test/cart/add", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			res := c.do(r)
			if res.code != tt.want {
				t.Errorf("status %d, want %d", res.code, tt.want)
			}
			added := cartOf(c.get("/cart").body) != nil
			if added != (tt.want == http.StatusSeeOther) {
				t.Errorf("item added: %v, want %v", added, !added)
			}
			if tt.want == http.StatusForbidden {
				wantLog(t, ts.logs, "level=WARN", "SECURITY cross-origin request refused", "path=/cart/add")
			}
		})
	}
}
