//! Attached files: type and size checks, download permissions and deletion, in the local
//! folder on every backend, and the same round trip on S3.

use crate::fixtures::*;
use crate::helpers::*;
use doongji::areas::files::FileDto;
use doongji::domain::Role;

/// The local folder, with files limited to 1 MB.
fn one_mb() -> Options {
    Options {
        extra: vec![("FILE_MAX_MB", "1".into())],
        ..Default::default()
    }
}

/// 망원빌딩 owned by a client with a login, 101호 leased.
struct Leased {
    staff: reqwest::Client,
    owner: reqwest::Client,
    f: Fixture,
    lease_id: i64,
}

async fn leased_and_owned(app: &TestApp) -> Leased {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "망원빌딩").await;
    let (_, owner) = owned(app, &staff, &f, "(주)망원자산").await;
    let lease_id = leased(app, &staff, &f).await;
    Leased {
        staff,
        owner,
        f,
        lease_id,
    }
}

/// The contract PDF, uploaded to the lease under a name with a path in it.
async fn upload_contract(app: &TestApp, l: &Leased) -> FileDto {
    ok(upload(
        app,
        &l.staff,
        "lease",
        l.lease_id,
        "../계약서 2026.pdf",
        PDF.to_vec(),
    )
    .await)
    .await
}

/// A program renamed to .pdf.
async fn upload_fake_pdf(app: &TestApp, l: &Leased) -> reqwest::Response {
    upload(
        app,
        &l.staff,
        "lease",
        l.lease_id,
        "계약서.pdf",
        b"MZ\x90\x00\x03 this is not a pdf".to_vec(),
    )
    .await
}

/// Over the limit (1 MB in these tests).
async fn upload_big_pdf(app: &TestApp, l: &Leased) -> reqwest::Response {
    upload(
        app,
        &l.staff,
        "lease",
        l.lease_id,
        "큰파일.pdf",
        [PDF, &vec![b' '; 1_100_000]].concat(),
    )
    .await
}

async fn upload_tenant_png(app: &TestApp, l: &Leased) -> FileDto {
    ok(upload(
        app,
        &l.staff,
        "tenant",
        l.f.tenant,
        "사업자등록증.png",
        b"\x89PNG\r\n\x1a\nrest".to_vec(),
    )
    .await)
    .await
}

backend_test!(
    #[options(one_mb())]
    async fn an_upload_keeps_its_name_without_the_path_and_its_type(app: &TestApp) {
        let l = leased_and_owned(app).await;
        let file = upload_contract(app, &l).await;
        assert_eq!(
            (file.name.as_str(), file.content_type.as_str()),
            ("계약서 2026.pdf", "application/pdf"),
            "{}",
            app.backend.name
        );
    }
);

backend_test!(
    /// A program renamed to .pdf is refused by its content, not accepted by its name.
    #[options(one_mb())]
    async fn a_program_renamed_to_pdf_is_refused(app: &TestApp) {
        let l = leased_and_owned(app).await;
        let e = err(upload_fake_pdf(app, &l).await, 422).await;
        assert!(
            e.field_message("file").is_some_and(|m| m.contains("PDF")),
            "{e:?}"
        );
    }
);

backend_test!(
    #[options(one_mb())]
    async fn a_file_over_the_limit_is_refused(app: &TestApp) {
        let l = leased_and_owned(app).await;
        let big = upload_big_pdf(app, &l).await;
        assert!(
            matches!(big.status().as_u16(), 413 | 422),
            "{}: {}",
            app.backend.name,
            big.status()
        );
    }
);

backend_test!(
    #[options(one_mb())]
    async fn clients_cannot_upload(app: &TestApp) {
        let l = leased_and_owned(app).await;
        assert_eq!(
            upload(app, &l.owner, "lease", l.lease_id, "a.pdf", PDF.to_vec())
                .await
                .status(),
            403
        );
    }
);

backend_test!(
    #[options(one_mb())]
    async fn a_download_gives_the_file_with_its_type_and_korean_name(app: &TestApp) {
        let l = leased_and_owned(app).await;
        let file = upload_contract(app, &l).await;
        let url = app.url(&format!("/platform/files/{}", file.id));
        let got = l.staff.get(&url).send().await.unwrap();
        assert_eq!(got.status(), 200);
        assert_eq!(got.headers()["content-type"], "application/pdf");
        assert!(
            got.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''")
        );
        assert_eq!(
            got.bytes().await.unwrap().as_ref(),
            PDF,
            "{}",
            app.backend.name
        );
    }
);

backend_test!(
    #[options(one_mb())]
    async fn the_buildings_owner_may_download_and_another_owner_may_not(app: &TestApp) {
        let l = leased_and_owned(app).await;
        let other = fixture(app, &l.staff, "남의빌딩").await;
        let (_, stranger) = owned(app, &l.staff, &other, "(주)남의자산").await;
        let file = upload_contract(app, &l).await;
        let url = app.url(&format!("/platform/files/{}", file.id));
        assert_eq!(
            l.owner.get(&url).send().await.unwrap().status(),
            200,
            "the owner of the building may download"
        );
        assert_eq!(
            stranger.get(&url).send().await.unwrap().status(),
            404,
            "another owner may not"
        );
    }
);

backend_test!(
    #[options(one_mb())]
    async fn a_deleted_file_is_gone(app: &TestApp) {
        let l = leased_and_owned(app).await;
        let t_file = upload_tenant_png(app, &l).await;
        assert_eq!(
            app.call(&l.staff, "files/delete", &[("id", &t_file.id.to_string())])
                .await
                .status(),
            200
        );
        let gone = l
            .staff
            .get(app.url(&format!("/platform/files/{}", t_file.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404);
    }
);

backend_test!(
    /// After uploads accepted, refused and deleted, only the kept file is in the folder.
    #[options(one_mb())]
    async fn the_folder_holds_only_the_files_kept(app: &TestApp) {
        let l = leased_and_owned(app).await;
        upload_contract(app, &l).await;
        assert_eq!(upload_fake_pdf(app, &l).await.status(), 422);
        assert!(matches!(
            upload_big_pdf(app, &l).await.status().as_u16(),
            413 | 422
        ));
        assert_eq!(
            upload(app, &l.owner, "lease", l.lease_id, "a.pdf", PDF.to_vec())
                .await
                .status(),
            403
        );
        let t_file = upload_tenant_png(app, &l).await;
        assert_eq!(
            app.call(
                &l.staff,
                "tenants/delete",
                &[("id", &l.f.tenant.to_string())]
            )
            .await
            .status(),
            409
        );
        assert_eq!(
            app.call(&l.staff, "files/delete", &[("id", &t_file.id.to_string())])
                .await
                .status(),
            200
        );
        let stored = walk(&app.files_dir());
        assert_eq!(
            stored, 1,
            "one lease file left in the folder, the deleted one removed"
        );
    }
);

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Upload, type and size refusal, download permission and deletion, on the given store (the
/// S3 test runs them in one go, on one bucket).
async fn files_round_trip(app: &TestApp, label: &str) {
    let (staff, _) = app.signed_in(Role::Manager).await;
    let f = fixture(app, &staff, "망원빌딩").await;
    let (_, owner) = owned(app, &staff, &f, "(주)망원자산").await;
    let other = fixture(app, &staff, "남의빌딩").await;
    let (_, stranger) = owned(app, &staff, &other, "(주)남의자산").await;
    let lease_id: i64 =
        ok(lease(app, &staff, &f, &[f.units[0]], "2026-01-01", "2027-12-31").await).await;

    let res = upload(
        app,
        &staff,
        "lease",
        lease_id,
        "../계약서 2026.pdf",
        PDF.to_vec(),
    )
    .await;
    let file: FileDto = ok(res).await;
    assert_eq!(
        (file.name.as_str(), file.content_type.as_str()),
        ("계약서 2026.pdf", "application/pdf"),
        "{label}"
    );

    // A program renamed to .pdf is refused by its content, not accepted by its name.
    let fake = upload(
        app,
        &staff,
        "lease",
        lease_id,
        "계약서.pdf",
        b"MZ\x90\x00\x03 this is not a pdf".to_vec(),
    )
    .await;
    let e = err(fake, 422).await;
    assert!(
        e.field_message("file").is_some_and(|m| m.contains("PDF")),
        "{e:?}"
    );
    // Over the limit (1 MB in these tests).
    let big = upload(
        app,
        &staff,
        "lease",
        lease_id,
        "큰파일.pdf",
        [PDF, &vec![b' '; 1_100_000]].concat(),
    )
    .await;
    assert!(
        matches!(big.status().as_u16(), 413 | 422),
        "{label}: {}",
        big.status()
    );
    // Clients cannot upload.
    assert_eq!(
        upload(app, &owner, "lease", lease_id, "a.pdf", PDF.to_vec())
            .await
            .status(),
        403
    );

    let url = app.url(&format!("/platform/files/{}", file.id));
    let got = staff.get(&url).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert!(
        got.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    assert_eq!(got.bytes().await.unwrap().as_ref(), PDF, "{label}");
    assert_eq!(
        owner.get(&url).send().await.unwrap().status(),
        200,
        "the owner of the building may download"
    );
    assert_eq!(
        stranger.get(&url).send().await.unwrap().status(),
        404,
        "another owner may not"
    );

    // A tenant with a file cannot be deleted; the file can, and then it is gone.
    let t_file: FileDto = ok(upload(
        app,
        &staff,
        "tenant",
        f.tenant,
        "사업자등록증.png",
        b"\x89PNG\r\n\x1a\nrest".to_vec(),
    )
    .await)
    .await;
    let refused = app
        .call(&staff, "tenants/delete", &[("id", &f.tenant.to_string())])
        .await;
    assert_eq!(refused.status(), 409);
    assert_eq!(
        app.call(&staff, "files/delete", &[("id", &t_file.id.to_string())])
            .await
            .status(),
        200
    );
    let gone = staff
        .get(app.url(&format!("/platform/files/{}", t_file.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
}

/// The S3 path, against a real S3-speaking server on loopback (moto, started by the test
/// command; `TEST_S3_ENDPOINT`).
#[tokio::test]
async fn files_on_s3_work_the_same() {
    let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") else {
        eprintln!("TEST_S3_ENDPOINT not set: the S3 test runs under the test command (.ci/test)");
        return;
    };
    let bucket = format!("doongji-test-{}", uuid::Uuid::new_v4().simple());
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "create bucket: {}",
        created.status()
    );
    let backend = backends().into_iter().next().unwrap();
    let app = spawn_app_with(
        &backend,
        Options {
            extra: vec![
                ("FILE_MAX_MB", "1".into()),
                ("S3_BUCKET", bucket.clone()),
                ("S3_ENDPOINT", endpoint.clone()),
                ("S3_REGION", "us-east-1".into()),
                ("S3_ACCESS_KEY_ID", "test".into()),
                ("S3_SECRET_ACCESS_KEY", "test".into()),
            ],
            ..Default::default()
        },
    )
    .await;
    assert_eq!(app.state.files.backend, "s3");
    files_round_trip(&app, "s3").await;
    // The bucket holds exactly the one remaining file.
    let listing = reqwest::Client::new()
        .get(format!("{endpoint}/{bucket}?list-type=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(listing.matches("<Key>").count(), 1, "{listing}");
    assert_eq!(
        walk(&app.files_dir()),
        0,
        "nothing went to the local folder"
    );
    app.stop().await;
}
