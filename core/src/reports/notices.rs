//! Notices are sealed twice over: the recipient (chat id and language) and the body (a message
//! id from `locales/*/reports.ftl` with its arguments). Only the delivery worker opens them, to
//! render the text in the recipient's language at send time.

use serde::{Deserialize, Serialize};

use super::{ReportError, ReportKeys};
use crate::Language;
use crate::content::Desk;
use crate::i18n::{self, Args};
use crate::store::{NoticeKind, SealedNotice};

/// The context the reply address and every notice recipient are sealed under.
pub(crate) const RECIPIENT: &str = "recipient";
const BODY: &str = "notice.body";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub chat_id: i64,
    pub language: Language,
}

/// A message to render: a Fluent id and its (string) arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeBody {
    pub message: String,
    pub args: Vec<(String, String)>,
    /// Ask the platform to prevent forwarding and saving (Telegram's `protect_content`).
    pub protect: bool,
}

impl NoticeBody {
    pub fn new(message: &str, args: &[(&str, String)], protect: bool) -> NoticeBody {
        NoticeBody {
            message: message.to_owned(),
            args: args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            protect,
        }
    }

    pub fn render(&self, lang: Language) -> String {
        let args = self
            .args
            .iter()
            .fold(Args::new(), |args, (k, v)| args.named(k.clone(), v.clone()));
        i18n::text(lang, &self.message, Some(&args))
    }
}

impl ReportKeys {
    pub fn seal_recipient(&self, recipient: &Recipient) -> Vec<u8> {
        self.seal_json(RECIPIENT, recipient)
    }

    pub fn open_recipient(&self, sealed: &[u8]) -> Result<Recipient, ReportError> {
        self.open_json(RECIPIENT, sealed)
    }

    pub fn seal_body(&self, body: &NoticeBody) -> Vec<u8> {
        self.seal_json(BODY, body)
    }

    pub fn open_body(&self, sealed: &[u8]) -> Result<NoticeBody, ReportError> {
        self.open_json(BODY, sealed)
    }
}

/// One alert per staff chat of `desk`, in the staff language.
pub fn staff_alerts(
    keys: &ReportKeys,
    desk: &Desk,
    language: Language,
    body: &NoticeBody,
) -> Vec<SealedNotice> {
    desk.alert_chat_ids
        .iter()
        .map(|&chat_id| SealedNotice {
            kind: NoticeKind::StaffAlert,
            recipient: keys.seal_recipient(&Recipient { chat_id, language }),
            body: keys.seal_body(body),
        })
        .collect()
}

/// A notice to the reporter through their sealed reply address, which is copied as it is: the
/// code that queues a notice never opens the address.
pub fn to_reporter(keys: &ReportKeys, reply_address: &[u8], body: &NoticeBody) -> SealedNotice {
    SealedNotice {
        kind: NoticeKind::Reporter,
        recipient: reply_address.to_vec(),
        body: keys.seal_body(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_render_in_the_recipients_language() {
        let body = NoticeBody::new(
            "report-notice-reply",
            &[("id", "12".into()), ("text", "请补充材料".into())],
            true,
        );
        let keys = ReportKeys::for_tests();
        let opened = keys.open_body(&keys.seal_body(&body)).unwrap();
        assert_eq!(opened, body);
        assert!(opened.render(Language::ZhCn).contains("请补充材料"));
        assert!(opened.render(Language::En).contains("12"));
        assert_ne!(opened.render(Language::ZhCn), opened.render(Language::En));
    }
}
