-- Billing (issue 12): a building's billing settings, invoices (one per lease per month) and
-- their lines, the lease's other recurring charges, payments and what each paid, and the
-- closing of a building's month (부과 마감).
CREATE TABLE billing_settings (
    building_id      BIGINT       NOT NULL PRIMARY KEY,
    payment_account  VARCHAR(200) NOT NULL DEFAULT '',
    late_fee_step_bp INT          NOT NULL DEFAULT 0,
    updated_at       DATETIME     NOT NULL,
    CONSTRAINT billing_settings_step_check CHECK (late_fee_step_bp BETWEEN 0 AND 2000),
    CONSTRAINT billing_settings_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE lease_charges (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    lease_id   BIGINT       NOT NULL,
    label      VARCHAR(100) NOT NULL,
    amount     BIGINT       NOT NULL,
    taxable    BOOLEAN      NOT NULL,
    created_at DATETIME     NOT NULL,
    CONSTRAINT lease_charges_amount_check CHECK (amount >= 0),
    CONSTRAINT lease_charges_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id) ON DELETE CASCADE,
    INDEX lease_charges_lease (lease_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE billing_months (
    building_id BIGINT     NOT NULL,
    month       CHAR(7)    NOT NULL,
    closed_at   DATETIME   NULL,
    closed_by   BIGINT     NULL,
    PRIMARY KEY (building_id, month),
    CONSTRAINT billing_months_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id) ON DELETE CASCADE,
    CONSTRAINT billing_months_user_fk FOREIGN KEY (closed_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE invoices (
    id            BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    lease_id      BIGINT      NOT NULL,
    building_id   BIGINT      NOT NULL,
    tenant_id     BIGINT      NOT NULL,
    month         CHAR(7)     NOT NULL,
    lease_version INT         NOT NULL,
    due_date      DATE        NOT NULL,
    total         BIGINT      NOT NULL,
    paid          BIGINT      NOT NULL DEFAULT 0,
    status        VARCHAR(16) NOT NULL,
    paid_on       DATE        NULL,
    created_at    DATETIME    NOT NULL,
    UNIQUE KEY invoices_lease_month (lease_id, month),
    INDEX invoices_month_building (month, building_id, total, paid),
    INDEX invoices_status_due (status, due_date),
    INDEX invoices_month_due (month, due_date),
    INDEX invoices_tenant (tenant_id, month),
    CONSTRAINT invoices_status_check CHECK (status IN ('unpaid', 'partial', 'paid', 'overdue')),
    CONSTRAINT invoices_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id),
    CONSTRAINT invoices_building_fk FOREIGN KEY (building_id) REFERENCES buildings (id),
    CONSTRAINT invoices_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE invoice_lines (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    invoice_id   BIGINT       NOT NULL,
    position     INT          NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    label        VARCHAR(200) NOT NULL,
    rule         VARCHAR(1000) NOT NULL DEFAULT '',
    supply       BIGINT       NOT NULL,
    vat          BIGINT       NOT NULL,
    paid         BIGINT       NOT NULL DEFAULT 0,
    source       VARCHAR(100) NULL,
    refers_to    BIGINT       NULL,
    through_date DATE         NULL,
    waived_at    DATETIME     NULL,
    waived_by    BIGINT       NULL,
    waive_reason VARCHAR(500) NULL,
    created_at   DATETIME     NOT NULL,
    UNIQUE KEY invoice_lines_source (source),
    INDEX invoice_lines_invoice (invoice_id, position),
    INDEX invoice_lines_refers (refers_to),
    CONSTRAINT invoice_lines_refers_fk FOREIGN KEY (refers_to) REFERENCES invoices (id),
    CONSTRAINT invoice_lines_kind_check CHECK (kind IN ('rent', 'management_fee', 'charge', 'utility', 'adjustment', 'late_fee')),
    CONSTRAINT invoice_lines_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE CASCADE,
    CONSTRAINT invoice_lines_user_fk FOREIGN KEY (waived_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE payments (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    lease_id       BIGINT       NOT NULL,
    tenant_id      BIGINT       NOT NULL,
    paid_on        DATE         NOT NULL,
    amount         BIGINT       NOT NULL,
    method         VARCHAR(16)  NOT NULL,
    depositor      VARCHAR(100) NOT NULL DEFAULT '',
    memo           VARCHAR(500) NOT NULL DEFAULT '',
    unallocated    BIGINT       NOT NULL,
    created_by     BIGINT       NULL,
    created_at     DATETIME     NOT NULL,
    reversed_at    DATETIME     NULL,
    reversed_by    BIGINT       NULL,
    reverse_reason VARCHAR(500) NULL,
    INDEX payments_lease (lease_id, paid_on),
    INDEX payments_tenant_credit (tenant_id, unallocated),
    CONSTRAINT payments_amount_check CHECK (amount > 0 AND unallocated >= 0),
    CONSTRAINT payments_method_check CHECK (method IN ('transfer', 'cash', 'card', 'deposit', 'refund')),
    CONSTRAINT payments_lease_fk FOREIGN KEY (lease_id) REFERENCES leases (id),
    CONSTRAINT payments_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id),
    CONSTRAINT payments_created_by_fk FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT payments_reversed_by_fk FOREIGN KEY (reversed_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE payment_allocations (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    payment_id BIGINT NOT NULL,
    line_id    BIGINT NOT NULL,
    invoice_id BIGINT NOT NULL,
    amount     BIGINT NOT NULL,
    INDEX payment_allocations_payment (payment_id),
    INDEX payment_allocations_line (line_id),
    INDEX payment_allocations_invoice (invoice_id),
    CONSTRAINT payment_allocations_amount_check CHECK (amount > 0),
    CONSTRAINT payment_allocations_payment_fk FOREIGN KEY (payment_id) REFERENCES payments (id),
    CONSTRAINT payment_allocations_line_fk FOREIGN KEY (line_id) REFERENCES invoice_lines (id),
    CONSTRAINT payment_allocations_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
