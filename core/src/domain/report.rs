//! What a report is made of: its category, the person reported, the text fields with their
//! limits, the reporter's identity, and the stages of its handling.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::RegionCode;

crate::slug_type!(
    /// A report category's code in `content/categories.toml` (e.g. `gifts`).
    CategoryCode,
    "category code"
);

crate::slug_type!(
    /// A commission desk's code in `content/routing.toml` (e.g. `county`, `baofeng`).
    DeskCode,
    "desk code"
);

/// Why a piece of text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("empty")]
    Empty,
    #[error("shorter than {min} characters")]
    TooShort { min: usize },
    #[error("longer than {max} characters")]
    TooLong { max: usize },
}

/// Trimmed text of `MIN..=MAX` characters (not bytes: Chinese counts one per character).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BoundedText<const MIN: usize, const MAX: usize>(String);

impl<const MIN: usize, const MAX: usize> BoundedText<MIN, MAX> {
    pub const MIN: usize = MIN;
    pub const MAX: usize = MAX;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MIN: usize, const MAX: usize> FromStr for BoundedText<MIN, MAX> {
    type Err = TextError;

    fn from_str(s: &str) -> Result<Self, TextError> {
        let s = s.trim();
        let count = s.chars().count();
        if count == 0 {
            Err(TextError::Empty)
        } else if count < MIN {
            Err(TextError::TooShort { min: MIN })
        } else if count > MAX {
            Err(TextError::TooLong { max: MAX })
        } else {
            Ok(BoundedText(s.to_owned()))
        }
    }
}

impl<const MIN: usize, const MAX: usize> TryFrom<String> for BoundedText<MIN, MAX> {
    type Error = TextError;
    fn try_from(s: String) -> Result<Self, TextError> {
        s.parse()
    }
}

impl<const MIN: usize, const MAX: usize> From<BoundedText<MIN, MAX>> for String {
    fn from(text: BoundedText<MIN, MAX>) -> String {
        text.0
    }
}

impl<const MIN: usize, const MAX: usize> fmt::Display for BoundedText<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What happened: 20 to 3000 characters.
pub type Description = BoundedText<20, 3000>;
/// When and where it happened.
pub type WhenWhere = BoundedText<2, 300>;
/// A person's name (the person reported, or a real-name reporter).
pub type PersonName = BoundedText<2, 30>;
/// The unit (employer) or position of the person reported.
pub type UnitOrPosition = BoundedText<2, 100>;
/// A message between the reporter and the staff, or a staff note.
pub type MessageText = BoundedText<1, 2000>;

/// The rank of the person reported, which decides who handles the report (see
/// [`super::Routing::desk_for`]). Stored codes never change meaning; new levels are added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonLevel {
    /// 县处级以上
    CountyOrAbove,
    /// 乡科级
    Section,
    /// 一般干部
    Staff,
    /// 村（社区）干部
    Village,
    /// 国有企业人员
    StateEnterprise,
    Other,
    /// 不清楚: the reporter does not know; the county office decides.
    Unknown,
}

impl PersonLevel {
    pub const ALL: [PersonLevel; 7] = [
        PersonLevel::CountyOrAbove,
        PersonLevel::Section,
        PersonLevel::Staff,
        PersonLevel::Village,
        PersonLevel::StateEnterprise,
        PersonLevel::Other,
        PersonLevel::Unknown,
    ];
}

/// The four dispositions of an accepted report (problem clue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposal {
    /// 谈话函询
    TalkOrLetter,
    /// 初步核实
    PreliminaryVerification,
    /// 暂存待查
    Hold,
    /// 予以了结
    NoAction,
}

impl Disposal {
    pub const ALL: [Disposal; 4] = [
        Disposal::TalkOrLetter,
        Disposal::PreliminaryVerification,
        Disposal::Hold,
        Disposal::NoAction,
    ];
}

/// Where a report is in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// 已收到: waiting for the desk to accept it, not accept it, or forward it.
    Received,
    /// 已受理
    Accepted,
    /// 不予受理 (final; the reason goes to the reporter)
    NotAccepted,
    /// 处置中: one of the four dispositions is under way.
    InDisposal,
    /// 已办结: the result notice is due.
    Concluded,
    /// 已办结并反馈: the outcome was sent to the reporter.
    Closed,
    /// 已移送上级纪委监委 (final): passed up to the higher commission; its content is purged.
    Transferred,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 7] = [
        ReportStatus::Received,
        ReportStatus::Accepted,
        ReportStatus::NotAccepted,
        ReportStatus::InDisposal,
        ReportStatus::Concluded,
        ReportStatus::Closed,
        ReportStatus::Transferred,
    ];

    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ReportStatus::NotAccepted | ReportStatus::Closed | ReportStatus::Transferred
        )
    }
}

macro_rules! snake_names {
    ($ty:ty, $what:literal, $($variant:ident => $name:literal),* $(,)?) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),* }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($name => Ok(Self::$variant),)*
                    _ => Err(format!("`{s}` is not a {}; expected one of: {}", $what, [$($name),*].join(", "))),
                }
            }
        }
    };
}

snake_names!(PersonLevel, "level",
    CountyOrAbove => "county_or_above", Section => "section", Staff => "staff",
    Village => "village", StateEnterprise => "state_enterprise", Other => "other",
    Unknown => "unknown");
snake_names!(Disposal, "disposal",
    TalkOrLetter => "talk_or_letter", PreliminaryVerification => "preliminary_verification",
    Hold => "hold", NoAction => "no_action");
snake_names!(ReportStatus, "report status",
    Received => "received", Accepted => "accepted", NotAccepted => "not_accepted",
    InDisposal => "in_disposal", Concluded => "concluded", Closed => "closed",
    Transferred => "transferred");

/// A mainland China mobile number: 11 digits starting 13–19. Accepts `+86`, spaces, hyphens
/// and full-width digits, as people type them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for MobileNumber {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let digits: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}' | '－' | '(' | ')'))
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '＋' => '+',
                other => other,
            })
            .collect();
        let national = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
            .or_else(|| {
                (digits.len() == 13)
                    .then(|| digits.strip_prefix("86"))
                    .flatten()
            })
            .unwrap_or(&digits);
        let valid = national.len() == 11
            && national.chars().all(|c| c.is_ascii_digit())
            && national.starts_with('1')
            && matches!(national.as_bytes()[1], b'3'..=b'9');
        if valid {
            Ok(MobileNumber(national.to_owned()))
        } else {
            Err(())
        }
    }
}

impl TryFrom<String> for MobileNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
            .map_err(|()| format!("`{s}` is not a mobile number"))
    }
}

impl From<MobileNumber> for String {
    fn from(m: MobileNumber) -> String {
        m.0
    }
}

/// The person reported (被反映人). The name and unit may be unknown to the reporter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredPerson", into = "StoredPerson")]
pub struct PersonReported {
    pub name: Option<PersonName>,
    /// `None`: 不清楚.
    pub unit: Option<UnitOrPosition>,
    pub position: Option<UnitOrPosition>,
    pub level: PersonLevel,
    /// Whether they work for the county's discipline inspection and supervision commission.
    pub commission: super::CommissionTie,
}

/// [`PersonReported`] as sealed in a report body. Bodies sealed before the leader and 不清楚
/// answers existed lack those fields and keep their meaning; the unit was always given then.
#[derive(Serialize, Deserialize)]
struct StoredPerson {
    name: Option<PersonName>,
    unit: Option<UnitOrPosition>,
    position: Option<UnitOrPosition>,
    level: PersonLevel,
    commission_staff: bool,
    #[serde(default)]
    commission_leader: bool,
    #[serde(default)]
    commission_unknown: bool,
}

impl From<StoredPerson> for PersonReported {
    fn from(stored: StoredPerson) -> PersonReported {
        use super::CommissionTie;
        let commission = match (
            stored.commission_unknown,
            stored.commission_staff,
            stored.commission_leader,
        ) {
            (true, _, _) => CommissionTie::Unknown,
            (false, false, _) => CommissionTie::None,
            (false, true, true) => CommissionTie::Leader,
            (false, true, false) => CommissionTie::OtherStaff,
        };
        PersonReported {
            name: stored.name,
            unit: stored.unit,
            position: stored.position,
            level: stored.level,
            commission,
        }
    }
}

impl From<PersonReported> for StoredPerson {
    fn from(person: PersonReported) -> StoredPerson {
        use super::CommissionTie;
        let tie = person.commission;
        StoredPerson {
            name: person.name,
            unit: person.unit,
            position: person.position,
            level: person.level,
            commission_staff: matches!(tie, CommissionTie::Leader | CommissionTie::OtherStaff),
            commission_leader: tie == CommissionTie::Leader,
            commission_unknown: tie == CommissionTie::Unknown,
        }
    }
}

/// The sealed part of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportBody {
    pub person: PersonReported,
    pub description: Description,
    pub when_where: WhenWhere,
}

/// A real-name reporter (实名举报).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RealName {
    pub name: PersonName,
    pub mobile: MobileNumber,
}

/// Who is reporting. An anonymous reporter may still ask to be told of replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reporter {
    Anonymous { notify: bool },
    RealName(RealName),
}

/// Evidence kinds the bot accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Photo,
    Document,
    Voice,
}

snake_names!(EvidenceKind, "evidence kind",
    Photo => "photo", Document => "document", Voice => "voice");

/// One piece of evidence, kept as the platform's file id (the file stays with Telegram).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub file_id: String,
    pub file_name: Option<String>,
    pub size: Option<u64>,
}

impl Evidence {
    /// Telegram lets bots download files up to 20 MB.
    pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
    pub const MAX_COUNT: usize = 5;
}

/// Everything a submitted report holds, before sealing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub category: CategoryCode,
    /// `None`: a county department rather than a township.
    pub township: Option<RegionCode>,
    pub body: ReportBody,
    pub evidence: Vec<Evidence>,
    pub reporter: Reporter,
}

#[cfg(test)]
mod tests;
