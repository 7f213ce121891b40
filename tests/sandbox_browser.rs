//! The sandbox in a real headless Chromium, as a commission evaluating Qingfeng would use it:
//! open `/sandbox`, create a test person, sign a household up in 宝丰镇龙井村 by pressing the
//! bot's buttons, receive a campaign that staff run now, take a quiz to its score, file an
//! anonymous report with a photo and see the tracking code; then, as staff, find the report in
//! the queue and accept it, and see the notice reach the reporter's chat. A screenshot of each
//! step is saved as `target/tmp/sandbox-*.png`.

mod common;

use std::time::{Duration, Instant};

use common::browser::{browser, text_of};
use common::sandbox::SandboxServer;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

/// The smallest valid PNG (1×1): the file input sends it as an image, so the bot gets a photo.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Generous: two cores are shared with other builds and tests.
const WAIT: Duration = Duration::from_secs(45);

/// XPath of the bot's message bubbles containing `needle`.
fn bot_bubble(needle: &str) -> String {
    format!("//div[contains(@class,'bubble') and contains(@class,'bot')][contains(., '{needle}')]")
}

/// Where the browser is and what the page says, for a failure message (without waiting).
async fn dump(client: &Client) -> String {
    let url = client.current_url().await.map(|u| u.to_string());
    let body = match client.find(Locator::Css("body")).await {
        Ok(body) => body.text().await.unwrap_or_default(),
        Err(e) => format!("(no body: {e})"),
    };
    format!("the page {url:?} shows:\n{body}")
}

/// The last bot bubble containing `needle`, once there is one.
async fn wait_bubble(client: &Client, needle: &str) -> Element {
    let started = Instant::now();
    loop {
        let found = client.find_all(Locator::XPath(&bot_bubble(needle))).await;
        if let Some(last) = found.ok().and_then(|mut all| all.pop()) {
            return last;
        }
        if started.elapsed() > WAIT {
            panic!(
                "no bot message containing {needle:?}; {}",
                dump(client).await
            );
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Presses the button labelled `label` under the last bot message containing `needle`. The
/// page redraws the chat when it changes, so a click on an element just replaced is retried.
async fn press(client: &Client, needle: &str, label: &str) {
    let xpath = format!(
        "({})[last()]//button[contains(@class,'inline')][contains(., '{label}')]",
        bot_bubble(needle)
    );
    let started = Instant::now();
    loop {
        if let Ok(button) = client.find(Locator::XPath(&xpath)).await
            && button.click().await.is_ok()
        {
            return;
        }
        if started.elapsed() > WAIT {
            let page = dump(client).await;
            panic!("no button {label:?} under a message containing {needle:?}; {page}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Types `text` into the chat's input and sends it.
async fn say(client: &Client, text: &str) {
    let input = client.find(Locator::Css("#text")).await.unwrap();
    input.send_keys(text).await.unwrap();
    client
        .find(Locator::Css("#send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn screenshot(client: &Client, step: &str) {
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let path =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sandbox-{step}.png"));
    std::fs::write(&path, &png).unwrap();
    eprintln!("screenshot: {}", path.display());
}

async fn click(client: &Client, css: &str) {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn sign_in_and_create_person(client: &Client, base: &str, password: &str) {
    client.goto(&format!("{base}/sandbox")).await.unwrap();
    let form = client.form(Locator::Css("form")).await.unwrap();
    form.set_by_name("username", "sandbox-admin").await.unwrap();
    form.set_by_name("password", password).await.unwrap();
    click(client, "#sign-in").await;
    // Signed in once the queue shows (sign-in lands there).
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#queue"))
        .await
        .unwrap();
    client.goto(&format!("{base}/sandbox")).await.unwrap();
    assert!(text_of(client, "#sandbox-banner").await.contains("沙盒"));
    screenshot(client, "1-open").await;
    let name = client.find(Locator::Css("#person-name")).await.unwrap();
    name.send_keys("王伟").await.unwrap();
    click(client, "#create-person").await;
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#phone"))
        .await
        .unwrap();
    screenshot(client, "2-person").await;
}

async fn sign_up_household(client: &Client) {
    say(client, "/start").await;
    press(client, "请选择您的身份", "家庭").await;
    press(client, "请选择您所在的乡镇", "宝丰镇").await;
    press(client, "请选择您所在的村", "龙井村").await;
    press(client, "请确认您的登记信息", "确认").await;
    wait_bubble(client, "登记成功").await;
    screenshot(client, "3-signed-up").await;
}

/// Staff run the monthly family reminder now; it arrives in the household's chat.
async fn run_campaign(client: &Client, base: &str) {
    let chat = client.current_url().await.unwrap();
    client
        .goto(&format!("{base}/campaigns/monthly-family-reminder"))
        .await
        .unwrap();
    click(client, "#do-run").await;
    // The run is created once the page lists it (leaving earlier could cancel the post).
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(
            "//table[@id='runs']//td[contains(., '手动')]",
        ))
        .await
        .unwrap();
    client.goto(chat.as_str()).await.unwrap();
    wait_bubble(client, "【清廉家风】").await;
    screenshot(client, "4-campaign").await;
}

/// Answers every question with its first option until the score arrives.
async fn take_quiz(client: &Client) -> String {
    say(client, "/quiz").await;
    for number in 1..=20 {
        let question = format!("第 {number}/");
        press(client, &question, "A.").await;
        // The next question, or the score after the last one.
        let started = Instant::now();
        loop {
            if let Ok(score) = client.find(Locator::XPath(&bot_bubble("本次得分"))).await {
                let text = score.text().await.unwrap();
                screenshot(client, "5-quiz-score").await;
                return text;
            }
            let next = format!("第 {}/", number + 1);
            if client
                .find(Locator::XPath(&bot_bubble(&next)))
                .await
                .is_ok()
            {
                break;
            }
            assert!(
                started.elapsed() < WAIT,
                "neither question {} nor a score",
                number + 1
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }
    panic!("the quiz did not end within 20 questions");
}

/// `/report` as an anonymous reporter with a photo who asks for notices here; returns the bot's final message.
async fn file_report(client: &Client, photo: &std::path::Path) -> String {
    say(client, "/report").await;
    press(client, "请选择问题类别", "违反廉洁纪律").await;
    press(client, "哪一类", "违规收受礼品礼金").await;
    wait_bubble(client, "被反映人的姓名").await;
    say(client, "张某某").await;
    wait_bubble(client, "在哪个单位").await;
    say(client, "宝丰镇人民政府").await;
    press(client, "职务", "跳过").await;
    press(client, "哪一级", "一般干部").await;
    press(client, "县纪委监委的工作人员吗", "不是").await;
    // The township is the one the person signed up in (宝丰镇): not asked again.
    wait_bubble(client, "具体描述问题").await;
    say(
        client,
        "镇干部张某某在中秋节前收受辖区企业购物卡两张，还暗示不送就拖延审批。",
    )
    .await;
    wait_bubble(client, "时间和地点").await;
    say(client, "2026年9月，镇政府办公室").await;
    wait_bubble(client, "如有证据").await;
    let file = client.find(Locator::Css("#file")).await.unwrap();
    file.send_keys(&photo.display().to_string()).await.unwrap();
    click(client, "#send-file").await;
    press(client, "第 1 个", "完成").await;
    press(client, "实名举报还是匿名举报", "匿名举报").await;
    // Anonymous, but with the notices in this chat: staff triage then shows up here.
    press(client, "是否希望在这个聊天里", "是，在这里").await;
    press(client, "请核对举报内容", "提交").await;
    let submitted = wait_bubble(client, "您的查询码")
        .await
        .text()
        .await
        .unwrap();
    screenshot(client, "6-report-filed").await;
    submitted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_signs_up_takes_a_quiz_and_reports_in_the_sandbox_then_staff_find_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let server = SandboxServer::start(dir.path());
    let password = server.passwords["sandbox-admin"].clone();
    let base = format!("http://{}", server.addr);
    let photo = tempfile::tempdir().unwrap();
    let photo = photo.path().join("购物卡.png");
    std::fs::write(&photo, PNG).unwrap();
    let (_driver, client) = browser().await;

    sign_in_and_create_person(&client, &base, &password).await;
    sign_up_household(&client).await;
    run_campaign(&client, &base).await;
    let score = take_quiz(&client).await;
    assert!(score.contains("本次得分"), "{score}");
    let submitted = file_report(&client, &photo).await;
    let code = submitted
        .split("您的查询码：")
        .nth(1)
        .map(|rest| rest.chars().take(19).collect::<String>())
        .unwrap_or_else(|| panic!("no tracking code in {submitted:?}"));
    assert_eq!(code.chars().filter(|c| *c == '-').count(), 3, "{code}");

    // Staff: the report is in the queue, about 宝丰镇, with its category; accepting it
    // notifies the reporter in their chat.
    let chat = client.current_url().await.unwrap();
    client.goto(&format!("{base}/reports")).await.unwrap();
    let queue = text_of(&client, "#queue").await;
    assert!(queue.contains("宝丰镇"), "{queue}");
    click(&client, "#queue a[href^='/reports/']").await;
    assert_eq!(text_of(&client, "#status").await, "已收到，待受理");
    assert!(text_of(&client, "#description").await.contains("购物卡"));
    assert!(text_of(&client, "#sandbox-banner").await.contains("沙盒"));
    screenshot(&client, "7-staff-queue").await;
    click(&client, "#do-accept").await;
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#notice"))
        .await
        .unwrap();
    client.goto(chat.as_str()).await.unwrap();
    wait_bubble(&client, "已受理").await;
    screenshot(&client, "8-reporter-notified").await;
    client.close().await.unwrap();
    assert_eq!(server.stop(), Some(0));
}
