//! Client rules with I/O: a client's record normalized the same way for registering and
//! correcting it, client isolation (a client user sees only their own clients), and the users
//! linked to a client.

use super::store::{self, ClientRow, ClientWrite};
use super::{ClientDetail, ClientInput, ClientSummary};
use crate::areas::contracts;
use crate::domain::form::Change;
use crate::domain::list::{ListPage, ListQuery};
use crate::domain::validation::{format_business_number, normalize_email, normalize_phone};
use crate::domain::{ApiError, Role};
use crate::server::auth::CurrentUser;
use crate::server::db::list::Paging;
use crate::server::db::users;
use crate::server::db::{Table, exists};
use crate::server::error::AppError;
use crate::server::state::AppState;

fn not_found() -> AppError {
    AppError::Api(ApiError::NotFound)
}

/// The record as stored: validated, trimmed, the business number as `123-45-67890`, the phone
/// as digits.
fn normalized(input: &ClientInput) -> Result<ClientWrite, AppError> {
    input
        .validate()
        .map_err(|e| AppError::Api(ApiError::Validation(e)))?;
    Ok(ClientWrite {
        kind: input.kind.clone(),
        name: input.name.trim().to_string(),
        business_number: format_business_number(&input.business_number),
        representative: input.representative.trim().to_string(),
        contact_phone: normalize_phone(&input.contact_phone).unwrap_or_default(),
        contact_email: input.contact_email.trim().to_string(),
    })
}

pub async fn create_client(
    state: &AppState,
    by: &CurrentUser,
    input: &ClientInput,
) -> Result<i64, AppError> {
    store::insert_client(&state.db, &normalized(input)?, Some(by.id.0)).await
}

pub async fn update_client(
    state: &AppState,
    by: &CurrentUser,
    change: &Change<ClientInput>,
) -> Result<(), AppError> {
    let c = normalized(&change.fields)?;
    store::update_client(&state.db, change.id, &c, Some(by.id.0)).await
}

fn client_summary(r: ClientRow) -> ClientSummary {
    ClientSummary {
        id: r.id,
        kind: r.kind,
        name: r.name,
        business_number: r.business_number,
        representative: r.representative,
        contact_phone: r.contact_phone,
        contact_email: r.contact_email,
        buildings: r.buildings,
        users: r.users,
    }
}

pub async fn list_clients(
    state: &AppState,
    viewer: &CurrentUser,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<ClientSummary>, AppError> {
    let (rows, total) = store::list_clients(&state.db, q, viewer.scope(), paging).await?;
    Ok(paging.page_of(rows.into_iter().map(client_summary).collect(), total))
}

/// A client with its linked users, buildings and management contracts.
pub async fn get_client(
    state: &AppState,
    viewer: &CurrentUser,
    id: i64,
) -> Result<ClientDetail, AppError> {
    let row = store::find_client(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    if !viewer.scope().sees_client(&state.db, id).await? {
        return Err(not_found());
    }
    let q = ListQuery {
        client_id: Some(id),
        ..Default::default()
    };
    Ok(ClientDetail {
        client: client_summary(row),
        users: store::users_of_client(&state.db, id).await?,
        buildings: store::buildings_of_client(&state.db, id).await?,
        contracts: contracts::service::list_contracts(state, viewer, &q, Paging::All)
            .await?
            .rows,
    })
}

/// Links the client-role user with this email to the client.
pub async fn link_client_user(
    state: &AppState,
    by: &CurrentUser,
    client_id: i64,
    email: &str,
) -> Result<(), AppError> {
    if !exists(&state.db, Table::Clients, client_id).await? {
        return Err(not_found());
    }
    let email = normalize_email(email);
    let Some(user) = users::find_by_email(&state.db, &email).await? else {
        return Err(AppError::field(
            "email",
            "이 이메일로 등록된 사용자가 없습니다. 사용자 관리에서 고객 계정을 먼저 만들어 주세요.",
        ));
    };
    if user.role()? != Role::Client {
        return Err(AppError::field(
            "email",
            "고객(건물주) 역할의 사용자만 연결할 수 있습니다.",
        ));
    }
    store::link_client_user(&state.db, client_id, user.id, Some(by.id.0)).await
}

pub async fn unlink_client_user(
    state: &AppState,
    by: &CurrentUser,
    client_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    if store::unlink_client_user(&state.db, client_id, user_id, Some(by.id.0)).await? {
        Ok(())
    } else {
        Err(not_found())
    }
}

/// Every client by name (with the business number), for choosing a building's owner.
pub async fn choices(state: &AppState) -> Result<Vec<crate::domain::list::NamedRef>, AppError> {
    store::client_choices(&state.db).await
}
