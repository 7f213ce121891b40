//! Content files a county edits (`content/`), validated before anything reaches the store.
//! Every error names the file, the line and the reason.

mod calendar;
mod campaigns;
mod categories;
mod quiz;
mod regions;
pub(crate) mod routing;
mod shipped;
#[cfg(test)]
mod sources;

pub use crate::domain::ReportCategory;
pub use crate::domain::{Desk, Routing};
pub use regions::{County, RegionsFile};
pub use shipped::{SHIPPED, import_shipped};

use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::RegionCode;
use crate::store::{Store, StoreError};

/// A problem in a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ContentError {}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ContentError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An audience filter as content files write it: `enterprise`, `household` or `all` (`None`).
pub(crate) fn audience_filter(text: &str) -> Result<Option<crate::domain::Audience>, String> {
    match text {
        "all" => Ok(None),
        other => other
            .parse()
            .map(Some)
            .map_err(|e| format!("{e}, or `all`")),
    }
}

/// A parsed source file: its path and text, for turning byte offsets into line numbers.
pub(crate) struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Source<'_> {
    pub fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    pub fn error(
        &self,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
    ) -> ContentError {
        ContentError {
            file: self.path.to_path_buf(),
            line: span.map(|s| self.line_of(s.start)),
            message: message.into(),
        }
    }

    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, ContentError> {
        toml::from_str(self.text).map_err(|e| self.error(e.span(), e.message().trim().to_owned()))
    }
}

/// What `content import` did, one line per file.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub lines: Vec<String>,
}

/// Imports a content directory (its known files) or a single content file. Idempotent:
/// importing the same content twice leaves the store as it was.
pub async fn import(store: &Store, path: &Path) -> Result<ImportReport, ImportError> {
    let files = content_files(path).map_err(|e| ImportError::Invalid(vec![e]))?;
    let mut texts = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| {
            ImportError::Invalid(vec![ContentError {
                file: file.clone(),
                line: None,
                message: format!("cannot read: {e}"),
            }])
        })?;
        texts.push((file, text));
    }
    import_texts(store, &texts, path.is_dir()).await
}

/// Imports content files given as (path, text), in import order. `whole_bank` says the quiz
/// files are the whole question bank (a directory), so questions missing from them retire.
async fn import_texts(
    store: &Store,
    texts: &[(PathBuf, String)],
    whole_bank: bool,
) -> Result<ImportReport, ImportError> {
    // Validate everything before writing anything, so a bad file changes nothing.
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (file, text) in texts {
        let source = Source { path: file, text };
        match parse_known(&source) {
            Ok(content) => parsed.push((file.clone(), content)),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Invalid(errors));
    }
    let regions = parsed.iter().find_map(|(_, content)| match content {
        Known::Regions(regions) => Some(regions),
        _ => None,
    });
    for (file, content) in &parsed {
        match content {
            Known::Campaigns(campaigns) => check_regions(store, regions, file, campaigns).await?,
            Known::Routing(routing) => check_desk_townships(store, regions, file, routing).await?,
            _ => {}
        }
    }
    let questions = unique_questions(&parsed)?;
    let mut report = ImportReport::default();
    for (file, content) in parsed {
        if let Some(line) = write_known(store, &file, content).await? {
            report.lines.push(line);
        }
    }
    if !questions.is_empty() {
        // A directory import makes the bank exactly its quiz files; a single file adds to it.
        let retired = store.import_questions(&questions, whole_bank).await?;
        report.lines.push(format!(
            "quiz: {} questions, {retired} retired",
            questions.len()
        ));
    }
    Ok(report)
}

/// Writes one validated file to the store and says what it did (quiz files are written
/// together, once every question id is known to be unique).
async fn write_known(
    store: &Store,
    file: &Path,
    content: Known,
) -> Result<Option<String>, ImportError> {
    let file = file.display();
    let line = match content {
        Known::Quiz(_) => return Ok(None),
        Known::Calendar(years) => {
            store.import_calendar(&years).await?;
            let described: Vec<String> = years
                .iter()
                .map(|y| {
                    format!("{} ({:?}, {} days)", y.year, y.status, y.days.len()).to_lowercase()
                })
                .collect();
            format!("{file}: {}", described.join(", "))
        }
        Known::Categories(categories) => {
            let retired = store.import_categories(&categories).await?;
            format!("{file}: {} categories, {retired} retired", categories.len())
        }
        Known::Routing(routing) => {
            store.import_routing(&routing).await?;
            let desks = routing.desks();
            let alerted = desks
                .iter()
                .filter(|d| !d.alert_chat_ids.is_empty())
                .count();
            format!("{file}: {} desks ({alerted} with alert chats)", desks.len())
        }
        Known::Campaigns(campaigns) => {
            let list: Vec<_> = campaigns.into_iter().map(|p| p.campaign).collect();
            let retired = store.import_campaigns(&list).await?;
            format!("{file}: {} campaigns, {retired} retired", list.len())
        }
        Known::Regions(regions) => {
            let summary = store
                .import_regions(&regions.townships, &regions.villages)
                .await?;
            store.set_county_name(&regions.county.name).await?;
            format!(
                "{file}: {} ({}): {} townships, {} villages, {} retired",
                regions.county.name.zh,
                regions.county.code,
                summary.townships,
                summary.villages,
                summary.retired
            )
        }
    };
    Ok(Some(line))
}

/// One campaign written as a `[[campaigns]]` block (the dashboard's editor): parsed and checked
/// against the stored regions exactly as `content import` checks a campaigns file.
pub async fn validate_campaign(
    store: &Store,
    text: &str,
) -> Result<crate::domain::Campaign, ImportError> {
    let path = Path::new("campaign.toml");
    let source = Source { path, text };
    let mut parsed = campaigns::parse(&source).map_err(ImportError::Invalid)?;
    if parsed.len() != 1 {
        return Err(ImportError::Invalid(vec![
            source.error(None, "write exactly one [[campaigns]] block"),
        ]));
    }
    check_regions(store, None, path, &parsed).await?;
    Ok(parsed.remove(0).campaign)
}

pub use campaigns::to_toml as campaign_to_toml;

/// All quiz questions of the import; an id used twice (in any files) is an error.
fn unique_questions(
    parsed: &[(PathBuf, Known)],
) -> Result<Vec<crate::domain::QuizQuestion>, ImportError> {
    let mut seen: std::collections::HashMap<String, (PathBuf, usize)> =
        std::collections::HashMap::new();
    let mut errors = Vec::new();
    let mut questions = Vec::new();
    for (file, content) in parsed {
        let Known::Quiz(list) = content else { continue };
        for p in list {
            let id = p.question.id.to_string();
            if let Some((first_file, first_line)) = seen.get(&id) {
                errors.push(ContentError {
                    file: file.clone(),
                    line: Some(p.line),
                    message: format!(
                        "question id `{id}` is already used at {}:{first_line}",
                        first_file.display()
                    ),
                });
            } else {
                seen.insert(id, (file.clone(), p.line));
                questions.push(p.question.clone());
            }
        }
    }
    if errors.is_empty() {
        Ok(questions)
    } else {
        Err(ImportError::Invalid(errors))
    }
}

enum Known {
    Quiz(Vec<quiz::ParsedQuestion>),
    Regions(RegionsFile),
    Calendar(Vec<crate::calendar::CalendarYear>),
    Campaigns(Vec<campaigns::ParsedCampaign>),
    Categories(Vec<ReportCategory>),
    Routing(Routing),
}

/// Desks may only serve townships that exist (in the regions file alongside, or the store).
async fn check_desk_townships(
    store: &Store,
    regions: Option<&RegionsFile>,
    file: &Path,
    routing: &Routing,
) -> Result<(), ImportError> {
    let mut errors = Vec::new();
    for township in routing::townships(routing) {
        let known = match regions {
            Some(r) => r.townships.iter().any(|t| &t.code == township),
            None => matches!(store.township(township).await?, Some((_, true))),
        };
        if !known {
            errors.push(ContentError {
                file: file.to_path_buf(),
                line: None,
                message: format!(
                    "a desk serves township `{township}`, which is not in regions.toml"
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Invalid(errors))
    }
}

/// Campaigns may only name townships and villages that exist: in the regions file imported
/// alongside, or else already in the store.
async fn check_regions(
    store: &Store,
    regions: Option<&RegionsFile>,
    file: &Path,
    campaigns: &[campaigns::ParsedCampaign],
) -> Result<(), ImportError> {
    let township_known = async |code: &RegionCode| -> Result<bool, StoreError> {
        Ok(match regions {
            Some(r) => r.townships.iter().any(|t| &t.code == code),
            None => matches!(store.township(code).await?, Some((_, true))),
        })
    };
    let village_known =
        async |township: &RegionCode, village: &RegionCode| -> Result<bool, StoreError> {
            Ok(match regions {
                Some(r) => r
                    .villages
                    .iter()
                    .any(|v| &v.township == township && &v.code == village),
                None => matches!(store.village(township, village).await?, Some((_, true))),
            })
        };
    let mut errors = Vec::new();
    for parsed in campaigns {
        let c = &parsed.campaign;
        let townships = c.townships.iter().chain(c.villages.iter().map(|(t, _)| t));
        for township in townships {
            if !township_known(township).await? {
                errors.push(ContentError {
                    file: file.to_path_buf(),
                    line: Some(parsed.line),
                    message: format!(
                        "campaign `{}` names township `{township}`, which is not in regions.toml",
                        c.id
                    ),
                });
            }
        }
        for (township, village) in &c.villages {
            if !village_known(township, village).await? {
                errors.push(ContentError {
                    file: file.to_path_buf(),
                    line: Some(parsed.line),
                    message: format!("campaign `{}` names village `{township}/{village}`, which is not in regions.toml", c.id),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Invalid(errors))
    }
}

/// The files to import: the path itself, or the known files in a directory.
fn content_files(path: &Path) -> Result<Vec<PathBuf>, ContentError> {
    let not_found = |message: String| ContentError {
        file: path.to_path_buf(),
        line: None,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| not_found(format!("cannot read: {e}")))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = KNOWN_FILES
        .iter()
        .map(|name| path.join(name))
        .filter(|p| p.is_file())
        .collect();
    if let Ok(entries) = std::fs::read_dir(path.join("quiz")) {
        let mut quiz: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        quiz.sort();
        files.extend(quiz);
    }
    if files.is_empty() {
        return Err(not_found(format!(
            "no content files here; expected one of: {}, quiz/*.toml",
            KNOWN_FILES.join(", ")
        )));
    }
    Ok(files)
}

/// In import order: campaigns refer to regions.
const KNOWN_FILES: [&str; 5] = [
    "regions.toml",
    "calendar.toml",
    "categories.toml",
    "routing.toml",
    "campaigns.toml",
];

fn parse_known(source: &Source) -> Result<Known, Vec<ContentError>> {
    let path = source.path;
    if path
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|d| d == "quiz")
    {
        return quiz::parse(source).map(Known::Quiz);
    }
    match path.file_name().and_then(|n| n.to_str()) {
        Some("regions.toml") => RegionsFile::parse(source).map(Known::Regions),
        Some("calendar.toml") => calendar::parse(source).map(Known::Calendar),
        Some("campaigns.toml") => campaigns::parse(source).map(Known::Campaigns),
        Some("categories.toml") => categories::parse(source).map(Known::Categories),
        Some("routing.toml") => routing::parse(source).map(Known::Routing),
        _ => Err(vec![source.error(
            None,
            format!(
                "unknown content file; the known files are {}",
                KNOWN_FILES.join(", ")
            ),
        )]),
    }
}
