//! Telegram as a [`FileSource`]: `getFile`, then the download (bots may fetch up to 20 MB).

use std::future::Future;
use std::pin::Pin;

use qingfeng_core::channel::FileSource;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::FileId;

#[derive(Clone)]
pub struct TelegramFiles {
    bot: Bot,
}

impl TelegramFiles {
    pub fn new(token: &str, api_url: url::Url) -> Self {
        TelegramFiles {
            bot: Bot::new(token).set_api_url(api_url),
        }
    }
}

impl FileSource for TelegramFiles {
    fn fetch(
        &self,
        file_id: &str,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<u8>, String>> + Send + '_>> {
        let file_id = FileId(file_id.to_owned());
        Box::pin(async move {
            let file = self
                .bot
                .get_file(file_id)
                .await
                .map_err(|e| crate::redact::describe(&e))?;
            let mut bytes = Vec::new();
            self.bot
                .download_file(&file.path, &mut bytes)
                .await
                .map_err(|e| e.to_string())?;
            Ok(bytes)
        })
    }
}
