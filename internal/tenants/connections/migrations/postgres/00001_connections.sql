-- +goose Up
-- One row per merchant's Polar organization. The token and the signing
-- secret are stored only as ciphertexts "v1:<key id>:<base64url>".
CREATE TABLE connections (
    id                        TEXT PRIMARY KEY,
    name                      TEXT NOT NULL,
    environment               TEXT NOT NULL CHECK (environment IN ('production', 'sandbox')),
    organization_id           TEXT NOT NULL DEFAULT '',
    organization_name         TEXT NOT NULL DEFAULT '',
    scopes                    TEXT NOT NULL DEFAULT '',
    token_hint                TEXT NOT NULL DEFAULT '',
    token_ciphertext          TEXT NOT NULL,
    signing_secret_ciphertext TEXT NOT NULL,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL,
    checked_at                TIMESTAMPTZ NULL,
    disabled_at               TIMESTAMPTZ NULL
);

-- One row per master key id that may still be needed to decrypt: a known
-- plaintext sealed under that key, so a wrong key is caught at open.
CREATE TABLE key_checks (
    key_id      TEXT PRIMARY KEY,
    check_value TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE key_checks;
DROP TABLE connections;
