-- Scheduled jobs: an admin's schedule for a job (its default lives in code until changed), and
-- one row per firing, unique by (job, scheduled time): the instance that inserts it runs it.
CREATE TABLE job_settings (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    schedule      VARCHAR(100) NOT NULL,
    paused        BOOLEAN      NOT NULL DEFAULT FALSE,
    -- Scheduled times before this are not missed firings (the job did not exist yet).
    first_seen_at DATETIME     NOT NULL,
    updated_at    DATETIME     NOT NULL,
    updated_by    BIGINT       NULL,
    CONSTRAINT job_settings_user_fk FOREIGN KEY (updated_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE job_runs (
    job          VARCHAR(64)  NOT NULL,
    -- The scheduled time (UTC); for a run started by hand, when it was asked for.
    slot         DATETIME     NOT NULL,
    trigger_kind VARCHAR(16)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    holder       VARCHAR(64)  NOT NULL,
    lease_until  DATETIME     NOT NULL,
    attempts     INT          NOT NULL,
    started_at   DATETIME     NOT NULL,
    finished_at  DATETIME     NULL,
    counts       TEXT         NOT NULL,
    error        TEXT         NOT NULL,
    requested_by BIGINT       NULL,
    PRIMARY KEY (job, slot),
    INDEX job_runs_status_lease (status, lease_until),
    INDEX job_runs_started (started_at),
    CONSTRAINT job_runs_user_fk FOREIGN KEY (requested_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
