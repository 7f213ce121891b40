//! Reports for the higher commission and 乡科级 reports in the dashboard: the county account
//! passes one up (its content is then gone from every page), a township account can open
//! neither, by the queue, the report page or the case file.

mod common;

use common::*;

qingfeng_core::store_test!(
    the_county_passes_a_county_level_report_up_and_townships_never_see_it,
    |store| {
        let web = Web::new(store).await;
        let upward = web
            .file(&report(
                Some("baofeng"),
                PersonLevel::CountyOrAbove,
                Reporter::Anonymous { notify: true },
            ))
            .await;
        let section = web
            .file(&report(
                Some("baofeng"),
                PersonLevel::Section,
                Reporter::Anonymous { notify: false },
            ))
            .await;
        let township = web.sign_in("baofeng").await;
        let queue = web.get("/reports", &township.cookie).await;
        for id in [upward, section] {
            assert!(
                !queue.body.contains(&format!("/reports/{id}\"")),
                "{id} listed"
            );
            for path in [format!("/reports/{id}"), format!("/reports/{id}/file")] {
                let page = web.get(&path, &township.cookie).await;
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
                assert!(!page.body.contains("购物卡"));
            }
        }
        // A township account cannot pass a report up, even by a forged form.
        let forged = web
            .post(
                &format!("/reports/{upward}"),
                &township.cookie,
                &[
                    ("csrf", township.csrf.as_str()),
                    ("action", "transfer_up"),
                    ("confirmed", "1"),
                    ("to", "十堰市纪委监委"),
                ],
            )
            .await;
        assert_ne!(
            forged.location(),
            format!("/reports/{upward}?done=transfer_up")
        );

        // The county account sees the transfer deadline and only the transfer to do.
        let me = web.sign_in("admin").await;
        let page = web.get(&format!("/reports/{upward}"), &me.cookie).await;
        assert!(page.body.contains("移送上级纪委监委期限"), "{}", page.body);
        assert!(page.body.contains("value=\"十堰市纪委监委\""));
        assert!(page.body.contains("do-transfer_up") && !page.body.contains("do-accept"));
        let done = web
            .post(
                &format!("/reports/{upward}"),
                &me.cookie,
                &[
                    ("csrf", me.csrf.as_str()),
                    ("action", "transfer_up"),
                    ("confirmed", "1"),
                    ("to", "十堰市纪委监委"),
                ],
            )
            .await;
        assert_eq!(
            done.location(),
            format!("/reports/{upward}?done=transfer_up")
        );
        assert_eq!(status_of(&web, upward).await, ReportStatus::Transferred);
        for path in [
            format!("/reports/{upward}"),
            format!("/reports/{upward}/file"),
        ] {
            let page = web.get(&path, &me.cookie).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(
                !page.body.contains("购物卡") && !page.body.contains("张某某"),
                "{path}"
            );
            assert!(page.body.contains("已按规定清除"), "{path}");
            assert!(
                page.body.contains("移送上级纪委监委：十堰市纪委监委"),
                "{path}"
            );
        }
        // The queue (finished reports shown) says which reports' content is gone.
        let queue = web.get("/reports?closed=1", &me.cookie).await;
        assert!(queue.body.contains("举报内容已清除"), "{}", queue.body);
        // The 乡科级 report is an ordinary county report: accepted here.
        let page = web.get(&format!("/reports/{section}"), &me.cookie).await;
        assert!(page.body.contains("do-accept"));
    }
);
