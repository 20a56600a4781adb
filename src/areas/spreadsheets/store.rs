//! Every SQL statement of the spreadsheet import: the building's units and live terms to check
//! rows against, and the one transaction that saves an import.

use crate::areas::leases::store::{LeaseWrite, insert_lease_row};
use crate::areas::tenants::store::{NewTenant, insert_tenant_row};
use crate::server::db::{Db, now_utc};
use crate::server::error::AppError;
use crate::{audit_created, db_run, write_event};
use chrono::NaiveDate;

/// `(name, id)` of the building's units.
pub async fn unit_names(db: &Db, building_id: i64) -> Result<Vec<(String, i64)>, AppError> {
    Ok(db_run!(db, |pool| sqlx::query_as::<_, (String, i64)>(
        "SELECT name, id FROM units WHERE building_id = ?"
    )
    .bind(building_id)
    .fetch_all(pool)
    .await?))
}

/// `(unit id, start, end)` of every live lease on the building's units.
pub async fn live_unit_terms(
    db: &Db,
    building_id: i64,
) -> Result<Vec<(i64, NaiveDate, NaiveDate)>, AppError> {
    let sql = "SELECT lu.unit_id, l.start_date, l.end_date FROM leases l JOIN lease_units lu ON lu.lease_id = l.id \
               WHERE l.building_id = ? AND l.status NOT IN ('ended', 'terminated')";
    Ok(db_run!(db, |pool| sqlx::query_as::<
        _,
        (i64, NaiveDate, NaiveDate),
    >(sql)
    .bind(building_id)
    .fetch_all(pool)
    .await?))
}

/// A tenant named in an import; `key` is its business number (digits) or name and mobile.
pub struct ImportTenant {
    pub key: String,
    pub tenant: NewTenant,
}

pub struct ImportLease {
    pub row: u32,
    /// Index into the import's tenants (the lease's `tenant_id` is set once it exists).
    pub tenant: usize,
    pub lease: LeaseWrite,
}

/// Saves an import in one transaction: tenants not yet known are created (a known business
/// number, or name and mobile, reuses the tenant), then every lease with its units, audit entry
/// and `lease.created` event. Overlaps are checked again under the units' locks; any failure
/// saves nothing. Returns `(leases, new tenants)`.
pub async fn import_leases(
    db: &Db,
    building_id: i64,
    tenants: &[ImportTenant],
    leases: &[ImportLease],
    by: Option<i64>,
) -> Result<(u32, u32), AppError> {
    let now = now_utc();
    let overlap_sql = "SELECT COUNT(*) FROM leases l JOIN lease_units lu ON lu.lease_id = l.id \
         WHERE lu.unit_id = ? AND l.status NOT IN ('ended', 'terminated') AND l.start_date <= ? AND ? <= l.end_date";
    db_run!(db, |pool| {
        let mut tx = crate::server::db::BeginWrite::begin_write(pool).await?;
        sqlx::query("UPDATE units SET building_id = building_id WHERE building_id = ?")
            .bind(building_id)
            .execute(&mut *tx)
            .await?;
        let known: Vec<(i64, Option<String>, String, String)> =
            sqlx::query_as("SELECT id, business_number, name, mobile FROM tenants")
                .fetch_all(&mut *tx)
                .await?;
        let mut by_key: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        for (id, bn, name, mobile) in known {
            let digits: String = bn
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_digit())
                .collect();
            if digits.is_empty() {
                by_key.entry(format!("p:{name}:{mobile}")).or_insert(id);
            } else {
                by_key.entry(format!("b:{digits}")).or_insert(id);
            }
        }
        let mut ids = Vec::with_capacity(tenants.len());
        let mut created_tenants = 0u32;
        for t in tenants {
            if let Some(id) = by_key.get(&t.key) {
                ids.push(*id);
                continue;
            }
            let id = insert_tenant_row!(tx, &t.tenant, now);
            let t = &t.tenant;
            let after = serde_json::json!({"kind": t.kind, "name": t.name, "business_number": t.business_number, "mobile": t.mobile, "source": "import"}).to_string();
            audit_created!(tx, now, by, "tenant", id, &after);
            created_tenants += 1;
            ids.push(id);
        }
        for l in leases {
            let x = &l.lease;
            for unit in &x.unit_ids {
                let n: i64 = sqlx::query_scalar(overlap_sql)
                    .bind(unit)
                    .bind(x.end_date)
                    .bind(x.start_date)
                    .fetch_one(&mut *tx)
                    .await?;
                if n > 0 {
                    return Err(AppError::conflict(format!(
                        "{}행: 다른 사용자가 방금 같은 호실에 계약을 등록했습니다. 다시 가져와 주세요.",
                        l.row
                    )));
                }
            }
            let tenant_id = ids[l.tenant];
            let write = LeaseWrite {
                tenant_id,
                ..x.clone()
            };
            let id = insert_lease_row!(tx, &write, now);
            let after = serde_json::json!({
                "tenant_id": tenant_id, "building_id": building_id, "unit_ids": x.unit_ids,
                "start_date": x.start_date, "end_date": x.end_date, "deposit": x.deposit, "monthly_rent": x.monthly_rent,
                "management_fee": x.management_fee, "vat_applies": x.vat_applies, "payment_day": x.payment_day, "source": "import",
            }).to_string();
            audit_created!(tx, now, by, "lease", id, &after);
            write_event!(tx, now, "lease.created", "lease", id, &after);
        }
        tx.commit().await?;
        Ok((leases.len() as u32, created_tenants))
    })
}
