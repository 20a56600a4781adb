-- The durable work queue (README "Work queue"): each domain event is fanned out once into one
-- work item per consumer that wants its kind (`domain_events.processed_at` marks an event fanned
-- out), and each work item is claimed, handled, retried with backoff or given up as dead.
CREATE TABLE work_items (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    consumer     VARCHAR(64)  NOT NULL,
    event_id     BIGINT       NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    attempts     INT          NOT NULL DEFAULT 0,
    run_after    DATETIME     NOT NULL,
    claimed_by   VARCHAR(64)  NULL,
    claim_until  DATETIME     NULL,
    last_error   TEXT         NOT NULL,
    created_at   DATETIME     NOT NULL,
    updated_at   DATETIME     NOT NULL,
    done_at      DATETIME     NULL,
    UNIQUE KEY work_items_consumer_event (consumer, event_id),
    INDEX work_items_ready (status, run_after, id),
    INDEX work_items_claims (status, claim_until),
    CONSTRAINT work_items_event_fk FOREIGN KEY (event_id) REFERENCES domain_events (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE activity_feed (
    event_id    BIGINT       NOT NULL PRIMARY KEY,
    at          DATETIME     NOT NULL,
    kind        VARCHAR(64)  NOT NULL,
    entity      VARCHAR(32)  NOT NULL,
    entity_id   BIGINT       NOT NULL,
    building_id BIGINT       NULL,
    summary     VARCHAR(500) NOT NULL,
    INDEX activity_feed_at (at),
    INDEX activity_feed_building (building_id, at),
    CONSTRAINT activity_feed_event_fk FOREIGN KEY (event_id) REFERENCES domain_events (id),
    CONSTRAINT activity_feed_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE backups (
    name           VARCHAR(200) NOT NULL PRIMARY KEY,
    location       VARCHAR(500) NOT NULL,
    created_at     DATETIME     NOT NULL,
    size_bytes     BIGINT       NOT NULL,
    tables_count   INT          NOT NULL,
    rows_count     BIGINT       NOT NULL,
    files_count    BIGINT       NOT NULL,
    files_copied   BIGINT       NOT NULL,
    verified       BOOLEAN      NOT NULL,
    verify_message TEXT         NOT NULL,
    deleted_at     DATETIME     NULL,
    INDEX backups_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
