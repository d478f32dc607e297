package memstore

import "fmt"

func wrap(op string, err error) error { return fmt.Errorf("memstore: %s: %w", op, err) }
