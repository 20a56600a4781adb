-- Building expenses (issue 13, legacy `pmpayment`): what a building pays each month. A pinned
-- item is copied into the next month once: UNIQUE (source_id, month). Items are never deleted
-- (deleted_at), so a copy removed by hand is not made again by a later run.
CREATE TABLE expenses (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    building_id BIGINT       NOT NULL,
    month       CHAR(7)      NOT NULL,
    category    VARCHAR(32)  NOT NULL,
    vendor      VARCHAR(100) NOT NULL DEFAULT '',
    amount      BIGINT       NOT NULL,
    vat         BIGINT       NOT NULL DEFAULT 0,
    pay_date    DATE         NULL,
    paid_on     DATE         NULL,
    pinned      BOOLEAN      NOT NULL DEFAULT FALSE,
    source_id   BIGINT       NULL,
    memo        VARCHAR(500) NOT NULL DEFAULT '',
    created_by  BIGINT       NULL,
    created_at  DATETIME     NOT NULL,
    updated_at  DATETIME     NOT NULL,
    deleted_at  DATETIME     NULL,
    deleted_by  BIGINT       NULL,
    CONSTRAINT expenses_amount_check CHECK (amount >= 0),
    CONSTRAINT expenses_vat_check CHECK (vat >= 0),
    CONSTRAINT expenses_copy_unique UNIQUE (source_id, month),
    CONSTRAINT expenses_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id),
    CONSTRAINT expenses_source_fk FOREIGN KEY (source_id) REFERENCES expenses (id),
    CONSTRAINT expenses_created_by_fk FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT expenses_deleted_by_fk FOREIGN KEY (deleted_by) REFERENCES users (id) ON DELETE SET NULL,
    INDEX expenses_building_month (building_id, month),
    INDEX expenses_month_pinned (month, pinned)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Files may now belong to an expense item (the vendor's bill).
ALTER TABLE files DROP CONSTRAINT files_owner_kind_check;
ALTER TABLE files ADD CONSTRAINT files_owner_kind_check
    CHECK (owner_kind IN ('building', 'contract', 'lease', 'tenant', 'expense'));
