package connections

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSQLiteFilesHoldNoPlaintext(t *testing.T) {
	ctx := context.Background()
	ring, keys := newRing(t, "k1")
	path := filepath.Join(t.TempDir(), "connections.db")
	s, err := Open(ctx, path, ring)
	if err != nil {
		t.Fatal(err)
	}
	n := newConn(t, "acme")
	c, first := mustCreate(t, s, n)
	second, err := s.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Credentials(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	key, _ := base64.StdEncoding.DecodeString(keys["k1"])
	secrets := map[string][]byte{
		"token":                  []byte(n.Token),
		"token's secret part":    []byte(n.Token[len("polar_oat_"):]),
		"signing secret":         []byte(first.Reveal()),
		"rotated signing secret": []byte(second.Reveal()),
		"master key":             []byte(keys["k1"]),
		"master key bytes":       key,
	}
	scan := func(when string) {
		files, _ := filepath.Glob(path + "*")
		if len(files) == 0 {
			t.Fatal("no database files")
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for what, secret := range secrets {
				if bytes.Contains(data, secret) {
					t.Errorf("%s: %s holds the %s", when, filepath.Base(f), what)
				}
			}
		}
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("no write-ahead log while open: %v", err)
	}
	scan("while open")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	scan("after close")
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("database file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}
}

func TestTwoStoresShareOneDatabase(t *testing.T) {
	// Two processes on one SQLite file, like a server and the CLI.
	ctx := context.Background()
	ring, _ := newRing(t, "k1")
	path := filepath.Join(t.TempDir(), "connections.db")
	server, cli := open(t, path, ring), open(t, path, ring)

	c, _ := mustCreate(t, cli, newConn(t, "acme"))
	secret, err := cli.RotateSecret(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := server.Credentials(ctx, c.ID)
	if err != nil || creds.SigningSecret != secret {
		t.Fatalf("server does not see the CLI's write: %v", err)
	}
	if _, err := cli.Disable(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Credentials(ctx, c.ID); !errors.Is(err, ErrDisabled) {
		t.Fatalf("server serves a connection the CLI disabled: %v", err)
	}
}

func TestParseURL(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		url     string
		dialect dialect
		path    string
	}{
		{dir + "/a.db", dialectSQLite, dir + "/a.db"},
		{"sqlite://" + dir + "/b.db", dialectSQLite, dir + "/b.db"},
		{"sqlite:" + dir + "/c.db?_pragma=cache_size(-2000)", dialectSQLite, dir + "/c.db"},
		{"file:" + dir + "/d.db?mode=rwc", dialectSQLite, ""},
		{"postgres://u@localhost/db", dialectPostgres, ""},
		{"PostgreSQL://u@localhost/db", dialectPostgres, ""},
	}
	for _, tc := range tests {
		got, err := parseURL(tc.url)
		if err != nil || got.dialect != tc.dialect || got.path != tc.path {
			t.Errorf("parseURL(%q) = %+v, %v", tc.url, got, err)
		}
	}
	for _, bad := range []string{"", "mysql://u@h/db", "sqlite://", ":memory:"} {
		if _, err := parseURL(bad); !errors.Is(err, ErrUnsupportedURL) {
			t.Errorf("parseURL(%q) = %v, want ErrUnsupportedURL", bad, err)
		}
	}
}

func TestOpenEveryURLForm(t *testing.T) {
	ring, _ := newRing(t, "k1")
	dir := t.TempDir()
	for _, url := range []string{
		dir + "/a.db", "sqlite://" + dir + "/b.db", "file:" + dir + "/c.db",
	} {
		s, err := Open(context.Background(), url, ring)
		if err != nil {
			t.Fatalf("Open(%q): %v", url, err)
		}
		mustCreate(t, s, newConn(t, "acme"))
		s.Close()
	}
	for _, name := range []string{"a.db", "b.db", "c.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
