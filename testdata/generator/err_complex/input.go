package errcomplex

// S holds numbers sessiongen cannot store.
type S struct {
	Z   complex128 `session:"z"`
	Ptr uintptr    `session:"ptr"`
}
