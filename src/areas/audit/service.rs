//! The audit log as people read it: stored snapshots shown as `필드: 값` with Korean field
//! names, statuses and kinds.

use super::store;
use super::{AuditEntry, entity_label};
use crate::areas::contracts::ContractStatus;
use crate::areas::leases::LeaseStatus;
use crate::domain::list::{ListPage, ListQuery};
use crate::domain::validation::kind_label;
use crate::server::db::list::Paging;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::time::format_seoul_minutes;

/// Korean names of the fields the audit log stores, for people reading it.
const AUDIT_FIELDS: [(&str, &str); 56] = [
    ("id", "번호"),
    ("kind", "구분"),
    ("name", "이름"),
    ("business_number", "사업자등록번호"),
    ("representative", "대표자"),
    ("contact_name", "담당자"),
    ("contact_phone", "연락처"),
    ("contact_email", "이메일"),
    ("mobile", "휴대전화"),
    ("email", "이메일"),
    ("road_address", "도로명 주소"),
    ("lot_address", "지번 주소"),
    ("sigungu_cd", "시군구코드"),
    ("bjdong_cd", "법정동코드"),
    ("plat_gb_cd", "대지구분"),
    ("bun", "번"),
    ("ji", "지"),
    ("region_class", "지역 구분"),
    ("main_use", "주용도"),
    ("floors_above", "지상 층수"),
    ("floors_below", "지하 층수"),
    ("land_area_m2", "대지면적"),
    ("building_area_m2", "건축면적"),
    ("total_area_m2", "연면적"),
    ("approval_date", "사용승인일"),
    ("client_id", "고객 번호"),
    ("manager_ids", "담당자 번호"),
    ("building_id", "건물 번호"),
    ("tenant_id", "임차인 번호"),
    ("unit_ids", "호실 번호"),
    ("start_date", "시작일"),
    ("end_date", "종료일"),
    ("deposit", "보증금"),
    ("monthly_rent", "월 임대료"),
    ("management_fee", "관리비"),
    ("monthly_fee", "월 관리 수수료"),
    ("scope", "관리 범위"),
    ("vat_applies", "부가세"),
    ("payment_day", "납부일"),
    ("status", "상태"),
    ("amount", "금액"),
    ("on_date", "날짜"),
    ("note", "메모"),
    ("owner_kind", "붙인 대상"),
    ("owner_id", "대상 번호"),
    ("content_type", "파일 형식"),
    ("size_bytes", "크기(바이트)"),
    ("storage_key", "저장 위치"),
    ("lease_id", "임대 계약 번호"),
    ("last_increase_on", "최근 인상일"),
    ("late_fee_rate_bp", "연체 이율(1%=100)"),
    ("grace_days", "연체 유예일"),
    ("version", "버전"),
    ("linked", "연결"),
    ("user_id", "사용자 번호"),
    ("source", "입력 경로"),
];

/// A stored audit snapshot as `필드: 값, …` with Korean field names and statuses; anything
/// that is not a JSON object is shown as stored.
fn readable(raw: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(raw) else {
        return raw.to_string();
    };
    map.iter()
        .map(|(k, v)| {
            let label = AUDIT_FIELDS
                .iter()
                .find(|(f, _)| f == k)
                .map(|(_, l)| *l)
                .unwrap_or(k.as_str());
            let value = match (k.as_str(), v) {
                ("status", serde_json::Value::String(s)) => LeaseStatus::parse(s)
                    .map(|x| x.label_ko().to_string())
                    .or_else(|| ContractStatus::parse(s).map(|x| x.label_ko().to_string()))
                    .unwrap_or_else(|| s.clone()),
                ("kind", serde_json::Value::String(s)) if s == "company" || s == "person" => {
                    kind_label(s).to_string()
                }
                ("kind", serde_json::Value::String(s)) if s == "received" => "수령".into(),
                ("kind", serde_json::Value::String(s)) if s == "returned" => "반환".into(),
                ("owner_kind", serde_json::Value::String(s)) => entity_label(s).to_string(),
                ("source", serde_json::Value::String(s)) if s == "import" => "엑셀 가져오기".into(),
                (_, serde_json::Value::String(s)) => s.clone(),
                (_, serde_json::Value::Bool(b)) => if *b { "예" } else { "아니오" }.into(),
                (_, serde_json::Value::Null) => "-".into(),
                (_, other) => other.to_string(),
            };
            format!("{label}: {value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn list_audit(
    state: &AppState,
    q: &ListQuery,
    paging: Paging,
) -> Result<ListPage<AuditEntry>, AppError> {
    let (rows, total) = store::list_audit(&state.db, q, paging).await?;
    Ok(paging.page_of(
        rows.into_iter()
            .map(|a| AuditEntry {
                id: a.id,
                at: format_seoul_minutes(a.at),
                user_name: a.user_name,
                entity: a.entity,
                entity_id: a.entity_id,
                action: a.action,
                before: a.before_json.as_deref().map(readable),
                after: a.after_json.as_deref().map(readable),
            })
            .collect(),
        total,
    ))
}

/// The consumer that writes the dashboard's activity lines from lease and contract events
/// (once per event: the line is keyed by the event).
pub fn activity_consumer() -> crate::server::queue::ConsumerDef {
    crate::server::queue::ConsumerDef::new(
        "activity.feed",
        "대시보드 최근 활동 기록",
        &["lease.", "contract."],
        |state: AppState, event| async move { record_activity(&state, &event).await },
    )
}

async fn record_activity(
    state: &AppState,
    event: &crate::server::queue::Event,
) -> Result<(), AppError> {
    let verb = super::activity_verb(&event.kind);
    let (building_id, summary) = match event.entity.as_str() {
        "lease" => match store::lease_subject(&state.db, event.entity_id).await? {
            Some((building_id, building, units, tenant)) => {
                let units = if units.is_empty() {
                    String::new()
                } else {
                    format!(" {}", units.join(", "))
                };
                (
                    Some(building_id),
                    format!("{building}{units} 임대 계약 {verb} — {tenant}"),
                )
            }
            None => (None, format!("임대 계약 #{} {verb}", event.entity_id)),
        },
        "contract" => match store::contract_subject(&state.db, event.entity_id).await? {
            Some((building_id, building, client)) => (
                Some(building_id),
                format!("{building} 관리 계약 {verb} — {client}"),
            ),
            None => (None, format!("관리 계약 #{} {verb}", event.entity_id)),
        },
        other => (
            None,
            format!("{} #{} {verb}", entity_label(other), event.entity_id),
        ),
    };
    store::record_activity(
        &state.db,
        event.id,
        event.created_at,
        &event.kind,
        &event.entity,
        event.entity_id,
        building_id,
        &summary,
    )
    .await?;
    Ok(())
}

/// The dashboard's newest activity lines the user may see.
pub async fn recent_activity(
    state: &AppState,
    scope: crate::server::db::scope::Scope,
) -> Result<Vec<super::ActivityDto>, AppError> {
    Ok(
        store::recent_activity(&state.db, scope, super::RECENT_ACTIVITY)
            .await?
            .into_iter()
            .map(|r| super::ActivityDto {
                at: format_seoul_minutes(r.at),
                href: super::activity_href(&r.entity, r.entity_id),
                summary: r.summary,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn audit_snapshots_read_in_korean() {
        assert_eq!(
            super::readable(
                r#"{"monthly_rent":3000000,"status":"active","vat_applies":true,"x":null}"#
            ),
            "월 임대료: 3000000, 상태: 진행 중, 부가세: 예, x: -"
        );
        assert_eq!(super::readable("not json"), "not json");
    }
}
