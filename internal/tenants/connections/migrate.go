package connections

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds the schema, one directory per dialect.
//
//go:embed migrations
var migrations embed.FS

// migrationTable records which migrations have run.
const migrationTable = "polar_mcp_schema_migrations"

// migrate brings the schema up to date. On PostgreSQL an advisory lock
// keeps several processes starting at once from migrating together; on
// SQLite the migration's write transaction does.
func (s *Store) migrate(ctx context.Context) error {
	dir, gd := "migrations/sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == dialectPostgres {
		dir, gd = "migrations/postgres", goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migrate connection store: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrate connection store: %w", err)
	}
	opts = append(opts, goose.WithTableName(migrationTable), goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(gd, s.db, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrate connection store: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate connection store: %w", err)
	}
	return nil
}
