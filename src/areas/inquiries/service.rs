//! Inquiry rules with I/O: a visitor's inquiry checked, rate-limited per address and stored
//! (a filled honeypot is thanked and dropped); the inbox; staff's follow-up.

use super::store;
use super::{InquiryDto, InquiryInbox, InquiryInput, InquiryStatus, InquiryUpdate};
use crate::domain::ApiError;
use crate::domain::error::FieldErrors;
use crate::domain::list::ListQuery;
use crate::domain::validation::{normalize_email, normalize_phone};
use crate::server::db::list::Paging;
use crate::server::db::users;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::format_seoul_minutes;

/// What became of a visitor's inquiry.
pub enum Received {
    /// Stored (or, for a bot, silently dropped): the visitor is thanked.
    Sent,
    /// Too many from this address; the Korean message says when to try again.
    RateLimited(String),
    /// The form has mistakes, field by field.
    Invalid(FieldErrors),
}

/// Takes an inquiry from the homepage form sent from address `ip`.
pub async fn receive(
    state: &AppState,
    ip: std::net::IpAddr,
    input: &InquiryInput,
) -> Result<Received, AppError> {
    // Counted first (one atomic increment each), so a burst cannot slip past the limits: one
    // address, then everyone together. Only what reaches the inbox keeps its place under the
    // common cap; a form with mistakes gives its attempt back.
    let key = format!("inquiry:ip:{}", crate::server::net::rate_key(ip));
    let all = "inquiry:all";
    let window = std::time::Duration::from_secs(3600);
    let refused = |wait| {
        let minutes = crate::server::auth::throttle::wait_minutes(wait);
        Received::RateLimited(format!(
            "문의가 너무 많이 접수되었습니다. {minutes}분 후에 다시 시도하시거나 전화로 문의해 주세요."
        ))
    };
    let mine = state.counters.increment(&key, window).await;
    if mine.count > u64::from(state.settings.inquiry_max_per_hour) {
        tracing::warn!(%ip, "inquiry rate limited");
        return Ok(refused(mine.remaining));
    }
    // A bot filled the hidden field: it is told "thank you" and nothing is stored.
    if !input.website.trim().is_empty() {
        tracing::info!(%ip, "inquiry honeypot filled; dropped");
        return Ok(Received::Sent);
    }
    if let Err(errors) = input.validate() {
        state.counters.decrement(&key).await;
        return Ok(Received::Invalid(errors));
    }
    let everyone = state.counters.increment(all, window).await;
    if everyone.count > u64::from(state.settings.inquiry_max_per_hour_total) {
        tracing::warn!(%ip, "inquiries over the hourly total");
        return Ok(refused(everyone.remaining));
    }
    let phone = normalize_phone(&input.phone).unwrap_or_default();
    let email = normalize_email(&input.email);
    let spam = super::spam_reason(input);
    store::insert(
        &state.db,
        &store::NewInquiry {
            name: input.name.trim(),
            company: input.company.trim(),
            phone: &phone,
            email: &email,
            area: input.area.trim(),
            message: input.message.trim(),
            source_ip: &ip.to_string(),
            spam_reason: spam.unwrap_or_default(),
        },
    )
    .await?;
    tracing::info!(%ip, likely_spam = spam.is_some(), "inquiry received");
    Ok(Received::Sent)
}

pub async fn count_new(state: &AppState) -> Result<i64, AppError> {
    store::count_new(&state.db).await
}

/// The inbox, newest first, 50 a page, by status or the likely spam, with a search.
pub async fn inbox(state: &AppState, q: &ListQuery) -> Result<InquiryInbox, AppError> {
    let paging = Paging::of(q);
    let (rows, total) = store::list(&state.db, q, paging).await?;
    let items = rows
        .into_iter()
        .map(|r| InquiryDto {
            status: InquiryStatus::parse(&r.status).unwrap_or(InquiryStatus::New),
            created_at: format_seoul_minutes(r.created_at),
            id: r.id,
            name: r.name,
            company: r.company,
            phone: r.phone,
            email: r.email,
            area: r.area,
            message: r.message,
            assignee_id: r.assignee_id,
            assignee_name: r.assignee_name,
            notes: r.notes,
            spam_reason: r.spam_reason,
        })
        .collect();
    let staff = users::active_staff(&state.db).await?;
    Ok(InquiryInbox {
        page: paging.page_of(items, total),
        staff,
    })
}

/// Staff's follow-up: status, assignee (an active staff member) and notes.
pub async fn update(state: &AppState, u: &InquiryUpdate) -> Result<(), AppError> {
    let status = InquiryStatus::parse(&u.status)
        .ok_or_else(|| AppError::field("status", "상태를 선택해 주세요."))?;
    let assignee = match u.assignee_id.trim() {
        "" => None,
        raw => {
            let id: i64 = raw
                .parse()
                .map_err(|_| AppError::field("assignee_id", "담당자를 다시 선택해 주세요."))?;
            if !users::is_staff(&state.db, id, true).await? {
                return Err(AppError::field(
                    "assignee_id",
                    "담당자는 활성 직원이어야 합니다.",
                ));
            }
            Some(id)
        }
    };
    if u.notes.chars().count() > 5000 {
        return Err(AppError::field(
            "notes",
            "메모는 5,000자 이내로 입력해 주세요.",
        ));
    }
    let spam = u.spam.as_deref().is_some_and(|v| !v.is_empty());
    if !store::update(
        &state.db,
        u.id,
        status.as_str(),
        assignee,
        u.notes.trim(),
        spam,
    )
    .await?
    {
        return Err(ApiError::NotFound.into());
    }
    Ok(())
}
