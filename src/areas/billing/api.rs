//! Server functions of billing. Staff generate, close, record and waive; only an admin reopens
//! a closed month; a client user reads their own buildings' billing.

use super::{
    ArrearsView, BillingOverview, BillingSettingsDto, ChargeForm, CloseForm, GenerateForm,
    GenerateReport, InvoiceDto, LeaseBilling, PaymentForm, RemoveChargeForm, ReopenForm,
    ReversePaymentForm, SettingsForm, WaiveForm,
};
use crate::domain::ApiError;
use crate::domain::list::ListQuery;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::domain::money::format_won,
    crate::server::context::{fail, flash, require_role, require_user, state},
    crate::server::db::list::Paging,
    crate::server::error::AppError,
};

/// The month's summary, chart, buildings and invoice list (50 a page).
#[server(endpoint = "billing/overview")]
pub async fn get_billing_overview(
    #[server(default)] query: ListQuery,
) -> Result<BillingOverview, ApiError> {
    let me = require_user()?;
    service::overview(&state()?, &me, &query, Paging::of(&query))
        .await
        .map_err(fail)
}

#[server(endpoint = "billing/invoice")]
pub async fn get_invoice(id: i64) -> Result<InvoiceDto, ApiError> {
    let me = require_user()?;
    service::invoice(&state()?, &me, id).await.map_err(fail)
}

/// "M월 청구 생성" for every building or one.
#[server(endpoint = "billing/generate")]
pub async fn generate_invoices(
    #[server(flatten)] form: GenerateForm,
) -> Result<GenerateReport, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let report = service::generate(&state()?, &me, &form.month, form.building_id)
        .await
        .map_err(fail)?;
    flash(&report.summary_ko());
    Ok(report)
}

/// 부과 마감.
#[server(endpoint = "billing/close")]
pub async fn close_month(#[server(flatten)] form: CloseForm) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::close_month(&state()?, &me, form.building_id, &form.month)
        .await
        .map_err(fail)?;
    flash("부과 마감했습니다. 이제 고지서를 출력할 수 있습니다.");
    Ok(())
}

/// 열린 건물 모두 마감: the month closed for every building still open.
#[server(endpoint = "billing/close-all")]
pub async fn close_all_open(month: String) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let n = service::close_all_open(&state()?, &me, &month)
        .await
        .map_err(fail)?;
    flash(&if n == 0 {
        "마감할 열린 건물이 없습니다.".to_string()
    } else {
        format!("건물 {n}곳의 청구를 부과 마감했습니다. 이제 고지서를 출력할 수 있습니다.")
    });
    Ok(n)
}

/// 마감 해제: admins only, with a reason.
#[server(endpoint = "billing/reopen")]
pub async fn reopen_month(#[server(flatten)] form: ReopenForm) -> Result<(), ApiError> {
    let me = require_role(&[Role::Admin])?;
    service::reopen_month(&state()?, &me, form.building_id, &form.month, &form.reason)
        .await
        .map_err(fail)?;
    flash("마감을 해제했습니다. 사유는 감사 로그에 남았습니다.");
    Ok(())
}

/// 수납: a payment on a lease, paid out in the written order.
#[server(endpoint = "billing/pay")]
pub async fn record_payment(#[server(flatten)] form: PaymentForm) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let back = form.invoice_id;
    let input = form
        .into_input(crate::server::time::today_seoul())
        .map_err(|e| fail(AppError::Api(ApiError::Validation(e))))?;
    let (id, credit) = service::record_payment(&state()?, &me, &input)
        .await
        .map_err(fail)?;
    flash(&if credit > 0 {
        format!(
            "{} 수납을 기록했습니다. 남은 {}은 선수금으로 다음 청구에 충당됩니다.",
            format_won(input.amount),
            format_won(credit)
        )
    } else {
        format!("{} 수납을 기록했습니다.", format_won(input.amount))
    });
    if let Some(invoice) = back {
        leptos_axum::redirect(&format!("/platform/billing/invoices/{invoice}"));
    }
    Ok(id)
}

/// 수납 취소: an audited reversal with its reason.
#[server(endpoint = "billing/reverse")]
pub async fn reverse_payment(#[server(flatten)] form: ReversePaymentForm) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::reverse_payment(&state()?, &me, form.id, &form.reason)
        .await
        .map_err(fail)?;
    flash("수납을 취소했습니다. 충당했던 금액은 다시 미납이 됩니다.");
    if let Some(invoice) = form.invoice_id {
        leptos_axum::redirect(&format!("/platform/billing/invoices/{invoice}"));
    }
    Ok(())
}

/// 연체료 면제, with a reason.
#[server(endpoint = "billing/waive")]
pub async fn waive_late_fee(#[server(flatten)] form: WaiveForm) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::waive(&state()?, &me, form.line_id, &form.reason)
        .await
        .map_err(fail)?;
    flash("연체료를 면제했습니다.");
    Ok(())
}

#[server(endpoint = "billing/arrears")]
pub async fn arrears(#[server(default)] query: ListQuery) -> Result<ArrearsView, ApiError> {
    let me = require_user()?;
    service::arrears(&state()?, &me, &query).await.map_err(fail)
}

#[server(endpoint = "billing/settings")]
pub async fn billing_settings(building_id: i64) -> Result<BillingSettingsDto, ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::settings(&state()?, &me, building_id)
        .await
        .map_err(fail)
}

#[server(endpoint = "billing/settings/save")]
pub async fn save_billing_settings(#[server(flatten)] form: SettingsForm) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::save_settings(&state()?, &me, &form)
        .await
        .map_err(fail)?;
    flash("청구 설정을 저장했습니다.");
    Ok(())
}

/// A lease's charges, invoices, credit and what it owes.
#[server(endpoint = "billing/lease")]
pub async fn get_lease_billing(lease_id: i64) -> Result<LeaseBilling, ApiError> {
    let me = require_user()?;
    service::lease_billing(&state()?, &me, lease_id)
        .await
        .map_err(fail)
}

#[server(endpoint = "billing/charges/add")]
pub async fn add_lease_charge(#[server(flatten)] form: ChargeForm) -> Result<i64, ApiError> {
    let me = require_role(&Role::STAFF)?;
    let id = service::add_charge(&state()?, &me, &form)
        .await
        .map_err(fail)?;
    flash("매월 부과 항목을 추가했습니다. 다음에 생성하는 청구부터 들어갑니다.");
    Ok(id)
}

#[server(endpoint = "billing/charges/remove")]
pub async fn remove_lease_charge(
    #[server(flatten)] form: RemoveChargeForm,
) -> Result<(), ApiError> {
    let me = require_role(&Role::STAFF)?;
    service::remove_charge(&state()?, &me, form.id)
        .await
        .map_err(fail)?;
    flash("부과 항목을 삭제했습니다. 이미 만든 청구는 그대로입니다.");
    Ok(())
}
