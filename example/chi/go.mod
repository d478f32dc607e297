module github.com/typedsession/typedsession/example/chi

go 1.24.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/typedsession/typedsession v0.0.0-00010101000000-000000000000
)

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/vmihailenco/msgpack/v5 v5.4.1
	github.com/vmihailenco/tagparser/v2 v2.0.0 // indirect
	golang.org/x/mod v0.33.0 // indirect
	golang.org/x/sync v0.19.0 // indirect
	golang.org/x/tools v0.42.0 // indirect
)

replace github.com/typedsession/typedsession => ../..

tool github.com/typedsession/typedsession/cmd/sessiongen
