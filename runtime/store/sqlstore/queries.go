package sqlstore

// queries holds the store's statements, built once from a checked and
// quoted table name.
type queries struct {
	load, exists           string
	loadExpiry             string
	insert, update, delete string
	swap, swapOwned        string
	updateOwned, listOwned string
	upsert                 string // PostgreSQL and SQLite only
	insertOwned            string // insert and upsert that set session_owner
	upsertOwned            string
	deleteExpiredKey       string
	clearBatch             string
}

func newQueries(d Dialect, table string) queries {
	t := d.quote(table)
	q := queries{
		load:             "SELECT session_data FROM " + t + " WHERE session_key = ? AND expiry > ?",
		loadExpiry:       "SELECT session_data, " + d.expiryMicros() + " FROM " + t + " WHERE session_key = ? AND expiry > ?",
		exists:           "SELECT 1 FROM " + t + " WHERE session_key = ? AND expiry > ?",
		insert:           "INSERT INTO " + t + " (session_key, session_data, expiry) VALUES (?, ?, ?)",
		insertOwned:      "INSERT INTO " + t + " (session_key, session_data, expiry, session_owner) VALUES (?, ?, ?, ?)",
		updateOwned:      "UPDATE " + t + " SET session_data = ?, expiry = ?, session_owner = ? WHERE session_key = ? AND expiry > ?",
		listOwned:        "SELECT session_key, session_data, " + d.expiryMicros() + " FROM " + t + " WHERE session_owner = ? AND expiry > ?",
		update:           "UPDATE " + t + " SET session_data = ?, expiry = ? WHERE session_key = ? AND expiry > ?",
		delete:           "DELETE FROM " + t + " WHERE session_key = ?",
		swap:             "UPDATE " + t + " SET session_data = ?, expiry = ? WHERE session_key = ? AND session_data = ? AND expiry > ?",
		swapOwned:        "UPDATE " + t + " SET session_data = ?, expiry = ?, session_owner = ? WHERE session_key = ? AND session_data = ? AND expiry > ?",
		deleteExpiredKey: "DELETE FROM " + t + " WHERE session_key = ? AND expiry <= ?",
	}
	if d == MySQL {
		q.clearBatch = "DELETE FROM " + t + " WHERE expiry <= ? LIMIT ?"
	} else {
		// Creates a row, or replaces an expired one; 0 rows when the key is
		// live. PostgreSQL and SQLite (3.24 and later) share the syntax.
		q.upsert = q.insert + " ON CONFLICT (session_key) DO UPDATE SET" +
			" session_data = excluded.session_data, expiry = excluded.expiry" +
			" WHERE " + t + ".expiry <= ?"
		q.upsertOwned = q.insertOwned + " ON CONFLICT (session_key) DO UPDATE SET" +
			" session_data = excluded.session_data, expiry = excluded.expiry, session_owner = excluded.session_owner" +
			" WHERE " + t + ".expiry <= ?"
		// PostgreSQL has no DELETE ... LIMIT, and SQLite only when built
		// with an option.
		q.clearBatch = "DELETE FROM " + t + " WHERE session_key IN (SELECT session_key FROM " + t + " WHERE expiry <= ? LIMIT ?)"
	}
	for _, p := range []*string{&q.load, &q.loadExpiry, &q.exists, &q.insert, &q.update, &q.swap, &q.swapOwned, &q.updateOwned, &q.listOwned, &q.delete, &q.upsert, &q.insertOwned, &q.upsertOwned, &q.deleteExpiredKey, &q.clearBatch} {
		*p = d.rebind(*p)
	}
	return q
}
