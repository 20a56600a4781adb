-- Scheduled jobs: an admin's schedule for a job (its default lives in code until changed), and
-- one row per firing, unique by (job, scheduled time): the instance that inserts it runs it.
CREATE TABLE job_settings (
    name          TEXT    NOT NULL PRIMARY KEY,
    schedule      TEXT    NOT NULL,
    paused        INTEGER NOT NULL DEFAULT 0,
    -- Scheduled times before this are not missed firings (the job did not exist yet).
    first_seen_at TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    updated_by    INTEGER NULL REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE job_runs (
    job          TEXT    NOT NULL,
    -- The scheduled time (UTC); for a run started by hand, when it was asked for.
    slot         TEXT    NOT NULL,
    trigger_kind TEXT    NOT NULL,          -- schedule | catch_up | manual
    status       TEXT    NOT NULL,          -- running | succeeded | failed | skipped
    holder       TEXT    NOT NULL,          -- the instance running it
    lease_until  TEXT    NOT NULL,          -- renewed while it runs; past it, another takes over
    attempts     INTEGER NOT NULL,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT    NULL,
    counts       TEXT    NOT NULL DEFAULT '[]',
    error        TEXT    NOT NULL DEFAULT '',
    requested_by INTEGER NULL REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (job, slot)
);
CREATE INDEX job_runs_status_lease ON job_runs (status, lease_until);
CREATE INDEX job_runs_started ON job_runs (started_at);
