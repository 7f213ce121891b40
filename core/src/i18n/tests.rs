//! Every message and every variable must exist in both locales.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast;

use super::*;

fn locale_dir(tag: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../locales")
        .join(tag)
}

fn collect_variables<'a>(pattern: &ast::Pattern<&'a str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expression(expression, out);
        }
    }
}

fn collect_expression<'a>(expression: &ast::Expression<&'a str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => collect_inline(inline, out),
        ast::Expression::Select { selector, variants } => {
            collect_inline(selector, out);
            for variant in variants {
                collect_variables(&variant.value, out);
            }
        }
    }
}

fn collect_inline<'a>(inline: &ast::InlineExpression<&'a str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => collect_expression(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                collect_inline(arg, out);
            }
        }
        _ => {}
    }
}

/// file name → message id → variables used.
fn catalogue(tag: &str) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(locale_dir(tag)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ftl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let resource = fluent_syntax::parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
        let mut messages = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &message.value {
                    collect_variables(value, &mut vars);
                }
                for attribute in &message.attributes {
                    collect_variables(&attribute.value, &mut vars);
                }
                assert!(
                    messages.insert(message.id.name.to_owned(), vars).is_none(),
                    "{}: message {} defined twice",
                    path.display(),
                    message.id.name
                );
            }
        }
        files.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            messages,
        );
    }
    files
}

#[test]
fn both_locales_have_the_same_messages_and_variables() {
    let zh = catalogue("zh-CN");
    let en = catalogue("en");
    assert!(!zh.is_empty(), "no .ftl files in locales/zh-CN");
    assert_eq!(
        zh.keys().collect::<Vec<_>>(),
        en.keys().collect::<Vec<_>>(),
        "locale files differ"
    );
    let mut problems = Vec::new();
    for (file, zh_messages) in &zh {
        let en_messages = &en[file];
        for (id, zh_vars) in zh_messages {
            match en_messages.get(id) {
                None => problems.push(format!("{file}: `{id}` is missing in en")),
                Some(en_vars) if en_vars != zh_vars => problems.push(format!(
                    "{file}: `{id}` uses {zh_vars:?} in zh-CN but {en_vars:?} in en"
                )),
                Some(_) => {}
            }
        }
        for id in en_messages
            .keys()
            .filter(|id| !zh_messages.contains_key(*id))
        {
            problems.push(format!("{file}: `{id}` is missing in zh-CN"));
        }
    }
    assert!(
        problems.is_empty(),
        "locale mismatch:\n{}",
        problems.join("\n")
    );
}

#[test]
fn lookups_use_the_language_and_have_no_isolation_marks() {
    let zh = text(Language::ZhCn, "language-name", None);
    let en = text(Language::En, "language-name", None);
    assert_ne!(zh, en);
    let args = Args::new().text("name", "竹山县");
    let greeting = text(
        Language::ZhCn,
        "onboarding-saved",
        Some(&args.text("township", "宝丰镇")),
    );
    assert!(greeting.contains("竹山县"), "{greeting}");
    assert!(
        !greeting.contains('\u{2068}') && !greeting.contains('\u{2069}'),
        "{greeting:?}"
    );
    assert_eq!(
        text(Language::En, "no-such-message", None),
        "no-such-message"
    );
    assert!(has_message(Language::En, "language-name"));
    assert!(!has_message(Language::En, "no-such-message"));
}
