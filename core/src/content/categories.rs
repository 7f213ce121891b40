//! `categories.toml`: report categories, up to two levels. A category with `sub` entries is a
//! heading; a report is filed under a category without subs (a leaf).

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{ContentError, Source};
use crate::domain::CategoryCode;

/// A category as stored: leaves carry reports, headings group them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCategory {
    pub code: CategoryCode,
    pub parent: Option<CategoryCode>,
    pub name_zh: String,
    pub name_en: String,
}

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
    #[serde(default)]
    sub: Vec<RawCategory>,
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
        categories.push(ReportCategory {
            code: c.code.get_ref().clone(),
            parent: parent.cloned(),
            name_zh: c.name_zh.get_ref().trim().to_owned(),
            name_en: c.name_en.get_ref().trim().to_owned(),
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
        assert!(
            categories
                .iter()
                .any(|c| c.parent.is_none() && c.code.as_str() == "other")
        );
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
}
