//! Server functions of utilities. Staff enter bills, readings and settings; a client user reads
//! their own buildings' bills, readings and shares.

use super::{BillForm, KindForm, ReadingGrid, ReadingsForm, SplitForm, SplitReport, UtilityMonth};
use crate::domain::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, flash, require_role, require_user, state},
    crate::server::error::AppError,
};

/// A building's utilities for a month: each kind's bill and shares.
#[server(endpoint = "utilities/month")]
pub async fn get_utility_month(
    building_id: i64,
    #[server(default)] month: String,
) -> Result<UtilityMonth, ApiError> {
    let me = require_user()?;
    service::month_view(&state()?, &me, building_id, &month)
        .await
        .map_err(fail)
}

/// A kind's reading grid for a month.
#[server(endpoint = "utilities/readings")]
pub async fn get_reading_grid(
    building_id: i64,
    kind: String,
    #[server(default)] month: String,
) -> Result<ReadingGrid, ApiError> {
    let me = require_user()?;
    service::grid(&state()?, &me, building_id, &kind, &month)
        .await
        .map_err(fail)
}

/// Saves a kind's bill for a month; the bill is split at once.
#[server(endpoint = "utilities/bill")]
pub async fn save_utility_bill(#[server(flatten)] form: BillForm) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let (id, r) = service::save_bill(&state()?, &me, &form)
        .await
        .map_err(fail)?;
    flash(&format!("고지서를 저장했습니다. {}", r.summary_ko()));
    Ok(id)
}

/// Saves a kind's share basis (or adds a building's own kind); its bills from the month on are
/// split again.
#[server(endpoint = "utilities/kind")]
pub async fn save_utility_kind(#[server(flatten)] form: KindForm) -> Result<SplitReport, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let r = service::save_kind(&state()?, &me, &form)
        .await
        .map_err(fail)?;
    flash(&format!("나누는 기준을 저장했습니다. {}", r.summary_ko()));
    Ok(r)
}

/// Saves the reading grid; the month's bill of the kind is split again in the same transaction.
#[server(endpoint = "utilities/readings/save")]
pub async fn save_meter_readings(
    #[server(flatten)] form: ReadingsForm,
) -> Result<SplitReport, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let r = service::save_readings(&state()?, &me, &form)
        .await
        .map_err(fail)?;
    flash(&r.summary_ko());
    Ok(r)
}

/// 다시 나누기: every bill of a building's month split again (after a move-in or move-out).
#[server(endpoint = "utilities/split")]
pub async fn split_utilities(#[server(flatten)] form: SplitForm) -> Result<SplitReport, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let r = service::split_again(&state()?, &me, &form)
        .await
        .map_err(fail)?;
    flash(&r.summary_ko());
    Ok(r)
}

/// Imports a kind's readings from the sheet (`building_id`, `kind`, `month`, `confirm`,
/// `file`): as the grid saves them.
#[server(endpoint = "utilities/readings/import", input = MultipartFormData)]
pub async fn import_meter_readings(data: MultipartData) -> Result<SplitReport, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let state = state()?;
    let (fields, file) = crate::server::web::multipart::read_form(data, state.files.max_bytes)
        .await
        .map_err(fail)?;
    let Some((_, bytes)) = file else {
        return Err(fail(AppError::field("file", "엑셀 파일을 골라 주세요.")));
    };
    let building_id = fields
        .get("building_id")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| fail(AppError::field("building_id", "건물을 골라 주세요.")))?;
    let form = ReadingsForm {
        building_id,
        kind: fields.get("kind").cloned().unwrap_or_default(),
        month: fields.get("month").cloned().unwrap_or_default(),
        confirm: fields
            .get("confirm")
            .is_some_and(|v| v == "on" || v == "true"),
        cells: Default::default(),
    };
    let r = service::import_readings(&state, &me, form, bytes.to_vec())
        .await
        .map_err(fail)?;
    flash(&r.summary_ko());
    Ok(r)
}
