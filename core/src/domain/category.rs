//! Report categories as the county defines them in `content/categories.toml`.

use super::CategoryCode;

/// A category as stored: leaves carry reports, headings group them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCategory {
    pub code: CategoryCode,
    pub parent: Option<CategoryCode>,
    pub name_zh: String,
    pub name_en: String,
}
