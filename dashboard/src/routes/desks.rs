//! The desks a staff member works at, for what a page offers them: a township account's filters
//! and statistics cover the desks serving its township, not the county.

use qingfeng_core::domain::{Desk, StaffRole};

use crate::session::SignedIn;
use crate::{AppState, DashboardError};

/// `None` for county-wide accounts (admin, county); else the desks serving the account's
/// township (the ones whose reports its [`qingfeng_core::store::ReportScope`] shows).
pub(super) async fn own_desks(
    state: &AppState,
    signed_in: &SignedIn,
) -> Result<Option<Vec<Desk>>, DashboardError> {
    let StaffRole::Township(township) = &signed_in.staff.role else {
        return Ok(None);
    };
    let desks = match state.store.routing().await? {
        Some(routing) => routing
            .desks()
            .iter()
            .filter(|d| d.townships.contains(township))
            .cloned()
            .collect(),
        None => Vec::new(),
    };
    Ok(Some(desks))
}

/// The township codes a township account's desks serve (its own at least); `None` for
/// county-wide accounts.
pub(super) async fn own_townships(
    state: &AppState,
    signed_in: &SignedIn,
) -> Result<Option<Vec<String>>, DashboardError> {
    let Some(desks) = own_desks(state, signed_in).await? else {
        return Ok(None);
    };
    Ok(Some(townships_of(&desks, signed_in)))
}

/// The township codes `desks` serve, with the account's own.
pub(super) fn townships_of(desks: &[Desk], signed_in: &SignedIn) -> Vec<String> {
    let mut codes: Vec<String> = desks
        .iter()
        .flat_map(|d| d.townships.iter().map(ToString::to_string))
        .collect();
    if let StaffRole::Township(own) = &signed_in.staff.role {
        codes.push(own.to_string());
    }
    codes.sort();
    codes.dedup();
    codes
}
