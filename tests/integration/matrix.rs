//! The authorization matrix: every server function, plain route and page the router serves
//! (listed by the app itself, not by hand) is called as a visitor, as a client owner on their
//! own record and on another owner's, as a manager and as an admin, and each answer is compared
//! with the one table below. A new function or route without a line here fails the test.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::domain::Role;
use std::collections::{BTreeMap, BTreeSet};

/// Who may call it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    /// Anyone, signed in or not.
    Anyone,
    /// Anyone signed in (a client sees only their own buildings' part).
    SignedIn,
    /// Anyone signed in, on a record: a client only on their own (another's is 403 or 404).
    Owner,
    /// Managers and admins.
    Staff,
    /// Admins only.
    Admin,
}
use Who::*;

/// Server functions: path, who, and the form body (`{building}`, `{lease}`, `{tenant}`,
/// `{client}`, `{contract}`, `{file}` become the caller's own ids, or another owner's in the
/// "other" column). A body that names no record (`id=999999999`) keeps writes from changing
/// anything: a caller who may call it gets 404 or 422, one who may not gets 401 or 403.
const SERVER_FNS: &[(&str, Who, &str)] = &[
    ("/api/me", Anyone, ""),
    ("/api/platform/session", Anyone, ""),
    ("/api/account/password", SignedIn, ""),
    ("/api/buildings/list", SignedIn, ""),
    ("/api/buildings/options", SignedIn, ""),
    ("/api/buildings/get", Owner, "id={building}"),
    ("/api/units/list", Owner, "query[building_id]={building}"),
    ("/api/buildings/choices", Staff, ""),
    (
        "/api/buildings/create",
        Staff,
        "name=&road_address=&main_use=&floors_above=1&floors_below=0",
    ),
    (
        "/api/buildings/update",
        Staff,
        "id=999999999&name=&road_address=&main_use=&floors_above=1&floors_below=0",
    ),
    (
        "/api/units/bulk-add",
        Staff,
        "building_id=999999999&floor=1&from=101&to=101&exclusive_area_m2=1&common_area_m2=1",
    ),
    ("/api/clients/list", SignedIn, ""),
    ("/api/clients/get", Owner, "id={client}"),
    ("/api/clients/create", Staff, "kind=&name="),
    (
        "/api/clients/update",
        Staff,
        "id=999999999&version=1&kind=&name=",
    ),
    (
        "/api/clients/link-user",
        Staff,
        "client_id=999999999&email=x%40y.kr",
    ),
    (
        "/api/clients/unlink-user",
        Staff,
        "client_id=999999999&user_id=999999999",
    ),
    ("/api/contracts/list", SignedIn, ""),
    ("/api/contracts/get", Owner, "id={contract}"),
    (
        "/api/contracts/create",
        Staff,
        "building_id=999999999&client_id=999999999&start_date=2026-01-01&end_date=2026-12-31&scope=pm&monthly_fee=1",
    ),
    (
        "/api/contracts/update",
        Staff,
        "id=999999999&version=1&end_date=2026-12-31&scope=pm&monthly_fee=1",
    ),
    ("/api/leases/list", SignedIn, ""),
    ("/api/leases/get", Owner, "id={lease}"),
    (
        "/api/leases/create",
        Staff,
        "tenant_id=999999999&building_id=999999999&unit_ids=&start_date=2026-01-01&end_date=2026-12-31&deposit=1&monthly_rent=1&management_fee=0&payment_day=1&late_fee_rate_bp=0&grace_days=0",
    ),
    (
        "/api/leases/update",
        Staff,
        "id=999999999&version=1&end_date=2026-12-31&deposit=1&monthly_rent=1&management_fee=0&payment_day=1",
    ),
    (
        "/api/leases/renew",
        Staff,
        "id=999999999&version=1&end_date=2026-12-31&deposit=1&monthly_rent=1&management_fee=0&payment_day=1",
    ),
    (
        "/api/leases/deposit",
        Staff,
        "lease_id=999999999&kind=received&amount=1&on_date=2026-01-01",
    ),
    (
        "/api/leases/terminate",
        Staff,
        "id=999999999&version=1&terminated_on=2026-01-01&reason=x",
    ),
    ("/api/imports/leases", Staff, "multipart"),
    ("/api/tenants/list", SignedIn, ""),
    ("/api/tenants/get", Owner, "id={tenant}"),
    ("/api/tenants/create", Staff, "kind=&name=&mobile="),
    (
        "/api/tenants/update",
        Staff,
        "id=999999999&version=1&kind=&name=&mobile=",
    ),
    ("/api/tenants/delete", Staff, "id=999999999"),
    ("/api/files/upload", Staff, "multipart"),
    ("/api/files/delete", Staff, "id=999999999"),
    ("/api/inquiries/count-new", Staff, ""),
    ("/api/inquiries/list", Staff, "query[status]="),
    (
        "/api/inquiries/update",
        Staff,
        "id=999999999&status=new&assignee_id=&notes=",
    ),
    ("/api/posts/list", Staff, ""),
    ("/api/posts/get", Staff, "id=999999999"),
    (
        "/api/posts/save",
        Staff,
        "id=999999999&title=&slug=&summary=&body_markdown=&cover_image=&published_at=",
    ),
    ("/api/posts/delete", Staff, "id=999999999"),
    ("/api/portfolio/list", Staff, ""),
    (
        "/api/portfolio/set",
        Staff,
        "id=999999999&public_description=",
    ),
    ("/api/users/staff", Staff, ""),
    ("/api/company/get", Admin, ""),
    (
        "/api/company/save",
        Admin,
        "name=&representative=&business_number=&address=&phone=&email=&tagline=&about=&service_pm=&service_lm=&service_fm=",
    ),
    ("/api/users/list", Admin, ""),
    ("/api/users/create", Admin, "email=&name=&role=&password="),
    ("/api/jobs/list", Admin, ""),
    ("/api/jobs/schedule", Admin, "name=none&schedule=0+9+*+*+*"),
    ("/api/jobs/pause", Admin, "name=none&paused=true"),
    ("/api/jobs/run", Admin, "name=none"),
    ("/api/queue/overview", Admin, ""),
    ("/api/queue/retry", Admin, "id=999999999"),
    ("/api/activity/recent", SignedIn, ""),
    ("/api/backups/list", Admin, ""),
    ("/api/backups/run", Admin, ""),
    ("/api/users/set-active", Admin, "id=999999999&active=false"),
    ("/api/billing/overview", SignedIn, ""),
    ("/api/billing/invoice", Owner, "id={invoice}"),
    ("/api/billing/generate", Staff, "month=bad"),
    (
        "/api/billing/close",
        Staff,
        "building_id=999999999&month=2026-01",
    ),
    ("/api/billing/close-all", Staff, "month=1999-01"),
    (
        "/api/billing/reopen",
        Admin,
        "building_id=999999999&month=2026-01&reason=",
    ),
    (
        "/api/billing/pay",
        Staff,
        "lease_id=999999999&paid_on=2026-01-01&amount=1&method=cash",
    ),
    ("/api/billing/reverse", Staff, "id=999999999&reason=xx"),
    ("/api/billing/waive", Staff, "line_id=999999999&reason=xx"),
    ("/api/billing/arrears", SignedIn, ""),
    ("/api/billing/settings", Staff, "building_id=999999999"),
    (
        "/api/billing/settings/save",
        Staff,
        "building_id=999999999&payment_account=&late_fee_step_bp=0",
    ),
    ("/api/billing/lease", Owner, "lease_id={lease}"),
    (
        "/api/billing/charges/add",
        Staff,
        "lease_id=999999999&label=x&amount=1",
    ),
    ("/api/billing/charges/remove", Staff, "id=999999999"),
    ("/api/expenses/month", SignedIn, ""),
    ("/api/expenses/get", Owner, "id={expense}"),
    (
        "/api/expenses/save",
        Staff,
        "building_id=999999999&month=2026-03&category=cleaning&amount=1",
    ),
    ("/api/expenses/paid", Staff, "id=999999999&paid_on="),
    ("/api/expenses/delete", Staff, "id=999999999&reason=xx"),
    ("/api/expenses/copy-pinned", Staff, "month=bad"),
    (
        "/api/expenses/report",
        Owner,
        "building_id={building}&month=2026-03",
    ),
    (
        "/api/utilities/month",
        Owner,
        "building_id={building}&month=2026-03",
    ),
    (
        "/api/utilities/readings",
        Owner,
        "building_id={building}&kind=electricity&month=2026-03",
    ),
    (
        "/api/utilities/bill",
        Staff,
        "building_id=999999999&kind=water&month=2026-03&total=1",
    ),
    (
        "/api/utilities/kind",
        Staff,
        "building_id=999999999&kind=&label=x&basis=equal",
    ),
    (
        "/api/utilities/readings/save",
        Staff,
        "building_id=999999999&kind=electricity&month=2026-03",
    ),
    (
        "/api/utilities/split",
        Staff,
        "building_id=999999999&month=2026-03",
    ),
    ("/api/utilities/readings/import", Staff, "multipart"),
    ("/api/users/change-role", Admin, "id=999999999&role=manager"),
    (
        "/api/users/reset-password",
        Admin,
        "id=999999999&password=x",
    ),
    ("/api/audit/list", Admin, ""),
];

/// Plain routes (method, path, who). Under `/platform/` a visitor is sent to the login page.
const PLAIN: &[(&str, &str, Who)] = &[
    ("GET", "/healthz", Anyone),
    ("GET", "/readyz", Anyone),
    // From this machine (the test runs on loopback); see the metrics test for the rest.
    ("GET", "/metrics", Anyone),
    ("GET", "/login", Anyone),
    ("POST", "/api/login", Anyone),
    ("POST", "/api/logout", Anyone),
    ("GET", "/", Anyone),
    ("GET", "/about", Anyone),
    ("GET", "/services", Anyone),
    ("GET", "/portfolio", Anyone),
    ("GET", "/news", Anyone),
    ("GET", "/news/{slug}", Anyone),
    ("GET", "/contact", Anyone),
    ("POST", "/contact", Anyone),
    ("GET", "/privacy", Anyone),
    ("GET", "/sitemap.xml", Anyone),
    ("GET", "/robots.txt", Anyone),
    ("GET", "/platform/files/{id}", Owner),
    ("GET", "/platform/export/buildings", SignedIn),
    ("GET", "/platform/export/units", SignedIn),
    ("GET", "/platform/export/clients", SignedIn),
    ("GET", "/platform/export/contracts", SignedIn),
    ("GET", "/platform/export/leases", SignedIn),
    ("GET", "/platform/export/tenants", SignedIn),
    ("GET", "/platform/export/audit", Admin),
    ("GET", "/platform/export/invoices", SignedIn),
    ("GET", "/platform/export/arrears", SignedIn),
    ("GET", "/platform/billing/invoices/{id}/bill.pdf", SignedIn),
    ("GET", "/platform/billing/bills.pdf", SignedIn),
    ("GET", "/platform/export/expenses", SignedIn),
    ("GET", "/platform/export/owner-report", SignedIn),
    ("GET", "/platform/expenses/report.pdf", SignedIn),
    ("GET", "/platform/utilities/readings.xlsx", SignedIn),
    ("GET", "/platform/export/utility-shares", SignedIn),
    ("GET", "/platform/import-template.xlsx", Staff),
];

/// Pages (as the router names them) and who may see them.
const PAGES: &[(&str, Who)] = &[
    ("/platform", SignedIn),
    ("/platform/account", SignedIn),
    ("/platform/buildings", SignedIn),
    ("/platform/buildings/{id}", Owner),
    ("/platform/buildings/{id}/units", Owner),
    ("/platform/clients", SignedIn),
    ("/platform/clients/{id}", SignedIn),
    ("/platform/contracts", SignedIn),
    ("/platform/contracts/{id}", SignedIn),
    ("/platform/tenants", SignedIn),
    ("/platform/tenants/{id}", SignedIn),
    ("/platform/leases", SignedIn),
    ("/platform/leases/{id}", SignedIn),
    ("/platform/billing", SignedIn),
    ("/platform/billing/arrears", SignedIn),
    ("/platform/billing/invoices/{id}", Owner),
    ("/platform/billing/leases/{id}", Owner),
    ("/platform/expenses", SignedIn),
    ("/platform/expenses/report", Owner),
    ("/platform/expenses/items/{id}", Owner),
    ("/platform/utilities", SignedIn),
    ("/platform/utilities/readings", SignedIn),
    ("/platform/inquiries", Staff),
    ("/platform/content/posts", Staff),
    ("/platform/content/posts/new", Staff),
    ("/platform/content/posts/{id}", Staff),
    ("/platform/content/portfolio", Staff),
    ("/platform/content/company", Admin),
    ("/platform/admin/users", Admin),
    ("/platform/admin/audit", Admin),
    ("/platform/admin/jobs", Admin),
    ("/platform/admin/queue", Admin),
    ("/platform/admin/backups", Admin),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Visitor,
    OwnerOwn,
    OwnerOther,
    Manager,
    Admin,
}

/// What each caller must get, from the table's `Who`.
fn allowed(who: Who, caller: Caller) -> bool {
    match (who, caller) {
        (Anyone, _) => true,
        (_, Caller::Visitor) => false,
        (SignedIn, _) => true,
        (Owner, Caller::OwnerOther) => false,
        (Owner, _) => true,
        (Staff, Caller::Manager | Caller::Admin) => true,
        (Who::Admin, Caller::Admin) => true,
        _ => false,
    }
}

/// A refusal: 401/403 (and for a record of another owner 404 too); a visitor on a platform
/// path is sent to sign in.
fn refused(status: u16, location: &str, caller: Caller) -> bool {
    matches!(status, 401 | 403)
        || (caller == Caller::OwnerOther && status == 404)
        || (status == 303 && location.starts_with("/login"))
}

struct Ids {
    building: i64,
    lease: i64,
    tenant: i64,
    client: i64,
    contract: i64,
    file: i64,
    invoice: i64,
    expense: i64,
}

impl Ids {
    fn fill(&self, s: &str) -> String {
        s.replace("{building}", &self.building.to_string())
            .replace("{lease}", &self.lease.to_string())
            .replace("{tenant}", &self.tenant.to_string())
            .replace("{client}", &self.client.to_string())
            .replace("{contract}", &self.contract.to_string())
            .replace("{file}", &self.file.to_string())
            .replace("{invoice}", &self.invoice.to_string())
            .replace("{expense}", &self.expense.to_string())
            .replace("{id}", &self.file.to_string())
            .replace("{slug}", "no-such-post")
            .replace(":id", &self.building.to_string())
    }

    /// A page path with its `{id}` the caller's own record of that page's kind (the first
    /// demo post for the post editor).
    fn page(&self, page: &str) -> String {
        let id = [
            ("/platform/buildings/", self.building),
            ("/platform/clients/", self.client),
            ("/platform/contracts/", self.contract),
            ("/platform/tenants/", self.tenant),
            ("/platform/leases/", self.lease),
            ("/platform/billing/invoices/", self.invoice),
            ("/platform/billing/leases/", self.lease),
            ("/platform/expenses/items/", self.expense),
            ("/platform/content/posts/", 1),
        ]
        .iter()
        .find(|(prefix, _)| page.starts_with(prefix))
        .map_or(0, |(_, id)| *id);
        if page == "/platform/expenses/report" {
            return format!("{page}?building_id={}&month=2026-03", self.building);
        }
        page.replace("{id}", &id.to_string())
    }
}

async fn owner_world(app: &TestApp, staff: &reqwest::Client, name: &str) -> (Ids, reqwest::Client) {
    let f = fixture(app, staff, name).await;
    let lease = leased(app, staff, &f).await;
    let (client, owner) = owned(app, staff, &f, &format!("{name} 건물주")).await;
    let contract: i64 = ok(contract(app, staff, f.building, client).await).await;
    let res = upload(app, staff, "lease", lease, "계약서.pdf", PDF.to_vec()).await;
    let file: doongji::areas::files::FileDto = ok(res).await;
    let report: doongji::areas::billing::GenerateReport = ok(app
        .call(
            staff,
            "billing/generate",
            &[
                ("month", "2026-03"),
                ("building_id", &f.building.to_string()),
            ],
        )
        .await)
    .await;
    assert_eq!(report.created, 1);
    let invoice = doongji::db_run!(&app.state.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM invoices WHERE lease_id = ?"
    )
    .bind(lease)
    .fetch_one(pool)
    .await
    .unwrap());
    let expense: i64 = ok(app
        .call(
            staff,
            "expenses/save",
            &[
                ("building_id", &f.building.to_string()),
                ("month", "2026-03"),
                ("category", "cleaning"),
                ("amount", "100000"),
            ],
        )
        .await)
    .await;
    let ids = Ids {
        expense,
        building: f.building,
        lease,
        tenant: f.tenant,
        client,
        contract,
        file: file.id,
        invoice,
    };
    (ids, owner)
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String) {
    let url = app.url(path);
    let req = match (method, body) {
        ("GET", _) => client.get(url),
        (_, "multipart") => client
            .post(url)
            .multipart(reqwest::multipart::Form::new().text("note", "matrix")),
        _ => client
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_string()),
    };
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    (status, location(&res))
}

backend_test!(
    async fn every_route_answers_each_caller_as_the_matrix_says(app: &TestApp) {
        let (manager, _) = app.signed_in(Role::Manager).await;
        let (admin, _) = app.signed_in(Role::Admin).await;
        let visitor = app.client();
        let (mine, owner) = owner_world(app, &manager, "내빌딩").await;
        let (theirs, _) = owner_world(app, &manager, "남의빌딩").await;

        // The router's own lists, each line of which must be in the table, and back.
        let fns: BTreeSet<String> = doongji::startup::server_fn_routes()
            .into_iter()
            .map(|(method, path)| {
                assert_eq!(method, "POST", "{path}");
                path
            })
            .collect();
        let table: BTreeSet<String> = SERVER_FNS.iter().map(|(p, ..)| p.to_string()).collect();
        let missing: Vec<_> = fns.difference(&table).collect();
        assert!(
            missing.is_empty(),
            "server functions with no line in the matrix: {missing:?}"
        );
        let stale: Vec<_> = table.difference(&fns).collect();
        assert!(
            stale.is_empty(),
            "matrix lines for no server function: {stale:?}"
        );
        let plain: BTreeSet<(String, String)> = doongji::startup::plain_routes()
            .list()
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        let plain_table: BTreeSet<(String, String)> = PLAIN
            .iter()
            .map(|(m, p, _)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(plain, plain_table, "plain routes and the matrix differ");

        let callers = [
            (Caller::Visitor, &visitor, &mine),
            (Caller::OwnerOwn, &owner, &mine),
            (Caller::OwnerOther, &owner, &theirs),
            (Caller::Manager, &manager, &mine),
            (Caller::Admin, &admin, &mine),
        ];
        let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut checked = 0;
        let lines = SERVER_FNS
            .iter()
            .map(|(p, w, b)| ("POST", *p, *w, *b))
            .chain(PLAIN.iter().map(|(m, p, w)| (*m, *p, *w, "")));
        for (method, path, who, body) in lines {
            // Signing out would end the caller's session for the lines after it.
            if path == "/api/logout" {
                let (status, _) = send(app, &visitor, method, path, "").await;
                assert_eq!(status, 303);
                continue;
            }
            for (caller, client, ids) in callers {
                if caller == Caller::OwnerOther && !matches!(who, Owner) {
                    continue;
                }
                let (status, location) =
                    send(app, client, method, &ids.fill(path), &ids.fill(body)).await;
                checked += 1;
                let was_refused = refused(status, &location, caller);
                let ok = if who == Anyone {
                    // Sign-in answers a visitor with the login page again: not a refusal.
                    !matches!(status, 401 | 403) && status < 500
                } else if allowed(who, caller) {
                    !was_refused && status < 500
                } else {
                    was_refused
                };
                if !ok {
                    wrong
                        .entry(format!("{method} {path}"))
                        .or_default()
                        .push(format!(
                            "{caller:?}: {status} {location} ({})",
                            ids.fill(body)
                        ));
                }
            }
        }

        // Pages: a visitor is sent to sign in from every platform page; a signed-in caller gets
        // the page, or 403 where its data is not theirs to see.
        let page_paths = doongji::startup::page_paths();
        let listed: BTreeSet<&str> = PAGES.iter().map(|(p, _)| *p).collect();
        let served: BTreeSet<&str> = page_paths.iter().map(String::as_str).collect();
        assert_eq!(served, listed, "pages and the matrix differ");
        for (page, who) in PAGES {
            let path = mine.page(page);
            for (caller, client, _) in callers {
                if caller == Caller::OwnerOther {
                    continue;
                }
                let (status, location) = send(app, client, "GET", &path, "").await;
                checked += 1;
                let ok = match (*page, caller) {
                    ("/login", _) => status == 200 || status == 303,
                    (_, Caller::Visitor) => status == 303 && location.starts_with("/login"),
                    _ if allowed(*who, caller) => status == 200,
                    _ => status == 403,
                };
                if !ok {
                    wrong
                        .entry(format!("page {page}"))
                        .or_default()
                        .push(format!("{caller:?}: {status} {location}"));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{}: answers against the matrix: {wrong:#?}",
            app.backend.name
        );
        assert!(checked > 250, "{checked}");
    }
);
