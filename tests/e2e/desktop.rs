//! Desktop conventions: one instance per session (a second launch hands its project over), and the
//! open / show-in-folder actions after an export.

use super::harness::*;
use crate::util::bin;
use liaison_core::Project;
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The text of the project name in the top bar, once it equals `name`.
async fn shows_project(app: &App, name: &str) -> R<()> {
    app.wait_js(&format!(
        "const e = document.getElementById('project-name'); return e && e.textContent === '{name}';"
    ))
    .await
    .map(|_| ())
}

#[test]
fn e2e_a_second_launch_brings_its_project_to_the_running_window_and_exits() {
    run(async {
        let env = Env::with_session_bus();
        let first = env.path("第一个项目.liaison");
        let second = env.path("第二个项目.liaison");
        drop(Project::create(&first, "第一个项目").unwrap());
        drop(Project::create(&second, "第二个项目").unwrap());
        with_app(&env, Some(&first), |app| async {
            let r = async {
                shows_project(&app, "第一个项目").await?;
                // The second launch, as a file manager would start it: same session, another file.
                let t0 = Instant::now();
                let mut launch = Command::new(bin())
                    .arg(&second)
                    .env("DISPLAY", &env.display)
                    .env("DBUS_SESSION_BUS_ADDRESS", env.bus_address())
                    .env("LIAISON_CONFIG_DIR", env.path("config"))
                    .env("LIAISON_DOCUMENTS_DIR", env.path("docs"))
                    .env("LIAISON_LANG", "zh-CN")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(err)?;
                let status = loop {
                    if let Some(s) = launch.try_wait().map_err(err)? {
                        break s;
                    }
                    if t0.elapsed() > WAIT {
                        stop(&mut launch);
                        return Err("the second launch is still running: two instances".into());
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                };
                let mut stderr = String::new();
                use std::io::Read;
                if let Some(mut e) = launch.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                assert!(status.success(), "second launch: {status} {stderr}");
                eprintln!("second launch handed over and exited in {:?}", t0.elapsed());
                // The running window switched to the second project, and holds it.
                shows_project(&app, "第二个项目").await?;
                app.shot("second-launch").await;
                assert!(
                    liaison_core::storage::is_held(&second),
                    "the first app holds it"
                );
                assert!(
                    !liaison_core::storage::is_held(&first),
                    "the first file was closed"
                );
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}

#[test]
fn e2e_an_export_offers_open_and_show_in_folder_for_what_it_wrote_only() {
    run(async {
        let env = Env::new();
        let file = env.path("已归档.liaison");
        drop(liaison_core::demo::write_closed_example(&file, "春季促销项目", 1).unwrap());
        with_app(&env, Some(&file), |app| async {
            let r = async {
                app.click("#stage-archive").await?;
                app.wait_js("const b = document.getElementById('archive-export-all'); return b && !b.disabled;")
                    .await?;
                app.click("#archive-export-all").await?;
                let folder = app
                    .wait_js("return document.querySelector('.toast.exported')?.dataset.path;")
                    .await?;
                let folder = folder.as_str().unwrap_or_default().to_string();
                assert!(std::path::Path::new(&folder).is_dir(), "{folder}");
                let labels = app
                    .js("return [...document.querySelectorAll('.toast.exported button')].map(b => b.textContent);", vec![])
                    .await?;
                assert_eq!(labels, json!(["打开", "在文件夹中显示"]));
                app.shot("export-notice").await;
                app.click(".toast.exported [data-export-action=open]").await?;
                app.click(".toast.exported [data-export-action=reveal]").await?;
                let log = env.opener_log();
                let end = Instant::now() + WAIT;
                let want = format!("open {folder}\nshow {folder}\n");
                while std::fs::read_to_string(&log).unwrap_or_default() != want {
                    if Instant::now() > end {
                        return Err(format!(
                            "opener log: {:?}, wanted {want:?}",
                            std::fs::read_to_string(&log).unwrap_or_default()
                        ));
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                // A path this run did not export is refused, whatever the page asks.
                let refused = app
                    .client
                    .execute_async(
                        "const done = arguments[arguments.length - 1];
                         window.__TAURI__.core.invoke('open_exported', { path: '/etc/passwd' })
                           .then(() => done('opened'), (e) => done(e.key));",
                        vec![],
                    )
                    .await
                    .map_err(err)?;
                assert_eq!(refused, json!("export.not_offered"));
                assert_eq!(std::fs::read_to_string(&log).unwrap_or_default(), want);
                Ok(())
            }
            .await;
            (app, r)
        })
        .await
    });
}
