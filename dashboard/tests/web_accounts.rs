//! Dashboard accounts: lockout, the TOTP second factor, password change.

mod common;

use common::*;

qingfeng_core::store_test!(repeated_failed_sign_ins_lock_the_account, |store| {
    let web = Web::new(store).await;
    for _ in 0..3 {
        let wrong = web.try_sign_in("baofeng", "not the password").await;
        assert_eq!(wrong.status, StatusCode::OK);
        assert!(wrong.body.contains("用户名或密码不正确"));
    }
    let locked = web.try_sign_in("baofeng", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::OK, "no session while locked");
    assert!(locked.body.contains("账户已暂时锁定"), "{}", locked.body);
    // An unknown user gets the same answer as a wrong password.
    let unknown = web.try_sign_in("nobody", PASSWORD).await;
    assert!(unknown.body.contains("用户名或密码不正确"));
    // Others are not affected, and the failures are audited.
    let admin = web.sign_in("admin").await;
    let audit = web.get("/audit", &admin.cookie).await;
    assert_eq!(audit.body.matches("login.failed").count(), 3);
});

qingfeng_core::store_test!(a_second_factor_is_set_up_and_then_required, |store| {
    let web = Web::new(store).await;
    let me = web.sign_in("baofeng").await;
    let page = web.get("/account/totp", &me.cookie).await;
    let secret = page.hidden("secret");
    let now = Utc::now().timestamp();
    let wrong = web
        .post(
            "/account/totp",
            &me.cookie,
            &[("csrf", &me.csrf), ("secret", &secret), ("code", "000000")],
        )
        .await;
    assert!(
        wrong.body.contains("动态验证码不正确"),
        "a wrong code does not turn it on"
    );
    let code = qingfeng_dashboard::totp::current_code(&secret, now).unwrap();
    let on = web
        .post(
            "/account/totp",
            &me.cookie,
            &[("csrf", &me.csrf), ("secret", &secret), ("code", &code)],
        )
        .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER, "{}", on.body);
    // Now the password alone is not enough.
    let password_only = web.try_sign_in("baofeng", PASSWORD).await;
    assert_eq!(password_only.status, StatusCode::OK);
    assert!(password_only.body.contains("动态验证码不正确"));
    let form = web.get("/login", "").await;
    let login_cookie = format!("qf_login={}", form.cookie("qf_login").unwrap());
    let code = qingfeng_dashboard::totp::current_code(&secret, Utc::now().timestamp()).unwrap();
    let signed_in = web
        .post(
            "/login",
            &login_cookie,
            &[
                ("username", "baofeng"),
                ("password", PASSWORD),
                ("code", &code),
                ("csrf", &form.hidden("csrf")),
            ],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert!(signed_in.cookie("qf_session").is_some());
});

qingfeng_core::store_test!(
    required_second_factor_sends_everyone_to_set_it_up,
    |store| {
        let settings = Settings {
            require_totp: true,
            ..Settings::default()
        };
        let web = Web::with_settings(store, settings).await;
        let form = web.get("/login", "").await;
        let login_cookie = format!("qf_login={}", form.cookie("qf_login").unwrap());
        let signed_in = web
            .post(
                "/login",
                &login_cookie,
                &[
                    ("username", "admin"),
                    ("password", PASSWORD),
                    ("csrf", &form.hidden("csrf")),
                ],
            )
            .await;
        let cookie = format!("qf_session={}", signed_in.cookie("qf_session").unwrap());
        for page in ["/reports", "/audit", "/stats"] {
            assert_eq!(
                web.get(page, &cookie).await.location(),
                "/account/totp",
                "{page}"
            );
        }
        let setup = web.get("/account/totp", &cookie).await;
        assert_eq!(setup.status, StatusCode::OK);
        assert!(setup.body.contains("otpauth://totp/Qingfeng:admin"));
    }
);

qingfeng_core::store_test!(
    a_password_change_needs_the_current_one_and_ends_sessions,
    |store| {
        let web = Web::new(store).await;
        let me = web.sign_in("baofeng").await;
        let change = |current: &'static str, new: &'static str, confirm: &'static str| {
            let (web, me) = (&web, &me);
            async move {
                web.post(
                    "/account/password",
                    &me.cookie,
                    &[
                        ("csrf", me.csrf.as_str()),
                        ("current", current),
                        ("new", new),
                        ("confirm", confirm),
                    ],
                )
                .await
            }
        };
        assert!(
            change("wrong", "a new long password", "a new long password")
                .await
                .body
                .contains("当前密码不正确")
        );
        assert!(
            change(PASSWORD, "a new long password", "another one!!")
                .await
                .body
                .contains("不一致")
        );
        assert!(
            change(PASSWORD, "short", "short")
                .await
                .body
                .contains("at least 10")
        );
        let done = change(PASSWORD, "a new long password", "a new long password").await;
        assert_eq!(done.location(), "/login");
        assert_eq!(
            web.get("/reports", &me.cookie).await.location(),
            "/login",
            "the old session ended"
        );
        assert_eq!(
            web.try_sign_in("baofeng", PASSWORD).await.status,
            StatusCode::OK,
            "the old password fails"
        );
        assert_eq!(
            web.try_sign_in("baofeng", "a new long password")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
    }
);
