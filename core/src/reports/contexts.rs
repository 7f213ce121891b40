//! The associated data every sealed report value is bound to. Each names the value's part and
//! its report (by the code hash, fixed when the report is filed), and where it matters who wrote
//! it and who may see it: a database writer who moves a sealed value to another report, another
//! column, or flips an internal note to public, gets a value that no longer opens.

use crate::store::{MessageKind, NoticeKind};

/// The report's content, the person reported, a real-name reporter's identity.
pub(crate) fn part(part: &str, code_hash: &str) -> String {
    format!("report.{part}:{code_hash}")
}

pub(crate) fn attachment(code_hash: &str, position: usize) -> String {
    format!("report.attachment:{code_hash}:{position}")
}

/// The anonymous or real-name reporter's chat, for notices; copied into reporter notices as it
/// is, so it opens there under the same context.
pub(crate) fn reply_address(code_hash: &str) -> String {
    format!("report.reply-address:{code_hash}")
}

pub(crate) fn message(code_hash: &str, kind: MessageKind) -> String {
    let (author, visibility) = kind.columns();
    format!("report.message:{code_hash}:{author}:{visibility}")
}

/// A staff alert's recipient (a reporter notice's recipient is the [`reply_address`]).
pub(crate) fn notice_recipient(code_hash: &str, kind: NoticeKind) -> String {
    match kind {
        NoticeKind::Reporter => reply_address(code_hash),
        NoticeKind::StaffAlert => format!("notice.recipient:{code_hash}"),
    }
}

pub(crate) fn notice_body(code_hash: &str, kind: NoticeKind) -> String {
    format!("notice.body:{code_hash}:{}", kind.as_str())
}
