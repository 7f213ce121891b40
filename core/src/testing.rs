//! Test support shared by every crate's tests: a fresh database per test on either backend.
//!
//! PostgreSQL tests are never skipped: they expect a server at `TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`, trust auth) and create and drop
//! their own database, so tests can run in parallel.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use fluent_syntax::ast;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use crate::domain::{
    Campaign, CommissionTie, Evidence, EvidenceKind, Language, LocalizedText, NewReport,
    NewSubscriber, PersonLevel, PersonReported, Profile, ReportBody, Reporter, Schedule, Township,
    TownshipKind,
};
use crate::store::DatabaseUrl;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// A database that exists for the lifetime of this value.
pub struct TestDatabase {
    pub url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    Files(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn unique_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "qingfeng_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestDatabase {
    pub async fn create(backend: TestBackend) -> TestDatabase {
        let name = unique_name();
        match backend {
            TestBackend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                let url = format!("sqlite://{}", path.display())
                    .parse()
                    .expect("a valid sqlite URL");
                TestDatabase {
                    url,
                    cleanup: Cleanup::Files(path),
                }
            }
            TestBackend::Postgres => {
                let admin_url = admin_url();
                let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL tests need a server at {admin_url} (set TEST_POSTGRES_URL to change it): {e}"
                    )
                });
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create the test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_POSTGRES_URL is a URL");
                url.set_path(&name);
                TestDatabase {
                    url: url.as_str().parse().expect("a valid postgres URL"),
                    cleanup: Cleanup::Database { admin_url, name },
                }
            }
        }
    }

    /// A migrated store on this database.
    pub async fn store(&self) -> Store {
        Store::open(&self.url, 5)
            .await
            .expect("open the test store")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Files(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async {
                        let mut admin = PgConnection::connect(&admin_url)
                            .await
                            .map_err(std::io::Error::other)?;
                        sqlx::query(AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .execute(&mut admin)
                        .await
                        .map_err(std::io::Error::other)?;
                        Ok::<_, std::io::Error>(())
                    })
                })
                .join();
            }
        }
    }
}

/// Regions, categories and routing: what filing and triaging a report needs.
pub const REPORT_CONTENT: [&str; 3] = ["regions.toml", "categories.toml", "routing.toml"];

/// A file of the content this repository ships (`content/` at the workspace root).
pub fn shipped_content(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../content")
        .join(file)
}

/// Imports these shipped content files in order (regions before what refers to them).
pub async fn import_shipped(store: &Store, files: &[&str]) {
    for file in files {
        crate::content::import(store, &shipped_content(file))
            .await
            .unwrap_or_else(|e| panic!("shipped {file} imports: {e}"));
    }
}

/// A town with an English name made from its code, for tests that want only a few regions.
pub fn township(code: &str, name_zh: &str) -> Township {
    Township {
        code: code.parse().expect("a township code"),
        name: LocalizedText::new(name_zh, format!("{code} Town")),
        kind: TownshipKind::Town,
    }
}

/// A household of `township` that named no village.
pub fn household(township: &str) -> Profile {
    Profile::Household {
        township: township.parse().expect("a township code"),
        village: None,
    }
}

/// Subscribes every chat in `chats` with the same profile and language.
pub async fn subscribe(
    store: &Store,
    chats: impl IntoIterator<Item = i64>,
    language: Language,
    profile: &Profile,
) {
    for chat_id in chats {
        store
            .upsert_subscriber(&NewSubscriber {
                chat_id,
                language,
                profile: profile.clone(),
            })
            .await
            .expect("subscriber stored");
    }
}

/// A manual campaign for everyone, with one message and no buttons. Tests change what they
/// need with struct update syntax: `Campaign { urgent: true, ..testing::campaign(..) }`.
pub fn campaign(id: &str, zh: &str, en: &str) -> Campaign {
    Campaign {
        id: id.parse().expect("a valid campaign id"),
        title: LocalizedText {
            zh: "提示".into(),
            en: "Tip".into(),
        },
        audience: None,
        townships: vec![],
        villages: vec![],
        languages: vec![],
        schedule: Schedule::Manual,
        working_days_only: false,
        urgent: false,
        acknowledge: false,
        quiz_invitation: false,
        active_from: None,
        active_until: None,
        catch_up_hours: 6,
        messages: vec![LocalizedText {
            zh: zh.into(),
            en: en.into(),
        }],
    }
}

/// Words of [`report`]'s content that must never appear in plaintext where it is stored.
pub const REPORT_SECRETS: [&str; 3] = ["购物卡", "张某某", "宝丰镇人民政府"];

/// A report of a gift taken by a township official, with one photo as evidence.
pub fn report(township: Option<&str>, level: PersonLevel, reporter: Reporter) -> NewReport {
    NewReport {
        category: "gifts".parse().expect("a category code"),
        township: township.map(|t| t.parse().expect("a township code")),
        body: ReportBody {
            person: PersonReported {
                name: Some("张某某".parse().expect("a name")),
                unit: Some("宝丰镇人民政府".parse().expect("a unit")),
                position: None,
                level,
                commission: CommissionTie::None,
            },
            description: "中秋节前收受辖区企业购物卡两张，每张面值一千元，地点在其办公室。"
                .parse()
                .expect("a description"),
            when_where: "2026年9月，镇政府办公室".parse().expect("a place"),
        },
        evidence: vec![Evidence {
            kind: EvidenceKind::Photo,
            file_id: "AgACAgIAAxkBAAIBSECRETFILEID".into(),
            file_name: None,
            size: Some(120_000),
        }],
        reporter,
    }
}

/// Whether message `id` exists in the locale `tag` (e.g. `zh-CN`).
pub fn has_message(tag: &str, id: &str) -> bool {
    locale_catalogue(tag)
        .values()
        .any(|messages| messages.contains_key(id))
}

fn locale_dir(tag: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../locales")
        .join(tag)
}

fn collect_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expression(expression, out);
        }
    }
}

fn collect_expression(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
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

fn collect_inline(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
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

/// The messages of one locale: file name → message id → variables it uses.
pub fn locale_catalogue(tag: &str) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
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

/// Runs an async test body once per backend: `store_test!(name, |store| { .. })`.
#[macro_export]
macro_rules! store_test {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($store: $crate::store::Store) $body

            #[tokio::test]
            async fn sqlite() {
                let db = $crate::testing::TestDatabase::create($crate::testing::TestBackend::Sqlite).await;
                run(db.store().await).await;
            }

            #[tokio::test]
            async fn postgres() {
                let db = $crate::testing::TestDatabase::create($crate::testing::TestBackend::Postgres).await;
                run(db.store().await).await;
            }
        }
    };
}
