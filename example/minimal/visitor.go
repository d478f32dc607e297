package main

//go:generate go tool sessiongen -type Visitor

// Visitor is what the app keeps about one browser between requests. Each
// field's session tag is the key it is stored under.
type Visitor struct {
	Visits int64 `session:"visits"`
}
