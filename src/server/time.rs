//! Calendar time in Asia/Seoul. Korea has kept UTC+9 without daylight saving since 1988, so a
//! fixed offset is exact for every date this software handles.

use chrono::{DateTime, FixedOffset, Utc};

pub fn seoul() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("UTC+9 is a valid offset")
}

/// Today's date in Seoul.
pub fn today_seoul() -> chrono::NaiveDate {
    Utc::now().with_timezone(&seoul()).date_naive()
}

/// `2026-11-24 09:30` in Seoul time.
pub fn format_seoul_minutes(at: DateTime<Utc>) -> String {
    at.with_timezone(&seoul())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn utc_evening_is_next_morning_in_seoul() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 15, 30, 0).unwrap();
        assert_eq!(format_seoul_minutes(at), "2026-11-25 00:30");
    }
}
