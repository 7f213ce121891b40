//! `campaigns.toml`: scheduled reminders.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;
use toml::Spanned;

use super::{ContentError, Source};
use crate::domain::{
    Campaign, CampaignId, CronExpr, Language, LocalizedText, RegionCode, Schedule,
    unknown_variables,
};

/// Telegram's limit is 4096; leave room for the acknowledgement line and variables.
const MAX_MESSAGE_CHARS: usize = 3500;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    campaigns: Vec<RawCampaign>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    id: Spanned<CampaignId>,
    title_zh: String,
    title_en: String,
    audience: Spanned<String>,
    #[serde(default)]
    townships: Vec<RegionCode>,
    #[serde(default)]
    villages: Vec<Spanned<String>>,
    #[serde(default)]
    languages: Vec<Language>,
    schedule: Spanned<RawSchedule>,
    #[serde(default)]
    working_days_only: bool,
    #[serde(default)]
    urgent: bool,
    #[serde(default)]
    acknowledge: bool,
    #[serde(default)]
    quiz_invitation: bool,
    active_from: Option<Spanned<String>>,
    active_until: Option<Spanned<String>>,
    catch_up_hours: Option<u32>,
    messages: Vec<Spanned<RawMessage>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    cron: Option<CronExpr>,
    dates: Option<Vec<String>>,
    manual: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMessage {
    #[serde(rename = "zh-CN")]
    zh: String,
    en: String,
}

#[derive(Debug)]
/// A parsed campaign and the line of its id, for errors found later (unknown townships).
pub struct ParsedCampaign {
    pub campaign: Campaign,
    pub line: usize,
}

fn parse_date(
    source: &Source,
    text: &Option<Spanned<String>>,
    errors: &mut Vec<ContentError>,
) -> Option<NaiveDate> {
    let text = text.as_ref()?;
    text.get_ref()
        .parse()
        .map_err(|_| {
            errors.push(source.error(
                Some(text.span()),
                format!("`{}` is not a date (YYYY-MM-DD)", text.get_ref()),
            ));
        })
        .ok()
}

pub(crate) fn parse(source: &Source) -> Result<Vec<ParsedCampaign>, Vec<ContentError>> {
    let raw: RawFile = source.parse().map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    let mut ids = HashSet::new();
    for c in raw.campaigns {
        let line = source.line_of(c.id.span().start);
        let at = |span: std::ops::Range<usize>| Some(span);
        if !ids.insert(c.id.get_ref().clone()) {
            errors.push(source.error(
                at(c.id.span()),
                format!("campaign `{}` appears twice", c.id.get_ref()),
            ));
        }
        let audience = super::audience_filter(c.audience.get_ref()).unwrap_or_else(|e| {
            errors.push(source.error(at(c.audience.span()), e));
            None
        });
        let schedule = parse_schedule(source, c.schedule, &mut errors);
        let villages = parse_villages(source, &c.villages, &mut errors);
        let active_from = parse_date(source, &c.active_from, &mut errors);
        let active_until = parse_date(source, &c.active_until, &mut errors);
        let messages = parse_messages(source, c.id.span(), &c.messages, &mut errors);
        if let Some(schedule) = schedule {
            parsed.push(ParsedCampaign {
                line,
                campaign: Campaign {
                    id: c.id.into_inner(),
                    title: LocalizedText {
                        zh: c.title_zh,
                        en: c.title_en,
                    },
                    audience,
                    townships: c.townships,
                    villages,
                    languages: c.languages,
                    schedule,
                    working_days_only: c.working_days_only,
                    urgent: c.urgent,
                    acknowledge: c.acknowledge,
                    quiz_invitation: c.quiz_invitation,
                    active_from,
                    active_until,
                    catch_up_hours: c.catch_up_hours.unwrap_or(6),
                    messages,
                },
            });
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

/// A schedule is exactly one of cron, dates or manual.
fn parse_schedule(
    source: &Source,
    schedule: Spanned<RawSchedule>,
    errors: &mut Vec<ContentError>,
) -> Option<Schedule> {
    let at = |span: std::ops::Range<usize>| Some(span);
    let schedule_span = schedule.span();
    match schedule.into_inner() {
        RawSchedule {
            cron: Some(cron),
            dates: None,
            manual: None,
        } => Some(Schedule::Cron(cron)),
        RawSchedule {
            cron: None,
            dates: Some(dates),
            manual: None,
        } => {
            let parsed: Result<Vec<NaiveDateTime>, String> = dates
                .iter()
                .map(|d| NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M").map_err(|_| d.clone()))
                .collect();
            match parsed {
                Ok(mut dates) if !dates.is_empty() => {
                    dates.sort();
                    Some(Schedule::Dates(dates))
                }
                Ok(_) => {
                    errors.push(source.error(at(schedule_span.clone()), "`dates` is empty"));
                    None
                }
                Err(bad) => {
                    errors.push(source.error(
                        at(schedule_span.clone()),
                        format!("`{bad}` is not a local date-time like 2026-02-13T09:00"),
                    ));
                    None
                }
            }
        }
        RawSchedule {
            cron: None,
            dates: None,
            manual: Some(true),
        } => Some(Schedule::Manual),
        _ => {
            errors.push(source.error(at(schedule_span), "a schedule is exactly one of { cron = \"…\" }, { dates = [\"…\"] } or { manual = true }"));
            None
        }
    }
}

/// `TOWNSHIP/VILLAGE` pairs of region codes.
fn parse_villages(
    source: &Source,
    villages_raw: &[Spanned<String>],
    errors: &mut Vec<ContentError>,
) -> Vec<(RegionCode, RegionCode)> {
    let at = |span: std::ops::Range<usize>| Some(span);
    let mut villages = Vec::new();
    for v in villages_raw {
        match v
            .get_ref()
            .split_once('/')
            .map(|(t, v)| (t.parse::<RegionCode>(), v.parse::<RegionCode>()))
        {
            Some((Ok(t), Ok(v))) => villages.push((t, v)),
            _ => errors.push(source.error(
                at(v.span()),
                format!(
                    "`{}` is not TOWNSHIP/VILLAGE (codes from regions.toml)",
                    v.get_ref()
                ),
            )),
        }
    }
    villages
}

/// At least one message, each with both texts within the length limit and only known variables.
fn parse_messages(
    source: &Source,
    id_span: std::ops::Range<usize>,
    raw: &[Spanned<RawMessage>],
    errors: &mut Vec<ContentError>,
) -> Vec<LocalizedText> {
    let at = |span: std::ops::Range<usize>| Some(span);
    if raw.is_empty() {
        errors.push(source.error(
            at(id_span),
            "a campaign needs at least one [[campaigns.messages]]",
        ));
    }
    let mut messages = Vec::new();
    for message in raw {
        let m = message.get_ref();
        for (tag, text) in [("zh-CN", &m.zh), ("en", &m.en)] {
            let chars = text.trim().chars().count();
            if chars == 0 || chars > MAX_MESSAGE_CHARS {
                errors.push(source.error(
                    at(message.span()),
                    format!("the {tag} text must have 1 to {MAX_MESSAGE_CHARS} characters"),
                ));
            }
            for unknown in unknown_variables(text) {
                errors.push(source.error(
                    at(message.span()),
                    format!(
                        "unknown variable {{{unknown}}} in the {tag} text; only {{township}} exists"
                    ),
                ));
            }
        }
        messages.push(LocalizedText {
            zh: m.zh.trim().to_owned(),
            en: m.en.trim().to_owned(),
        });
    }
    messages
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::domain::Audience;

    fn parse_text(text: &str) -> Result<Vec<ParsedCampaign>, Vec<String>> {
        parse(&Source {
            path: Path::new("campaigns.toml"),
            text,
        })
        .map_err(|e| e.iter().map(ToString::to_string).collect())
    }

    const GOOD: &str = r#"
[[campaigns]]
id = "tip"
title_zh = "提示"
title_en = "Tip"
audience = "enterprise"
townships = ["baofeng"]
schedule = { cron = "0 0 9 * * MON" }
working_days_only = true
acknowledge = true
[[campaigns.messages]]
zh-CN = "{township}的企业朋友们：拒绝吃拿卡要。"
en = "Businesses of {township}: refuse petty demands."
"#;

    #[test]
    fn a_valid_campaign_parses() {
        let parsed = parse_text(GOOD).unwrap();
        let c = &parsed[0].campaign;
        assert_eq!(parsed[0].line, 3);
        assert_eq!(c.audience, Some(Audience::Enterprise));
        assert!(matches!(c.schedule, Schedule::Cron(_)));
        assert_eq!(c.catch_up_hours, 6);
        assert!(c.working_days_only && c.acknowledge && !c.urgent);
    }

    #[test]
    fn errors_name_line_and_reason() {
        let bad = GOOD
            .replace("{township}的", "{name}的")
            .replace("\"0 0 9 * * MON\"", "\"every monday\"");
        let errors = parse_text(&bad).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("fields") && e.starts_with("campaigns.toml:8:")),
            "{errors:?}"
        );

        let bad = GOOD.replace("{township}的", "{name}的");
        let errors = parse_text(&bad).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("unknown variable {name}")
                    && e.starts_with("campaigns.toml:11:")),
            "{errors:?}"
        );

        let bad = GOOD.replace(
            "schedule = { cron = \"0 0 9 * * MON\" }",
            "schedule = { dates = [\"2026-02-30T09:00\"] }",
        );
        assert!(parse_text(&bad).unwrap_err()[0].contains("2026-02-30T09:00"));

        let bad = GOOD.replace("audience = \"enterprise\"", "audience = \"everyone\"");
        assert!(parse_text(&bad).unwrap_err()[0].contains("or `all`"));

        let twice = format!("{GOOD}{GOOD}");
        assert!(parse_text(&twice).unwrap_err()[0].contains("appears twice"));
    }

    #[test]
    fn the_shipped_campaigns_parse_with_both_languages() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../content/campaigns.toml"
        ))
        .unwrap();
        let parsed = parse_text(&text).unwrap();
        let ids: Vec<&str> = parsed.iter().map(|p| p.campaign.id.as_str()).collect();
        for id in [
            "weekly-enterprise-tip",
            "monthly-family-reminder",
            "holiday-spring-festival",
            "holiday-national-day",
            "weekly-quiz",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        for p in &parsed {
            for m in &p.campaign.messages {
                assert!(!m.zh.is_empty() && !m.en.is_empty());
                assert!(
                    m.zh.contains("12388") == m.en.contains("12388"),
                    "{}: both languages give the same reporting line",
                    p.campaign.id
                );
            }
        }
    }
}

/// The file format again, for writing one campaign back out (the dashboard's editor).
#[derive(serde::Serialize)]
struct OutFile<'a> {
    campaigns: [OutCampaign<'a>; 1],
}

#[derive(serde::Serialize)]
struct OutCampaign<'a> {
    id: &'a str,
    title_zh: &'a str,
    title_en: &'a str,
    audience: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    townships: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    villages: Vec<String>,
    #[serde(skip_serializing_if = "<[Language]>::is_empty")]
    languages: &'a [Language],
    schedule: OutSchedule,
    working_days_only: bool,
    urgent: bool,
    acknowledge: bool,
    quiz_invitation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    active_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    active_until: Option<String>,
    catch_up_hours: u32,
    messages: Vec<OutMessage<'a>>,
}

#[derive(serde::Serialize)]
struct OutSchedule {
    #[serde(skip_serializing_if = "Option::is_none")]
    cron: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dates: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manual: Option<bool>,
}

#[derive(serde::Serialize)]
struct OutMessage<'a> {
    #[serde(rename = "zh-CN")]
    zh: &'a str,
    en: &'a str,
}

/// One campaign as a `[[campaigns]]` block that [`parse`] reads back to the same campaign.
pub fn to_toml(c: &Campaign) -> String {
    let schedule = match &c.schedule {
        Schedule::Cron(expr) => OutSchedule {
            cron: Some(expr.as_str().to_owned()),
            dates: None,
            manual: None,
        },
        Schedule::Dates(dates) => OutSchedule {
            cron: None,
            dates: Some(
                dates
                    .iter()
                    .map(|d| d.format("%Y-%m-%dT%H:%M").to_string())
                    .collect(),
            ),
            manual: None,
        },
        Schedule::Manual => OutSchedule {
            cron: None,
            dates: None,
            manual: Some(true),
        },
    };
    let file = OutFile {
        campaigns: [OutCampaign {
            id: c.id.as_str(),
            title_zh: &c.title.zh,
            title_en: &c.title.en,
            audience: c.audience.map_or("all", |a| a.as_str()),
            townships: c.townships.iter().map(RegionCode::as_str).collect(),
            villages: c.villages.iter().map(|(t, v)| format!("{t}/{v}")).collect(),
            languages: &c.languages,
            schedule,
            working_days_only: c.working_days_only,
            urgent: c.urgent,
            acknowledge: c.acknowledge,
            quiz_invitation: c.quiz_invitation,
            active_from: c.active_from.map(|d| d.to_string()),
            active_until: c.active_until.map(|d| d.to_string()),
            catch_up_hours: c.catch_up_hours,
            messages: c
                .messages
                .iter()
                .map(|m| OutMessage {
                    zh: &m.zh,
                    en: &m.en,
                })
                .collect(),
        }],
    };
    toml::to_string(&file).expect("campaigns serialise")
}

#[cfg(test)]
mod round_trip {
    use std::path::Path;

    use super::*;

    #[test]
    fn every_shipped_campaign_survives_writing_and_reading_back() {
        let text = include_str!("../../../content/campaigns.toml");
        let source = Source {
            path: Path::new("campaigns.toml"),
            text,
        };
        let campaigns = parse(&source).unwrap();
        assert!(campaigns.len() >= 10);
        for parsed in campaigns {
            let written = to_toml(&parsed.campaign);
            let again = parse(&Source {
                path: Path::new("campaign.toml"),
                text: &written,
            })
            .unwrap_or_else(|e| panic!("{written}\n{e:?}"));
            assert_eq!(again.len(), 1);
            assert_eq!(again[0].campaign, parsed.campaign, "{written}");
        }
    }
}
