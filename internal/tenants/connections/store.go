package connections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

// dialect is the kind of database behind a Store.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

// sqliteParams configure every SQLite connection: wait for locks rather
// than fail, write-ahead logging, zeroing of freed content (so a rotated
// or removed ciphertext does not linger in free pages), durable commits, foreign keys, writes
// that take the lock at BEGIN (no deadlocking lock upgrades), and times
// stored in SQLite's own format.
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
	"&_pragma=secure_delete(1)" +
	"&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)" +
	"&_txlock=immediate&_time_format=sqlite"

// Store is the connection store. It is safe for concurrent use, also by
// several processes sharing one database.
type Store struct {
	db      *sql.DB
	dialect dialect
	now     func() time.Time

	mu   sync.RWMutex // guards ring
	ring *keyring.Ring
}

// Option configures Open.
type Option func(*Store)

// Open opens the store at url, migrates its schema and checks that ring
// holds the right master keys for what it already stores.
//
// url is a PostgreSQL URL ("postgres://..." or "postgresql://...") or a
// SQLite database: a file path, "sqlite://path" or a "file:" URI. A new
// SQLite file is created readable by its owner only.
//
// Open fails with ErrKeyMissing when the database holds data under a key
// id ring lacks, and with ErrWrongKey when a key of ring does not decrypt
// data stored under its id.
func Open(ctx context.Context, url string, ring *keyring.Ring, opts ...Option) (*Store, error) {
	if ring == nil {
		return nil, keyring.ErrNoKey
	}
	t, err := parseURL(url)
	if err != nil {
		return nil, err
	}
	if t.path != "" {
		if err := createPrivate(t.path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open(t.driver, t.dsn)
	if err != nil {
		return nil, fmt.Errorf("open connection store: %w", err)
	}
	s := &Store{db: db, dialect: t.dialect, now: time.Now, ring: ring}
	for _, o := range opts {
		o(s)
	}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("open connection store: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	return s.checkKeys(ctx)
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// target is where a database URL points.
type target struct {
	dialect dialect
	driver  string
	dsn     string
	path    string // the SQLite file, when known
}

// parseURL picks the dialect, driver and data source name for url.
func parseURL(url string) (target, error) {
	url = strings.TrimSpace(url)
	lower := strings.ToLower(url)
	switch {
	case url == "":
		return target{}, fmt.Errorf("%w: the database URL is empty", ErrUnsupportedURL)
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return target{dialect: dialectPostgres, driver: "pgx", dsn: url}, nil
	case strings.HasPrefix(lower, "file:"):
		return target{dialect: dialectSQLite, driver: "sqlite", dsn: withParams(url)}, nil
	case strings.HasPrefix(lower, "sqlite://"):
		url = url[len("sqlite://"):]
	case strings.HasPrefix(lower, "sqlite:"):
		url = url[len("sqlite:"):]
	case strings.Contains(url, "://"):
		scheme, _, _ := strings.Cut(url, "://")
		return target{}, fmt.Errorf("%w: scheme %q (use a file path, sqlite:// or postgres://)", ErrUnsupportedURL, scheme)
	}
	path, _, _ := strings.Cut(url, "?")
	if path == "" || path == ":memory:" {
		return target{}, fmt.Errorf("%w: SQLite needs a file path", ErrUnsupportedURL)
	}
	return target{dialect: dialectSQLite, driver: "sqlite", dsn: withParams(url), path: path}, nil
}

func withParams(dsn string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&" + sqliteParams
	}
	return dsn + "?" + sqliteParams
}

// createPrivate creates an empty database file with mode 0600 unless one
// exists. SQLite gives its -wal and -shm files the same mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create connection store: %w", err)
	}
	return f.Close()
}

// tx runs fn in a transaction, committing if it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("connection store: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("connection store: commit: %w", err)
	}
	return nil
}

// keys returns the current key ring.
func (s *Store) keys() *keyring.Ring {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ring
}

// timestamp returns the current time as stored: UTC, to the microsecond
// (PostgreSQL's precision), so values read back equal values written.
func (s *Store) timestamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}
