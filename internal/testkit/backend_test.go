package testkit

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestEachBackendGivesFreshDatabases checks that every NewDB is a database
// of its own: a table made in one is not in the next.
func TestEachBackendGivesFreshDatabases(t *testing.T) {
	var ran []string
	EachBackend(t, func(t *testing.T, b Backend) {
		ran = append(ran, b.Name)
		first, second := b.NewDB(t), b.NewDB(t)
		if first == second {
			t.Fatalf("NewDB twice gave %q", first)
		}
		if b.SQLite() {
			if b.Name != "sqlite" || !filepath.IsAbs(first) {
				t.Errorf("sqlite backend %q gave %q, want an absolute file path", b.Name, first)
			}
			return
		}
		if b.Name != "postgres" || !strings.Contains(first, "search_path=test_") {
			t.Fatalf("postgres backend %q gave %q", b.Name, first)
		}
		ctx := context.Background()
		db1 := openPG(t, first)
		if _, err := db1.ExecContext(ctx, `CREATE TABLE marker (id int)`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db1.QueryRowContext(ctx, `SELECT count(*) FROM marker`).Scan(&n); err != nil {
			t.Fatalf("table in its own schema: %v", err)
		}
		if _, err := openPG(t, second).ExecContext(ctx, `SELECT 1 FROM marker`); err == nil {
			t.Error("the second database sees the first one's table")
		}
	})
	if len(ran) == 0 || ran[0] != "sqlite" {
		t.Errorf("backends run: %v, want sqlite first", ran)
	}
}

func openPG(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
