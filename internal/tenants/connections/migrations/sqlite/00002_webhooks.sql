-- +goose Up
-- The connection's Polar webhook secret, sealed like the token ('' when
-- none is set), and when a verified delivery last came.
ALTER TABLE connections ADD COLUMN webhook_secret_ciphertext TEXT NOT NULL DEFAULT '';
ALTER TABLE connections ADD COLUMN webhook_received_at TIMESTAMP NULL;

-- +goose Down
ALTER TABLE connections DROP COLUMN webhook_received_at;
ALTER TABLE connections DROP COLUMN webhook_secret_ciphertext;
