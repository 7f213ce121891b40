use super::DatabaseUrl;

/// Errors of the store layer. `Unreachable` and `Migrate` carry advice for the operator.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {url}: {reason}. {advice}")]
    Unreachable {
        url: String,
        reason: String,
        advice: &'static str,
    },
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn unreachable(url: &DatabaseUrl, err: impl std::fmt::Display) -> StoreError {
        let advice = match url {
            DatabaseUrl::Sqlite(_) => "Check that the directory exists and is writable.",
            DatabaseUrl::Postgres(_) => {
                "Check that PostgreSQL is running at that host and port, that the database exists \
                 (createdb NAME) and that the user may log in."
            }
        };
        StoreError::Unreachable {
            url: url.to_string(),
            reason: err.to_string(),
            advice,
        }
    }
}
