-- Utilities (issue 13, legacy `bldutilcal` / `lmutilcal` / `payment_utilusage`): the kinds of
-- bill a building gets and how each is shared, the building's bill per kind and month, meter
-- readings per unit, the split of a bill (per unit and lease, vacant days the owner's), and what
-- each lease owes for a kind and month with how much of it its invoices already carry.
CREATE TABLE utility_kinds (
    building_id BIGINT       NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    label       VARCHAR(50)  NOT NULL,
    basis       VARCHAR(20)  NOT NULL,
    common_bp   INT          NOT NULL DEFAULT 0,
    position    INT          NOT NULL DEFAULT 0,
    updated_at  DATETIME     NOT NULL,
    PRIMARY KEY (building_id, kind),
    CONSTRAINT utility_kinds_basis_check CHECK (basis IN ('metered', 'exclusive_area', 'supply_area', 'contract_area', 'fixed_ratio', 'equal')),
    CONSTRAINT utility_kinds_common_check CHECK (common_bp BETWEEN 0 AND 10000),
    CONSTRAINT utility_kinds_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A unit's fixed ratio for a kind shared by `fixed_ratio`.
CREATE TABLE utility_ratios (
    building_id BIGINT      NOT NULL,
    kind        VARCHAR(32) NOT NULL,
    unit_id     BIGINT      NOT NULL,
    ratio_bp    INT         NOT NULL,
    PRIMARY KEY (building_id, kind, unit_id),
    CONSTRAINT utility_ratios_check CHECK (ratio_bp BETWEEN 0 AND 1000000),
    CONSTRAINT utility_ratios_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE,
    CONSTRAINT utility_ratios_unit_fk FOREIGN KEY (unit_id) REFERENCES units (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE utility_bills (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    building_id BIGINT       NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    month       CHAR(7)      NOT NULL,
    total       BIGINT       NOT NULL,
    consumption     BIGINT       NOT NULL DEFAULT 0,
    period_from DATE         NULL,
    period_to   DATE         NULL,
    memo        VARCHAR(500) NOT NULL DEFAULT '',
    created_by  BIGINT       NULL,
    created_at  DATETIME     NOT NULL,
    updated_at  DATETIME     NOT NULL,
    CONSTRAINT utility_bills_total_check CHECK (total >= 0),
    CONSTRAINT utility_bills_usage_check CHECK (consumption >= 0),
    CONSTRAINT utility_bills_unique UNIQUE (building_id, kind, month),
    CONSTRAINT utility_bills_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id),
    CONSTRAINT utility_bills_created_by_fk FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
    INDEX utility_bills_month (month, building_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Readings in thousandths of the meter's unit; consumption as computed when saved.
CREATE TABLE meter_readings (
    id             BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    building_id    BIGINT      NOT NULL,
    unit_id        BIGINT      NOT NULL,
    kind           VARCHAR(32) NOT NULL,
    month          CHAR(7)     NOT NULL,
    previous       BIGINT      NOT NULL,
    current        BIGINT      NOT NULL,
    multiplier     INT         NOT NULL DEFAULT 1,
    event          VARCHAR(10) NOT NULL DEFAULT 'none',
    digits         INT         NULL,
    old_final      BIGINT      NULL,
    old_multiplier INT         NULL,
    new_start      BIGINT      NULL,
    consumption        BIGINT      NOT NULL,
    updated_by     BIGINT      NULL,
    updated_at     DATETIME    NOT NULL,
    CONSTRAINT meter_readings_values_check CHECK (previous >= 0 AND current >= 0 AND consumption >= 0),
    CONSTRAINT meter_readings_multiplier_check CHECK (multiplier >= 1),
    CONSTRAINT meter_readings_event_check CHECK (event IN ('none', 'rollover', 'replaced')),
    CONSTRAINT meter_readings_unique UNIQUE (unit_id, kind, month),
    CONSTRAINT meter_readings_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id),
    CONSTRAINT meter_readings_unit_fk FOREIGN KEY (unit_id) REFERENCES units (id) ON DELETE CASCADE,
    CONSTRAINT meter_readings_updated_by_fk FOREIGN KEY (updated_by) REFERENCES users (id) ON DELETE SET NULL,
    INDEX meter_readings_building (building_id, kind, month)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A bill's split: one row per unit and lease (lease_id NULL: vacant days, the owner's cost;
-- unit_id 0: a building with no unit keeps its bill).
CREATE TABLE utility_shares (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    building_id BIGINT       NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    month       CHAR(7)      NOT NULL,
    unit_id     BIGINT       NOT NULL,
    lease_id    BIGINT       NULL,
    days        INT          NOT NULL,
    weight      VARCHAR(100) NOT NULL DEFAULT '',
    amount      BIGINT       NOT NULL,
    CONSTRAINT utility_shares_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id),
    CONSTRAINT utility_shares_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id),
    INDEX utility_shares_bill (building_id, kind, month)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- What a lease owes for a kind and month (`amount`) and how much of it invoice lines carry
-- (`billed`): the month's line while the month is open, adjustment lines after it closed.
CREATE TABLE utility_charges (
    lease_id    BIGINT      NOT NULL,
    month       CHAR(7)     NOT NULL,
    kind        VARCHAR(32) NOT NULL,
    building_id BIGINT      NOT NULL,
    label       VARCHAR(50) NOT NULL,
    rule        VARCHAR(500) NOT NULL DEFAULT '',
    amount      BIGINT      NOT NULL,
    billed      BIGINT      NOT NULL DEFAULT 0,
    updated_at  DATETIME    NOT NULL,
    PRIMARY KEY (lease_id, month, kind),
    CONSTRAINT utility_charges_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id),
    CONSTRAINT utility_charges_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id),
    INDEX utility_charges_building (building_id, month)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Files may now belong to a utility bill.
ALTER TABLE files DROP CONSTRAINT files_owner_kind_check;
ALTER TABLE files ADD CONSTRAINT files_owner_kind_check
    CHECK (owner_kind IN ('building', 'contract', 'lease', 'tenant', 'expense', 'utility_bill'));
