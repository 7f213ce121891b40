//! Campaigns: scheduled reminders as data (`content/campaigns.toml`).

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Audience, Language, LocalizedText, RegionCode};

crate::slug_type!(
    /// A campaign's stable id: lower-case ASCII letters, digits and `-`, at most 40 characters.
    CampaignId,
    "campaign id"
);

/// A cron expression with seconds (6 or 7 fields); 5-field input is widened with `0` seconds.
#[derive(Debug, Clone)]
pub struct CronExpr {
    text: String,
    /// Boxed: a parsed schedule is large and most values are dates.
    schedule: Box<cron::Schedule>,
}

impl CronExpr {
    pub fn schedule(&self) -> &cron::Schedule {
        &self.schedule
    }

    /// The expression as written in the content file.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl PartialEq for CronExpr {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl FromStr for CronExpr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let fields = s.split_whitespace().count();
        let text = match fields {
            5 => format!("0 {}", s.trim()),
            6 | 7 => s.trim().to_owned(),
            _ => {
                return Err(format!(
                    "`{s}` has {fields} fields; a cron expression has 5, 6 or 7 (seconds first)"
                ));
            }
        };
        let schedule = cron::Schedule::from_str(&text)
            .map_err(|e| format!("`{s}` is not a valid cron expression: {e}"))?;
        Ok(CronExpr {
            text,
            schedule: Box::new(schedule),
        })
    }
}

impl Serialize for CronExpr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for CronExpr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// When a campaign fires, in the service's time zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    Cron(CronExpr),
    /// Explicit local date-times: lunar-calendar holidays move every year.
    Dates(Vec<NaiveDateTime>),
    /// Only `qingfeng campaign run ID`.
    Manual,
}

/// The variables a campaign message may use.
pub const TEMPLATE_VARIABLES: [&str; 1] = ["township"];

/// Replaces `{township}` (etc.) in a message.
pub fn render(template: &str, township: &str) -> String {
    template.replace("{township}", township)
}

/// Variables a template uses that do not exist.
pub fn unknown_variables(template: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !TEMPLATE_VARIABLES.contains(&name) {
            unknown.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    unknown
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: CampaignId,
    pub title: LocalizedText,
    /// `None` reaches both audiences.
    pub audience: Option<Audience>,
    /// Empty: every township.
    pub townships: Vec<RegionCode>,
    /// `(township, village)` pairs; empty: every village.
    pub villages: Vec<(RegionCode, RegionCode)>,
    /// Empty: every language.
    pub languages: Vec<Language>,
    pub schedule: Schedule,
    pub working_days_only: bool,
    /// Urgent sends ignore quiet hours.
    pub urgent: bool,
    pub acknowledge: bool,
    /// Adds a "start the quiz" button: a scheduled quiz invitation.
    #[serde(default)]
    pub quiz_invitation: bool,
    pub active_from: Option<NaiveDate>,
    pub active_until: Option<NaiveDate>,
    /// A run missed while the service was down is still sent within this many hours.
    pub catch_up_hours: u32,
    /// Run number k sends `messages[k % len]`.
    pub messages: Vec<LocalizedText>,
}

impl Campaign {
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.active_from.is_none_or(|from| date >= from)
            && self.active_until.is_none_or(|until| date <= until)
    }

    pub fn message(&self, sequence: i64) -> &LocalizedText {
        let index = usize::try_from(sequence).unwrap_or(0) % self.messages.len().max(1);
        &self.messages[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_expressions_are_widened_and_checked() {
        assert!("0 9 * * MON".parse::<CronExpr>().is_ok());
        assert!("0 0 9 * * MON".parse::<CronExpr>().is_ok());
        assert!(
            "0 0 9 * *".parse::<CronExpr>().is_ok(),
            "5 fields: minute hour dom month dow"
        );
        assert!(
            "every monday"
                .parse::<CronExpr>()
                .unwrap_err()
                .contains("fields")
        );
        assert!(
            "0 0 25 * * *"
                .parse::<CronExpr>()
                .unwrap_err()
                .contains("not a valid cron")
        );
    }

    #[test]
    fn templates_render_and_unknown_variables_are_found() {
        assert_eq!(
            render("{township}的企业朋友们", "宝丰镇"),
            "宝丰镇的企业朋友们"
        );
        assert_eq!(
            unknown_variables("Hi {name}, {township} {x"),
            vec!["name".to_owned()]
        );
        assert!(unknown_variables("no variables").is_empty());
    }

    #[test]
    fn ids_are_slugs() {
        assert!("weekly-enterprise-tip".parse::<CampaignId>().is_ok());
        assert!("Weekly Tip".parse::<CampaignId>().is_err());
    }
}
