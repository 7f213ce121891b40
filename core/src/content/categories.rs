//! `categories.toml`: report categories, up to two levels. A category with `sub` entries is a
//! heading; a report is filed under a category without subs (a leaf).

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{ContentError, Source};
use crate::domain::{CategoryCode, LocalizedText, ReportCategory};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    category: Vec<RawCategory>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    code: Spanned<CategoryCode>,
    name_zh: Spanned<String>,
    name_en: Spanned<String>,
    /// One line of examples in each language, or neither.
    examples_zh: Option<Spanned<String>>,
    examples_en: Option<Spanned<String>>,
    #[serde(default)]
    sub: Vec<RawCategory>,
}

/// A line of the category question, short enough for one or two lines on a phone.
fn examples(
    source: &Source,
    c: &RawCategory,
    errors: &mut Vec<ContentError>,
) -> Option<LocalizedText> {
    match (&c.examples_zh, &c.examples_en) {
        (None, None) => None,
        (Some(zh), Some(en)) => {
            for line in [zh, en] {
                let chars = line.get_ref().trim().chars().count();
                if chars == 0 || chars > 120 {
                    errors.push(
                        source.error(Some(line.span()), "examples must have 1 to 120 characters"),
                    );
                }
            }
            Some(LocalizedText::new(zh.get_ref().trim(), en.get_ref().trim()))
        }
        _ => {
            errors.push(source.error(
                Some(c.code.span()),
                format!(
                    "category `{}` needs both examples_zh and examples_en, or neither",
                    c.code.get_ref()
                ),
            ));
            None
        }
    }
}

/// Button labels, one per row: at most 40 characters so a phone shows them whole.
fn check_name(source: &Source, name: &Spanned<String>, errors: &mut Vec<ContentError>) {
    let chars = name.get_ref().trim().chars().count();
    if chars == 0 || chars > 40 {
        errors.push(source.error(Some(name.span()), "a name must have 1 to 40 characters"));
    }
}

pub(crate) fn parse(source: &Source) -> Result<Vec<ReportCategory>, Vec<ContentError>> {
    let raw: RawFile = source.parse().map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    if raw.category.is_empty() {
        errors.push(source.error(None, "no [[category]]: reports need at least one"));
    }
    let mut seen = HashSet::new();
    let mut categories = Vec::new();
    let mut add = |c: &RawCategory, parent: Option<&CategoryCode>, errors: &mut Vec<_>| {
        if !seen.insert(c.code.get_ref().clone()) {
            errors.push(source.error(
                Some(c.code.span()),
                format!("category `{}` appears twice", c.code.get_ref()),
            ));
        }
        check_name(source, &c.name_zh, errors);
        check_name(source, &c.name_en, errors);
        let examples = examples(source, c, errors);
        categories.push(ReportCategory {
            code: c.code.get_ref().clone(),
            parent: parent.cloned(),
            name: LocalizedText::new(
                c.name_zh.get_ref().trim().to_owned(),
                c.name_en.get_ref().trim().to_owned(),
            ),
            examples,
        });
    };
    for top in &raw.category {
        add(top, None, &mut errors);
        for sub in &top.sub {
            if !sub.sub.is_empty() {
                errors.push(source.error(
                    Some(sub.code.span()),
                    "categories have at most two levels: a sub-category cannot have subs",
                ));
            }
            add(sub, Some(top.code.get_ref()), &mut errors);
        }
    }
    if errors.is_empty() {
        Ok(categories)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse_text(text: &str) -> Result<Vec<ReportCategory>, Vec<ContentError>> {
        parse(&Source {
            path: Path::new("categories.toml"),
            text,
        })
    }

    #[test]
    fn the_shipped_categories_parse() {
        let text = include_str!("../../../content/categories.toml");
        let categories = parse_text(text).unwrap();
        assert!(categories.iter().any(|c| c.code.as_str() == "gifts"));
        for c in categories.iter().filter(|c| c.parent.is_none()) {
            assert!(
                c.examples.is_some() || c.code.as_str() == "other",
                "`{}` has no examples for reporters",
                c.code
            );
        }
        assert!(
            categories
                .iter()
                .any(|c| c.parent.is_none() && c.code.as_str() == "other")
        );
    }

    /// Codes are stored with reports: every code shipped before keeps its meaning (a moved
    /// sub-category keeps its code), and the scope a commission must accept is covered.
    #[test]
    fn shipped_codes_keep_their_meaning_and_the_required_scope_is_covered() {
        let categories = parse_text(include_str!("../../../content/categories.toml")).unwrap();
        let find = |code: &str| {
            categories
                .iter()
                .find(|c| c.code.as_str() == code)
                .unwrap_or_else(|| panic!("category `{code}` was removed or renamed"))
        };
        for (code, parent, name_zh) in [
            ("eight-rules", None, "违反中央八项规定精神"),
            ("banquets", Some("eight-rules"), "违规吃喝"),
            ("official-cars", Some("eight-rules"), "公车私用"),
            (
                "weddings-funerals",
                Some("eight-rules"),
                "违规操办婚丧喜庆事宜",
            ),
            (
                "eight-rules-other",
                Some("eight-rules"),
                "其他违反八项规定精神问题",
            ),
            ("integrity", None, "违反廉洁纪律"),
            ("gifts", Some("integrity"), "违规收受礼品礼金"),
            // Moved under 群众纪律, where the disciplinary regulations put it.
            ("demands", Some("mass"), "吃拿卡要"),
            ("business-interests", Some("integrity"), "违规经商办企业"),
            ("integrity-other", Some("integrity"), "其他违反廉洁纪律问题"),
            ("mass", None, "违反群众纪律"),
            ("harming-people", Some("mass"), "侵害群众利益"),
            ("benefit-funds", Some("mass"), "惠民资金/低保问题"),
            ("mass-other", Some("mass"), "其他违反群众纪律问题"),
            ("formalism", None, "形式主义、官僚主义"),
            ("other", None, "其他问题"),
        ] {
            let c = find(code);
            assert_eq!(c.parent.as_ref().map(|p| p.as_str()), parent, "{code}");
            assert_eq!(c.name.zh, name_zh, "{code}");
        }
        for required in [
            "违反政治纪律",
            "违反组织纪律",
            "违反廉洁纪律",
            "违反群众纪律",
            "违反工作纪律",
            "违反生活纪律",
            "违反中央八项规定精神",
            "形式主义、官僚主义",
            "涉嫌贪污贿赂、滥用职权、玩忽职守等职务违法犯罪",
        ] {
            assert!(
                categories
                    .iter()
                    .any(|c| c.parent.is_none() && c.name.zh == required),
                "{required} is missing"
            );
        }
    }

    #[test]
    fn errors_name_the_line() {
        let text = "[[category]]\ncode = \"a\"\nname_zh = \"甲\"\nname_en = \"A\"\n\
                    [[category.sub]]\ncode = \"a\"\nname_zh = \"\"\nname_en = \"B\"\n";
        let errors = parse_text(text).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            shown
                .iter()
                .any(|e| e.contains(":6: category `a` appears twice")),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|e| e.contains(":7: a name must have")),
            "{shown:?}"
        );
        let typo = parse_text("[[category]]\ncode = \"a\"\nname = \"x\"\n").unwrap_err();
        assert!(
            typo[0].to_string().contains("categories.toml:3"),
            "{typo:?}"
        );
    }

    #[test]
    fn examples_come_in_both_languages_or_not_at_all() {
        let text = "[[category]]\ncode = \"a\"\nname_zh = \"甲\"\nname_en = \"A\"\nexamples_zh = \"例如\"\n";
        let errors = parse_text(text).unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .contains("needs both examples_zh and examples_en"),
            "{}",
            errors[0]
        );
        let text = "[[category]]\ncode = \"a\"\nname_zh = \"甲\"\nname_en = \"A\"\nexamples_zh = \"例如\"\nexamples_en = \"e.g.\"\n";
        let parsed = parse_text(text).unwrap();
        assert_eq!(
            parsed[0]
                .examples
                .as_ref()
                .unwrap()
                .get(crate::Language::ZhCn),
            "例如"
        );
    }
}
