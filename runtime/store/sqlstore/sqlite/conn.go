package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
)

// driverOnce returns the driver modernc.org/sqlite registers as "sqlite",
// with whatever functions and hooks the application registered on it.
var driverOnce = sync.OnceValue(func() driver.Driver {
	db, _ := sql.Open("sqlite", "") // looks the driver up; connects to nothing
	defer db.Close()
	return db.Driver()
})

// connector opens the connections of Open's pool.
//
// SQLite opens a file it cannot write read-only, without an error, and the
// connection stays read-only after the file becomes writable again. Kept
// in the pool, it would fail the saves that get it until the process
// restarts; Connect refuses it instead, so the pool opens a new connection
// on a later call.
type connector struct {
	drv  driver.Driver
	dsn  string
	path string // for messages
}

// readOnlyReporter is what modernc.org/sqlite's connections report
// sqlite3_db_readonly through.
type readOnlyReporter interface {
	IsReadOnly(schema string) (bool, error)
}

// Connect opens a connection and checks that it can write.
func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	r, ok := conn.(readOnlyReporter)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("the SQLite driver (%T) cannot tell whether a connection is read-only", conn)
	}
	readOnly, err := r.IsReadOnly("main")
	if err == nil && readOnly {
		err = fmt.Errorf("SQLite opened %s read-only: the file or its directory is not writable "+
			"(permissions, a read-only mount); make it writable: the connection was not kept, "+
			"so the store works again as soon as it is", c.path)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// Driver returns the modernc.org/sqlite driver.
func (c *connector) Driver() driver.Driver { return c.drv }
