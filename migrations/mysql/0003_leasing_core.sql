-- Leasing core (SPEC §2–§3): clients, building details, units, utility records, tenants,
-- leases with their units and history, the audit log and domain events.
CREATE TABLE clients (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind            VARCHAR(16)  NOT NULL,
    name            VARCHAR(200) NOT NULL,
    business_number VARCHAR(12)  NULL,
    representative  VARCHAR(100) NOT NULL DEFAULT '',
    contact_phone   VARCHAR(30)  NOT NULL DEFAULT '',
    contact_email   VARCHAR(254) NOT NULL DEFAULT '',
    created_at      DATETIME     NOT NULL,
    updated_at      DATETIME     NOT NULL,
    CONSTRAINT clients_kind_check CHECK (kind IN ('person', 'company'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Client users (role client) see only the buildings of the clients they are linked to.
CREATE TABLE client_users (
    client_id BIGINT NOT NULL,
    user_id   BIGINT NOT NULL,
    PRIMARY KEY (client_id, user_id),
    CONSTRAINT client_users_client_fk FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
    CONSTRAINT client_users_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

ALTER TABLE buildings
    ADD COLUMN client_id BIGINT NULL,
    ADD COLUMN region_class VARCHAR(32) NOT NULL DEFAULT 'seoul',
    ADD CONSTRAINT buildings_client_fk FOREIGN KEY (client_id) REFERENCES clients (id);

CREATE TABLE units (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    building_id       BIGINT       NOT NULL,
    floor             INT          NOT NULL,
    name              VARCHAR(50)  NOT NULL,
    exclusive_area_m2 DOUBLE       NOT NULL DEFAULT 0,
    common_area_m2    DOUBLE       NOT NULL DEFAULT 0,
    created_at        DATETIME     NOT NULL,
    CONSTRAINT units_building_name_unique UNIQUE (building_id, name),
    CONSTRAINT units_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE building_utilities (
    building_id BIGINT      NOT NULL,
    kind        VARCHAR(16) NOT NULL,
    created_at  DATETIME    NOT NULL,
    PRIMARY KEY (building_id, kind),
    CONSTRAINT building_utilities_kind_check CHECK (kind IN ('electricity', 'water', 'gas')),
    CONSTRAINT building_utilities_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE tenants (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind            VARCHAR(16)  NOT NULL,
    name            VARCHAR(200) NOT NULL,
    business_number VARCHAR(12)  NULL,
    representative  VARCHAR(100) NOT NULL DEFAULT '',
    contact_name    VARCHAR(100) NOT NULL DEFAULT '',
    mobile          VARCHAR(20)  NOT NULL,
    email           VARCHAR(254) NOT NULL DEFAULT '',
    created_at      DATETIME     NOT NULL,
    updated_at      DATETIME     NOT NULL,
    CONSTRAINT tenants_kind_check CHECK (kind IN ('person', 'company'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE leases (
    id               BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tenant_id        BIGINT      NOT NULL,
    building_id      BIGINT      NOT NULL,
    start_date       DATE        NOT NULL,
    end_date         DATE        NOT NULL,
    deposit          BIGINT      NOT NULL,
    monthly_rent     BIGINT      NOT NULL,
    management_fee   BIGINT      NOT NULL,
    vat_applies      BOOLEAN     NOT NULL,
    payment_day      INT         NOT NULL,
    late_fee_rate_bp INT         NOT NULL DEFAULT 0,
    grace_days       INT         NOT NULL DEFAULT 0,
    status           VARCHAR(16) NOT NULL,
    last_increase_on DATE        NULL,
    version          INT         NOT NULL DEFAULT 1,
    created_at       DATETIME    NOT NULL,
    updated_at       DATETIME    NOT NULL,
    CONSTRAINT leases_amounts_check CHECK (deposit >= 0 AND monthly_rent >= 0 AND management_fee >= 0),
    CONSTRAINT leases_payment_day_check CHECK (payment_day BETWEEN 1 AND 31),
    CONSTRAINT leases_status_check CHECK (status IN ('scheduled', 'active', 'ending', 'ended', 'terminated')),
    CONSTRAINT leases_term_check CHECK (end_date >= start_date),
    CONSTRAINT leases_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
    CONSTRAINT leases_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id),
    INDEX leases_building_status (building_id, status),
    INDEX leases_end_date (end_date),
    INDEX leases_status_end (status, end_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE lease_units (
    lease_id BIGINT NOT NULL,
    unit_id  BIGINT NOT NULL,
    PRIMARY KEY (lease_id, unit_id),
    CONSTRAINT lease_units_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id) ON DELETE CASCADE,
    CONSTRAINT lease_units_unit_fk FOREIGN KEY (unit_id) REFERENCES units (id),
    INDEX lease_units_unit (unit_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The previous version of a lease, written before every change (old trigger lmcontract_update).
CREATE TABLE lease_history (
    id         BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    lease_id   BIGINT      NOT NULL,
    version    INT         NOT NULL,
    snapshot   TEXT        NOT NULL,
    change_kind VARCHAR(32) NOT NULL,
    changed_by BIGINT      NULL,
    changed_at DATETIME    NOT NULL,
    CONSTRAINT lease_history_version_unique UNIQUE (lease_id, version),
    CONSTRAINT lease_history_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id) ON DELETE CASCADE,
    CONSTRAINT lease_history_user_fk FOREIGN KEY (changed_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE audit_log (
    id        BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at        DATETIME    NOT NULL,
    user_id   BIGINT      NULL,
    entity    VARCHAR(32) NOT NULL,
    entity_id BIGINT      NOT NULL,
    action    VARCHAR(16) NOT NULL,
    before_json TEXT      NULL,
    after_json  TEXT      NULL,
    CONSTRAINT audit_log_action_check CHECK (action IN ('create', 'update', 'delete')),
    CONSTRAINT audit_log_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL,
    INDEX audit_log_entity (entity, entity_id),
    INDEX audit_log_user (user_id, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE domain_events (
    id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind         VARCHAR(64) NOT NULL,
    entity       VARCHAR(32) NOT NULL,
    entity_id    BIGINT      NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   DATETIME    NOT NULL,
    processed_at DATETIME    NULL,
    INDEX domain_events_unprocessed (processed_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
