//! What may be logged (or stored as a delivery error) about a failed Bot API call. teloxide's
//! own text for a response it could not parse embeds the whole response, which can hold message
//! text, names and chat ids; here it is reduced to its size and the parser's position.
//! Updates teloxide cannot read are dropped by [`SkipUnreadable`] with their id only, instead of
//! reaching the dispatcher, which would log them in full.

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use teloxide::RequestError;
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, Update, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};

/// A failed request, described without any content Telegram echoed back.
pub fn describe(error: &RequestError) -> String {
    match error {
        RequestError::InvalidJson { source, raw } => format!(
            "the Bot API's answer could not be read ({source}; {} bytes, not logged)",
            raw.len()
        ),
        other => other.to_string(),
    }
}

/// Wraps an update listener and skips updates teloxide could not parse.
pub struct SkipUnreadable<L>(pub L);

impl<'a, L> AsUpdateStream<'a> for SkipUnreadable<L>
where
    L: UpdateListener,
    L::Err: Send + 'a,
{
    type StreamErr = L::Err;
    type Stream = BoxStream<'a, Result<Update, L::Err>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        self.0
            .as_stream()
            .filter(|item| {
                let readable = match item {
                    Ok(update) if matches!(update.kind, UpdateKind::Error(_)) => {
                        tracing::warn!(
                            update_id = update.id.0,
                            "skipped an update the Bot API library could not read"
                        );
                        false
                    }
                    _ => true,
                };
                std::future::ready(readable)
            })
            .boxed()
    }
}

impl<L: UpdateListener> UpdateListener for SkipUnreadable<L>
where
    L::Err: Send + 'static,
{
    type Err = L::Err;

    fn stop_token(&mut self) -> StopToken {
        self.0.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.0.hint_allowed_updates(hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn unparseable_answers_are_described_without_their_content() {
        let raw = r#"{"ok":true,"result":{"text":"举报内容 张某某","chat":{"id":7319446281}}"#;
        let source = serde_json::from_str::<u8>(raw).unwrap_err();
        let error = RequestError::InvalidJson {
            source: Arc::new(source),
            raw: raw.into(),
        };
        assert!(
            error.to_string().contains("张某某"),
            "teloxide's own text leaks"
        );
        let described = describe(&error);
        assert!(!described.contains("张某某") && !described.contains("7319446281"));
        assert!(described.contains(&raw.len().to_string()));
    }
}
