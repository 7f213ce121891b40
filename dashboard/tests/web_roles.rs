//! Role-aware pages: a township account is offered only what it may open, and its filters and
//! statistics cover its desk.

mod common;

use common::*;

/// The addresses of the links in the page's menu (its `<header>`).
fn menu_links(html: &str) -> Vec<String> {
    let start = html.find("<header>").expect("a menu");
    let end = start + html[start..].find("</header>").expect("the menu's end");
    html[start..end]
        .split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().replace("&amp;", "&"))
        .collect()
}

/// Follows redirects (the language links answer 303) to the page a person ends on.
async fn open(web: &Web, path: &str, cookie: &str) -> Response {
    let mut path = path.to_owned();
    for _ in 0..5 {
        let page = web.get(&path, cookie).await;
        if !page.status.is_redirection() {
            return page;
        }
        path = page.location().to_owned();
    }
    panic!("{path}: too many redirects");
}

qingfeng_core::store_test!(every_menu_link_of_a_township_account_opens, |store| {
    let web = Web::new(store).await;
    qingfeng_core::testing::import_shipped(&web.store, &["campaigns.toml"]).await;
    let me = web.sign_in("baofeng").await;
    let queue = web.get("/reports", &me.cookie).await;
    let links = menu_links(&queue.body);
    assert!(links.len() >= 5, "{links:?}");
    for link in &links {
        let page = open(&web, link, &me.cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{link} from the menu");
    }
    assert!(
        !links
            .iter()
            .any(|l| l.starts_with("/campaigns") || l == "/quizzes")
    );
    // An admin's menu has the county-wide pages, and they open too.
    let admin = web.sign_in("admin").await;
    let links = menu_links(&web.get("/reports", &admin.cookie).await.body);
    for page in ["/campaigns", "/quizzes", "/audit", "/stats"] {
        assert!(links.iter().any(|l| l == page), "{page} in {links:?}");
        assert_eq!(open(&web, page, &admin.cookie).await.status, StatusCode::OK);
    }
});

qingfeng_core::store_test!(a_township_account_filters_only_its_own_townships, |store| {
    let web = Web::new(store).await;
    let me = web.sign_in("baofeng").await;
    let queue = web.get("/reports", &me.cookie).await;
    assert!(
        queue.body.contains("<option value=\"baofeng\""),
        "{}",
        queue.body
    );
    assert!(
        !queue.body.contains("<option value=\"majiadu\""),
        "{}",
        queue.body
    );
    let admin = web.sign_in("admin").await;
    let queue = web.get("/reports", &admin.cookie).await;
    assert!(queue.body.contains("<option value=\"majiadu\""));
});
