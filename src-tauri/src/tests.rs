//! The commands through the app itself, on tauri's mock runtime (no window, no display): the
//! arguments the UI sends, the JSON it gets back, and a refusal's payload.

use crate::{app, AppState};
use liaison_core::cli::GuiOptions;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The app on the mock runtime with its preferences in `dir`, and its window.
fn start(
    dir: &std::path::Path,
    file: Option<std::path::PathBuf>,
) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    // No sample project: a folder that cannot be created, so a start without a file opens none
    // (and the user's own documents folder is never touched).
    static NO_SAMPLE: std::sync::Once = std::sync::Once::new();
    NO_SAMPLE.call_once(|| std::env::set_var("LIAISON_DOCUMENTS_DIR", "/dev/null/liaison-tests"));
    let opts = GuiOptions {
        file,
        measure_startup: false,
    };
    let mut state = AppState::start_in(dir.join("config"), opts, std::time::Instant::now());
    state.native_menu = false;
    // Never the machine's real keychain.
    state.secrets = Box::new(liaison_core::send::Memory::default());
    let app = app(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    // What the setup hook does at start-up (once; a second call does nothing).
    tauri::Manager::state::<AppState>(&app).open_first();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("a window");
    (app, window)
}

/// Calls `cmd` with `args` as the UI does; the value returned, or the error payload.
fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: tauri::test::INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|b| b.deserialize::<Value>().unwrap())
}

/// The worked example written into `dir`.
fn example(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("示例.liaison");
    drop(liaison_core::demo::write_example(&path).unwrap());
    path
}

#[test]
fn a_project_opened_through_the_app_gives_its_screens() {
    let dir = tempfile::tempdir().unwrap();
    let path = example(dir.path());
    let (_app, w) = start(dir.path(), None);
    let info = call(&w, "open_project", json!({ "path": path })).unwrap();
    assert_eq!(info["fileName"], "示例.liaison");
    assert_eq!(info["name"], "新品上市项目");
    let tracking = call(&w, "tracking_view", json!({})).unwrap();
    for key in [
        "dashboard",
        "risks",
        "issues",
        "changes",
        "settings",
        "tasks",
        "published",
    ] {
        assert!(tracking.get(key).is_some(), "{key}");
    }
    assert!(!tracking["issues"].as_array().unwrap().is_empty());
    let meetings = call(&w, "meetings_view", json!({})).unwrap();
    assert!(!meetings["meetings"].as_array().unwrap().is_empty());
    // The state remembered the file as the most recent one.
    let snapshot = call(&w, "app_state", json!({})).unwrap();
    assert_eq!(snapshot["project"]["fileName"], "示例.liaison");
    assert_eq!(snapshot["recent"][0]["path"], json!(path));
}

#[test]
fn a_refusal_reaches_the_ui_with_its_key_field_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = start(dir.path(), Some(example(dir.path())));
    let e = call(&w, "task_get", json!({ "id": 987_654 })).unwrap_err();
    assert_eq!(e["code"], "refused", "{e}");
    assert_eq!(e["key"], "plan.no_task");
    assert_eq!(e["refusal"], true);
    assert!(e["field"].is_null());
    assert!(e["params"].is_object());
    assert!(!e["message"].as_str().unwrap().is_empty());
    // A validation error names its field, so the UI can show it beside that field.
    let e = call(&w, "set_display_name", json!({ "name": "名\u{1b}[31m" })).unwrap_err();
    assert_eq!(e["field"], "prefs.display_name", "{e}");
    assert_eq!(e["refusal"], true, "{e}");
}

#[test]
fn without_a_project_every_screen_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere").join("gone.liaison");
    let (_app, w) = start(dir.path(), None);
    let e = call(&w, "open_project", json!({ "path": missing })).unwrap_err();
    assert_eq!(
        e["refusal"], false,
        "a file that cannot be opened is a failure: {e}"
    );
    let e = call(&w, "tracking_view", json!({})).unwrap_err();
    assert_eq!(e["key"], "error.no_project", "{e}");
    // Arguments of the wrong shape are refused by the command layer before any core code runs.
    assert!(call(&w, "task_get", json!({ "id": "one" })).is_err());
}

#[test]
fn preferences_that_cannot_be_saved_give_an_error_and_the_app_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // The settings folder is a file: nothing can be saved in it.
    std::fs::write(dir.path().join("config"), b"not a folder").unwrap();
    let (_app, w) = start(dir.path(), None);
    let e = call(&w, "set_display_name", json!({ "name": "王芳" })).unwrap_err();
    assert_eq!(e["refusal"], false, "a failure to save, not a refusal: {e}");
    let e = call(&w, "forget_recent", json!({ "path": "/nowhere.liaison" })).unwrap_err();
    assert!(!e["message"].as_str().unwrap().is_empty(), "{e}");
    // The state is not left locked: the next command answers.
    assert!(call(&w, "app_state", json!({})).is_ok());
}

#[test]
fn mail_settings_refused_leave_the_preferences_as_they_were_and_a_password_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, w) = start(dir.path(), None);
    let prefs = dir.path().join("config/prefs.json");
    let good = json!({ "host": "smtp.example.com", "port": 0, "security": "starttls",
        "username": "pm", "fromAddress": "pm@example.com", "fromName": "张伟" });
    let saved = call(
        &w,
        "mail_settings_save",
        json!({ "smtp": good, "password": "s3cret-口令" }),
    )
    .unwrap();
    assert_eq!(saved["passwordSaved"], true);
    assert_eq!(saved["kept"], "session");
    let written = std::fs::read_to_string(&prefs).unwrap();
    assert!(written.contains("smtp.example.com"), "{written}");
    assert!(
        !written.contains("s3cret"),
        "the password reached the preferences file"
    );
    // An unencrypted connection to another computer: refused beside its field, nothing changed.
    let mut plain = good.clone();
    plain["security"] = json!("none");
    plain["host"] = json!("mail.example.org");
    let err = call(
        &w,
        "mail_settings_save",
        json!({ "smtp": plain, "password": null }),
    )
    .unwrap_err();
    assert_eq!(err["refusal"], true, "{err}");
    assert_eq!(err["field"], "prefs.smtp.security", "{err}");
    assert_eq!(std::fs::read_to_string(&prefs).unwrap(), written);
    assert_eq!(
        call(&w, "mail_settings", json!({})).unwrap()["smtp"]["host"],
        "smtp.example.com"
    );
    let forgotten = call(&w, "mail_forget_password", json!({})).unwrap();
    assert_eq!(forgotten["passwordSaved"], false);
}

#[test]
fn a_send_preview_names_who_has_no_address_and_a_robot_needs_https() {
    let dir = tempfile::tempdir().unwrap();
    let path = example(dir.path());
    let (_app, w) = start(dir.path(), None);
    call(&w, "open_project", json!({ "path": path })).unwrap();
    let meetings = call(&w, "meetings_view", json!({})).unwrap();
    let meeting = meetings["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| !m["attendees"].as_array().unwrap().is_empty())
        .expect("a meeting with attendees")["id"]
        .clone();
    let who = call(
        &w,
        "send_preview",
        json!({ "what": { "what": "notice", "meeting": meeting } }),
    )
    .unwrap();
    let who = who.as_array().unwrap();
    assert!(!who.is_empty());
    // The sample's people have no e-mail address: each is listed, none with an address.
    assert!(
        who.iter()
            .all(|r| r["address"].is_null() && r["name"].is_string()),
        "{who:?}"
    );
    let err = call(&w, "robot_save", json!({ "robot": { "kind": "dingtalk", "url": "http://oapi.example.com/robot/send?access_token=x", "secret": "" } })).unwrap_err();
    assert_eq!(err["field"], "send.robot.url", "{err}");
    assert_eq!(call(&w, "robot_settings", json!({})).unwrap(), Value::Null);
    let ok = call(&w, "robot_save", json!({ "robot": { "kind": "feishu", "url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc", "secret": "s" } })).unwrap();
    assert_eq!(ok["kind"], "feishu");
    assert_eq!(
        call(
            &w,
            "messages_of",
            json!({ "recordKind": "", "recordId": null })
        )
        .unwrap(),
        json!([])
    );
}
