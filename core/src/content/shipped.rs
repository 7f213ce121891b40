//! The content this repository ships (`content/`), built into the binary: a packaged install,
//! run from any directory, starts with the county's regions, calendar, categories, routing,
//! campaigns and quiz bank. A configured `content_dir`, or `content import PATH`, overrides it.

use std::path::Path;

use super::{ImportError, ImportReport, Store};

macro_rules! shipped {
    ($($name:literal),* $(,)?) => {
        [$((
            $name,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../content/", $name)),
        )),*]
    };
}

/// Every shipped file as (path under `content/`, text), in import order: what a file refers to
/// comes before it. A test holds this list to the folder, so a new file cannot be left out.
pub const SHIPPED: [(&str, &str); 12] = shipped![
    "regions.toml",
    "calendar.toml",
    "categories.toml",
    "routing.toml",
    "campaigns.toml",
    "quiz/business-relations.toml",
    "quiz/eight-point-rules.toml",
    "quiz/family-integrity.toml",
    "quiz/party-discipline.toml",
    "quiz/reporting.toml",
    "quiz/supervision-law.toml",
    "quiz/village-affairs.toml",
];

/// Imports the built-in content, exactly as `content import` imports the `content/` folder
/// (the quiz files are the whole question bank). Idempotent.
pub async fn import_shipped(store: &Store) -> Result<ImportReport, ImportError> {
    let texts: Vec<_> = SHIPPED
        .iter()
        .map(|(name, text)| (Path::new("content").join(name), (*text).to_owned()))
        .collect();
    super::import_texts(store, &texts, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_is_the_content_folder() {
        let folder = crate::testing::shipped_content("");
        let on_disk: Vec<String> = super::super::content_files(&folder)
            .unwrap()
            .iter()
            .map(|p| {
                let relative = p.strip_prefix(&folder).unwrap();
                relative.to_string_lossy().replace('\\', "/")
            })
            .collect();
        let built_in: Vec<String> = SHIPPED.iter().map(|(n, _)| (*n).to_owned()).collect();
        assert_eq!(
            built_in, on_disk,
            "list every content file in SHIPPED, in import order"
        );
    }

    crate::store_test!(an_empty_store_gets_the_whole_county, |store| {
        let report = import_shipped(&store).await.unwrap();
        assert_eq!(store.townships().await.unwrap().len(), 17, "{report:?}");
        assert!(!store.report_categories().await.unwrap().is_empty());
        assert!(store.routing().await.unwrap().is_some());
        let again = import_shipped(&store).await.unwrap();
        assert_eq!(store.townships().await.unwrap().len(), 17, "{again:?}");
    });
}
