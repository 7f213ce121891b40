//! `regions.toml`: the county, its townships and villages.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{ContentError, Source};
use crate::domain::{LocalizedText, RegionCode, Township, TownshipKind, Village};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct County {
    /// The six-digit administrative division code, e.g. 420323.
    pub code: String,
    pub name: LocalizedText,
}

#[derive(Debug, Clone)]
pub struct RegionsFile {
    pub county: County,
    pub townships: Vec<Township>,
    pub villages: Vec<Village>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    county: RawCounty,
    #[serde(default)]
    townships: Vec<RawTownship>,
    #[serde(default)]
    villages: Vec<RawVillage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounty {
    code: Spanned<String>,
    name_zh: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTownship {
    code: Spanned<RegionCode>,
    name_zh: Spanned<String>,
    name_en: Spanned<String>,
    kind: TownshipKind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVillage {
    township: Spanned<RegionCode>,
    code: Spanned<RegionCode>,
    name_zh: Spanned<String>,
    name_en: Spanned<String>,
}

/// A display name must be present and fit on a keyboard button.
fn check_name(source: &Source, name: &Spanned<String>, errors: &mut Vec<ContentError>) {
    let chars = name.get_ref().trim().chars().count();
    if chars == 0 || chars > 40 {
        errors.push(source.error(Some(name.span()), "a name must have 1 to 40 characters"));
    }
}

impl RegionsFile {
    pub(crate) fn parse(source: &Source) -> Result<RegionsFile, Vec<ContentError>> {
        let raw: RawFile = source.parse().map_err(|e| vec![e])?;
        let mut errors = Vec::new();

        let code = raw.county.code.get_ref();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            errors.push(source.error(
                Some(raw.county.code.span()),
                format!("county code `{code}` must be the six-digit administrative division code"),
            ));
        }
        if raw.townships.is_empty() {
            errors.push(source.error(None, "no [[townships]]: onboarding needs at least one"));
        }

        let mut township_codes = HashSet::new();
        for t in &raw.townships {
            if !township_codes.insert(t.code.get_ref().clone()) {
                errors.push(source.error(
                    Some(t.code.span()),
                    format!("township `{}` appears twice", t.code.get_ref()),
                ));
            }
            check_name(source, &t.name_zh, &mut errors);
            check_name(source, &t.name_en, &mut errors);
        }
        let mut village_codes = HashSet::new();
        for v in &raw.villages {
            if !township_codes.contains(v.township.get_ref()) {
                errors.push(source.error(
                    Some(v.township.span()),
                    format!(
                        "village `{}` names township `{}`, which is not in [[townships]]",
                        v.code.get_ref(),
                        v.township.get_ref()
                    ),
                ));
            }
            if !village_codes.insert((v.township.get_ref().clone(), v.code.get_ref().clone())) {
                errors.push(source.error(
                    Some(v.code.span()),
                    format!(
                        "village `{}` appears twice in township `{}`",
                        v.code.get_ref(),
                        v.township.get_ref()
                    ),
                ));
            }
            check_name(source, &v.name_zh, &mut errors);
            check_name(source, &v.name_en, &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        Ok(RegionsFile {
            county: County {
                code: raw.county.code.into_inner(),
                name: LocalizedText::new(raw.county.name_zh, raw.county.name_en),
            },
            townships: raw
                .townships
                .into_iter()
                .map(|t| Township {
                    code: t.code.into_inner(),
                    name: LocalizedText::new(
                        t.name_zh.into_inner().trim().to_owned(),
                        t.name_en.into_inner().trim().to_owned(),
                    ),
                    kind: t.kind,
                })
                .collect(),
            villages: raw
                .villages
                .into_iter()
                .map(|v| Village {
                    township: v.township.into_inner(),
                    code: v.code.into_inner(),
                    name: LocalizedText::new(
                        v.name_zh.into_inner().trim().to_owned(),
                        v.name_en.into_inner().trim().to_owned(),
                    ),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(text: &str) -> Result<RegionsFile, Vec<String>> {
        let source = Source {
            path: Path::new("regions.toml"),
            text,
        };
        RegionsFile::parse(&source).map_err(|errs| errs.iter().map(ToString::to_string).collect())
    }

    const HEADER: &str =
        "[county]\ncode = \"420323\"\nname_zh = \"竹山县\"\nname_en = \"Zhushan County\"\n";

    #[test]
    fn the_shipped_file_parses_with_all_seventeen_townships() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../content/regions.toml"
        ))
        .unwrap();
        let file = parse(&text).unwrap();
        assert_eq!(file.county.code, "420323");
        assert_eq!(file.townships.len(), 17);
        assert_eq!(
            file.townships
                .iter()
                .filter(|t| t.kind == TownshipKind::Town)
                .count(),
            9
        );
        assert_eq!(file.townships[0].name.zh, "城关镇");
        let names: Vec<String> = file.villages.iter().map(|v| v.name.zh.clone()).collect();
        assert!(names.contains(&"龙井村".to_owned()) && names.contains(&"罗家坡村".to_owned()));
    }

    #[test]
    fn errors_name_the_line_and_reason() {
        let text = format!(
            "{HEADER}\n[[townships]]\ncode = \"baofeng\"\nname_zh = \"宝丰镇\"\nname_en = \"Baofeng Town\"\nkind = \"town\"\n\n[[villages]]\ntownship = \"nowhere\"\ncode = \"longjing\"\nname_zh = \"龙井村\"\nname_en = \"Longjing Village\"\n"
        );
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("regions.toml:13:"), "{errors:?}");
        assert!(errors[0].contains("township `nowhere`"), "{errors:?}");
    }

    #[test]
    fn bad_codes_duplicates_and_unknown_keys_are_reported() {
        let bad_code = format!(
            "{HEADER}[[townships]]\ncode = \"Bao Feng\"\nname_zh = \"宝丰镇\"\nname_en = \"B\"\nkind = \"town\"\n"
        );
        let errors = parse(&bad_code).unwrap_err();
        assert!(
            errors[0].starts_with("regions.toml:6:") && errors[0].contains("not a region code"),
            "{errors:?}"
        );

        let twice = format!(
            "{HEADER}[[townships]]\ncode = \"a\"\nname_zh = \"甲\"\nname_en = \"A\"\nkind = \"town\"\n[[townships]]\ncode = \"a\"\nname_zh = \"乙\"\nname_en = \"B\"\nkind = \"township\"\n"
        );
        let errors = parse(&twice).unwrap_err();
        assert!(
            errors[0].starts_with("regions.toml:11:") && errors[0].contains("appears twice"),
            "{errors:?}"
        );

        let unknown = format!("{HEADER}[[townships]]\ncode = \"a\"\nnmae_zh = \"甲\"\n");
        let errors = parse(&unknown).unwrap_err();
        assert!(errors[0].contains("unknown field `nmae_zh`"), "{errors:?}");
        assert!(errors[0].starts_with("regions.toml:7:"), "{errors:?}");

        let kind = format!(
            "{HEADER}[[townships]]\ncode = \"a\"\nname_zh = \"甲\"\nname_en = \"A\"\nkind = \"city\"\n"
        );
        assert!(parse(&kind).unwrap_err()[0].contains("unknown variant `city`"));

        let county = "[county]\ncode = \"4203\"\nname_zh = \"x\"\nname_en = \"x\"\n[[townships]]\ncode = \"a\"\nname_zh = \"甲\"\nname_en = \"A\"\nkind = \"town\"\n";
        assert!(parse(county).unwrap_err()[0].starts_with("regions.toml:2:"));
    }
}
