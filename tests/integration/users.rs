use crate::helpers::*;
use doongji::domain::{Role, UserDto};

async fn json<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test]
async fn user_management_is_for_admins_only() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let anonymous = app.client();
        assert_eq!(
            app.call(&anonymous, "users/list", &[]).await.status(),
            401,
            "{}",
            backend.name
        );

        for role in [Role::Manager, Role::Client] {
            let (client, _) = app.signed_in(role).await;
            let res = app.call(&client, "users/list", &[]).await;
            assert_eq!(res.status(), 403, "{role} on {}", backend.name);
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
        app.stop().await;
    }
}

#[tokio::test]
async fn admin_creates_a_manager_who_can_then_log_in() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
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
        assert_eq!(res.status(), 200, "{}", backend.name);
        let created: UserDto = json(res).await;
        assert_eq!(created.email, "new.manager@doongji.kr");
        assert_eq!(created.role, Role::Manager);
        assert!(created.active);

        let list: Vec<UserDto> = json(app.call(&admin, "users/list", &[]).await).await;
        assert!(list.iter().any(|u| u.email == "new.manager@doongji.kr"));

        let page = admin
            .get(app.url("/platform/admin/users"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("신입 매니저") && page.contains("사용자 관리"));

        let manager = app.client();
        assert_eq!(
            app.login(&manager, "new.manager@doongji.kr", "first-Day-2026")
                .await
                .status(),
            303
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn invalid_new_users_are_refused_field_by_field() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (admin, admin_email) = app.signed_in(Role::Admin).await;

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
        assert_eq!(res.status(), 422, "{}", backend.name);
        let err: doongji::domain::ApiError = json(res).await;
        assert_eq!(
            err.field_message("email").as_deref(),
            Some("이미 등록된 이메일입니다.")
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn deactivation_ends_sessions_and_reactivation_restores_login() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (admin, _) = app.signed_in(Role::Admin).await;
        let (staff, staff_email) = app.signed_in(Role::Manager).await;
        let staff_id = doongji::server::db::users::find_by_email(&app.state.db, &staff_email)
            .await
            .unwrap()
            .unwrap()
            .id;
        let id = staff_id.to_string();

        let res = app
            .call(
                &admin,
                "users/set-active",
                &[("id", &id), ("active", "false")],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", backend.name);
        assert!(!json::<UserDto>(res).await.active);
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
        let res = app.login(&app.client(), &staff_email, PASSWORD).await;
        assert!(
            location(&res).contains("error=inactive"),
            "{}",
            location(&res)
        );

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
        app.stop().await;
    }
}

#[tokio::test]
async fn admin_changes_roles_but_not_their_own() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (admin, admin_email) = app.signed_in(Role::Admin).await;
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
        let res = app
            .call(
                &admin,
                "users/change-role",
                &[("id", &other), ("role", "superuser")],
            )
            .await;
        assert_eq!(res.status(), 422);

        let me = doongji::server::db::users::find_by_email(&app.state.db, &admin_email)
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
        let res = app
            .call(
                &admin,
                "users/change-role",
                &[("id", &me), ("role", "manager")],
            )
            .await;
        assert_eq!(res.status(), 409, "{}", backend.name);
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

        let res = app
            .call(
                &admin,
                "users/change-role",
                &[("id", "999999"), ("role", "client")],
            )
            .await;
        assert_eq!(res.status(), 404);
        app.stop().await;
    }
}

#[tokio::test]
async fn password_reset_replaces_the_password_and_ends_sessions() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (admin, _) = app.signed_in(Role::Admin).await;
        let (staff, staff_email) = app.signed_in(Role::Client).await;
        let id = doongji::server::db::users::find_by_email(&app.state.db, &staff_email)
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();

        let res = app
            .call(
                &admin,
                "users/reset-password",
                &[("id", &id), ("password", "123")],
            )
            .await;
        assert_eq!(res.status(), 422, "a weak password is refused");

        let res = app
            .call(
                &admin,
                "users/reset-password",
                &[("id", &id), ("password", "brand-New-Pass-5")],
            )
            .await;
        assert_eq!(res.status(), 200, "{}", backend.name);
        assert_eq!(
            staff
                .get(app.url("/platform"))
                .send()
                .await
                .unwrap()
                .status(),
            303
        );
        let fresh = app.client();
        assert!(
            location(&app.login(&fresh, &staff_email, PASSWORD).await).contains("error=invalid")
        );
        assert_eq!(
            app.login(&fresh, &staff_email, "brand-New-Pass-5")
                .await
                .status(),
            303
        );
        app.stop().await;
    }
}
