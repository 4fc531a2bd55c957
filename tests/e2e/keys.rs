//! Signing by key in the app: a response signed with the signer's own key is imported and the
//! sign-off panel labels it 电子签名; the coordinator's entry for the other signer reads 代为登记.

use super::harness::*;
use crate::util::*;
use liaison_core::identity::{Card, Holder, KeyFile};
use liaison_core::signing_files::{self, Response};
use liaison_core::{remote_sign, Lang, Project};
use serde_json::json;

#[test]
fn e2e_an_imported_response_is_labelled_as_signed_by_key() {
    run(async {
        let env = Env::new();
        let (file, li_na, wang_qiang) = unsigned_project(env.dir.path());
        // 李娜's own Liaison: a key, its card bound by the coordinator, her signed response.
        let response = env.path("李娜.liaison-response");
        {
            let (key_file, key) = KeyFile::create(
                Holder {
                    name: "李娜".into(),
                    department: "产品部".into(),
                    role: "head".into(),
                },
                "correct horse",
            )
            .unwrap();
            let mut p = Project::open(&file).unwrap();
            let card = signing_files::to_bytes(&Card::of(&key_file, &key));
            remote_sign::bind(p.conn_mut(), "张伟", li_na, &card).unwrap();
            liaison_core::kinds::start(
                p.conn_mut(),
                "张伟",
                liaison_core::DocKind::Registration,
                1,
                &[li_na, wang_qiang],
            )
            .unwrap();
            let fonts = liaison_core::pdf::Fonts::shared(&[]).unwrap();
            let req = remote_sign::requests(
                p.conn(),
                liaison_core::DocKind::Registration,
                None,
                None,
                "张伟",
                Lang::Zh,
                fonts,
            )
            .unwrap()
            .remove(0)
            .request;
            let r = Response::create(&req, &key_file, &key, "approve", "同意").unwrap();
            std::fs::write(&response, signing_files::to_bytes(&r)).unwrap();
            // The app's user is 李娜 too: her key in the settings folder, the request beside it.
            std::fs::create_dir_all(env.path("config")).unwrap();
            key_file
                .save(&env.path("config").join("signing-key.json"))
                .unwrap();
            std::fs::write(
                env.path("请求.liaison-request"),
                signing_files::to_bytes(&req),
            )
            .unwrap();
        }
        let request = env.path("请求.liaison-request");
        with_app(&env, Some(&file), |app| async move {
            let r = async {
                app.wait_js("return document.getElementById('signoff-state')?.textContent.includes('签核中')").await?;
                app.find("#signoff-import-responses").await?;
                // The request, opened as the signer sees it: read-only, its fingerprint, the choices.
                app.js(
                    "window.__TAURI__.core.invoke('request_open', { path: arguments[0] })
                       .then((v) => import('./components/sign-request.js').then((m) => m.showRequest(v)));",
                    vec![json!(request.to_str().unwrap())],
                )
                .await?;
                app.wait_js("return document.getElementById('request-dialog')?.open").await?;
                let fp = app.text("#request-fingerprint").await?;
                let frozen = liaison_core::signing_files::Request::parse(&std::fs::read(&request).unwrap()).unwrap();
                assert_eq!(fp.replace(' ', ""), frozen.fingerprint.to_uppercase());
                let shown = app.text("#request-dialog").await?;
                assert!(shown.contains("新品上市项目") && shown.contains("同意") && shown.contains("驳回"), "{shown}");
                assert!(!shown.contains("没有为你的密钥绑定"), "her key is bound: {shown}");
                app.shot("sign-request").await;
                app.js("document.getElementById('request-dialog').close()", vec![]).await?;
                // What a drop of the file (or the file dialog) calls, then the panel as it reloads.
                let done = app
                    .js(
                        "return window.__TAURI__.core.invoke('import_responses', { paths: [arguments[0]] })
                           .then(async (r) => { await document.querySelector('liaison-signoff').load(); return r; });",
                        vec![json!(response.to_str().unwrap())],
                    )
                    .await?;
                assert_eq!(done[0]["recorded"], json!(true), "{done}");
                app.wait_js("return document.querySelector('.sig-method.electronic')?.textContent.includes('电子签名')").await?;
                // The same file again is refused with its reason, nothing recorded.
                let again = app
                    .js(
                        "return window.__TAURI__.core.invoke('import_responses', { paths: [arguments[0]] });",
                        vec![json!(response.to_str().unwrap())],
                    )
                    .await?;
                assert_eq!(again[0]["recorded"], json!(false), "{again}");
                assert!(again[0]["message"].as_str().unwrap_or_default().contains("已经记录过"), "{again}");
                // The coordinator records 王强's approval: 代为登记.
                app.click(&format!("button[data-sign='approve'][data-person='{wang_qiang}']")).await?;
                app.wait_js("return document.getElementById('signoff-state')?.textContent.includes('已签核')").await?;
                app.wait_js("return document.querySelector('.sig-method.proxy')?.textContent.includes('代为登记')").await?;
                app.shot("signoff-by-key").await;
                Ok(())
            }
            .await;
            (app, r)
        })
        .await?;
        let out = liaison(env.dir.path(), &["check", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        Ok(())
    });
}
