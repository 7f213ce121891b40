//! Who handles a report (举报分办), by 干部管理权限: the body that manages the person reported
//! handles the report about them. The data (desks, the higher commission, which levels go where)
//! comes from `content/routing.toml`; the decision is [`Routing::desk_for`], a pure function, so
//! it is tested over every combination without a database.

use serde::{Deserialize, Serialize};

use super::{DeskCode, Language, LocalizedText, PersonLevel, RegionCode};

crate::slug_type!(
    /// The code of a body outside this county's desks (e.g. `shiyan`, the higher commission).
    BodyCode,
    "body code"
);

/// A commission desk that receives reports: the county office, or a township commission desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desk {
    pub code: DeskCode,
    pub name: LocalizedText,
    /// Telegram chat ids of the staff alerted about this desk's reports.
    pub alert_chat_ids: Vec<i64>,
    /// The county desk receives the county's own reports, those from townships without a
    /// desk, and those for the higher commission (which it passes up).
    pub county: bool,
    pub townships: Vec<RegionCode>,
}

/// The commission above the county (上级纪委监委; for Zhushan 十堰市纪委监委).
/// Stored inside the routing policy's JSON with flat `name_zh`/`name_en` keys, as before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredHigherBody", into = "StoredHigherBody")]
pub struct HigherBody {
    pub code: BodyCode,
    pub name: LocalizedText,
}

#[derive(Serialize, Deserialize)]
struct StoredHigherBody {
    code: BodyCode,
    name_zh: String,
    name_en: String,
}

impl From<StoredHigherBody> for HigherBody {
    fn from(stored: StoredHigherBody) -> HigherBody {
        HigherBody {
            code: stored.code,
            name: LocalizedText::new(stored.name_zh, stored.name_en),
        }
    }
}

impl From<HigherBody> for StoredHigherBody {
    fn from(body: HigherBody) -> StoredHigherBody {
        StoredHigherBody {
            code: body.code,
            name_zh: body.name.zh,
            name_en: body.name.en,
        }
    }
}

impl Desk {
    pub fn name(&self, lang: Language) -> &str {
        self.name.get(lang)
    }
}

impl HigherBody {
    pub fn name(&self, lang: Language) -> &str {
        self.name.get(lang)
    }
}

/// Who manages a state-owned enterprise, and so its staff (国有企业人员).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseLevel {
    /// 市属及以上
    Municipal,
    /// 县属
    County,
    /// 乡镇属
    Township,
}

/// Which body handles a class of reports, as `routing.toml` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handler {
    Higher,
    County,
    Township,
}

/// Whether the person reported works for the county commission itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommissionTie {
    None,
    /// A member of the commission's leadership (领导班子成员): the commission above handles it.
    Leader,
    /// Other commission staff: the county office, never a township desk.
    OtherStaff,
    /// 不清楚: the reporter does not know. Treated as possibly commission staff: never a
    /// township desk; the county office finds out and decides.
    Unknown,
}

impl CommissionTie {
    pub const ALL: [CommissionTie; 4] = [
        CommissionTie::None,
        CommissionTie::Leader,
        CommissionTie::OtherStaff,
        CommissionTie::Unknown,
    ];

    /// Whether the question can apply to someone of `level` at all: village cadres, state
    /// enterprise staff and others outside the Party and state organs do not work for the
    /// commission, so the reporter is not asked.
    pub fn can_apply(level: PersonLevel) -> bool {
        !matches!(
            level,
            PersonLevel::Village | PersonLevel::StateEnterprise | PersonLevel::Other
        )
    }
}

/// What the routing needs to know about a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject<'a> {
    /// `None`: a county department rather than a township.
    pub township: Option<&'a RegionCode>,
    pub level: PersonLevel,
    pub commission: CommissionTie,
    /// For state-enterprise staff, who manages the enterprise, when the reporter knows.
    pub enterprise: Option<EnterpriseLevel>,
}

/// Where a report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// One of this county's desks handles it.
    Desk(DeskCode),
    /// It belongs to the higher commission: the county desk passes it up (上报) and handles
    /// nothing else of it.
    Higher { via: DeskCode, body: BodyCode },
}

impl Destination {
    /// The desk that holds the report here (for an upward transfer, the county desk).
    pub fn desk(&self) -> &DeskCode {
        match self {
            Destination::Desk(code) | Destination::Higher { via: code, .. } => code,
        }
    }
}

/// The routing rules besides the desks, stored with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingPolicy {
    pub higher: HigherBody,
    /// Levels managed above the county (县处级以上): their reports go to the higher body.
    pub higher_levels: Vec<PersonLevel>,
    /// Levels the county manages (乡科级, and 不清楚 until staff know better): county desk.
    pub county_levels: Vec<PersonLevel>,
    /// Who handles state-enterprise staff, by who manages the enterprise. Unlisted levels, and
    /// reports that do not say, go to the county desk.
    pub enterprises: Vec<(EnterpriseLevel, Handler)>,
}

/// Desks and policy, checked: exactly one county desk, no township served twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    desks: Vec<Desk>,
    policy: RoutingPolicy,
}

impl Routing {
    pub fn new(desks: Vec<Desk>, policy: RoutingPolicy) -> Result<Routing, String> {
        let county = desks.iter().filter(|d| d.county).count();
        if county != 1 {
            return Err(format!(
                "exactly one desk must be the county desk (found {county})"
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = desks
            .iter()
            .flat_map(|d| &d.townships)
            .find(|t| !seen.insert(*t))
        {
            return Err(format!("township `{twice}` is served by two desks"));
        }
        if let Some(level) = policy
            .higher_levels
            .iter()
            .find(|l| policy.county_levels.contains(l))
        {
            return Err(format!(
                "level `{level}` is listed for both the higher body and the county"
            ));
        }
        Ok(Routing { desks, policy })
    }

    pub fn desks(&self) -> &[Desk] {
        &self.desks
    }

    pub fn policy(&self) -> &RoutingPolicy {
        &self.policy
    }

    pub fn higher(&self) -> &HigherBody {
        &self.policy.higher
    }

    pub fn county_desk(&self) -> &Desk {
        self.desks
            .iter()
            .find(|d| d.county)
            .expect("checked in Routing::new")
    }

    /// The desk serving `township`, if one does.
    fn township_desk(&self, township: &RegionCode) -> Option<&Desk> {
        self.desks.iter().find(|d| d.townships.contains(township))
    }

    /// Where a report about `subject` goes, by who manages the person reported.
    pub fn desk_for(&self, subject: &Subject<'_>) -> Destination {
        let county = self.county_desk().code.clone();
        let higher = || Destination::Higher {
            via: county.clone(),
            body: self.policy.higher.code.clone(),
        };
        let handler = match subject.commission {
            // A commission's own leaders are reported to the commission above it.
            CommissionTie::Leader => Handler::Higher,
            // The county manages its commission's staff; a township desk must not judge them.
            CommissionTie::OtherStaff => Handler::County,
            CommissionTie::None => self.handler_for(subject),
            // Possibly commission staff: as the level says if that is the commission above,
            // otherwise the county office, never a township desk.
            CommissionTie::Unknown => match self.handler_for(subject) {
                Handler::Higher => Handler::Higher,
                Handler::County | Handler::Township => Handler::County,
            },
        };
        match handler {
            Handler::Higher => higher(),
            Handler::County => Destination::Desk(county),
            Handler::Township => match subject.township.and_then(|t| self.township_desk(t)) {
                Some(desk) => Destination::Desk(desk.code.clone()),
                // County departments, and townships without a desk of their own.
                None => Destination::Desk(county),
            },
        }
    }

    fn handler_for(&self, subject: &Subject<'_>) -> Handler {
        let level = subject.level;
        if self.policy.higher_levels.contains(&level) {
            return Handler::Higher;
        }
        if level == PersonLevel::StateEnterprise {
            return subject
                .enterprise
                .and_then(|e| {
                    self.policy
                        .enterprises
                        .iter()
                        .find(|(l, _)| *l == e)
                        .map(|(_, h)| *h)
                })
                .unwrap_or(Handler::County);
        }
        if self.policy.county_levels.contains(&level) {
            return Handler::County;
        }
        match level {
            // 县处级 are managed by the municipal committee, whatever the file lists.
            PersonLevel::CountyOrAbove => Handler::Higher,
            // Not knowing the level must not leave a senior official's report at a township.
            PersonLevel::Unknown | PersonLevel::Section => Handler::County,
            PersonLevel::Staff
            | PersonLevel::Village
            | PersonLevel::Other
            | PersonLevel::StateEnterprise => Handler::Township,
        }
    }
}

#[cfg(test)]
mod tests;
