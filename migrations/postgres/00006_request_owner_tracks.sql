-- The pipeline reads the open requests and replays their track moves.
--
-- A staff member's open requests ("my pipeline", "waiting on me") are found
-- by owner and then by the tracks that make a request open, so that each
-- consultant reads their few hundred open requests, not all they ever had.
-- It replaces the (owner_id, status) index, which is its prefix.
DROP INDEX requests_owner_idx;
CREATE INDEX requests_owner_tracks_idx ON requests (owner_id, status, delivery, decision);

-- The moves' index also holds what the replay reads (track, new status), so
-- the thousands of moves of the open requests are read from the index alone.
DROP INDEX request_track_changes_request_idx;
CREATE INDEX request_track_changes_request_idx ON request_track_changes (request_id, at, id, track, to_status);
