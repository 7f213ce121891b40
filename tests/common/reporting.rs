//! Walking a reporter through `/report` in the fake Telegram client.

use std::time::Duration;

use telegram_sim::{BotMessage, SimUser};

pub const DESCRIPTION: &str =
    "镇干部张某某在中秋节前收受辖区企业购物卡两张，每张面值一千元，还暗示不送就拖延审批。";

/// The bot's next messages until one contains `needle` (edits that remove buttons, toasts and
/// notes on the way are skipped).
pub async fn wait_for(user: &SimUser, needle: &str) -> BotMessage {
    let mut seen = Vec::new();
    for _ in 0..12 {
        let Some(message) = user.next_message_within(Duration::from_secs(20)).await else {
            let chat: Vec<String> = user.chat().into_iter().map(|m| m.text).collect();
            panic!(
                "no message containing {needle:?} within 20 s; skipped: {seen:#?}; chat: {chat:#?}"
            );
        };
        if message.text.contains(needle) {
            return message;
        }
        seen.push(message.text);
    }
    panic!("no message containing {needle:?} among the next 12: {seen:#?}");
}

pub enum Identity {
    Anonymous { notify: bool },
    RealName,
}

/// From `/report` to the review screen; returns the review message.
pub async fn fill_report(user: &SimUser, identity: Identity, with_evidence: bool) -> BotMessage {
    fill_report_about(user, identity, with_evidence, "一般干部").await
}

/// As [`fill_report`], about a person of the level on the button `level`.
pub async fn fill_report_about(
    user: &SimUser,
    identity: Identity,
    with_evidence: bool,
    level: &str,
) -> BotMessage {
    user.send_text("/report");
    let m = wait_for(user, "请选择问题类别").await;
    user.press_button(&m, "违反廉洁纪律");
    let m = wait_for(user, "哪一类").await;
    user.press_button(&m, "违规收受礼品礼金");
    wait_for(user, "被反映人的姓名").await;
    user.send_text("张某某");
    wait_for(user, "在哪个单位").await;
    user.send_text("宝丰镇人民政府");
    let m = wait_for(user, "职务").await;
    user.press_button(&m, "跳过");
    let m = wait_for(user, "哪一级").await;
    user.press_button(&m, level);
    let m = wait_for(user, "县纪委监委的工作人员吗").await;
    user.press_button(&m, "不是");
    let m = wait_for(user, "哪个乡镇").await;
    user.press_button(&m, "宝丰镇");
    wait_for(user, "具体描述问题").await;
    user.send_text(DESCRIPTION);
    wait_for(user, "时间和地点").await;
    user.send_text("2026年9月，镇政府办公室");
    let mut m = wait_for(user, "如有证据").await;
    if with_evidence {
        user.send_photo(b"jpeg bytes of a shopping card".to_vec(), Some("购物卡"));
        wait_for(user, "第 1 个").await;
        user.send_voice(b"ogg bytes".to_vec(), 12);
        wait_for(user, "第 2 个").await;
        user.send_document("聊天记录.pdf", "application/pdf", b"%PDF-1.4".to_vec());
        m = wait_for(user, "第 3 个").await;
    }
    user.press_button(
        &m,
        if with_evidence {
            "完成"
        } else {
            "没有证据"
        },
    );
    let m = wait_for(user, "实名举报还是匿名举报").await;
    match identity {
        Identity::Anonymous { notify } => {
            user.press_button(&m, "匿名举报");
            let m = wait_for(user, "是否希望在这个聊天里").await;
            user.press_button(
                &m,
                if notify {
                    "是，在这里"
                } else {
                    "否，不留"
                },
            );
        }
        Identity::RealName => {
            user.press_button(&m, "实名举报");
            wait_for(user, "真实姓名").await;
            user.send_text("李四");
            wait_for(user, "手机号码").await;
            user.send_text("12345");
            wait_for(user, "不是有效的手机号码").await;
            user.send_text("+86 138 0013 8000");
        }
    }
    wait_for(user, "请核对举报内容").await
}

/// The tracking code in the bot's "submitted" message.
pub fn code_in(message: &BotMessage) -> String {
    let start = message
        .text
        .find("您的查询码：")
        .expect("the message shows a tracking code")
        + "您的查询码：".len();
    message.text[start..].chars().take(19).collect()
}
