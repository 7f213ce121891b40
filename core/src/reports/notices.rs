//! Notices are sealed twice over: the recipient (chat id and language) and the body (a message
//! id from `locales/*/reports.ftl` with its arguments), both bound to the notice's report and
//! kind. Only the delivery worker opens them, to render the text in the recipient's language at
//! send time.

use serde::{Deserialize, Serialize};

use super::{ReportError, ReportKeys, contexts};
use crate::Language;
use crate::content::Desk;
use crate::i18n::{self, Args};
use crate::store::{NoticeKind, SealedNotice};

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

/// The report a notice is about: its parts are sealed bound to it.
#[derive(Debug, Clone, Copy)]
pub struct ReportRef<'a> {
    pub id: i64,
    pub code_hash: &'a str,
}

impl ReportKeys {
    /// A reporter's reply address (sealed at filing), or a staff alert's recipient.
    pub fn seal_recipient(
        &self,
        code_hash: &str,
        kind: NoticeKind,
        recipient: &Recipient,
    ) -> Vec<u8> {
        self.seal_json(&contexts::notice_recipient(code_hash, kind), recipient)
    }

    pub fn open_recipient(
        &self,
        code_hash: &str,
        kind: NoticeKind,
        sealed: &[u8],
    ) -> Result<Recipient, ReportError> {
        self.open_json(&contexts::notice_recipient(code_hash, kind), sealed)
    }

    pub fn seal_body(&self, code_hash: &str, kind: NoticeKind, body: &NoticeBody) -> Vec<u8> {
        self.seal_json(&contexts::notice_body(code_hash, kind), body)
    }

    pub fn open_body(
        &self,
        code_hash: &str,
        kind: NoticeKind,
        sealed: &[u8],
    ) -> Result<NoticeBody, ReportError> {
        self.open_json(&contexts::notice_body(code_hash, kind), sealed)
    }
}

/// One alert per staff chat of `desk` about `report`, in the staff language.
pub fn staff_alerts(
    keys: &ReportKeys,
    report: ReportRef<'_>,
    desk: &Desk,
    language: Language,
    body: &NoticeBody,
) -> Vec<SealedNotice> {
    let kind = NoticeKind::StaffAlert;
    desk.alert_chat_ids
        .iter()
        .map(|&chat_id| SealedNotice {
            report_id: report.id,
            kind,
            recipient: keys.seal_recipient(
                report.code_hash,
                kind,
                &Recipient { chat_id, language },
            ),
            body: keys.seal_body(report.code_hash, kind, body),
        })
        .collect()
}

/// A notice to the reporter through their sealed reply address, which is copied as it is: the
/// code that queues a notice never opens the address.
pub fn to_reporter(
    keys: &ReportKeys,
    report: ReportRef<'_>,
    reply_address: &[u8],
    body: &NoticeBody,
) -> SealedNotice {
    SealedNotice {
        report_id: report.id,
        kind: NoticeKind::Reporter,
        recipient: reply_address.to_vec(),
        body: keys.seal_body(report.code_hash, NoticeKind::Reporter, body),
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
        let sealed = keys.seal_body("hash-12", NoticeKind::Reporter, &body);
        let opened = keys
            .open_body("hash-12", NoticeKind::Reporter, &sealed)
            .unwrap();
        assert_eq!(opened, body);
        // Bound to its report and kind.
        assert!(
            keys.open_body("hash-13", NoticeKind::Reporter, &sealed)
                .is_err()
        );
        assert!(
            keys.open_body("hash-12", NoticeKind::StaffAlert, &sealed)
                .is_err()
        );
        assert!(opened.render(Language::ZhCn).contains("请补充材料"));
        assert!(opened.render(Language::En).contains("12"));
        assert_ne!(opened.render(Language::ZhCn), opened.render(Language::En));
    }
}
