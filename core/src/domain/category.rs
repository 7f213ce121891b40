//! Report categories as the county defines them in `content/categories.toml`.

use super::{CategoryCode, Language, LocalizedText};

/// A category as stored: leaves carry reports, headings group them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCategory {
    pub code: CategoryCode,
    pub parent: Option<CategoryCode>,
    pub name: LocalizedText,
    /// A line of examples for the reporter (优亲厚友、吃拿卡要…), where the content gives one.
    pub examples: Option<LocalizedText>,
}

impl ReportCategory {
    pub fn name(&self, lang: Language) -> &str {
        self.name.get(lang)
    }
}
