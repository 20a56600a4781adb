-- Building register codes and areas, unit contract areas, building managers, management
-- contracts with their history, the deposit ledger, lease termination, and attached files.
ALTER TABLE buildings
    ADD COLUMN sigungu_cd VARCHAR(5) NOT NULL DEFAULT '',
    ADD COLUMN bjdong_cd VARCHAR(5) NOT NULL DEFAULT '',
    ADD COLUMN plat_gb_cd VARCHAR(1) NOT NULL DEFAULT '',
    ADD COLUMN bun VARCHAR(4) NOT NULL DEFAULT '',
    ADD COLUMN ji VARCHAR(4) NOT NULL DEFAULT '',
    ADD COLUMN land_area_m2 DOUBLE NOT NULL DEFAULT 0,
    ADD COLUMN building_area_m2 DOUBLE NOT NULL DEFAULT 0,
    ADD COLUMN approval_date DATE NULL,
    ADD INDEX buildings_name (name);

ALTER TABLE units ADD COLUMN contract_area_m2 DOUBLE NOT NULL DEFAULT 0;

CREATE TABLE building_managers (
    building_id BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    PRIMARY KEY (building_id, user_id),
    INDEX building_managers_user (user_id),
    CONSTRAINT building_managers_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE,
    CONSTRAINT building_managers_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE management_contracts (
    id          BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    building_id BIGINT      NOT NULL,
    client_id   BIGINT      NOT NULL,
    start_date  DATE        NOT NULL,
    end_date    DATE        NOT NULL,
    scope       VARCHAR(20) NOT NULL,
    monthly_fee BIGINT      NOT NULL,
    vat_applies BOOLEAN     NOT NULL,
    status      VARCHAR(16) NOT NULL,
    version     INT         NOT NULL DEFAULT 1,
    created_at  DATETIME    NOT NULL,
    updated_at  DATETIME    NOT NULL,
    INDEX management_contracts_building (building_id, status),
    INDEX management_contracts_client (client_id),
    INDEX management_contracts_status_end (status, end_date),
    CONSTRAINT management_contracts_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id),
    CONSTRAINT management_contracts_client_fk FOREIGN KEY (client_id) REFERENCES clients (id),
    CONSTRAINT management_contracts_fee_check CHECK (monthly_fee >= 0),
    CONSTRAINT management_contracts_status_check CHECK (status IN ('scheduled', 'active', 'ended', 'terminated')),
    CONSTRAINT management_contracts_term_check CHECK (end_date >= start_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE management_contract_history (
    id          BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    contract_id BIGINT      NOT NULL,
    version     INT         NOT NULL,
    snapshot    TEXT        NOT NULL,
    change_kind VARCHAR(40) NOT NULL,
    changed_by  BIGINT      NULL,
    changed_at  DATETIME    NOT NULL,
    CONSTRAINT management_contract_history_version_unique UNIQUE (contract_id, version),
    CONSTRAINT management_contract_history_contract_fk FOREIGN KEY (contract_id) REFERENCES management_contracts (id) ON DELETE CASCADE,
    CONSTRAINT management_contract_history_user_fk FOREIGN KEY (changed_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

ALTER TABLE leases
    ADD COLUMN terminated_on DATE NULL,
    ADD COLUMN termination_reason VARCHAR(500) NOT NULL DEFAULT '',
    ADD INDEX leases_start_date (start_date),
    ADD INDEX leases_rent (monthly_rent);

CREATE TABLE deposit_entries (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    lease_id   BIGINT       NOT NULL,
    kind       VARCHAR(16)  NOT NULL,
    amount     BIGINT       NOT NULL,
    on_date    DATE         NOT NULL,
    note       VARCHAR(500) NOT NULL DEFAULT '',
    created_by BIGINT       NULL,
    created_at DATETIME     NOT NULL,
    INDEX deposit_entries_lease (lease_id, on_date),
    CONSTRAINT deposit_entries_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id) ON DELETE CASCADE,
    CONSTRAINT deposit_entries_user_fk FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT deposit_entries_kind_check CHECK (kind IN ('received', 'returned')),
    CONSTRAINT deposit_entries_amount_check CHECK (amount > 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

ALTER TABLE tenants ADD INDEX tenants_name (name), ADD INDEX tenants_business_number (business_number);
ALTER TABLE clients ADD INDEX clients_name (name);

-- Files attached to a building, a management contract, a lease or a tenant. The bytes live in
-- the object store under `storage_key`; this row is the only way to reach them.
CREATE TABLE files (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    owner_kind   VARCHAR(16)  NOT NULL,
    owner_id     BIGINT       NOT NULL,
    name         VARCHAR(255) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    storage_key  VARCHAR(200) NOT NULL,
    uploaded_by  BIGINT       NULL,
    created_at   DATETIME     NOT NULL,
    CONSTRAINT files_storage_key_unique UNIQUE (storage_key),
    INDEX files_owner (owner_kind, owner_id),
    CONSTRAINT files_user_fk FOREIGN KEY (uploaded_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT files_owner_kind_check CHECK (owner_kind IN ('building', 'contract', 'lease', 'tenant'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
ALTER TABLE audit_log ADD INDEX audit_log_at (at);
