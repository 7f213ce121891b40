//! The dashboard test harness: the router called directly over a fresh store of either
//! backend, staff accounts, reports, and a browser-like client (cookies, CSRF tokens).

#![allow(dead_code, unused_imports)]

pub use std::future::Future;

pub use axum::Router;
pub use axum::body::Body;
pub use axum::http::{HeaderMap, Request, StatusCode, header};
pub use chrono::Utc;
pub use qingfeng_core::content;
pub use qingfeng_core::crypto::DataKey;
pub use qingfeng_core::domain::*;
pub use qingfeng_core::reports::intake::{Filing, submit};
pub use qingfeng_core::reports::{ReportKeys, ReportSettings};
pub use qingfeng_core::store::{ManualRun, ManualRunGuard, RunFigures, Trigger};
pub use qingfeng_core::testing::report;
pub use qingfeng_core::{Store, StoreError};
pub use qingfeng_dashboard::{AppState, Settings, password};
pub use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

/// Three failures lock a name; the per-address limit is out of the way (every request of the
/// harness comes from the same unknown address), except in the tests of that limit.
pub fn test_settings() -> Settings {
    Settings {
        sign_in: qingfeng_core::store::SignInPolicy {
            failures: 3,
            ..Settings::default().sign_in
        },
        sign_in_limiter: std::sync::Arc::new(qingfeng_dashboard::SignInLimiter::new(1000, 1000)),
        ..Settings::default()
    }
}

/// "Run now" straight into the store (the real one goes through the scheduler's planner).
pub struct DirectRunner(pub Store);

impl qingfeng_dashboard::CampaignRunner for DirectRunner {
    fn run_now(
        &self,
        campaign: Campaign,
        guard: ManualRunGuard,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<ManualRun, StoreError>> + Send + '_>> {
        Box::pin(async move {
            let now = Utc::now();
            self.0.create_manual_run(&campaign, now, now, guard).await
        })
    }
}

/// Evidence "from Telegram": the file id's bytes, or an error for an id ending in `MISSING`.
pub struct FakeFiles;

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

pub struct Web {
    pub router: Router,
    pub store: Store,
    pub keys: ReportKeys,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (images, CSV).
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.strip_prefix(&format!("{name}="))
                    .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
            })
    }

    pub fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} field in:\n{}", self.body))
            + marker.len();
        self.body[start..].split('"').next().unwrap().to_owned()
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// A signed-in browser: its session cookie and the page's CSRF token.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

impl Web {
    pub async fn new(store: Store) -> Web {
        Web::with_settings(store, test_settings()).await
    }

    pub async fn with_settings(store: Store, settings: Settings) -> Web {
        Web::with_parts(store, settings, None).await
    }

    /// The dashboard of `serve --sandbox`, over `chats`.
    pub async fn with_sandbox(
        store: Store,
        chats: std::sync::Arc<dyn qingfeng_dashboard::sandbox::SandboxChats>,
    ) -> Web {
        Web::with_parts(store, test_settings(), Some(chats)).await
    }

    async fn with_parts(
        store: Store,
        settings: Settings,
        sandbox: Option<std::sync::Arc<dyn qingfeng_dashboard::sandbox::SandboxChats>>,
    ) -> Web {
        qingfeng_core::testing::import_shipped(&store, &qingfeng_core::testing::REPORT_CONTENT)
            .await;
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
            sandbox,
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

    pub async fn file(&self, r: &NewReport) -> i64 {
        self.file_at(r, Utc::now()).await
    }

    /// Files a report as if received at `at` (its deadlines count from then).
    pub async fn file_at(&self, r: &NewReport, at: chrono::DateTime<Utc>) -> i64 {
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
            at,
        )
        .await
        .unwrap()
        .id
    }

    pub async fn send(&self, request: Request<Body>) -> Response {
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
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str, cookie: &str) -> Response {
        let request = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Response {
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
    pub async fn sign_in(&self, username: &str) -> Browser {
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

    pub async fn try_sign_in(&self, username: &str, password: &str) -> Response {
        self.try_sign_in_with_code(username, password, "").await
    }

    pub async fn try_sign_in_with_code(
        &self,
        username: &str,
        password: &str,
        code: &str,
    ) -> Response {
        let form = self.get("/login", "").await;
        let login_cookie = format!("qf_login={}", form.cookie("qf_login").unwrap());
        let csrf = form.hidden("csrf");
        self.post(
            "/login",
            &login_cookie,
            &[
                ("username", username),
                ("password", password),
                ("code", code),
                ("csrf", &csrf),
            ],
        )
        .await
    }
}

/// The report most tests triage: about an ordinary cadre of 宝丰镇, anonymous, with replies.
pub fn anonymous_baofeng_report() -> NewReport {
    qingfeng_core::testing::report(
        Some("baofeng"),
        qingfeng_core::domain::PersonLevel::Staff,
        qingfeng_core::domain::Reporter::Anonymous { notify: true },
    )
}

pub async fn status_of(web: &Web, id: i64) -> ReportStatus {
    web.store.report_record(id).await.unwrap().unwrap().status
}

/// What a person reads on a page: the text between the tags, entities left as they are.
pub fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Panics if a zh-CN page shows an internal code: an event or action name, a UTC time, an ISO
/// period, or one of `codes` (campaign ids and the like).
pub fn assert_no_internal_codes(what: &str, html: &str, codes: &[&str]) {
    let text = visible_text(html);
    for raw in [
        "received",
        "accepted",
        "assigned",
        "disposed",
        "report.",
        "campaign.",
        "UTC",
        "photo",
        "manual",
        "-W",
    ]
    .iter()
    .chain(codes)
    {
        assert!(!text.contains(raw), "{what} shows `{raw}`:\n{text}");
    }
}
