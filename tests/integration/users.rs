//! User management by admins: who may manage, creating users, validation, deactivation, roles
//! and password resets.

use crate::fixtures::user_id;
use crate::helpers::*;
use doongji::domain::{Role, UserDto};

backend_test!(
    async fn an_anonymous_visitor_cannot_list_users(app: &TestApp) {
        let anonymous = app.client();
        assert_eq!(
            app.call(&anonymous, "users/list", &[]).await.status(),
            401,
            "{}",
            app.backend.name
        );
    }
);

/// Every user-management call is refused to `role`, and the page says so in Korean.
async fn user_management_is_refused(app: &TestApp, role: Role) {
    let (client, _) = app.signed_in(role).await;
    let res = app.call(&client, "users/list", &[]).await;
    assert_eq!(res.status(), 403, "{role} on {}", app.backend.name);
    let res = app
        .call(
            &client,
            "users/create",
            &[
                ("email", "sneaky@doongji.kr"),
                ("name", "몰래"),
                ("role", "admin"),
                ("password", "sneaky-Pass-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    for (endpoint, form) in [
        ("users/set-active", vec![("id", "1"), ("active", "false")]),
        ("users/change-role", vec![("id", "1"), ("role", "client")]),
        (
            "users/reset-password",
            vec![("id", "1"), ("password", "taken-Over-99")],
        ),
    ] {
        assert_eq!(
            app.call(&client, endpoint, &form).await.status(),
            403,
            "{endpoint} as {role}"
        );
    }
    let page = client
        .get(app.url("/platform/admin/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("권한이 없습니다"),
        "the page says so in Korean"
    );
}

backend_test!(
    async fn a_manager_cannot_manage_users(app: &TestApp) {
        user_management_is_refused(app, Role::Manager).await;
    }
);

backend_test!(
    async fn a_client_cannot_manage_users(app: &TestApp) {
        user_management_is_refused(app, Role::Client).await;
    }
);

/// An admin, who has created the manager new.manager@doongji.kr (password first-Day-2026).
async fn admin_with_new_manager(app: &TestApp) -> (reqwest::Client, UserDto) {
    let (admin, _) = app.signed_in(Role::Admin).await;
    let res = app
        .call(
            &admin,
            "users/create",
            &[
                ("email", "New.Manager@doongji.kr"),
                ("name", "신입 매니저"),
                ("role", "manager"),
                ("password", "first-Day-2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", app.backend.name);
    (admin, json(res).await)
}

backend_test!(
    async fn an_admin_creates_an_active_user_with_a_lowercase_email(app: &TestApp) {
        let (admin, created) = admin_with_new_manager(app).await;
        assert_eq!(created.email, "new.manager@doongji.kr");
        assert_eq!(created.role, Role::Manager);
        assert!(created.active);
        let list: Vec<UserDto> = json(app.call(&admin, "users/list", &[]).await).await;
        assert!(list.iter().any(|u| u.email == "new.manager@doongji.kr"));
    }
);

backend_test!(
    async fn the_users_page_shows_a_new_user(app: &TestApp) {
        let (admin, _) = admin_with_new_manager(app).await;
        let page = admin
            .get(app.url("/platform/admin/users"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("신입 매니저") && page.contains("사용자 관리"));
    }
);

backend_test!(
    async fn a_new_user_can_log_in(app: &TestApp) {
        admin_with_new_manager(app).await;
        let manager = app.client();
        assert_eq!(
            app.login(&manager, "new.manager@doongji.kr", "first-Day-2026")
                .await
                .status(),
            303
        );
    }
);

backend_test!(
    async fn invalid_new_users_are_refused_field_by_field(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let res = app
            .call(
                &admin,
                "users/create",
                &[
                    ("email", "not-an-email"),
                    ("name", ""),
                    ("role", "owner"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        let err: doongji::domain::ApiError = json(res).await;
        for field in ["email", "name", "role", "password"] {
            assert!(err.field_message(field).is_some(), "{field}: {err:?}");
        }
    }
);

backend_test!(
    async fn an_email_already_registered_is_refused(app: &TestApp) {
        let (admin, admin_email) = app.signed_in(Role::Admin).await;
        let res = app
            .call(
                &admin,
                "users/create",
                &[
                    ("email", &admin_email),
                    ("name", "중복"),
                    ("role", "manager"),
                    ("password", "dupli-Cate-77"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422, "{}", app.backend.name);
        let err: doongji::domain::ApiError = json(res).await;
        assert_eq!(
            err.field_message("email").as_deref(),
            Some("이미 등록된 이메일입니다.")
        );
    }
);

/// An admin, and a signed-in manager whom the admin has just deactivated.
async fn deactivated(app: &TestApp) -> (reqwest::Client, reqwest::Client, String, String) {
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (staff, staff_email) = app.signed_in(Role::Manager).await;
    let id = user_id(app, &staff_email).await.to_string();
    let res = app
        .call(
            &admin,
            "users/set-active",
            &[("id", &id), ("active", "false")],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", app.backend.name);
    assert!(!json::<UserDto>(res).await.active);
    (admin, staff, staff_email, id)
}

backend_test!(
    async fn deactivation_ends_the_users_sessions(app: &TestApp) {
        let (_, staff, _, _) = deactivated(app).await;
        assert_eq!(
            staff
                .get(app.url("/platform"))
                .send()
                .await
                .unwrap()
                .status(),
            303,
            "session ended"
        );
    }
);

backend_test!(
    async fn a_deactivated_user_cannot_log_in(app: &TestApp) {
        let (_, _, staff_email, _) = deactivated(app).await;
        let res = app.login(&app.client(), &staff_email, PASSWORD).await;
        assert!(
            location(&res).contains("error=inactive"),
            "{}",
            location(&res)
        );
    }
);

backend_test!(
    async fn reactivation_restores_login(app: &TestApp) {
        let (admin, _, staff_email, id) = deactivated(app).await;
        let res = app
            .call(
                &admin,
                "users/set-active",
                &[("id", &id), ("active", "true")],
            )
            .await;
        assert!(json::<UserDto>(res).await.active);
        assert_eq!(
            app.login(&app.client(), &staff_email, PASSWORD)
                .await
                .status(),
            303
        );
    }
);

backend_test!(
    async fn an_admin_changes_another_users_role(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let other = app
            .create_user("role@doongji.kr", "역할", Role::Manager)
            .await
            .to_string();
        let res = app
            .call(
                &admin,
                "users/change-role",
                &[("id", &other), ("role", "client")],
            )
            .await;
        assert_eq!(json::<UserDto>(res).await.role, Role::Client);
    }
);

backend_test!(
    async fn an_unknown_role_is_refused(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let other = app
            .create_user("role@doongji.kr", "역할", Role::Manager)
            .await
            .to_string();
        let res = app
            .call(
                &admin,
                "users/change-role",
                &[("id", &other), ("role", "superuser")],
            )
            .await;
        assert_eq!(res.status(), 422);
    }
);

backend_test!(
    async fn an_admin_cannot_change_their_own_role(app: &TestApp) {
        let (admin, admin_email) = app.signed_in(Role::Admin).await;
        let me = user_id(app, &admin_email).await.to_string();
        let res = app
            .call(
                &admin,
                "users/change-role",
                &[("id", &me), ("role", "manager")],
            )
            .await;
        assert_eq!(res.status(), 409, "{}", app.backend.name);
    }
);

backend_test!(
    async fn an_admin_cannot_deactivate_themselves(app: &TestApp) {
        let (admin, admin_email) = app.signed_in(Role::Admin).await;
        let me = user_id(app, &admin_email).await.to_string();
        let res = app
            .call(
                &admin,
                "users/set-active",
                &[("id", &me), ("active", "false")],
            )
            .await;
        assert_eq!(res.status(), 409);
        let err: doongji::domain::ApiError = json(res).await;
        assert!(err.to_string().contains("비활성화할 수 없습니다"));
    }
);

backend_test!(
    async fn changing_the_role_of_an_unknown_user_is_404(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let res = app
            .call(
                &admin,
                "users/change-role",
                &[("id", "999999"), ("role", "client")],
            )
            .await;
        assert_eq!(res.status(), 404);
    }
);

backend_test!(
    async fn a_weak_reset_password_is_refused(app: &TestApp) {
        let (admin, _) = app.signed_in(Role::Admin).await;
        let (_, email) = app.signed_in(Role::Client).await;
        let id = user_id(app, &email).await.to_string();
        let res = app
            .call(
                &admin,
                "users/reset-password",
                &[("id", &id), ("password", "123")],
            )
            .await;
        assert_eq!(res.status(), 422, "a weak password is refused");
    }
);

/// A signed-in client user whose password an admin has reset to brand-New-Pass-5.
async fn password_reset(app: &TestApp) -> (reqwest::Client, String) {
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (user, email) = app.signed_in(Role::Client).await;
    let id = user_id(app, &email).await.to_string();
    let res = app
        .call(
            &admin,
            "users/reset-password",
            &[("id", &id), ("password", "brand-New-Pass-5")],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", app.backend.name);
    (user, email)
}

backend_test!(
    async fn a_password_reset_ends_the_users_sessions(app: &TestApp) {
        let (user, _) = password_reset(app).await;
        assert_eq!(
            user.get(app.url("/platform"))
                .send()
                .await
                .unwrap()
                .status(),
            303
        );
    }
);

backend_test!(
    async fn after_a_reset_only_the_new_password_works(app: &TestApp) {
        let (_, email) = password_reset(app).await;
        let fresh = app.client();
        assert!(location(&app.login(&fresh, &email, PASSWORD).await).contains("error=invalid"));
        assert_eq!(
            app.login(&fresh, &email, "brand-New-Pass-5").await.status(),
            303
        );
    }
);
