//! Cron schedules in Asia/Seoul, parsed and stepped by `croner`. Korea keeps UTC+9 with no
//! daylight saving, so the fixed offset of `server::time::seoul` is exact and every wall-clock
//! time exists once.

use crate::server::time::seoul;
use chrono::{DateTime, Utc};
use croner::Cron;
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    text: String,
}

impl Schedule {
    /// A five-field cron (minute hour day month weekday), or a Korean reason it is not one.
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() > 100 {
            return Err("일정이 너무 깁니다 (100자까지).".to_string());
        }
        if text.split(' ').count() != 5 {
            return Err(
                "분 시 일 월 요일의 다섯 칸으로 적어 주세요 (예: 매일 오전 9시는 0 9 * * *)."
                    .to_string(),
            );
        }
        let cron = Cron::from_str(&text)
            .map_err(|e| format!("일정을 읽을 수 없습니다 ({e}). 예: 0 9 * * *"))?;
        // A pattern that never matches (31 February) would never fire.
        if cron
            .find_next_occurrence(&Utc::now().with_timezone(&seoul()), false)
            .is_err()
        {
            return Err("이 일정은 실행되는 날이 없습니다.".to_string());
        }
        Ok(Schedule { cron, text })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first scheduled time after `t`.
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron
            .find_next_occurrence(&t.with_timezone(&seoul()), false)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }

    /// The latest scheduled time at or before `t`.
    pub fn latest_at_or_before(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron
            .find_previous_occurrence(&t.with_timezone(&seoul()), true)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_first_of_the_month_at_nine_is_midnight_utc() {
        let s = Schedule::parse("0 9 1 * *").unwrap();
        // 2026-11-30 12:00 UTC is 21:00 in Seoul; the next is 1 December 09:00 Seoul.
        assert_eq!(
            s.next_after(utc(2026, 11, 30, 12, 0)),
            Some(utc(2026, 12, 1, 0, 0))
        );
        assert_eq!(
            s.latest_at_or_before(utc(2026, 12, 1, 0, 0)),
            Some(utc(2026, 12, 1, 0, 0)),
            "a scheduled time is its own latest"
        );
        assert_eq!(
            s.latest_at_or_before(utc(2026, 11, 30, 23, 59)),
            Some(utc(2026, 11, 1, 0, 0))
        );
    }

    #[test]
    fn a_late_evening_in_seoul_is_the_afternoon_in_utc() {
        // 23:55 daily in Seoul = 14:55 UTC.
        let s = Schedule::parse("55 23 * * *").unwrap();
        assert_eq!(
            s.next_after(utc(2026, 11, 30, 15, 0)),
            Some(utc(2026, 12, 1, 14, 55))
        );
        // The quarterly guidance: 15 Feb/May/Aug/Nov 10:00.
        let q = Schedule::parse("0 10 15 2,5,8,11 *").unwrap();
        assert_eq!(
            q.next_after(utc(2026, 11, 30, 0, 0)),
            Some(utc(2027, 2, 15, 1, 0))
        );
    }

    #[test]
    fn bad_schedules_are_refused_in_korean() {
        for bad in [
            "",
            "0 9 * *",
            "0 0 9 * * *",
            "61 * * * *",
            "x 9 * * *",
            "0 0 31 2 *",
        ] {
            let e = Schedule::parse(bad).unwrap_err();
            assert!(!e.is_empty() && !e.is_ascii(), "{bad}: {e}");
        }
        assert_eq!(
            Schedule::parse(" 0  9 * * * ").unwrap().as_str(),
            "0 9 * * *"
        );
    }
}
