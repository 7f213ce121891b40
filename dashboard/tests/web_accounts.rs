//! Dashboard accounts: lockout, the TOTP second factor, password change.

mod common;

use common::*;

const WRONG: &str = "用户名、密码或动态验证码不正确";
const LOCKED: &str = "账户已暂时锁定";

qingfeng_core::store_test!(repeated_failed_sign_ins_lock_the_account, |store| {
    let web = Web::new(store).await;
    for _ in 0..3 {
        let wrong = web.try_sign_in("baofeng", "not the password").await;
        assert_eq!(wrong.status, StatusCode::OK);
        assert!(wrong.body.contains(WRONG));
    }
    let locked = web.try_sign_in("baofeng", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::OK, "no session while locked");
    assert!(locked.cookie("qf_session").is_none());
    assert!(locked.body.contains(LOCKED), "{}", locked.body);
    // Others are not affected, and the failures are audited.
    let admin = web.sign_in("admin").await;
    let audit = web.get("/audit", &admin.cookie).await;
    assert_eq!(audit.body.matches("登录失败").count(), 3);
});

// Whether a username exists must not show: an unknown name is answered like a known one at
// every attempt, including the lock that follows the failures.
qingfeng_core::store_test!(
    unknown_names_are_answered_exactly_like_known_ones,
    |store| {
        let web = Web::new(store).await;
        let answers = |name: &'static str| {
            let web = &web;
            async move {
                let mut answers = Vec::new();
                for _ in 0..5 {
                    let page = web.try_sign_in(name, "not the password").await;
                    let error = page.body.split("id=\"login-error\">").nth(1).unwrap_or("");
                    let error = error.split('<').next().unwrap_or("").to_owned();
                    answers.push((page.status, error));
                }
                answers
            }
        };
        let known = answers("baofeng").await;
        let unknown = answers("nobody").await;
        assert_eq!(known, unknown);
        assert!(
            known[2].1.contains(WRONG) && known[3].1.contains(LOCKED),
            "{known:?}"
        );
    }
);

// 40 guesses at once: the attempt is reserved before the password is checked, so no more
// passwords are tested than the limit allows (each tested one is audited).
qingfeng_core::store_test!(
    concurrent_guesses_test_no_more_passwords_than_the_limit,
    |store| {
        let web = Web::new(store).await;
        let guesses = (0..40).map(|i| {
            let web = &web;
            async move {
                web.try_sign_in("baofeng", &format!("guess number {i}"))
                    .await
            }
        });
        let pages = futures_util::future::join_all(guesses).await;
        let refused = pages.iter().filter(|p| p.body.contains(WRONG)).count();
        let locked = pages.iter().filter(|p| p.body.contains(LOCKED)).count();
        assert_eq!((refused, locked), (3, 37));
        let failures = web
            .store
            .audit_log(100, 0)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "login.failed")
            .count();
        assert_eq!(failures, 3);
    }
);

// Sign-ins from one address beyond the per-minute limit are refused before any password is
// checked, and other addresses are not held up by it until the overall limit.
qingfeng_core::store_test!(sign_ins_are_limited_per_address_and_overall, |store| {
    let settings = Settings {
        sign_in_limiter: std::sync::Arc::new(qingfeng_dashboard::SignInLimiter::new(4, 6)),
        client_ip_header: Some("x-real-ip".parse().unwrap()),
        ..test_settings()
    };
    let web = Web::with_settings(store, settings).await;
    let from = |ip: &'static str, name: &'static str| {
        let web = &web;
        async move {
            let form = web.get("/login", "").await;
            let cookie = format!("qf_login={}", form.cookie("qf_login").unwrap());
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs([
                    ("username", name),
                    ("password", "wrong"),
                    ("csrf", form.hidden("csrf").as_str()),
                ])
                .finish();
            let request = Request::post("/login")
                .header(header::COOKIE, cookie)
                .header("x-real-ip", ip)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap();
            web.send(request).await.status
        }
    };
    for name in ["a1", "a2", "a3", "a4"] {
        assert_eq!(from("10.0.0.1", name).await, StatusCode::OK);
    }
    assert_eq!(from("10.0.0.1", "a5").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(from("10.0.0.2", "b1").await, StatusCode::OK);
    assert_eq!(
        from("10.0.0.3", "c1").await,
        StatusCode::TOO_MANY_REQUESTS,
        "six attempts a minute overall"
    );
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

// A stolen session cannot be used to guess the password: wrong current passwords count as
// failed sign-ins, and when the name locks the session ends.
qingfeng_core::store_test!(wrong_current_passwords_count_as_failed_sign_ins, |store| {
    let web = Web::new(store).await;
    let me = web.sign_in("baofeng").await;
    let change = |current: &'static str| {
        let (web, me) = (&web, &me);
        async move {
            web.post(
                "/account/password",
                &me.cookie,
                &[
                    ("csrf", me.csrf.as_str()),
                    ("current", current),
                    ("new", "a new long password"),
                    ("confirm", "a new long password"),
                ],
            )
            .await
        }
    };
    for _ in 0..3 {
        assert!(change("guess").await.body.contains("当前密码不正确"));
    }
    let fourth = change(PASSWORD).await;
    assert_eq!(fourth.location(), "/login", "locked: signed out");
    assert_eq!(web.get("/reports", &me.cookie).await.location(), "/login");
    let locked = web.try_sign_in("baofeng", PASSWORD).await;
    assert!(locked.body.contains(LOCKED));
    assert!(
        web.try_sign_in("baofeng", "a new long password")
            .await
            .cookie("qf_session")
            .is_none(),
        "the password did not change"
    );
});
