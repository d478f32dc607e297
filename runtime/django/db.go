package django

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/typedsession/typedsession/runtime/session"
	"github.com/typedsession/typedsession/runtime/store"
)

// Dialect is the SQL database DBStore shares with Django.
type Dialect int

// The databases DBStore speaks to.
const (
	SQLite   Dialect = iota + 1 // modernc.org/sqlite (or any database/sql SQLite driver)
	Postgres                    // github.com/jackc/pgx/v5/stdlib
	MySQL                       // github.com/go-sql-driver/mysql, MariaDB too
)

// DefaultTable is the table of Django's db session backend.
const DefaultTable = "django_session"

// DBConfig configures a DBStore.
type DBConfig struct {
	// Dialect is required.
	Dialect Dialect
	// Table defaults to DefaultTable. A custom session model's db_table
	// goes here.
	Table string
}

// DBStore keeps sessions in Django's django_session table, shared with
// Django's db backend (SESSION_ENGINE =
// "django.contrib.sessions.backends.db", Django's default): session_data is
// signing.dumps(session, salt=SaltSessionStore, compress=True) and
// expire_date is in UTC, as Django writes it with USE_TZ = True. Django
// creates the table (manage.py migrate); DBStore never does. On SQLite,
// give DBStore a *sql.DB limited to one connection (db.SetMaxOpenConns(1)):
// SQLite has one writer at a time, and concurrent requests on a pool of
// several fail with SQLITE_BUSY.
type DBStore struct {
	db      *sql.DB
	dialect Dialect
	q       queries
	now     func() time.Time
}

type queries struct{ load, insert, update, delete, dropExpired, exists, any, clear string }

var (
	_ store.Store           = (*DBStore)(nil)
	_ session.FormatStore   = (*DBStore)(nil)
	_ session.ClearKeyStore = (*DBStore)(nil)
)

// NewDBStore returns a DBStore on db.
func NewDBStore(db *sql.DB, cfg DBConfig) (*DBStore, error) {
	if db == nil {
		return nil, errors.New("django: NewDBStore: db is nil")
	}
	if cfg.Dialect < SQLite || cfg.Dialect > MySQL {
		return nil, fmt.Errorf("django: NewDBStore: DBConfig.Dialect %d: use django.SQLite, django.Postgres or django.MySQL", cfg.Dialect)
	}
	table := cfg.Table
	if table == "" {
		table = DefaultTable
	}
	for _, c := range table {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return nil, fmt.Errorf("django: NewDBStore: table name %q: use letters, digits and '_' only", table)
		}
	}
	s := &DBStore{db: db, dialect: cfg.Dialect, now: time.Now}
	s.q = queries{
		load:        s.bind("SELECT session_data FROM " + table + " WHERE session_key = ? AND expire_date > ?"),
		insert:      s.bind("INSERT INTO " + table + " (session_key, session_data, expire_date) VALUES (?, ?, ?)"),
		update:      s.bind("UPDATE " + table + " SET session_data = ?, expire_date = ? WHERE session_key = ? AND expire_date > ?"),
		delete:      s.bind("DELETE FROM " + table + " WHERE session_key = ?"),
		dropExpired: s.bind("DELETE FROM " + table + " WHERE session_key = ? AND expire_date <= ?"),
		exists:      s.bind("SELECT 1 FROM " + table + " WHERE session_key = ? AND expire_date > ?"),
		any:         s.bind("SELECT 1 FROM " + table + " WHERE session_key = ?"),
		clear:       s.bind("DELETE FROM " + table + " WHERE expire_date < ?"),
	}
	return s, nil
}

// bind turns ? placeholders into PostgreSQL's $n.
func (s *DBStore) bind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// timeArg is t as Django's database adapter writes an aware datetime with
// USE_TZ = True: UTC, and for SQLite and MySQL as naive text, which
// SQLite compares as text (so the spelling must be Django's).
func (s *DBStore) timeArg(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	switch s.dialect {
	case Postgres:
		return t
	case SQLite:
		// str(datetime): microseconds only when there are any.
		if t.Nanosecond() == 0 {
			return t.Format("2006-01-02 15:04:05")
		}
		return t.Format("2006-01-02 15:04:05.000000")
	}
	return t.Format("2006-01-02 15:04:05.000000")
}

// Format implements session.FormatStore: signed with SaltSessionStore.
// Django's pre-3.1 format, which 3.2 still reads, is read too.
func (s *DBStore) Format(cfg session.FormatConfig) (session.Format, error) {
	f, err := newFormat(cfg, SaltSessionStore)
	if err != nil {
		return nil, err
	}
	f.legacy = true
	return f, nil
}

// ClearKeys implements session.ClearKeyStore: Django looks rows up by the
// cookie's key.
func (s *DBStore) ClearKeys() bool { return true }

// Load returns the session_data of the live row under key.
func (s *DBStore) Load(ctx context.Context, key string) ([]byte, bool, error) {
	var data string
	err := s.db.QueryRowContext(ctx, s.q.load, key, s.timeArg(s.now())).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("django: load: %w", err)
	}
	return []byte(data), true, nil
}

// Save writes the row under key: an INSERT with mustCreate (ErrCreate if
// the key exists, live or expired, as Django's primary key), else an
// UPDATE (ErrUpdate if there is no row, as Django's UpdateError).
func (s *DBStore) Save(ctx context.Context, key string, data []byte, expiry time.Time, mustCreate bool) error {
	if len(key) > 40 {
		return fmt.Errorf("django: save: key of %d characters: session_key holds 40", len(key))
	}
	if mustCreate {
		return s.create(ctx, key, data, expiry)
	}
	// Unlike Django's own save, an update needs a live row, as every
	// typedsession store's does: a session that expired (or was deleted by
	// a logout) is never brought back.
	now := s.timeArg(s.now())
	res, err := s.db.ExecContext(ctx, s.q.update, string(data), s.timeArg(expiry), key, now)
	if err != nil {
		return fmt.Errorf("django: save: %w", err)
	}
	// MySQL counts only changed rows: an UPDATE writing what the row
	// already holds affects 0, so look before calling the row gone.
	if n, err := res.RowsAffected(); err == nil && n == 0 && !s.hasLiveRow(ctx, key) {
		return fmt.Errorf("django: save: %w", store.ErrUpdate)
	}
	return nil
}

// create inserts a row under key. An expired row does not hold its key: it
// is removed and the insert tried once more.
func (s *DBStore) create(ctx context.Context, key string, data []byte, expiry time.Time) error {
	for attempt := 0; ; attempt++ {
		_, err := s.db.ExecContext(ctx, s.q.insert, key, string(data), s.timeArg(expiry))
		if err == nil {
			return nil
		}
		if !s.hasRow(ctx, key) {
			return fmt.Errorf("django: save: %w", err)
		}
		if attempt > 0 || s.hasLiveRow(ctx, key) {
			return fmt.Errorf("django: save: %w", store.ErrCreate)
		}
		if _, err := s.db.ExecContext(ctx, s.q.dropExpired, key, s.timeArg(s.now())); err != nil {
			return fmt.Errorf("django: save: %w", err)
		}
	}
}

// hasLiveRow reports whether an unexpired row exists under key.
func (s *DBStore) hasLiveRow(ctx context.Context, key string) bool {
	var one int
	return s.db.QueryRowContext(ctx, s.q.exists, key, s.timeArg(s.now())).Scan(&one) == nil
}

// hasRow reports whether a row, live or expired, exists under key: how a
// failed INSERT on an existing key is told from other failures the same
// way for every driver.
func (s *DBStore) hasRow(ctx context.Context, key string) bool {
	var one int
	return s.db.QueryRowContext(ctx, s.q.any, key).Scan(&one) == nil
}

// Delete removes the row under key.
func (s *DBStore) Delete(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, s.q.delete, key); err != nil {
		return fmt.Errorf("django: delete: %w", err)
	}
	return nil
}

// Exists reports whether a live row exists under key.
func (s *DBStore) Exists(ctx context.Context, key string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, s.q.exists, key, s.timeArg(s.now())).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("django: exists: %w", err)
	}
	return true, nil
}

// ClearExpired deletes the expired rows, as manage.py clearsessions.
func (s *DBStore) ClearExpired(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q.clear, s.timeArg(s.now()))
	if err != nil {
		return 0, fmt.Errorf("django: clear expired: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("django: clear expired: %w", err)
	}
	return n, nil
}
