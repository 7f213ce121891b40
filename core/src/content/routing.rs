//! `routing.toml`: the commission desks that receive reports, which townships each serves,
//! who is alerted, the higher commission and which levels go where. The decision itself is
//! [`Routing::desk_for`] in the domain.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use super::{ContentError, Source};
use crate::domain::{
    Desk, DeskCode, EnterpriseLevel, Handler, HigherBody, LocalizedText, PersonLevel, RegionCode,
    Routing, RoutingPolicy,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    county_levels: Vec<PersonLevel>,
    higher: Option<RawHigher>,
    #[serde(default)]
    state_enterprise: BTreeMap<EnterpriseLevel, Handler>,
    #[serde(default)]
    desk: Vec<RawDesk>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHigher {
    code: crate::domain::BodyCode,
    name_zh: String,
    name_en: String,
    #[serde(default)]
    levels: Vec<PersonLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesk {
    code: Spanned<DeskCode>,
    name_zh: String,
    name_en: String,
    #[serde(default)]
    county: bool,
    #[serde(default)]
    townships: Vec<Spanned<RegionCode>>,
    #[serde(default)]
    alert_chat_ids: Vec<i64>,
}

pub(crate) fn parse(source: &Source) -> Result<Routing, Vec<ContentError>> {
    let raw: RawFile = source.parse().map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    // Without it, reports about 县处级 cadres would have nowhere to go.
    if raw
        .higher
        .as_ref()
        .is_none_or(|h| h.name_zh.trim().is_empty() || h.name_en.trim().is_empty())
    {
        errors.push(
            source.error(
                None,
                "a [higher] table is needed: the commission above the county (code, name_zh, \
             name_en, levels), which handles reports about the cadres it manages"
                    .to_owned(),
            ),
        );
    }
    let county_desks = raw.desk.iter().filter(|d| d.county).count();
    if county_desks != 1 {
        errors.push(source.error(
            None,
            format!("exactly one [[desk]] must have `county = true` (found {county_desks})"),
        ));
    }
    let mut codes = HashSet::new();
    let mut townships = HashSet::new();
    for desk in &raw.desk {
        if !codes.insert(desk.code.get_ref().clone()) {
            errors.push(source.error(
                Some(desk.code.span()),
                format!("desk `{}` appears twice", desk.code.get_ref()),
            ));
        }
        for township in &desk.townships {
            if !townships.insert(township.get_ref().clone()) {
                errors.push(source.error(
                    Some(township.span()),
                    format!("township `{}` is served by two desks", township.get_ref()),
                ));
            }
        }
        if desk.name_zh.trim().is_empty() || desk.name_en.trim().is_empty() {
            errors.push(source.error(
                Some(desk.code.span()),
                format!("desk `{}` needs name_zh and name_en", desk.code.get_ref()),
            ));
        }
    }
    let (Some(higher), true) = (raw.higher, errors.is_empty()) else {
        return Err(errors);
    };
    let desks = raw
        .desk
        .into_iter()
        .map(|d| Desk {
            code: d.code.into_inner(),
            name: LocalizedText::new(d.name_zh.trim().to_owned(), d.name_en.trim().to_owned()),
            alert_chat_ids: d.alert_chat_ids,
            county: d.county,
            townships: d.townships.into_iter().map(Spanned::into_inner).collect(),
        })
        .collect();
    let policy = RoutingPolicy {
        higher: HigherBody {
            code: higher.code,
            name: LocalizedText::new(
                higher.name_zh.trim().to_owned(),
                higher.name_en.trim().to_owned(),
            ),
        },
        higher_levels: higher.levels,
        county_levels: raw.county_levels,
        enterprises: raw.state_enterprise.into_iter().collect(),
    };
    Routing::new(desks, policy).map_err(|e| vec![source.error(None, e)])
}

/// Where the townships named in `routing` must exist (for the import's cross-file check).
pub(crate) fn townships(routing: &Routing) -> impl Iterator<Item = &RegionCode> {
    routing.desks().iter().flat_map(|d| d.townships.iter())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse_text(text: &str) -> Result<Routing, Vec<ContentError>> {
        parse(&Source {
            path: Path::new("routing.toml"),
            text,
        })
    }

    #[test]
    fn the_shipped_routing_parses() {
        let routing = parse_text(include_str!("../../../content/routing.toml")).unwrap();
        let policy = routing.policy();
        assert_eq!(policy.higher.name.zh, "十堰市纪委监委");
        assert_eq!(policy.higher_levels, vec![PersonLevel::CountyOrAbove]);
        assert_eq!(
            policy.county_levels,
            vec![PersonLevel::Section, PersonLevel::Unknown]
        );
        assert_eq!(routing.county_desk().code.as_str(), "county");
        assert_eq!(routing.desks().len(), 18);
    }

    #[test]
    fn mistakes_are_named() {
        let text = "[[desk]]\ncode = \"a\"\nname_zh = \"甲\"\nname_en = \"A\"\ntownships = [\"x\"]\n\
                    [[desk]]\ncode = \"b\"\nname_zh = \"乙\"\nname_en = \"B\"\ntownships = [\"x\"]\n";
        let shown: Vec<String> = parse_text(text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            shown.iter().any(|e| e.contains("exactly one [[desk]]")),
            "{shown:?}"
        );
        assert!(shown.iter().any(|e| e.contains("[higher]")), "{shown:?}");
        assert!(
            shown
                .iter()
                .any(|e| e.contains(":10: township `x` is served by two desks")),
            "{shown:?}"
        );
        let bad_level = parse_text("county_levels = [\"mayor\"]\n").unwrap_err();
        assert!(
            bad_level[0].to_string().contains("routing.toml:1"),
            "{bad_level:?}"
        );
    }
}
