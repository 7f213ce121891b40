//! Finding reports for staff: by number, or by words in the content the reader may see (the
//! sealed fields are opened one report at a time; nothing is indexed in plain text). Every
//! report whose content matched is written to the audit log as `report.search`, as a view
//! is; the words searched for are not kept (they are often a name from the content).

use super::{ReportError, ReportKeys, view};
use crate::domain::Staff;
use crate::store::{ReportFilter, ReportRecord, ReportScope, Store};

/// Reports are read this many at a time while searching.
const BATCH: i64 = 200;

/// The reports in `scope` that `needle` finds, in queue order, at most `limit`: `123` or `#123`
/// is that report (if the reader may see it, whatever the filter); anything else matches,
/// ignoring case, the description, the time and place, the person reported, a real-name
/// reporter's name and mobile, and the conversation, of the reports `filter` lets through
/// (only those are opened).
pub async fn search(
    store: &Store,
    keys: &ReportKeys,
    (scope, filter): (&ReportScope, &ReportFilter),
    viewer: &Staff,
    needle: &str,
    limit: usize,
) -> Result<Vec<ReportRecord>, ReportError> {
    let needle = needle.trim();
    if let Ok(id) = needle.trim_start_matches('#').parse::<i64>() {
        return Ok(store.visible_report(id, scope).await?.into_iter().collect());
    }
    let needle = needle.to_lowercase();
    if needle.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    let mut offset = 0;
    loop {
        let batch = store.list_reports(scope, filter, BATCH, offset).await?;
        for record in &batch {
            if record.content_purged_at.is_some() {
                continue;
            }
            if matches(&view::open(store, keys, record.id).await?, &needle) {
                store
                    .audit(
                        viewer.username.as_str(),
                        "report.search",
                        Some(record.id),
                        None,
                    )
                    .await?;
                found.push(record.clone());
                if found.len() >= limit {
                    return Ok(found);
                }
            }
        }
        if (batch.len() as i64) < BATCH {
            return Ok(found);
        }
        offset += BATCH;
    }
}

/// Whether any field staff see on the report page contains `needle` (already lower-case).
fn matches(opened: &view::ReportView, needle: &str) -> bool {
    let mut fields: Vec<String> = Vec::new();
    if let Some(body) = &opened.body {
        fields.push(body.description.to_string());
        fields.push(body.when_where.to_string());
        fields.extend(body.person.unit.as_ref().map(ToString::to_string));
        fields.extend(body.person.name.as_ref().map(ToString::to_string));
        fields.extend(body.person.position.as_ref().map(ToString::to_string));
    }
    if let Some(real) = &opened.reporter {
        fields.push(real.name.to_string());
        fields.push(real.mobile.as_str().to_owned());
    }
    fields.extend(opened.messages.iter().map(|m| m.text.clone()));
    fields.iter().any(|f| f.to_lowercase().contains(needle))
}
