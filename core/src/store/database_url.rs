use std::fmt;
use std::str::FromStr;

/// Where the store lives. The scheme picks the backend; anything else is refused up front.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn as_str(&self) -> &str {
        match self {
            DatabaseUrl::Sqlite(url) | DatabaseUrl::Postgres(url) => url,
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let expected = "expected sqlite://PATH (e.g. sqlite://qingfeng.db) or postgres://USER@HOST:PORT/DATABASE";
        let s = s.trim();
        if let Some(path) = s.strip_prefix("sqlite:") {
            if path.trim_start_matches('/').is_empty() {
                return Err(format!("`{s}` names no database file; {expected}"));
            }
            return Ok(DatabaseUrl::Sqlite(s.to_owned()));
        }
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            let url = url::Url::parse(s)
                .map_err(|e| format!("`{}` is malformed ({e}); {expected}", redact(s)))?;
            if url.host_str().is_none_or(str::is_empty) {
                return Err(format!("`{}` names no host; {expected}", redact(s)));
            }
            return Ok(DatabaseUrl::Postgres(s.to_owned()));
        }
        Err(format!(
            "`{}` is not a supported database URL; {expected}",
            redact(s)
        ))
    }
}

/// Hides a password in a URL, for logs and `check-config`.
fn redact(s: &str) -> String {
    match url::Url::parse(s) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("<redacted>"));
            url.to_string()
        }
        _ => s.to_owned(),
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(self.as_str()))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_backend_from_the_scheme() {
        assert_eq!(
            "sqlite://qingfeng.db"
                .parse::<DatabaseUrl>()
                .unwrap()
                .backend(),
            "sqlite"
        );
        assert_eq!(
            "sqlite::memory:".parse::<DatabaseUrl>().unwrap().backend(),
            "sqlite"
        );
        assert_eq!(
            "postgres://postgres@127.0.0.1:5432/test"
                .parse::<DatabaseUrl>()
                .unwrap()
                .backend(),
            "postgres"
        );
    }

    #[test]
    fn refuses_other_and_malformed_urls() {
        assert!(
            "mysql://root@localhost/db"
                .parse::<DatabaseUrl>()
                .unwrap_err()
                .contains("not a supported")
        );
        assert!("postgres://".parse::<DatabaseUrl>().is_err());
        assert!(
            "postgres://u@[::1/db"
                .parse::<DatabaseUrl>()
                .unwrap_err()
                .contains("malformed")
        );
        assert!("sqlite://".parse::<DatabaseUrl>().is_err());
        assert!("qingfeng.db".parse::<DatabaseUrl>().is_err());
    }

    #[test]
    fn display_hides_the_password() {
        let url: DatabaseUrl = "postgres://app:s3cret@db.example/qingfeng".parse().unwrap();
        assert!(!url.to_string().contains("s3cret"));
        assert!(!format!("{url:?}").contains("s3cret"));
        let err = "mysql://app:s3cret@db/x"
            .parse::<DatabaseUrl>()
            .unwrap_err();
        assert!(!err.contains("s3cret"), "{err}");
    }
}
