//! The dashboard over HTTP (the router called directly), on both backends: signing in, the
//! queue, triage from received to closed, roles enforced by URL, CSRF, escaping, lockout.

use std::future::Future;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::Utc;
use qingfeng_core::content;
use qingfeng_core::crypto::DataKey;
use qingfeng_core::domain::*;
use qingfeng_core::reports::intake::{Filing, submit};
use qingfeng_core::reports::{ReportKeys, ReportSettings};
use qingfeng_core::store::{RunFigures, Trigger};
use qingfeng_core::testing::report;
use qingfeng_core::{Store, StoreError};
use qingfeng_dashboard::{AppState, Settings, password};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

/// "Run now" straight into the store (the real one goes through the scheduler's planner).
struct DirectRunner(Store);

impl qingfeng_dashboard::CampaignRunner for DirectRunner {
    fn run_now(
        &self,
        campaign: Campaign,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<Option<RunFigures>, StoreError>> + Send + '_>>
    {
        Box::pin(async move {
            let now = Utc::now();
            self.0
                .create_run(&campaign, now, Trigger::Manual, now)
                .await
        })
    }
}

/// Evidence "from Telegram": the file id's bytes, or an error for an id ending in `MISSING`.
struct FakeFiles;

impl qingfeng_core::channel::FileSource for FakeFiles {
    fn fetch(
        &self,
        file_id: &str,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<Vec<u8>, String>> + Send + '_>> {
        let result = if file_id.ends_with("MISSING") {
            Err("file not found".to_owned())
        } else {
            Ok(format!("bytes of {file_id}").into_bytes())
        };
        Box::pin(async move { result })
    }
}

struct Web {
    router: Router,
    store: Store,
    keys: ReportKeys,
}

struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Response {
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.strip_prefix(&format!("{name}="))
                    .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
            })
    }

    fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} field in:\n{}", self.body))
            + marker.len();
        self.body[start..].split('"').next().unwrap().to_owned()
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// A signed-in browser: its session cookie and the page's CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

impl Web {
    async fn new(store: Store) -> Web {
        Web::with_settings(
            store,
            Settings {
                lockout_failures: 3,
                ..Settings::default()
            },
        )
        .await
    }

    async fn with_settings(store: Store, settings: Settings) -> Web {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        for file in ["regions.toml", "categories.toml", "routing.toml"] {
            content::import(&store, &root.join(file)).await.unwrap();
        }
        let keys = ReportKeys::load_or_create(&store, &DataKey::from_bytes([5; 32]))
            .await
            .unwrap();
        let state = AppState {
            store: store.clone(),
            links: qingfeng_core::deeplink::signer(&DataKey::from_bytes([5; 32])),
            bot_username: std::sync::Arc::new(std::sync::OnceLock::from("qingfeng_bot".to_owned())),
            report_keys: keys.clone(),
            reports: ReportSettings::default(),
            settings,
            campaign_runner: Some(std::sync::Arc::new(DirectRunner(store.clone()))),
            files: Some(std::sync::Arc::new(FakeFiles)),
        };
        for (name, role) in [
            ("admin", StaffRole::Admin),
            ("baofeng", StaffRole::Township("baofeng".parse().unwrap())),
            ("majiadu", StaffRole::Township("majiadu".parse().unwrap())),
        ] {
            let hash = password::hash(PASSWORD).unwrap();
            store
                .create_staff(&name.parse().unwrap(), &hash, &role)
                .await
                .unwrap();
        }
        Web {
            router: qingfeng_dashboard::router(state),
            store,
            keys,
        }
    }

    async fn file(&self, r: &NewReport) -> i64 {
        let code = TrackingCode::generate();
        let filing = Filing {
            chat_id: 42,
            language: Language::ZhCn,
            report: r,
            code: &code,
        };
        submit(
            &self.store,
            &self.keys,
            &ReportSettings::default(),
            filing,
            Utc::now(),
        )
        .await
        .unwrap()
        .id
    }

    async fn send(&self, request: Request<Body>) -> Response {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
            .await
            .unwrap();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, cookie: &str) -> Response {
        let request = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Response {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Signs in through the form; panics with the page if it fails.
    async fn sign_in(&self, username: &str) -> Browser {
        let page = self.try_sign_in(username, PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let token = page.cookie("qf_session").expect("a session cookie");
        let cookie = format!("qf_session={token}");
        let queue = self.get("/reports", &cookie).await;
        Browser {
            csrf: queue.hidden("csrf"),
            cookie,
        }
    }

    async fn try_sign_in(&self, username: &str, password: &str) -> Response {
        let form = self.get("/login", "").await;
        let login_cookie = format!("qf_login={}", form.cookie("qf_login").unwrap());
        let csrf = form.hidden("csrf");
        self.post(
            "/login",
            &login_cookie,
            &[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
            ],
        )
        .await
    }
}

async fn status_of(web: &Web, id: i64) -> ReportStatus {
    web.store.report_record(id).await.unwrap().unwrap().status
}

qingfeng_core::store_test!(a_report_is_triaged_from_received_to_closed, |store| {
    let web = Web::new(store).await;
    let id = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: true },
        ))
        .await;
    let me = web.sign_in("admin").await;
    let set_cookie_line = web.try_sign_in("admin", PASSWORD).await;
    let session = set_cookie_line
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );

    let queue = web.get("/reports", &me.cookie).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.body.contains(&format!("/reports/{id}")) && queue.body.contains("违规收受礼品礼金")
    );
    let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
    assert!(page.body.contains("购物卡"), "decrypted for staff");
    for (action, extra) in [
        ("accept", ("", "")),
        ("dispose", ("disposal", "preliminary_verification")),
        ("reply", ("text", "已收到，正在核实。")),
        ("note", ("text", "内部：请纪检员联系企业")),
        ("close", ("text", "经核实，已责令退还购物卡并给予诫勉。")),
    ] {
        let mut form = vec![("csrf", me.csrf.as_str()), ("action", action)];
        if !extra.0.is_empty() {
            form.push(extra);
        }
        let done = web.post(&format!("/reports/{id}"), &me.cookie, &form).await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            done.body
        );
        assert_eq!(done.location(), format!("/reports/{id}?done={action}"));
    }
    assert_eq!(status_of(&web, id).await, ReportStatus::Closed);
    // Closed: accepting again is refused with a message, not an error page.
    let again = web
        .post(
            &format!("/reports/{id}"),
            &me.cookie,
            &[("csrf", &me.csrf), ("action", "accept")],
        )
        .await;
    assert_eq!(again.location(), format!("/reports/{id}?error=not_allowed"));
    let page = web
        .get(&format!("/reports/{id}?error=not_allowed"), &me.cookie)
        .await;
    assert!(page.body.contains("当前状态下不能进行这项操作") && page.body.contains("已结案"));
    // Every view and action is in the audit log.
    let audit = web.get("/audit", &me.cookie).await;
    for entry in [
        "report.view",
        "report.accept",
        "report.dispose",
        "report.reply",
        "report.note",
        "report.close",
        "login",
    ] {
        assert!(audit.body.contains(entry), "{entry} in the audit log");
    }
    // The reply and the outcome wait in the outbox for the reporter (the note does not).
    let counts = web.store.notice_counts().await.unwrap();
    assert!(
        counts.contains(&("reporter".into(), "queued".into(), 3)),
        "{counts:?}"
    );
    // Signing out ends the session.
    let out = web.post("/logout", &me.cookie, &[("csrf", &me.csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(web.get("/reports", &me.cookie).await.location(), "/login");
});

qingfeng_core::store_test!(
    a_township_account_cannot_reach_another_townships_report,
    |store| {
        let web = Web::new(store).await;
        let ours = web
            .file(&report(
                Some("baofeng"),
                PersonLevel::Staff,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let theirs = web
            .file(&report(
                Some("majiadu"),
                PersonLevel::Staff,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let county = web
            .file(&report(
                Some("baofeng"),
                PersonLevel::CountyOrAbove,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let me = web.sign_in("baofeng").await;
        let queue = web.get("/reports", &me.cookie).await;
        assert!(queue.body.contains(&format!("/reports/{ours}\"")));
        assert!(
            !queue.body.contains(&format!("/reports/{theirs}\""))
                && !queue.body.contains(&format!("/reports/{county}\""))
        );
        for id in [theirs, county] {
            assert_eq!(
                web.get(&format!("/reports/{id}"), &me.cookie).await.status,
                StatusCode::NOT_FOUND
            );
            let post = web
                .post(
                    &format!("/reports/{id}"),
                    &me.cookie,
                    &[("csrf", &me.csrf), ("action", "accept")],
                )
                .await;
            assert_eq!(post.status, StatusCode::NOT_FOUND);
            assert_eq!(status_of(&web, id).await, ReportStatus::Received);
        }
        assert_eq!(
            web.get("/reports/99999", &me.cookie).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            web.get("/audit", &me.cookie).await.status,
            StatusCode::NOT_FOUND
        );
        // Not signed in: to the sign-in page.
        assert_eq!(
            web.get(&format!("/reports/{ours}"), "").await.location(),
            "/login"
        );
    }
);

qingfeng_core::store_test!(forms_without_their_csrf_token_are_refused, |store| {
    let web = Web::new(store).await;
    let id = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        ))
        .await;
    let me = web.sign_in("admin").await;
    for form in [
        vec![("action", "accept")],
        vec![("action", "accept"), ("csrf", "forged")],
    ] {
        let refused = web.post(&format!("/reports/{id}"), &me.cookie, &form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(status_of(&web, id).await, ReportStatus::Received);
    assert_eq!(
        web.post("/logout", &me.cookie, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // A sign-in posted without the form's cookie (from another site) is refused too.
    let cross_site = web
        .post(
            "/login",
            "",
            &[("username", "admin"), ("password", PASSWORD), ("csrf", "x")],
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
});

qingfeng_core::store_test!(report_content_is_escaped, |store| {
    let web = Web::new(store).await;
    let mut hostile = report(
        Some("baofeng"),
        PersonLevel::Staff,
        Reporter::Anonymous { notify: false },
    );
    hostile.body.description = "<script>alert('xss')</script> 村干部截留惠民资金，金额不详。"
        .parse()
        .unwrap();
    let id = web.file(&hostile).await;
    let me = web.sign_in("admin").await;
    let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(
        page.body.contains("&#60;script&#62;alert(") || page.body.contains("&lt;script&gt;alert("),
        "shown as text: {}",
        page.body
    );
});

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

qingfeng_core::store_test!(statistics_show_charts_and_export_csv, |store| {
    let web = Web::new(store).await;
    for township in ["baofeng", "baofeng", "majiadu"] {
        web.file(&report(
            Some(township),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        ))
        .await;
    }
    let me = web.sign_in("admin").await;
    let page = web.get("/stats", &me.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<svg") && page.body.contains("违规收受礼品礼金"),
        "{}",
        page.body
    );
    let csv = web.get("/stats/reports-by-township.csv", &me.cookie).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.body.contains("宝丰镇,2\r\n") && csv.body.contains("麻家渡镇,1\r\n"),
        "{}",
        csv.body
    );
    assert_eq!(
        web.get("/stats/nothing.csv", &me.cookie).await.status,
        StatusCode::NOT_FOUND
    );
    // Township accounts see their own desk's reports, not county-wide figures.
    let township = web.sign_in("baofeng").await;
    assert_eq!(
        web.get("/stats", &township.cookie).await.status,
        StatusCode::NOT_FOUND
    );
});

qingfeng_core::store_test!(posters_carry_a_signed_deep_link_as_svg_and_png, |store| {
    let web = Web::new(store).await;
    let me = web.sign_in("admin").await;
    let list = web.get("/posters", &me.cookie).await;
    assert!(
        list.body.contains("宝丰镇龙井村") && list.body.contains("麻家渡镇"),
        "{}",
        list.body
    );
    let query = "audience=household&township=baofeng&village=longjing";
    let page = web.get(&format!("/poster?{query}"), &me.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("扫码加入"));
    let start = page
        .body
        .find("https://t.me/qingfeng_bot?start=")
        .expect("the link is printed")
        + "https://t.me/qingfeng_bot?start=".len();
    let payload: String = page.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let signer = qingfeng_core::deeplink::signer(&DataKey::from_bytes([5; 32]));
    let link = qingfeng_core::deeplink::DeepLink::decode(&payload, &signer).unwrap();
    assert_eq!(link.village.unwrap().as_str(), "longjing");
    for (format, content_type) in [("svg", "image/svg+xml"), ("png", "image/png")] {
        let file = web
            .get(&format!("/poster?{query}&format={format}"), &me.cookie)
            .await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(
            file.headers.get(header::CONTENT_TYPE).unwrap(),
            content_type
        );
        assert!(
            file.headers
                .get(header::CONTENT_DISPOSITION)
                .unwrap()
                .to_str()
                .unwrap()
                .contains(&format!("longjing.{format}"))
        );
    }
    let enterprise = web
        .get("/poster?audience=enterprise&township=majiadu", &me.cookie)
        .await;
    assert_eq!(enterprise.status, StatusCode::OK);
    assert!(enterprise.body.contains("start=e_majiadu_"));
    // A township account makes its own township's posters only.
    let township = web.sign_in("baofeng").await;
    assert_eq!(
        web.get(
            "/poster?audience=enterprise&township=majiadu",
            &township.cookie
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        web.get(&format!("/poster?{query}"), &township.cookie)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        web.get("/poster?audience=mayor&township=baofeng", &township.cookie)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
});

qingfeng_core::store_test!(campaigns_are_listed_previewed_paused_and_run, |store| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    content::import(&store, &root.join("calendar.toml"))
        .await
        .unwrap();
    let web = Web::new(store).await;
    content::import(&web.store, &root.join("campaigns.toml"))
        .await
        .unwrap();
    let me = web.sign_in("admin").await;
    let list = web.get("/campaigns", &me.cookie).await;
    assert!(
        list.body.contains("/campaigns/weekly-enterprise-tip"),
        "{}",
        list.body
    );
    let page = web
        .get("/campaigns/weekly-enterprise-tip", &me.cookie)
        .await;
    assert!(page.body.contains("lang=\"zh-CN\"") && page.body.contains("lang=\"en\""));
    assert!(
        page.body.contains("宝丰镇"),
        "the preview fills in a township"
    );
    let id: CampaignId = "weekly-enterprise-tip".parse().unwrap();
    let act = |action: &'static str| {
        let (web, me) = (&web, &me);
        async move {
            web.post(
                "/campaigns/weekly-enterprise-tip/action",
                &me.cookie,
                &[("csrf", &me.csrf), ("action", action)],
            )
            .await
        }
    };
    assert_eq!(act("pause").await.status, StatusCode::SEE_OTHER);
    assert!(web.store.campaign(&id).await.unwrap().unwrap().paused);
    act("resume").await;
    assert!(!web.store.campaign(&id).await.unwrap().unwrap().paused);
    assert_eq!(act("run").await.status, StatusCode::SEE_OTHER);
    assert_eq!(web.store.recent_runs(&id, 5).await.unwrap().len(), 1);
    let page = web
        .get("/campaigns/weekly-enterprise-tip", &me.cookie)
        .await;
    assert!(
        page.body.contains("manual"),
        "the run is listed: {}",
        page.body
    );
    let forged = web
        .post(
            "/campaigns/weekly-enterprise-tip/action",
            &me.cookie,
            &[("action", "pause")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let township = web.sign_in("baofeng").await;
    assert_eq!(
        web.get("/campaigns", &township.cookie).await.status,
        StatusCode::NOT_FOUND
    );
    let audit = web.get("/audit", &me.cookie).await;
    assert!(audit.body.contains("campaign.run") && audit.body.contains("campaign.pause"));
});

const QUESTION: &str = r#"[[questions]]
id = "test-report-line"
topics = ["reporting"]
audience = "all"
question_zh = "纪检监察机关的全国统一举报电话是多少？"
question_en = "What is the commissions' national reporting line?"
options_zh = ["12388", "12345"]
options_en = ["12388", "12345"]
answer = 1
explanation_zh = "12388 是纪检监察机关的全国统一举报电话。"
explanation_en = "12388 is the commissions' national reporting line."
source_zh = "中央纪委国家监委网站"
source_en = "Website of the CCDI and NSC"
"#;

qingfeng_core::store_test!(
    the_quiz_bank_is_browsed_and_imported_with_errors_named,
    |store| {
        let web = Web::new(store).await;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        for file in std::fs::read_dir(root.join("quiz")).unwrap() {
            content::import(&web.store, &file.unwrap().path())
                .await
                .unwrap();
        }
        let me = web.sign_in("admin").await;
        let page = web.get("/quizzes", &me.cookie).await;
        assert!(
            page.body.contains("qinqing-meaning-qin") && page.body.contains("题库 (59)"),
            "{}",
            page.body
        );
        let imported = web
            .post(
                "/quizzes/import",
                &me.cookie,
                &[("csrf", &me.csrf), ("toml", QUESTION)],
            )
            .await;
        assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
        assert!(
            web.get("/quizzes", &me.cookie)
                .await
                .body
                .contains("test-report-line")
        );
        let broken = QUESTION.replace("answer = 1", "answer = 7");
        let refused = web
            .post(
                "/quizzes/import",
                &me.cookie,
                &[("csrf", &me.csrf), ("toml", &broken)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::OK);
        assert!(
            refused.body.contains("import-errors")
                && refused.body.contains("第 1 行")
                && refused.body.contains("`answer` is 7"),
            "{}",
            refused.body
        );
        let township = web.sign_in("baofeng").await;
        assert_eq!(
            web.get("/quizzes", &township.cookie).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

qingfeng_core::store_test!(a_duplicate_is_merged_into_the_open_report, |store| {
    let web = Web::new(store).await;
    let anonymous = Reporter::Anonymous { notify: true };
    let first = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            anonymous.clone(),
        ))
        .await;
    let second = web
        .file(&report(
            Some("baofeng"),
            PersonLevel::Staff,
            anonymous.clone(),
        ))
        .await;
    let elsewhere = web
        .file(&report(Some("majiadu"), PersonLevel::Staff, anonymous))
        .await;
    let me = web.sign_in("baofeng").await;
    let path = format!("/reports/{second}");
    let outside = web
        .post(
            &path,
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "duplicate"),
                ("of", &elsewhere.to_string()),
            ],
        )
        .await;
    assert_eq!(
        outside.location(),
        format!("{path}?error=of"),
        "a report this account cannot see"
    );
    let itself = web
        .post(
            &path,
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "duplicate"),
                ("of", &second.to_string()),
            ],
        )
        .await;
    assert_eq!(itself.location(), format!("{path}?error=not_allowed"));
    let merged = web
        .post(
            &path,
            &me.cookie,
            &[
                ("csrf", &me.csrf),
                ("action", "duplicate"),
                ("of", &format!("#{first}")),
            ],
        )
        .await;
    assert_eq!(merged.location(), format!("{path}?done=duplicate"));
    assert_eq!(status_of(&web, second).await, ReportStatus::Closed);
    assert_eq!(status_of(&web, first).await, ReportStatus::Received);
    let survivor = web.get(&format!("/reports/{first}"), &me.cookie).await;
    assert!(
        survivor
            .body
            .contains(&format!("href=\"/reports/{second}\"")),
        "{}",
        survivor.body
    );
    let duplicate = web.get(&path, &me.cookie).await;
    assert!(duplicate.body.contains("id=\"duplicate-of\""));
    // The duplicate's reporter is told where it went.
    let counts = web.store.notice_counts().await.unwrap();
    assert!(
        counts.contains(&("reporter".into(), "queued".into(), 1)),
        "{counts:?}"
    );
});

qingfeng_core::store_test!(
    evidence_is_fetched_through_the_server_and_audited,
    |store| {
        let web = Web::new(store).await;
        let mut with_files = report(
            Some("baofeng"),
            PersonLevel::Staff,
            Reporter::Anonymous { notify: false },
        );
        with_files.evidence.push(Evidence {
            kind: EvidenceKind::Document,
            file_id: "DOC-MISSING".into(),
            file_name: Some("\"evil\r\n.pdf".into()),
            size: Some(10),
        });
        let id = web.file(&with_files).await;
        let other = web
            .file(&report(
                Some("majiadu"),
                PersonLevel::Staff,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let me = web.sign_in("baofeng").await;
        let page = web.get(&format!("/reports/{id}"), &me.cookie).await;
        assert!(page.body.contains(&format!("/reports/{id}/evidence/0")));
        let photo = web
            .get(&format!("/reports/{id}/evidence/0"), &me.cookie)
            .await;
        assert_eq!(photo.status, StatusCode::OK);
        assert_eq!(photo.body, "bytes of AgACAgIAAxkBAAIBSECRETFILEID");
        assert_eq!(
            photo.headers.get(header::CONTENT_TYPE).unwrap(),
            "image/jpeg"
        );
        assert_eq!(
            photo.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        let disposition = photo
            .headers
            .get(header::CONTENT_DISPOSITION)
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(
            disposition,
            format!("attachment; filename=\"report-{id}-1.jpg\"")
        );
        // Telegram cannot serve it: a clear error, not a crash.
        assert_eq!(
            web.get(&format!("/reports/{id}/evidence/1"), &me.cookie)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            web.get(&format!("/reports/{id}/evidence/9"), &me.cookie)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            web.get(&format!("/reports/{other}/evidence/0"), &me.cookie)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let admin = web.sign_in("admin").await;
        let audit = web.get("/audit", &admin.cookie).await;
        assert_eq!(
            audit.body.matches("report.evidence").count(),
            1,
            "only the fetch that worked"
        );
    }
);

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
    campaigns_are_created_and_edited_with_the_import_checks,
    |store| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        content::import(&store, &root.join("calendar.toml"))
            .await
            .unwrap();
        let web = Web::new(store).await;
        content::import(&web.store, &root.join("campaigns.toml"))
            .await
            .unwrap();
        let me = web.sign_in("admin").await;
        let fresh = web.get("/campaigns/new", &me.cookie).await;
        assert!(fresh.body.contains("[[campaigns]]"));
        let new = r#"[[campaigns]]
id = "village-meeting"
title_zh = "村务公开提醒"
title_en = "Village affairs disclosure"
audience = "household"
villages = ["baofeng/longjing"]
schedule = { cron = "0 0 10 1 * *" }

[[campaigns.messages]]
zh-CN = "【清廉村居】{township}的村务、财务公开栏已更新，欢迎查看并监督。"
en = "[Clean villages] The disclosure board in {township} has been updated; have a look."
"#;
        let save = |toml: String, original: &'static str| {
            let (web, me) = (&web, &me);
            async move {
                web.post(
                    "/campaigns/save",
                    &me.cookie,
                    &[
                        ("csrf", me.csrf.as_str()),
                        ("original", original),
                        ("toml", &toml),
                    ],
                )
                .await
            }
        };
        let created = save(new.to_owned(), "").await;
        assert_eq!(
            created.location(),
            "/campaigns/village-meeting",
            "{}",
            created.body
        );
        let id: CampaignId = "village-meeting".parse().unwrap();
        assert!(web.store.campaign(&id).await.unwrap().unwrap().active);
        // The same id again is refused; so is a bad schedule or an unknown village, with the line.
        assert!(
            save(new.to_owned(), "")
                .await
                .body
                .contains("已被其他活动使用")
        );
        let bad = save(
            new.replace("0 0 10 1 * *", "every day")
                .replace("longjing", "nowhere"),
            "",
        )
        .await;
        assert!(
            bad.body
                .split("id=\"campaign-errors\"")
                .nth(1)
                .is_some_and(|errors| {
                    let errors = errors.split("</div>").next().unwrap_or("");
                    errors.contains("第 7 行") && errors.contains("every day")
                }),
            "{}",
            bad.body
        );
        let unknown = save(new.replace("longjing", "nowhere"), "").await;
        let errors = unknown
            .body
            .split("id=\"campaign-errors\"")
            .nth(1)
            .unwrap_or("")
            .split("</div>")
            .next()
            .unwrap_or("")
            .to_owned();
        assert!(
            errors.contains("baofeng/nowhere") && errors.contains("regions.toml"),
            "{errors}"
        );
        // Editing: the form holds the campaign; a renamed id is refused; a change is saved.
        let edit = web.get("/campaigns/village-meeting/edit", &me.cookie).await;
        assert!(edit.body.contains("village-meeting") && edit.body.contains("村务公开提醒"));
        let renamed = save(
            new.replace("\"village-meeting\"", "\"renamed\""),
            "village-meeting",
        )
        .await;
        assert!(renamed.body.contains("不能修改"));
        let changed = save(
            new.replace("村务公开提醒", "三务公开提醒"),
            "village-meeting",
        )
        .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER);
        let stored = web.store.campaign(&id).await.unwrap().unwrap();
        assert_eq!(stored.campaign.title.zh, "三务公开提醒");
        // The others are untouched.
        assert!(
            web.store
                .campaign(&"weekly-enterprise-tip".parse().unwrap())
                .await
                .unwrap()
                .unwrap()
                .active
        );
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
