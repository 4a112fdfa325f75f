-- The private calendar feeds of extranet users (/ics/<token>.ics): the
-- token is a random secret shown once; only its SHA-256 is kept. A user has
-- at most one active feed; revoking it (or creating a new one) sets
-- revoked_at, after which its token is unknown.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES extranet_users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX calendar_feeds_active_idx ON calendar_feeds (user_id) WHERE revoked_at IS NULL;
