package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestNewTableNames(t *testing.T) {
	db := openSQLiteFile(t)
	tests := []struct {
		table string
		ok    bool
	}{
		{"", true}, // DefaultTable
		{"sessions", true},
		{"_s2", true},
		{strings.Repeat("a", 52), true},
		{strings.Repeat("a", 53), false},
		{"Sessions", false},
		{"1sessions", false},
		{"my-sessions", false},
		{"app.sessions", false},
		{`s"; DROP TABLE users; --`, false},
		{"s`x", false},
		{"séssions", false},
		{"sessions ", false},
	}
	for _, tt := range tests {
		s, err := New(db, Config{Table: tt.table})
		if (err == nil) != tt.ok {
			t.Errorf("New(Table: %q) error = %v, want ok %v", tt.table, err, tt.ok)
			continue
		}
		if err != nil && !strings.HasPrefix(err.Error(), "sqlstore: new: ") {
			t.Errorf("error %q lacks the sqlstore: new: prefix", err)
		}
		if err == nil && tt.table == "" && s.Table() != DefaultTable {
			t.Errorf("empty Table gave %q, want %q", s.Table(), DefaultTable)
		}
	}
}

func TestNewDialect(t *testing.T) {
	pg, _ := sql.Open("pgx", "postgres://nowhere.invalid/x") // sql.Open does not connect
	my, _ := sql.Open("mysql", "u@tcp(nowhere.invalid:1)/x")
	lite := openSQLiteFile(t)
	tests := []struct {
		name string
		db   *sql.DB
		cfg  Dialect
		want Dialect
		ok   bool
	}{
		{"detect pgx", pg, 0, Postgres, true},
		{"detect mysql", my, 0, MySQL, true},
		{"detect sqlite", lite, 0, SQLite, true},
		{"explicit", lite, SQLite, SQLite, true},
		{"unknown", lite, Dialect(9), 0, false},
		{"nil db", nil, SQLite, 0, false},
	}
	for _, tt := range tests {
		s, err := New(tt.db, Config{Dialect: tt.cfg})
		if (err == nil) != tt.ok {
			t.Errorf("%s: New error = %v, want ok %v", tt.name, err, tt.ok)
			continue
		}
		if err == nil && s.Dialect() != tt.want {
			t.Errorf("%s: dialect %v, want %v", tt.name, s.Dialect(), tt.want)
		}
	}
}

func TestRebind(t *testing.T) {
	q := "UPDATE t SET a = ?, b = ? WHERE c = ? AND d > ?"
	tests := map[Dialect]string{
		Postgres: "UPDATE t SET a = $1, b = $2 WHERE c = $3 AND d > $4",
		MySQL:    q,
		SQLite:   q,
	}
	for d, want := range tests {
		if got := d.rebind(q); got != want {
			t.Errorf("%v: rebind = %q, want %q", d, got, want)
		}
	}
}

// TestDDLMatchesDocs keeps the package documentation's DDL, which teams copy
// into their migrations, identical to what CreateTable runs.
func TestDDLMatchesDocs(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var doc strings.Builder
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "//\t"); ok {
			doc.WriteString(rest + "\n")
		}
	}
	for _, d := range []Dialect{Postgres, MySQL, SQLite} {
		for _, stmt := range d.ddl(DefaultTable) {
			if !strings.Contains(doc.String(), stmt+";\n") {
				t.Errorf("%v statement missing from the package documentation:\n%s;", d, stmt)
			}
		}
	}
}

// MySQLError has the name and field of the driver's error type, in
// another package: it must not be taken for the driver's error.
type MySQLError struct{ Number uint16 }

func (e *MySQLError) Error() string { return "look-alike" }

func TestErrorClassification(t *testing.T) {
	wrapped := func(err error) error { return fmt.Errorf("exec: %w", err) }
	joined := func(err error) error { return errors.Join(errors.New("rollback failed"), wrapped(err)) }
	tests := []struct {
		name      string
		d         Dialect
		err       error
		duplicate bool
		deadlock  bool
		noTable   bool
	}{
		{"mysql duplicate", MySQL, wrapped(&mysql.MySQLError{Number: 1062}), true, false, false},
		{"mysql duplicate, joined", MySQL, joined(&mysql.MySQLError{Number: 1062}), true, false, false},
		{"mysql deadlock", MySQL, wrapped(&mysql.MySQLError{Number: 1213}), false, true, false},
		{"mysql deadlock, joined", MySQL, joined(&mysql.MySQLError{Number: 1213}), false, true, false},
		{"mysql no table", MySQL, &mysql.MySQLError{Number: 1146}, false, false, true},
		{"mysql other", MySQL, &mysql.MySQLError{Number: 1064}, false, false, false},
		{"mysql nil pointer", MySQL, wrapped((*mysql.MySQLError)(nil)), false, false, false},
		{"look-alike type", MySQL, wrapped(&MySQLError{Number: 1062}), false, false, false},
		{"pg deadlock", Postgres, wrapped(&pgconn.PgError{Code: "40P01"}), false, true, false},
		{"pg serialization", Postgres, &pgconn.PgError{Code: "40001"}, false, true, false},
		{"pg no table", Postgres, wrapped(&pgconn.PgError{Code: "42P01"}), false, false, true},
		{"pg unique", Postgres, &pgconn.PgError{Code: "23505"}, false, false, false}, // creates use an upsert
		{"mysql code under pg", Postgres, &mysql.MySQLError{Number: 1213}, false, false, false},
		{"pg code under mysql", MySQL, &pgconn.PgError{Code: "40P01"}, false, false, false},
		{"sqlite no table", SQLite, errors.New("SQL logic error: no such table: s (1)"), false, false, true},
		{"plain", SQLite, errors.New("x"), false, false, false},
		{"nil", MySQL, nil, false, false, false},
	}
	for _, tt := range tests {
		if got := tt.d.isDuplicate(tt.err); got != tt.duplicate {
			t.Errorf("%s: isDuplicate = %v", tt.name, got)
		}
		if got := tt.d.isDeadlock(tt.err); got != tt.deadlock {
			t.Errorf("%s: isDeadlock = %v", tt.name, got)
		}
		if got := tt.d.isNoTable(tt.err); got != tt.noTable {
			t.Errorf("%s: isNoTable = %v", tt.name, got)
		}
	}
}
