//! The documents content may cite (`content/sources.toml`): every quiz source, every title in
//! 《》 in the reminders and locales, must be one of them, and each document has one English
//! name everywhere. A reference list checked by tests, not imported.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    document: Vec<Document>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    zh: String,
    en: String,
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// zh title (with 《》) → English name.
fn known() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join("content/sources.toml")).unwrap();
    let file: File = toml::from_str(&text).unwrap();
    file.document.into_iter().map(|d| (d.zh, d.en)).collect()
}

/// `title（note）` → (`title`, note present?).
fn split_note<'a>(part: &'a str, open: &str) -> &'a str {
    match part.find(open) {
        Some(at) if at > 0 => &part[..at],
        _ => part,
    }
}

fn quiz_sources() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("content/quiz")).unwrap() {
        let path = entry.unwrap().path();
        let value: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for q in value["questions"].as_array().unwrap() {
            out.push((
                q["id"].as_str().unwrap().to_owned(),
                q["source_zh"].as_str().unwrap().to_owned(),
                q["source_en"].as_str().unwrap().to_owned(),
            ));
        }
    }
    out
}

/// Every 《title》 in a text.
fn titles(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('《') {
        let Some(len) = rest[start..].find('》') else {
            break;
        };
        let end = start + len + '》'.len_utf8();
        found.push(rest[start..end].to_owned());
        rest = &rest[end..];
    }
    found
}

#[test]
fn every_quiz_source_is_a_known_document_with_its_one_english_name() {
    let known = known();
    let mut problems = Vec::new();
    for (id, zh, en) in quiz_sources() {
        let zh_parts: Vec<&str> = zh.split('；').collect();
        let en_parts: Vec<&str> = en.split("; ").collect();
        if zh_parts.len() != en_parts.len() {
            problems.push(format!(
                "{id}: {zh:?} and {en:?} name different numbers of documents"
            ));
            continue;
        }
        for (zh, en) in zh_parts.iter().zip(en_parts) {
            let title = split_note(zh, "（");
            match known.get(title) {
                None => problems.push(format!("{id}: {title:?} is not in content/sources.toml")),
                Some(name) if split_note(en, " (") != name => problems.push(format!(
                    "{id}: {title} is called {name:?} in English, not {en:?}"
                )),
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_title_in_reminders_quizzes_and_locales_is_known() {
    let known = known();
    let mut files = vec![root().join("content/campaigns.toml")];
    for dir in ["content/quiz", "locales/zh-CN", "locales/en"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    let mut unknown = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for title in titles(&text) {
            if !known.contains_key(&title) {
                unknown.push(format!("{}: {title}", path.display()));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "titles not in content/sources.toml: {unknown:#?}"
    );
}

#[test]
fn titles_are_found() {
    assert_eq!(
        titles("依据《甲》和《乙》。"),
        vec!["《甲》".to_owned(), "《乙》".to_owned()]
    );
    assert_eq!(split_note("《刑法》（行贿罪）", "（"), "《刑法》");
}
