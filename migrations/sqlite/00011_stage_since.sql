-- When each request entered its current stage, kept by the one function
-- that moves tracks (crm/request_tracks.go changeTrack): the pipeline reads
-- it instead of replaying the history of every open request. The stage
-- itself stays derived from the tracks.
ALTER TABLE requests ADD COLUMN stage_since TIMESTAMP;

-- Requests written before: the time of their last move (or their creation).
-- That is when their stage began unless their last move kept the stage
-- (a funding request while sourcing, say); new moves are exact.
UPDATE requests SET stage_since = COALESCE(
    (SELECT MAX(h.at) FROM request_track_changes h WHERE h.request_id = requests.id), created_at);

-- The open requests are found by their tracks; with the stage's start and
-- the id in the index, the pipeline reads them from the index alone.
DROP INDEX requests_tracks_idx;
CREATE INDEX requests_tracks_idx ON requests (status, delivery, decision, sourcing, funding, stage_since, id);
