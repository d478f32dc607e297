package sqlstore

import (
	"reflect"
	"strings"
)

// mysqlDriverPath is the package of go-sql-driver/mysql, whose errors
// are *MySQLError values with the server's error number in Number.
const mysqlDriverPath = "github.com/go-sql-driver/mysql"

// mysqlErrorNumber returns the server's error number from the first
// *mysql.MySQLError in err's tree (as errors.As walks it).
//
// The driver's error has no method to match with an interface, and
// importing the driver for its type would link it into every program
// that uses this package, for PostgreSQL or SQLite too. So the type is
// recognised by its package and name, and its exported Number field read
// by reflection. TestErrorClassification runs this against the driver's
// real type, so a driver release that changes it fails the tests.
func mysqlErrorNumber(err error) (uint64, bool) {
	if err == nil {
		return 0, false
	}
	if n, ok := mysqlNumber(err); ok {
		return n, true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return mysqlErrorNumber(u.Unwrap())
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if n, ok := mysqlErrorNumber(e); ok {
				return n, true
			}
		}
	}
	return 0, false
}

// mysqlNumber returns err's Number if err itself is a *mysql.MySQLError
// (of this major version of the driver or a later one, /v2 ...).
func mysqlNumber(err error) (uint64, bool) {
	v := reflect.ValueOf(err)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return 0, false
	}
	t := v.Type().Elem()
	if t.Name() != "MySQLError" || t.Kind() != reflect.Struct ||
		(t.PkgPath() != mysqlDriverPath && !strings.HasPrefix(t.PkgPath(), mysqlDriverPath+"/v")) {
		return 0, false
	}
	f := v.Elem().FieldByName("Number")
	if !f.IsValid() || !f.CanUint() {
		return 0, false
	}
	return f.Uint(), true
}
