//! Buttons of the report flow, encoded as `rp:…` callback data (within Telegram's 64 bytes).

use std::fmt;
use std::str::FromStr;

use qingfeng_core::domain::CommissionTie;
use qingfeng_core::domain::{CategoryCode, PersonLevel, RegionCode, TrackingCode};

use super::draft::Field;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportAction {
    /// Start a report (the button under /help).
    Start,
    /// A category: a heading shows its subs, a leaf is chosen.
    Category(CategoryCode),
    /// Back to the category headings.
    CategoryHeadings,
    Level(PersonLevel),
    /// Whether the person works for the county commission, and as a leader or not.
    Commission(CommissionTie),
    /// `None`: a county department.
    Township(Option<RegionCode>),
    TownshipPage(usize),
    /// "Unknown" (the name), "none" (the position).
    Skip,
    /// No more evidence.
    EvidenceDone,
    RealName,
    Anonymous,
    Notify(bool),
    /// File the draft as the review with this revision showed it.
    Submit(u32),
    Edit,
    EditField(Field),
    /// From the list of what to change, back to the review with nothing changed.
    BackToReview,
    /// Asks to abandon the draft (confirmed first at the review).
    Cancel,
    /// "Yes, abandon it".
    ConfirmCancel,
    /// "No, keep the draft": back to where it was.
    KeepDraft,
    /// Delete the report conversation, messages `from..=to`.
    Delete {
        from: i32,
        to: i32,
    },
    /// Write to the staff about report `report`. The tag (keyed by chat and report) shows the
    /// bot issued this button to this chat after a correct tracking code, so no state is kept.
    Reply {
        report: i64,
        tag: String,
    },
    /// Look a report up (the button under /help).
    Status,
    /// Under the code message: send the code again alone, unprotected, so it can be saved. It
    /// echoes only what the button carries, so forged data reveals nothing.
    SendCode(TrackingCode),
    /// Show report `report`'s progress (the button under a notice); tagged like `Reply`.
    Progress {
        report: i64,
        tag: String,
    },
}

impl fmt::Display for ReportAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("rp:")?;
        match self {
            ReportAction::Start => f.write_str("start"),
            ReportAction::Category(code) => write!(f, "cat:{code}"),
            ReportAction::CategoryHeadings => f.write_str("cats"),
            ReportAction::Level(level) => write!(f, "lvl:{level}"),
            // `y` and `n` are the codes of the first, two-answer question; `l` was added.
            ReportAction::Commission(tie) => f.write_str(match tie {
                CommissionTie::None => "staff:n",
                CommissionTie::OtherStaff => "staff:y",
                CommissionTie::Leader => "staff:l",
                CommissionTie::Unknown => "staff:u",
            }),
            ReportAction::Township(Some(code)) => write!(f, "town:{code}"),
            ReportAction::Township(None) => f.write_str("town:-"),
            ReportAction::TownshipPage(page) => write!(f, "tpage:{page}"),
            ReportAction::Skip => f.write_str("skip"),
            ReportAction::EvidenceDone => f.write_str("done"),
            ReportAction::RealName => f.write_str("real"),
            ReportAction::Anonymous => f.write_str("anon"),
            ReportAction::Notify(yes) => write!(f, "notify:{}", yn(*yes)),
            ReportAction::Submit(revision) => write!(f, "submit:{revision}"),
            ReportAction::Edit => f.write_str("edit"),
            ReportAction::EditField(field) => write!(f, "ef:{}", field.code()),
            ReportAction::Cancel => f.write_str("cancel"),
            ReportAction::ConfirmCancel => f.write_str("cancel:y"),
            ReportAction::KeepDraft => f.write_str("keep"),
            ReportAction::BackToReview => f.write_str("review"),
            ReportAction::Delete { from, to } => write!(f, "del:{from}:{to}"),
            ReportAction::Reply { report, tag } => write!(f, "reply:{report}:{tag}"),
            ReportAction::Status => f.write_str("status"),
            ReportAction::Progress { report, tag } => write!(f, "prog:{report}:{tag}"),
            ReportAction::SendCode(code) => write!(f, "code:{code}"),
        }
    }
}

fn yn(yes: bool) -> &'static str {
    if yes { "y" } else { "n" }
}

/// A reporter button's tag: 16 bytes, base64url without padding (the end-to-end tests press
/// real ones). Shorter or longer tags are refused before any key is used.
const TAG_CHARS: usize = 22;

/// `REPORT:TAG` of a reporter's button.
fn tagged(rest: &str) -> Result<(i64, String), ()> {
    let (report, tag) = rest.split_once(':').ok_or(())?;
    let report: i64 = report.parse().map_err(|_| ())?;
    let tag_ok = tag.len() == TAG_CHARS
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if report <= 0 || !tag_ok {
        return Err(());
    }
    Ok((report, tag.to_owned()))
}

fn parse_yn(s: &str) -> Result<bool, ()> {
    match s {
        "y" => Ok(true),
        "n" => Ok(false),
        _ => Err(()),
    }
}

impl FromStr for ReportAction {
    type Err = ();

    /// Parses what follows `rp:`.
    fn from_str(data: &str) -> Result<Self, ()> {
        Ok(match data.split_once(':') {
            None => match data {
                "start" => ReportAction::Start,
                "cats" => ReportAction::CategoryHeadings,
                "skip" => ReportAction::Skip,
                "done" => ReportAction::EvidenceDone,
                "real" => ReportAction::RealName,
                "anon" => ReportAction::Anonymous,
                // Reviews shown before revisions existed: the draft's first revision.
                "submit" => ReportAction::Submit(0),
                "keep" => ReportAction::KeepDraft,
                "review" => ReportAction::BackToReview,
                "edit" => ReportAction::Edit,
                "cancel" => ReportAction::Cancel,
                "status" => ReportAction::Status,
                _ => return Err(()),
            },
            Some(("cat", code)) => ReportAction::Category(code.parse().map_err(|_| ())?),
            Some(("lvl", level)) => ReportAction::Level(level.parse().map_err(|_| ())?),
            Some(("staff", "l")) => ReportAction::Commission(CommissionTie::Leader),
            Some(("staff", "u")) => ReportAction::Commission(CommissionTie::Unknown),
            Some(("staff", yes)) => ReportAction::Commission(if parse_yn(yes)? {
                CommissionTie::OtherStaff
            } else {
                CommissionTie::None
            }),
            Some(("town", "-")) => ReportAction::Township(None),
            Some(("town", code)) => ReportAction::Township(Some(code.parse().map_err(|_| ())?)),
            Some(("tpage", page)) => {
                ReportAction::TownshipPage(page.parse().ok().filter(|p| *p < 1000).ok_or(())?)
            }
            Some(("notify", yes)) => ReportAction::Notify(parse_yn(yes)?),
            Some(("submit", revision)) => ReportAction::Submit(revision.parse().map_err(|_| ())?),
            Some(("cancel", "y")) => ReportAction::ConfirmCancel,
            Some(("code", code)) => ReportAction::SendCode(code.parse()?),
            Some(("prog", rest)) => {
                let (report, tag) = tagged(rest)?;
                ReportAction::Progress { report, tag }
            }
            Some(("reply", rest)) => {
                let (report, tag) = tagged(rest)?;
                ReportAction::Reply { report, tag }
            }
            Some(("ef", field)) => ReportAction::EditField(Field::from_code(field).ok_or(())?),
            Some(("del", range)) => {
                let (from, to) = range.split_once(':').ok_or(())?;
                let (from, to): (i32, i32) =
                    (from.parse().map_err(|_| ())?, to.parse().map_err(|_| ())?);
                if from <= 0 || to < from {
                    return Err(());
                }
                ReportAction::Delete { from, to }
            }
            _ => return Err(()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_actions_round_trip_within_64_bytes() {
        let all = [
            ReportAction::Start,
            ReportAction::Category("a".repeat(40).parse().unwrap()),
            ReportAction::CategoryHeadings,
            ReportAction::Level(PersonLevel::StateEnterprise),
            ReportAction::Commission(CommissionTie::OtherStaff),
            ReportAction::Commission(CommissionTie::Leader),
            ReportAction::Township(Some("a".repeat(24).parse().unwrap())),
            ReportAction::Township(None),
            ReportAction::TownshipPage(3),
            ReportAction::Skip,
            ReportAction::EvidenceDone,
            ReportAction::RealName,
            ReportAction::Anonymous,
            ReportAction::Notify(false),
            ReportAction::Submit(u32::MAX),
            ReportAction::Edit,
            ReportAction::EditField(Field::WhenWhere),
            ReportAction::Cancel,
            ReportAction::ConfirmCancel,
            ReportAction::KeepDraft,
            ReportAction::BackToReview,
            ReportAction::Delete {
                from: i32::MAX - 1,
                to: i32::MAX,
            },
            ReportAction::Reply {
                report: i64::MAX,
                tag: "a".repeat(22),
            },
            ReportAction::Status,
            ReportAction::Progress {
                report: i64::MAX,
                tag: "a".repeat(22),
            },
            ReportAction::SendCode(TrackingCode::generate()),
        ];
        for action in all {
            let data = action.to_string();
            assert!(data.len() <= 64, "{data}");
            let rest = data.strip_prefix("rp:").unwrap();
            assert_eq!(rest.parse::<ReportAction>(), Ok(action));
        }
    }

    #[test]
    fn forged_report_data_is_refused() {
        for junk in [
            "",
            "cat:",
            "cat:../x",
            "lvl:mayor",
            "staff:maybe",
            "del:5:2",
            "del:0:3",
            "del:1",
            "ef:all",
            "tpage:-1",
            "reply",
            "reply:1",
            "reply:0:abc",
            "reply:1:a/b",
            "reply:1:AAAAAAAAAAAAAAAAAAAAA",
            "reply:1:AAAAAAAAAAAAAAAAAAAAAAA",
            "prog:1:short",
            "submit:-1",
            "submit:x",
            "cancel:n",
        ] {
            assert_eq!(junk.parse::<ReportAction>(), Err(()), "{junk}");
        }
    }
}
