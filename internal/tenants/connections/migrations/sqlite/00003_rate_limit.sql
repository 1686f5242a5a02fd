-- +goose Up
-- The connection's own Polar rate budget in requests per minute (0: the
-- server's POLAR_MCP_RATE_LIMIT, or Polar's published limit).
ALTER TABLE connections ADD COLUMN rate_limit INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE connections DROP COLUMN rate_limit;
