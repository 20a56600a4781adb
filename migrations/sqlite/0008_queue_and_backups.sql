-- The durable work queue (README "Work queue"): each domain event is fanned out once into one
-- work item per consumer that wants its kind (`domain_events.processed_at` marks an event fanned
-- out), and each work item is claimed, handled, retried with backoff or given up as dead.
CREATE TABLE work_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    consumer     TEXT    NOT NULL,
    event_id     INTEGER NOT NULL REFERENCES domain_events (id),
    status       TEXT    NOT NULL,          -- pending | running | failed | done | dead
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_after    TEXT    NOT NULL,          -- not claimed before this (the backoff after a failure)
    claimed_by   TEXT    NULL,              -- the instance handling it
    claim_until  TEXT    NULL,              -- past it, the reaper frees the item
    last_error   TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    done_at      TEXT    NULL,
    UNIQUE (consumer, event_id)
);
CREATE INDEX work_items_ready ON work_items (status, run_after, id);
CREATE INDEX work_items_claims ON work_items (status, claim_until);

-- What changed recently, in words, for the dashboard: written by the `activity.feed` consumer,
-- one row per event.
CREATE TABLE activity_feed (
    event_id    INTEGER PRIMARY KEY REFERENCES domain_events (id),
    at          TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    building_id INTEGER NULL REFERENCES buildings (id) ON DELETE SET NULL,
    summary     TEXT    NOT NULL
);
CREATE INDEX activity_feed_at ON activity_feed (at);
CREATE INDEX activity_feed_building ON activity_feed (building_id, at);

-- Each backup made (the nightly job, or `doongji backup` into the backup store): where it is,
-- its size, and what reading it back found. `deleted_at` marks one removed by retention.
CREATE TABLE backups (
    name           TEXT    NOT NULL PRIMARY KEY,
    location       TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    size_bytes     INTEGER NOT NULL,
    tables_count   INTEGER NOT NULL,
    rows_count     INTEGER NOT NULL,
    files_count    INTEGER NOT NULL,
    files_copied   INTEGER NOT NULL,
    verified       INTEGER NOT NULL,
    verify_message TEXT    NOT NULL,
    deleted_at     TEXT    NULL
);
CREATE INDEX backups_created ON backups (created_at);
