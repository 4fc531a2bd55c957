//! Start-up with a hostile recent list: a project whose name holds U+0000 (it used to abort the
//! window title) and a damaged file first in the list; the app starts either way and says why.

use super::harness::*;
use liaison_core::prefs::Prefs;
use liaison_core::Project;

fn recent_first(env: &Env, path: &std::path::Path) {
    let prefs = Prefs {
        recent: vec![path.to_path_buf()],
        display_name: "测试".into(),
        ..Default::default()
    };
    prefs.save(&env.path("config")).unwrap();
}

#[test]
fn e2e_a_project_name_with_nul_in_the_recent_list_still_starts_the_app() {
    run(async {
        let env = Env::new();
        let file = env.path("nul-name.liaison");
        drop(Project::create(&file, "占位").unwrap());
        // Written behind the app's back, as an old import could: the name holds NUL and ESC.
        let c = rusqlite::Connection::open(&file).unwrap();
        c.execute(
            "UPDATE registration SET name = '新品' || char(0) || '上市' || char(27) || '[31m'",
            [],
        )
        .unwrap();
        drop(c);
        recent_first(&env, &file);
        with_app(&env, None, |app| async move {
            let r = async {
                // Started, painted and showing the project (its title was made safe).
                let shown = app.js("return document.body.innerText;", vec![]).await?;
                let shown = shown.as_str().unwrap_or_default().to_string();
                assert!(shown.contains("上市"), "{shown:?}");
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_a_damaged_file_first_in_the_recent_list_opens_the_start_page_with_its_reason() {
    run(async {
        let env = Env::new();
        let file = env.path("damaged.liaison");
        std::fs::write(&file, b"SQLite format 3\0 but nothing after it").unwrap();
        recent_first(&env, &file);
        with_app(&env, None, |app| async move {
            let r = async {
                let banner = app.text(".banner.error .banner-text").await?;
                assert!(banner.contains("damaged.liaison"), "{banner}");
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}
