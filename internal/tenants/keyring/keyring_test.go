package keyring

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustKey(t *testing.T) string {
	t.Helper()
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestGenerateKeyIs32RandomBytes(t *testing.T) {
	a, b := mustKey(t), mustKey(t)
	raw, err := base64.StdEncoding.DecodeString(a)
	if err != nil || len(raw) != KeySize {
		t.Fatalf("GenerateKey() = %d bytes, err %v; want %d", len(raw), err, KeySize)
	}
	if a == b {
		t.Fatal("two generated keys are equal")
	}
	if _, err := Parse(a); err != nil {
		t.Fatalf("a generated key does not parse: %v", err)
	}
}

func TestParseForms(t *testing.T) {
	k1, k2 := mustKey(t), mustKey(t)
	urlKey := strings.TrimRight(strings.NewReplacer("+", "-", "/", "_").Replace(k2), "=")
	tests := []struct {
		name, spec, primary string
		ids                 []string
	}{
		{"bare key", k1, DefaultKeyID, []string{DefaultKeyID}},
		{"comma list", "new:" + k2 + ", old:" + k1, "new", []string{"new", "old"}},
		{"key file", "# rotated 2026-11\nnew:" + k2 + "\n\nold:" + k1 + "\n", "new", []string{"new", "old"}},
		{"url-safe unpadded", "k:" + urlKey, "k", []string{"k"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if r.Primary() != tc.primary || strings.Join(r.IDs(), ",") != strings.Join(tc.ids, ",") {
				t.Fatalf("primary %q ids %v; want %q %v", r.Primary(), r.IDs(), tc.primary, tc.ids)
			}
		})
	}
}

func TestParseErrorsNeverContainKeyMaterial(t *testing.T) {
	short := base64.StdEncoding.EncodeToString([]byte("sixteen byte key"))
	good := mustKey(t)
	tests := []struct{ name, spec string }{
		{"empty", "  \n# only a comment\n"},
		{"short key", "k1:" + short},
		{"not base64", "k1:" + good[:20] + "!!!" + good[23:]},
		{"bad key id", "bad id:" + good},
		{"duplicate id", "a:" + good + ",a:" + mustKey(t)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.spec)
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			for _, secret := range []string{short, good, good[:20]} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("error %q contains key material", err)
				}
			}
		})
	}
	if _, err := Parse(""); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Parse(\"\") = %v, want ErrNoKey", err)
	}
}

func TestLoad(t *testing.T) {
	k := mustKey(t)
	file := filepath.Join(t.TempDir(), "master.key")
	if err := os.WriteFile(file, []byte("filekey:"+k+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load("", ""); !errors.Is(err, ErrNoKey) {
		t.Errorf("Load with nothing = %v, want ErrNoKey", err)
	}
	if _, err := Load(k, file); err == nil {
		t.Error("Load with both a key and a file succeeded")
	}
	if r, err := Load("", file); err != nil || r.Primary() != "filekey" {
		t.Errorf("Load(file) = %v, %v", r, err)
	}
	if r, err := Load(k, ""); err != nil || r.Primary() != DefaultKeyID {
		t.Errorf("Load(key) = %v, %v", r, err)
	}
	if _, err := Load("", filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
	if _, err := Load("k:tooshort", ""); !errors.Is(err, ErrMalformed) {
		t.Errorf("Load(malformed) = %v, want ErrMalformed", err)
	}
}

func TestRingStringHidesKeys(t *testing.T) {
	k := mustKey(t)
	r, _ := Parse("a:" + k)
	for _, s := range []string{r.String(), r.GoString()} {
		if strings.Contains(s, k) || !strings.Contains(s, "a") {
			t.Fatalf("String() = %q", s)
		}
	}
}

func TestSealOpen(t *testing.T) {
	k1, k2 := mustKey(t), mustKey(t)
	r, _ := Parse("new:" + k2 + ",old:" + k1)
	aad := []byte("conn_1/token")
	pt := []byte("polar_oat_secret")

	c1, err := r.Seal(pt, aad)
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := r.Seal(pt, aad)
	if c1 == c2 {
		t.Fatal("two seals of the same plaintext are equal (nonce reuse)")
	}
	if strings.Contains(c1, string(pt)) {
		t.Fatal("ciphertext contains the plaintext")
	}
	if kid, _ := KeyID(c1); kid != "new" {
		t.Fatalf("sealed under %q, want the primary", kid)
	}
	got, err := r.Open(c1, aad)
	if err != nil || string(got) != string(pt) {
		t.Fatalf("Open = %q, %v", got, err)
	}

	old, _ := r.SealWith("old", pt, aad)
	if got, err := r.Open(old, aad); err != nil || string(got) != string(pt) {
		t.Fatalf("Open(old key) = %q, %v", got, err)
	}

	if _, err := r.Open(c1, []byte("conn_2/token")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Open with other aad = %v, want ErrDecrypt", err)
	}
	tampered := c1[:len(c1)-2] + "AA"
	if tampered == c1 {
		tampered = c1[:len(c1)-2] + "BB"
	}
	if _, err := r.Open(tampered, aad); !errors.Is(err, ErrDecrypt) && !errors.Is(err, ErrFormat) {
		t.Errorf("Open(tampered) = %v", err)
	}
	if _, err := r.Open("plain text", aad); !errors.Is(err, ErrFormat) {
		t.Errorf("Open(garbage) = %v, want ErrFormat", err)
	}

	onlyOld, _ := Parse("old:" + k1)
	if _, err := onlyOld.Open(c1, aad); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Open without the key = %v, want ErrUnknownKey", err)
	}
	wrong, _ := Parse("new:" + mustKey(t))
	if _, err := wrong.Open(c1, aad); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Open with a wrong key of the same id = %v, want ErrDecrypt", err)
	}
}

func TestWithPrimary(t *testing.T) {
	r, _ := Parse("a:" + mustKey(t) + ",b:" + mustKey(t))
	b, err := r.WithPrimary("b")
	if err != nil || b.Primary() != "b" || r.Primary() != "a" {
		t.Fatalf("WithPrimary: %v %v, original %v", b, err, r)
	}
	c, _ := b.Seal([]byte("x"), nil)
	if kid, _ := KeyID(c); kid != "b" {
		t.Fatalf("sealed under %q, want b", kid)
	}
	if _, err := r.WithPrimary("zz"); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("WithPrimary(unknown) = %v", err)
	}
}
