package connections

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

func TestOpenRefusesWrongOrMissingKeys(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, keys := newRing(t, "k1")
		url := b.NewDB(t)
		s, err := Open(ctx, url, ring)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := mustCreate(t, s, newConn(t, "acme"))
		s.Close()

		wrong, wrongKeys := newRing(t, "k1")
		_, err = Open(ctx, url, wrong)
		if !errors.Is(err, ErrWrongKey) {
			t.Fatalf("Open with a wrong key = %v, want ErrWrongKey", err)
		}
		if strings.Contains(err.Error(), keys["k1"]) || strings.Contains(err.Error(), wrongKeys["k1"]) {
			t.Fatalf("error %q contains a key", err)
		}

		other, _ := newRing(t, "k2")
		if _, err := Open(ctx, url, other); !errors.Is(err, ErrKeyMissing) || !strings.Contains(err.Error(), `"k1"`) {
			t.Fatalf("Open without key k1 = %v, want ErrKeyMissing naming k1", err)
		}
		if _, err := Open(ctx, url, nil); !errors.Is(err, keyring.ErrNoKey) {
			t.Fatalf("Open(nil ring) = %v, want keyring.ErrNoKey", err)
		}

		// The refusals changed nothing: the right key still opens it.
		s2 := open(t, url, ring)
		if _, err := s2.Credentials(ctx, c.ID); err != nil {
			t.Fatalf("right key after refusals: %v", err)
		}
	})
}

func TestOpenRefusesWrongKeyOnEmptyStore(t *testing.T) {
	ring, _ := newRing(t, "default")
	url := b0(t)
	open(t, url, ring).Close()
	wrong, _ := newRing(t, "default")
	if _, err := Open(context.Background(), url, wrong); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("Open with a wrong key = %v, want ErrWrongKey", err)
	}
}

func TestOpenForgetsUnusedKeys(t *testing.T) {
	// A store with no data under a key does not need it: after every
	// connection is removed, a different key opens it.
	ctx := context.Background()
	ring, _ := newRing(t, "k1")
	url := b0(t)
	s := open(t, url, ring)
	c, _ := mustCreate(t, s, newConn(t, "acme"))
	if err := s.Remove(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	s.Close()
	other, _ := newRing(t, "k2")
	if _, err := Open(ctx, url, other); err != nil {
		t.Fatalf("Open with a new key over no data = %v", err)
	}
}

func TestKeyRotation(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		_, keys := newRing(t, "old", "new")
		url := b.NewDB(t)

		s := open(t, url, ringOf(t, keys, "old"))
		n1, n2 := newConn(t, "acme"), newConn(t, "beta")
		c1, sec1 := mustCreate(t, s, n1)
		c2, _ := mustCreate(t, s, n2)
		s.Close()

		// The new key is primary; the old one still decrypts.
		s = open(t, url, ringOf(t, keys, "new", "old"))
		if creds, err := s.Credentials(ctx, c1.ID); err != nil || creds.Token.Reveal() != n1.Token {
			t.Fatalf("old key does not decrypt before rotation: %v", err)
		}
		n3 := newConn(t, "gamma")
		c3, _ := mustCreate(t, s, n3)
		sec2, err := s.RotateSecret(ctx, c2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ids, err := s.KeyIDsInUse(ctx); err != nil || !reflect.DeepEqual(ids, []string{"new", "old"}) {
			t.Fatalf("KeyIDsInUse before rotation = %v, %v", ids, err)
		}

		changed, err := s.RotateKey(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if changed != 2 {
			t.Fatalf("RotateKey changed %d connections, want 2 (acme and beta's token)", changed)
		}
		if ids, _ := s.KeyIDsInUse(ctx); !reflect.DeepEqual(ids, []string{"new"}) {
			t.Fatalf("KeyIDsInUse after rotation = %v", ids)
		}
		if again, err := s.RotateKey(ctx, ""); err != nil || again != 0 {
			t.Fatalf("second RotateKey = %d, %v", again, err)
		}
		s.Close()

		// The old key can go; without the new one nothing opens.
		s = open(t, url, ringOf(t, keys, "new"))
		want := map[string]string{c1.ID: n1.Token, c2.ID: n2.Token, c3.ID: n3.Token}
		for id, token := range want {
			creds, err := s.Credentials(ctx, id)
			if err != nil || creds.Token.Reveal() != token {
				t.Fatalf("Credentials(%s) after rotation: %v", id, err)
			}
		}
		if creds, _ := s.Credentials(ctx, c1.ID); creds.SigningSecret != sec1 {
			t.Fatal("rotation changed a signing secret")
		}
		if creds, _ := s.Credentials(ctx, c2.ID); creds.SigningSecret != sec2 {
			t.Fatal("rotation lost a rotated signing secret")
		}
		s.Close()
		if _, err := Open(ctx, url, ringOf(t, keys, "old")); !errors.Is(err, ErrKeyMissing) {
			t.Fatalf("Open with only the retired key = %v, want ErrKeyMissing", err)
		}
	})
}

func TestRotateKeyToNamedKey(t *testing.T) {
	ctx := context.Background()
	_, keys := newRing(t, "a", "b")
	url := b0(t)
	s := open(t, url, ringOf(t, keys, "a", "b"))
	c, _ := mustCreate(t, s, newConn(t, "acme"))

	if _, err := s.RotateKey(ctx, "nope"); !errors.Is(err, keyring.ErrUnknownKey) {
		t.Fatalf("RotateKey(unknown) = %v", err)
	}
	if n, err := s.RotateKey(ctx, "b"); err != nil || n != 1 {
		t.Fatalf("RotateKey(b) = %d, %v", n, err)
	}
	mustCreate(t, s, newConn(t, "beta"))
	if ids, _ := s.KeyIDsInUse(ctx); !reflect.DeepEqual(ids, []string{"b"}) {
		t.Fatalf("after RotateKey(b), new data is under %v", ids)
	}
	s.Close()
	s = open(t, url, ringOf(t, keys, "b"))
	if _, err := s.Credentials(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
}

func TestRotateKeyIsAllOrNothing(t *testing.T) {
	// One corrupt ciphertext stops the rotation before anything changes.
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		_, keys := newRing(t, "old", "new")
		url := b.NewDB(t)
		s := open(t, url, ringOf(t, keys, "old"))
		good, _ := mustCreate(t, s, newConn(t, "acme"))
		bad, _ := mustCreate(t, s, newConn(t, "beta"))
		s.Close()

		s = open(t, url, ringOf(t, keys, "new", "old"))
		swapColumns(t, s, bad.ID, bad.ID, "token_ciphertext", "signing_secret_ciphertext")
		if _, err := s.RotateKey(ctx, ""); !errors.Is(err, keyring.ErrDecrypt) {
			t.Fatalf("RotateKey over a corrupt row = %v, want ErrDecrypt", err)
		}
		if ids, _ := s.KeyIDsInUse(ctx); !reflect.DeepEqual(ids, []string{"old"}) {
			t.Fatalf("a failed rotation left keys %v in use", ids)
		}
		if _, err := s.Credentials(ctx, good.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCiphertextsAreBoundToRowAndField(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		s := open(t, b.NewDB(t), ring)
		a, _ := mustCreate(t, s, newConn(t, "acme"))
		c, _ := mustCreate(t, s, newConn(t, "beta"))

		// Another row's token, under the same key, does not decrypt here.
		swapColumns(t, s, a.ID, c.ID, "token_ciphertext", "token_ciphertext")
		for _, id := range []string{a.ID, c.ID} {
			if _, err := s.Credentials(ctx, id); !errors.Is(err, keyring.ErrDecrypt) {
				t.Fatalf("Credentials with a swapped token = %v, want ErrDecrypt", err)
			}
		}
		swapColumns(t, s, a.ID, c.ID, "token_ciphertext", "token_ciphertext")
		if _, err := s.Credentials(ctx, a.ID); err != nil {
			t.Fatalf("swapping back: %v", err)
		}

		// Nor does the token in the signing secret's place.
		swapColumns(t, s, a.ID, a.ID, "token_ciphertext", "signing_secret_ciphertext")
		if _, err := s.Credentials(ctx, a.ID); !errors.Is(err, keyring.ErrDecrypt) {
			t.Fatalf("Credentials with token and secret swapped = %v, want ErrDecrypt", err)
		}
	})
}

// swapColumns swaps column col1 of row id1 with column col2 of row id2,
// as an attacker with write access to the database could.
func swapColumns(t *testing.T, s *Store, id1, id2, col1, col2 string) {
	t.Helper()
	ctx := context.Background()
	var v1, v2 string
	if err := s.db.QueryRowContext(ctx, `SELECT `+col1+` FROM connections WHERE id = $1`, id1).Scan(&v1); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT `+col2+` FROM connections WHERE id = $1`, id2).Scan(&v2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE connections SET `+col1+` = $1 WHERE id = $2`, v2, id1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE connections SET `+col2+` = $1 WHERE id = $2`, v1, id2); err != nil {
		t.Fatal(err)
	}
}

// TestRotatedCiphertextsLeaveNoTraceInSQLite checks that after RotateKey the
// database files hold no ciphertext sealed under the retired key (freed
// cells are zeroed and the write-ahead log is emptied), so the old key plus
// a copy of the file reveals nothing.
func TestRotatedCiphertextsLeaveNoTraceInSQLite(t *testing.T) {
	ctx := context.Background()
	_, keys := newRing(t, "old", "new")
	path := filepath.Join(t.TempDir(), "rot.db")
	s := open(t, path, ringOf(t, keys, "old"))
	var ids []string
	for _, name := range []string{"acme", "beta", "gamma"} {
		c, _ := mustCreate(t, s, newConn(t, name))
		ids = append(ids, c.ID)
	}
	var oldCiphertexts []string
	for _, id := range ids {
		var tok, sec string
		if err := s.db.QueryRowContext(ctx, `SELECT token_ciphertext, signing_secret_ciphertext FROM connections WHERE id = $1`, id).Scan(&tok, &sec); err != nil {
			t.Fatal(err)
		}
		oldCiphertexts = append(oldCiphertexts, tok, sec)
	}
	s.Close()

	s = open(t, path, ringOf(t, keys, "new", "old"))
	if _, err := s.RotateKey(ctx, ""); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal"} {
		raw, err := os.ReadFile(path + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, ct := range oldCiphertexts {
			// The base64 body after "v1:old:" is what would decrypt.
			body := ct[strings.LastIndex(ct, ":")+1:]
			if bytes.Contains(raw, []byte(body)) {
				t.Errorf("%s still holds a ciphertext under the retired key", filepath.Base(path+suffix))
			}
		}
	}
	s.Close()
}
