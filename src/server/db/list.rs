//! The one list-query builder every list uses: filters as SQL fragments with their values, an
//! escaped LIKE search, a sort chosen from a fixed list, and paging; it runs a page of rows and
//! their count over the same filters. Stores build their lists with it; nothing else writes SQL.

use super::Db;
use crate::db_run;
use crate::domain::list::{ListPage, ListQuery};
use crate::server::error::AppError;
use chrono::NaiveDate;

/// A value bound to a list query's placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    I(i64),
    S(String),
    D(NaiveDate),
}

/// `WHERE` clauses and their values, built in step.
#[derive(Default, Debug)]
pub struct Where {
    clauses: Vec<String>,
    args: Vec<Arg>,
}

impl Where {
    pub fn push(&mut self, clause: &str, args: impl IntoIterator<Item = Arg>) {
        self.clauses.push(clause.to_string());
        self.args.extend(args);
    }

    /// `(a LIKE ? OR b LIKE ?)` over `columns`, every one matching `text` anywhere.
    pub fn search(&mut self, columns: &[&str], text: &str) {
        let clause = columns
            .iter()
            .map(|c| format!("{c} LIKE ? ESCAPE '!'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        self.push(&format!("({clause})"), columns.iter().map(|_| like(text)));
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn args(&self) -> &[Arg] {
        &self.args
    }
}

/// `%text%` with `!` escaping `%`, `_` and itself (`LIKE ? ESCAPE '!'`, same on both backends,
/// whose default escapes differ).
pub fn like(s: &str) -> Arg {
    Arg::S(format!(
        "%{}%",
        s.replace('!', "!!").replace('%', "!%").replace('_', "!_")
    ))
}

/// Binds a list's values in order.
#[macro_export]
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::server::db::list::Arg::I(v) => q.bind(*v),
                $crate::server::db::list::Arg::S(v) => q.bind(v.clone()),
                $crate::server::db::list::Arg::D(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// A page of a list, or every row (for an export).
#[derive(Debug, Clone, Copy)]
pub enum Paging {
    Page(u32),
    All,
}

impl Paging {
    pub fn of(q: &ListQuery) -> Self {
        Paging::Page(q.page())
    }

    pub fn limit_offset(self) -> (i64, i64) {
        let per = i64::from(ListQuery::PER_PAGE);
        match self {
            Paging::Page(p) => (per, i64::from(p.max(1) - 1) * per),
            Paging::All => (i64::from(ListQuery::EXPORT_MAX), 0),
        }
    }

    pub fn page_no(self) -> u32 {
        match self {
            Paging::Page(p) => p.max(1),
            Paging::All => 1,
        }
    }

    /// The list page of `rows` out of `total`.
    pub fn page_of<T>(self, rows: Vec<T>, total: i64) -> ListPage<T> {
        ListPage::new(rows, total, self.page_no())
    }
}

/// The list's search text: trimmed, and ignored when empty or longer than 100 characters.
pub fn search_text(q: &ListQuery) -> Option<&str> {
    let s = q.q.trim();
    (!s.is_empty() && s.chars().count() <= 100).then_some(s)
}

/// "Ending within N days" as the dates from `today` to N days later (1–3650 days).
pub fn ending_window(q: &ListQuery, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    q.expiring_days
        .filter(|d| (1..=3650).contains(d))
        .map(|d| (today, today + chrono::Duration::days(i64::from(d))))
}

/// Runs `rows_sql` (ending in `LIMIT ? OFFSET ?`) and `count_sql` with the same filter values.
pub async fn fetch_page<R>(
    db: &Db,
    rows_sql: &str,
    count_sql: &str,
    w: &Where,
    paging: Paging,
) -> Result<(Vec<R>, i64), AppError>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::mysql::MySqlRow>
        + Send
        + Unpin,
{
    fetch_page_with(db, rows_sql, &[], count_sql, w, paging).await
}

/// [`fetch_page`] for a row query whose select list has placeholders of its own (`leading`,
/// bound before the filter's values), such as a count in the viewer's scope.
pub async fn fetch_page_with<R>(
    db: &Db,
    rows_sql: &str,
    leading: &[Arg],
    count_sql: &str,
    w: &Where,
    paging: Paging,
) -> Result<(Vec<R>, i64), AppError>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::mysql::MySqlRow>
        + Send
        + Unpin,
{
    let (limit, offset) = paging.limit_offset();
    db_run!(db, |pool| {
        let rows = bind_args!(
            bind_args!(sqlx::query_as::<_, R>(rows_sql), leading),
            w.args()
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
        let total = bind_args!(sqlx::query_scalar::<_, i64>(count_sql), w.args())
            .fetch_one(pool)
            .await?;
        Ok((rows, total))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_escapes_wildcards() {
        let Arg::S(s) = like("10%_!") else {
            panic!("text")
        };
        assert_eq!(s, "%10!%!_!!%");
    }

    #[test]
    fn search_matches_any_column() {
        let mut w = Where::default();
        w.search(&["a.name", "a.code"], "x");
        w.push("a.id = ?", [Arg::I(1)]);
        assert_eq!(
            w.sql(),
            "WHERE (a.name LIKE ? ESCAPE '!' OR a.code LIKE ? ESCAPE '!') AND a.id = ?"
        );
        assert_eq!(w.args().len(), 3);
    }
}
