//! The visibility scope: which buildings a user may see. Staff see every building; a client user
//! sees the buildings of the clients they are linked to, and what hangs off them (units,
//! contracts, leases, tenants leasing there, files). Every query a client can reach goes
//! through it.

use super::Db;
use super::list::{Arg, Where};
use crate::db_run;
use crate::domain::Role;
use crate::domain::list::NamedRef;
use crate::server::error::AppError;

/// The clients a client user is linked to, as a subquery taking the user id.
const CLIENTS_OF_USER: &str = "SELECT client_id FROM client_users WHERE user_id = ?";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Staff: every building.
    All,
    /// A client user (by user id): the buildings of their clients.
    ClientUser(i64),
}

impl Scope {
    pub fn of(role: Role, user_id: i64) -> Self {
        if role == Role::Client {
            Scope::ClientUser(user_id)
        } else {
            Scope::All
        }
    }

    /// Keeps only rows whose `client_column` is one of the user's clients.
    pub fn restrict(&self, w: &mut Where, client_column: &str) {
        if let Scope::ClientUser(user) = *self {
            w.push(
                &format!("{client_column} IN ({CLIENTS_OF_USER})"),
                [Arg::I(user)],
            );
        }
    }

    /// Keeps only tenants (alias `t`) that lease in one of the user's buildings.
    pub fn restrict_tenants(&self, w: &mut Where) {
        if let Scope::ClientUser(user) = *self {
            w.push(
                "EXISTS (SELECT 1 FROM leases l JOIN buildings b ON b.id = l.building_id \
                 JOIN client_users cu ON cu.client_id = b.client_id WHERE l.tenant_id = t.id AND cu.user_id = ?)",
                [Arg::I(user)],
            );
        }
    }

    async fn count(db: &Db, sql: &str, a: i64, b: i64) -> Result<bool, AppError> {
        let n = db_run!(db, |pool| sqlx::query_scalar::<_, i64>(sql)
            .bind(a)
            .bind(b)
            .fetch_one(pool)
            .await?);
        Ok(n > 0)
    }

    pub async fn sees_building(&self, db: &Db, building_id: i64) -> Result<bool, AppError> {
        match *self {
            Scope::All => Ok(true),
            Scope::ClientUser(user) => {
                Self::count(
                    db,
                    "SELECT COUNT(*) FROM buildings b JOIN client_users cu ON cu.client_id = b.client_id \
                     WHERE b.id = ? AND cu.user_id = ?",
                    building_id,
                    user,
                )
                .await
            }
        }
    }

    pub async fn sees_client(&self, db: &Db, client_id: i64) -> Result<bool, AppError> {
        match *self {
            Scope::All => Ok(true),
            Scope::ClientUser(user) => {
                Self::count(
                    db,
                    "SELECT COUNT(*) FROM client_users WHERE client_id = ? AND user_id = ?",
                    client_id,
                    user,
                )
                .await
            }
        }
    }

    pub async fn sees_tenant(&self, db: &Db, tenant_id: i64) -> Result<bool, AppError> {
        match *self {
            Scope::All => Ok(true),
            Scope::ClientUser(user) => {
                Self::count(
                    db,
                    "SELECT COUNT(*) FROM leases l JOIN buildings b ON b.id = l.building_id \
                     JOIN client_users cu ON cu.client_id = b.client_id WHERE l.tenant_id = ? AND cu.user_id = ?",
                    tenant_id,
                    user,
                )
                .await
            }
        }
    }

    /// The buildings in scope by name, for the lists' building filter.
    pub async fn buildings(&self, db: &Db) -> Result<Vec<NamedRef>, AppError> {
        let rows: Vec<(i64, String, String)> = match *self {
            Scope::All => db_run!(db, |pool| sqlx::query_as(
                "SELECT id, name, road_address FROM buildings ORDER BY name LIMIT 5000"
            )
            .fetch_all(pool)
            .await?),
            Scope::ClientUser(user) => db_run!(db, |pool| {
                sqlx::query_as(
                "SELECT id, name, road_address FROM buildings \
                 WHERE client_id IN (SELECT client_id FROM client_users WHERE user_id = ?) ORDER BY name LIMIT 5000"
            )
            .bind(user)
            .fetch_all(pool)
            .await?
            }),
        };
        Ok(super::named(rows))
    }
}
