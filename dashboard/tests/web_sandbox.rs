//! The sandbox pages over a fake `SandboxChats`: absent in real mode, the banner on every
//! page, safe rendering of the bot's formatting, CSRF and roles on every action, the reset
//! and the posters' "open as QR scan".

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use qingfeng_core::deeplink::DeepLink;
use qingfeng_dashboard::sandbox::*;

/// Records what the page asked for; one person (id 7) with one bot message (id 3).
#[derive(Default)]
struct FakeChats {
    actions: Mutex<Vec<String>>,
}

impl FakeChats {
    fn log(&self, action: String) -> Result<(), NotInSandbox> {
        self.actions.lock().unwrap().push(action);
        Ok(())
    }

    fn known(person: i64) -> Result<(), NotInSandbox> {
        if person == 7 {
            Ok(())
        } else {
            Err(NotInSandbox)
        }
    }

    fn actions(&self) -> Vec<String> {
        self.actions.lock().unwrap().clone()
    }
}

impl SandboxChats for FakeChats {
    fn people(&self) -> Vec<SandboxPerson> {
        vec![SandboxPerson {
            id: 7,
            name: "王伟".into(),
            language: Some("zh-hans".into()),
        }]
    }
    fn create_person(&self, name: &str, language: Option<&str>) -> SandboxPerson {
        let _ = self.log(format!("create {name} {language:?}"));
        SandboxPerson {
            id: 8,
            name: name.into(),
            language: language.map(Into::into),
        }
    }
    fn send_text(&self, person: i64, text: &str) -> Result<(), NotInSandbox> {
        Self::known(person)?;
        self.log(format!("text {text}"))
    }
    fn press(&self, person: i64, message_id: i64, data: &str) -> Result<(), NotInSandbox> {
        Self::known(person)?;
        if message_id != 3 {
            return Err(NotInSandbox);
        }
        self.log(format!("press {data}"))
    }
    fn answer_poll(&self, person: i64, poll_id: &str, option: u32) -> Result<(), NotInSandbox> {
        Self::known(person)?;
        self.log(format!("poll {poll_id} {option}"))
    }
    fn send_photo(&self, person: i64, bytes: Vec<u8>) -> Result<(), NotInSandbox> {
        Self::known(person)?;
        self.log(format!("photo {}", bytes.len()))
    }
    fn send_document(
        &self,
        person: i64,
        name: &str,
        _: &str,
        _: Vec<u8>,
    ) -> Result<(), NotInSandbox> {
        Self::known(person)?;
        self.log(format!("document {name}"))
    }
    fn chat(&self, person: i64) -> Result<SandboxChat, NotInSandbox> {
        Self::known(person)?;
        let text = "<script>alert(1)</script> 请选择";
        Ok(SandboxChat {
            version: 42,
            messages: vec![SandboxMessage {
                id: 3,
                from_bot: true,
                text: text.into(),
                entities: vec![SandboxEntity {
                    kind: "bold".into(),
                    offset: 26,
                    length: 3,
                    url: None,
                }],
                buttons: vec![vec![SandboxButton {
                    text: "家庭".into(),
                    data: Some("aud:household".into()),
                    url: None,
                }]],
                ..SandboxMessage::default()
            }],
            reply_keyboard: vec![vec!["答题".into()]],
        })
    }
    fn clear(&self) {
        let _ = self.log("clear".into());
    }
}

qingfeng_core::store_test!(real_mode_has_no_sandbox_pages_and_no_banner, |store| {
    let web = Web::new(store).await;
    let me = web.sign_in("admin").await;
    for path in ["/sandbox", "/sandbox/chat/7", "/assets/sandbox.js"] {
        assert_eq!(
            web.get(path, &me.cookie).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let reset = [("csrf", me.csrf.as_str()), ("confirm", "yes")];
    let refused = web.post("/sandbox/reset", &me.cookie, &reset).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let reports = web.get("/reports", &me.cookie).await;
    assert!(!reports.body.contains("sandbox-banner"));
    let posters = web.get("/posters", &me.cookie).await;
    assert!(!posters.body.contains("scan-button"));
});

qingfeng_core::store_test!(
    the_sandbox_page_shows_the_banner_and_renders_chats_safely,
    |store| {
        let chats = Arc::new(FakeChats::default());
        let web = Web::with_sandbox(store, chats.clone()).await;
        let me = web.sign_in("admin").await;
        assert!(
            web.get("/reports", &me.cookie)
                .await
                .body
                .contains("id=\"sandbox-banner\"")
        );
        let page = web.get("/sandbox?person=7", &me.cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("王伟") && page.body.contains("id=\"phone\""));
        let csp = page.headers.get(header::CONTENT_SECURITY_POLICY).unwrap();
        assert!(csp.to_str().unwrap().contains("script-src 'self'"));
        let other = web.get("/reports", &me.cookie).await;
        let csp = other.headers.get(header::CONTENT_SECURITY_POLICY).unwrap();
        assert!(
            !csp.to_str().unwrap().contains("script-src"),
            "script only on /sandbox"
        );

        let chat = web.get("/sandbox/chat/7", &me.cookie).await;
        let json: serde_json::Value = serde_json::from_str(&chat.body).unwrap();
        assert_eq!(json["version"], "42");
        assert_eq!(
            json["messages"][0]["html"],
            "&lt;script&gt;alert(1)&lt;/script&gt; <b>请选择</b>"
        );
        assert_eq!(
            json["messages"][0]["buttons"][0][0]["data"],
            "aud:household"
        );
        assert_eq!(json["reply_keyboard"][0][0], "答题");
        let unchanged = web.get("/sandbox/chat/7?since=42", &me.cookie).await;
        let json: serde_json::Value = serde_json::from_str(&unchanged.body).unwrap();
        assert_eq!(json["changed"], false);
        assert!(json["messages"].as_array().unwrap().is_empty());
        assert_eq!(
            web.get("/sandbox/chat/9", &me.cookie).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

qingfeng_core::store_test!(
    sandbox_actions_need_the_csrf_token_and_a_real_person,
    |store| {
        let chats = Arc::new(FakeChats::default());
        let web = Web::with_sandbox(store, chats.clone()).await;
        let me = web.sign_in("admin").await;
        let csrf = me.csrf.as_str();
        let forged = web
            .post(
                "/sandbox/chat/7/text",
                &me.cookie,
                &[("csrf", "x"), ("text", "hi")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let sent = web
            .post(
                "/sandbox/chat/7/text",
                &me.cookie,
                &[("csrf", csrf), ("text", "/start")],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let empty = web
            .post(
                "/sandbox/chat/7/text",
                &me.cookie,
                &[("csrf", csrf), ("text", "  ")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        let press = [("csrf", csrf), ("message", "3"), ("data", "aud:household")];
        assert_eq!(
            web.post("/sandbox/chat/7/press", &me.cookie, &press)
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let stale = [("csrf", csrf), ("message", "99"), ("data", "aud:household")];
        assert_eq!(
            web.post("/sandbox/chat/7/press", &me.cookie, &stale)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let poll = [("csrf", csrf), ("poll", "p1"), ("option", "2")];
        assert_eq!(
            web.post("/sandbox/chat/7/poll", &me.cookie, &poll)
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let person = [("csrf", csrf), ("name", "李娜"), ("language", "en")];
        let created = web.post("/sandbox/people", &me.cookie, &person).await;
        assert_eq!(created.location(), "/sandbox?person=8");
        let nameless = [("csrf", csrf), ("name", " "), ("language", "en")];
        assert_eq!(
            web.post("/sandbox/people", &me.cookie, &nameless)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            chats.actions(),
            [
                "text /start",
                "press aud:household",
                "poll p1 2",
                "create 李娜 Some(\"en\")"
            ]
        );
    }
);

/// A multipart upload of one file, as the page's file form sends it.
fn upload(cookie: &str, csrf: &str, name: &str, mime: &str, bytes: &[u8]) -> Request<Body> {
    let mut body = format!(
        "--XBOUNDARY\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --XBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: {mime}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--XBOUNDARY--\r\n");
    Request::post("/sandbox/chat/7/file")
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=XBOUNDARY",
        )
        .header("x-sandbox", "1")
        .body(Body::from(body))
        .unwrap()
}

qingfeng_core::store_test!(files_go_as_photos_or_documents_behind_csrf, |store| {
    let chats = Arc::new(FakeChats::default());
    let web = Web::with_sandbox(store, chats.clone()).await;
    let me = web.sign_in("admin").await;
    let (cookie, csrf) = (me.cookie.as_str(), me.csrf.as_str());
    let photo = web
        .send(upload(cookie, csrf, "卡.png", "image/png", b"png!"))
        .await;
    assert_eq!(photo.status, StatusCode::NO_CONTENT, "{}", photo.body);
    let pdf = upload(cookie, csrf, "记录.pdf", "application/pdf", b"%PDF");
    assert_eq!(web.send(pdf).await.status, StatusCode::NO_CONTENT);
    let empty = upload(cookie, csrf, "空.txt", "text/plain", b"");
    assert_eq!(web.send(empty).await.status, StatusCode::BAD_REQUEST);
    let forged = upload(cookie, "forged", "卡.png", "image/png", b"png!");
    assert_eq!(web.send(forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(chats.actions(), ["photo 4", "document 记录.pdf"]);
});

qingfeng_core::store_test!(
    reset_is_for_admins_and_a_poster_scan_sends_its_deep_link,
    |store| {
        let chats = Arc::new(FakeChats::default());
        let web = Web::with_sandbox(store.clone(), chats.clone()).await;
        qingfeng_core::testing::subscribe(
            &store,
            [7],
            Language::ZhCn,
            &qingfeng_core::testing::household("baofeng"),
        )
        .await;
        let township = web.sign_in("baofeng").await;
        let reset = [("csrf", township.csrf.as_str()), ("confirm", "yes")];
        let refused = web.post("/sandbox/reset", &township.cookie, &reset).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let me = web.sign_in("admin").await;
        let unconfirmed = web
            .post("/sandbox/reset", &me.cookie, &[("csrf", me.csrf.as_str())])
            .await;
        assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
        assert!(
            store.subscriber_by_chat(7).await.unwrap().is_some(),
            "nothing reset yet"
        );
        let reset = [("csrf", me.csrf.as_str()), ("confirm", "yes")];
        let done = web.post("/sandbox/reset", &me.cookie, &reset).await;
        assert_eq!(done.location(), "/sandbox?done=reset");
        assert!(store.subscriber_by_chat(7).await.unwrap().is_none());
        assert_eq!(chats.actions(), ["clear"]);
        let audit = store.audit_log(10, 0).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "sandbox.reset" && e.username == "admin")
        );

        let posters = web.get("/posters", &me.cookie).await;
        assert!(posters.body.contains("scan-button"), "{}", posters.body);
        let query = "audience=household&township=baofeng&village=longjing";
        let scan = [("csrf", me.csrf.as_str()), ("person", "7")];
        let scanned = web
            .post(&format!("/sandbox/scan?{query}"), &me.cookie, &scan)
            .await;
        assert_eq!(scanned.location(), "/sandbox?person=7&done=scan");
        let actions = chats.actions();
        let payload = actions[1].strip_prefix("text /start ").unwrap();
        let link = DeepLink::decode(
            payload,
            &qingfeng_core::deeplink::signer(&DataKey::from_bytes([5; 32])),
        );
        let link = link.unwrap();
        assert_eq!(link.township.as_str(), "baofeng");
        assert_eq!(link.village.unwrap().as_str(), "longjing");
        // A township account scans only its own township's posters.
        let other = "audience=household&township=majiadu";
        let scan = [("csrf", township.csrf.as_str()), ("person", "7")];
        let refused = web
            .post(&format!("/sandbox/scan?{other}"), &township.cookie, &scan)
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
    }
);
