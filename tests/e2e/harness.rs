//! The harness of the end-to-end tests: a private home, Xvfb, WebKitWebDriver and the app, and the
//! helpers every stage's tests drive it with.

use crate::util::*;
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use liaison_core::Project;
use serde_json::{json, Value};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One app at a time: the machine has two cores and each app starts a web process.
pub(crate) static SERIAL: Mutex<()> = Mutex::new(());

pub(crate) const WAIT: Duration = Duration::from_secs(20);
pub(crate) const ENTER: &str = "\u{E007}";

pub(crate) type R<T> = Result<T, String>;

pub(crate) fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A private home for one test: config and documents folders, the X display, and the D-Bus
/// session bus (none unless the test starts one: a test app never reaches the user's bus, where a
/// running Liaison would take its launch as a second instance).
pub(crate) struct Env {
    pub(crate) dir: tempfile::TempDir,
    xvfb: Option<Child>,
    pub(crate) display: String,
    bus: Option<(Child, String)>,
    /// The mail server the app sends through (`LIAISON_SMTP`), when the test runs one.
    pub(crate) smtp: Option<String>,
}

impl Env {
    pub(crate) fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        match std::env::var("DISPLAY") {
            Ok(d) if !d.is_empty() => Env {
                dir,
                xvfb: None,
                display: d,
                bus: None,
                smtp: None,
            },
            _ => {
                let mut xvfb = Command::new("Xvfb")
                    .args([
                        "-displayfd",
                        "1",
                        "-screen",
                        "0",
                        "1280x800x24",
                        "-nolisten",
                        "tcp",
                    ])
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("Xvfb (package xvfb) must be installed");
                let mut line = String::new();
                std::io::BufReader::new(xvfb.stdout.take().unwrap())
                    .read_line(&mut line)
                    .unwrap();
                Env {
                    dir,
                    xvfb: Some(xvfb),
                    display: format!(":{}", line.trim()),
                    bus: None,
                    smtp: None,
                }
            }
        }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The same, with a private D-Bus session bus (package `dbus`), as a desktop session has.
    pub(crate) fn with_session_bus() -> Env {
        let mut env = Env::new();
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (package dbus) must be installed");
        let mut line = String::new();
        std::io::BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        env.bus = Some((daemon, line.trim().to_string()));
        env
    }

    /// The session bus the test's processes see: the private one, or an address where none
    /// listens.
    pub(crate) fn bus_address(&self) -> String {
        match &self.bus {
            Some((_, address)) => address.clone(),
            None => format!("unix:path={}", self.path("no-session-bus").display()),
        }
    }

    /// Where the app writes what it would open (`LIAISON_TEST_OPENER`), instead of opening it.
    pub(crate) fn opener_log(&self) -> PathBuf {
        self.path("opened.log")
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some((daemon, _)) = &mut self.bus {
            stop(daemon);
        }
        if let Some(x) = &mut self.xvfb {
            stop(x);
        }
    }
}

/// A running app with its driver.
pub(crate) struct App {
    pub(crate) client: Client,
    driver: Child,
    /// The test's config folder, which only this test's driver, app and web processes have in their
    /// environment.
    pub(crate) config: PathBuf,
}

/// The processes started for one test, found by the config folder in their environment.
pub(crate) fn app_processes(config: &Path) -> Vec<u32> {
    let needle = format!("LIAISON_CONFIG_DIR={}", config.display()).into_bytes();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|v| v == needle.as_slice()))
                .unwrap_or(false)
        })
        .collect()
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let end = Instant::now() + Duration::from_secs(3);
    while Instant::now() < end {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl App {
    pub(crate) async fn launch(env: &Env, file: Option<&Path>) -> R<App> {
        let port = free_port();
        let mut driver = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("DISPLAY", &env.display)
            .env("LIAISON_LANG", "zh-CN")
            // The sample on its own 2023 timeline, so that what the tests read stays the same.
            .env("LIAISON_DEMO_TODAY", "2023-10-27")
            .env("LIAISON_CONFIG_DIR", env.path("config"))
            .env("LIAISON_DOCUMENTS_DIR", env.path("docs"))
            .env("DBUS_SESSION_BUS_ADDRESS", env.bus_address())
            .env("LIAISON_TEST_OPENER", env.opener_log())
            // Never the machine's real keychain: a password given is kept for the session.
            .env("LIAISON_KEYCHAIN", "off")
            .env("LIAISON_SMTP", env.smtp.as_deref().unwrap_or(""))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("WebKitWebDriver (package webkit2gtk-driver): {e}"))?;
        let end = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > end {
                stop(&mut driver);
                return Err("driver did not listen".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let args: Vec<String> = file.iter().map(|f| f.display().to_string()).collect();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "webkitgtk:browserOptions".into(),
            json!({ "binary": bin(), "args": args }),
        );
        let client = match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => c,
            Err(e) => {
                stop(&mut driver);
                return Err(format!("session: {e}"));
            }
        };
        let app = App {
            client,
            driver,
            config: env.path("config"),
        };
        app.wait_js("return document.body && document.body.dataset.ready === 'true'")
            .await?;
        Ok(app)
    }

    /// Ends the session and the app, and waits until the app's processes are gone (so its project
    /// file is free again).
    ///
    /// The app normally exits when its session closes; one that is still running 10 s later (a
    /// loaded machine) is killed, which is safe because every edit is committed as it is made. An app
    /// still there after that is an error, not something for the next launch to trip over.
    pub(crate) async fn quit(mut self) -> R<()> {
        let _ = self.client.clone().close().await;
        stop(&mut self.driver);
        let end = Instant::now() + Duration::from_secs(10);
        while !app_processes(&self.config).is_empty() && Instant::now() < end {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for pid in app_processes(&self.config) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        let end = Instant::now() + WAIT;
        loop {
            let left = app_processes(&self.config);
            if left.is_empty() {
                return Ok(());
            }
            if Instant::now() > end {
                return Err(format!("the app's processes {left:?} did not end"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) async fn find(&self, css: &str) -> R<Element> {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => Ok(e),
            Err(e) => {
                // Say what the window showed instead, e.g. an error banner.
                let shown = self
                    .js(
                        "const b = document.querySelector('.banner'); return b ? b.textContent : document.body.innerText.slice(0, 300);",
                        vec![],
                    )
                    .await
                    .unwrap_or_default();
                Err(format!("{css}: {e}; the window showed: {shown}"))
            }
        }
    }

    pub(crate) async fn js(&self, script: &str, args: Vec<Value>) -> R<Value> {
        self.client.execute(script, args).await.map_err(err)
    }

    /// Polls a script until it returns something truthy.
    pub(crate) async fn wait_js(&self, script: &str) -> R<Value> {
        let end = Instant::now() + WAIT;
        let mut last = Value::Null;
        while Instant::now() < end {
            if let Ok(v) = self.client.execute(script, vec![]).await {
                let truthy = !matches!(&v, Value::Null | Value::Bool(false))
                    && v != json!("")
                    && v != json!(0);
                if truthy {
                    return Ok(v);
                }
                last = v;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("timed out waiting for `{script}` (last: {last})"))
    }

    /// The text content of the first element matching `css` (waiting for it to exist).
    pub(crate) async fn text(&self, css: &str) -> R<String> {
        self.find(css).await?;
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                vec![json!(css)],
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub(crate) async fn value(&self, css: &str) -> R<String> {
        Ok(self
            .find(css)
            .await?
            .prop("value")
            .await
            .map_err(err)?
            .unwrap_or_default())
    }

    /// With `LIAISON_E2E_SHOTS=<dir>` set, saves a screenshot of the window as `<dir>/<name>.png`, so
    /// that a person can look at what the tests saw.
    pub(crate) async fn shot(&self, name: &str) {
        let Some(dir) = std::env::var_os("LIAISON_E2E_SHOTS") else {
            return;
        };
        // Two frames, so that the picture shows what the last check saw.
        let _ = self
            .client
            .execute_async(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                vec![],
            )
            .await;
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(Path::new(&dir).join(format!("{name}.png")), png);
        }
    }

    /// Clicks a field, clears it and types `text` as key presses.
    pub(crate) async fn type_into(&self, css: &str, text: &str) -> R<()> {
        let el = self.find(css).await?;
        el.click().await.map_err(|e| format!("click {css}: {e}"))?;
        el.clear().await.map_err(|e| format!("clear {css}: {e}"))?;
        el.send_keys(text)
            .await
            .map_err(|e| format!("type into {css}: {e}"))
    }

    pub(crate) async fn click(&self, css: &str) -> R<()> {
        self.find(css)
            .await?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e}"))
    }

    /// Clicks `css`, again when the page redrew it between finding and clicking (a panel that
    /// reloads after the document's state changed).
    pub(crate) async fn click_settled(&self, css: &str) -> R<()> {
        let mut last = String::new();
        for _ in 0..10 {
            match self.click(css).await {
                Ok(()) => return Ok(()),
                Err(e) if e.contains("not found") || e.contains("stale") => {
                    last = e;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// Waits until every edit typed so far is on disk.
    pub(crate) async fn wait_saved(&self) -> R<()> {
        // Leave the field so the debounce starts, then wait for the indicator.
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.wait_js("return document.getElementById('save-state').dataset.state === 'saved'")
            .await
            .map(|_| ())
    }

    /// The text of the refusal shown (beside its control, or a banner when there is none to point
    /// at), once it appears.
    pub(crate) async fn refusal(&self) -> R<String> {
        let v = self
            .wait_js("const r = document.querySelector('.refusal.floating .refusal-text, .banner.refusal .banner-text'); return r && r.textContent;")
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub(crate) async fn field_messages(&self, field: &str) -> R<String> {
        let v = self
            .js(
                "const f = document.querySelector(`[data-field=\"${arguments[0]}\"] .msgs`); return f ? f.textContent : '';",
                vec![json!(field)],
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }
}

pub(crate) fn run(test: impl std::future::Future<Output = R<()>>) {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if let Err(e) = rt.block_on(test) {
        panic!("{e}");
    }
}

/// Runs `body` against a launched app and always quits the app, whatever the body returned.
pub(crate) async fn with_app<F, Fut>(env: &Env, file: Option<&Path>, body: F) -> R<()>
where
    F: FnOnce(App) -> Fut,
    Fut: std::future::Future<Output = (App, R<()>)>,
{
    let app = App::launch(env, file).await?;
    let (app, result) = body(app).await;
    if result.is_err() {
        app.shot("failure").await;
    }
    let quit = app.quit().await;
    result.and(quit)
}

/// A project whose registration is complete but not signed, with two department heads.
pub(crate) fn unsigned_project(dir: &Path) -> (PathBuf, i64, i64) {
    use liaison_core::people::{self, Person};
    let path = dir.join("待签核.liaison");
    let mut project = Project::create(&path, "待签核").unwrap();
    let conn = project.conn_mut();
    liaison_core::registration::save(conn, "张伟", &liaison_core::demo::worked_example()).unwrap();
    let head = |name: &str, dept: &str| Person {
        id: 0,
        name: name.into(),
        department: dept.into(),
        role: "head".into(),
        ..Default::default()
    };
    let a = people::add(conn, "张伟", &head("李娜", "产品部"))
        .unwrap()
        .id;
    let b = people::add(conn, "张伟", &head("王强", "研发部"))
        .unwrap()
        .id;
    drop(project);
    (path, a, b)
}

impl App {
    /// Sets a field's value as the user's picker would (date inputs and selects) and fires `change`.
    pub(crate) async fn set(&self, css: &str, value: &str) -> R<()> {
        self.find(css).await?;
        self.js(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await
        .map(|_| ())
    }

    /// Clicks the Gantt chart's row that shows `name`.
    pub(crate) async fn click_row(&self, name: &str) -> R<()> {
        let xpath = format!(
            "//div[contains(concat(' ', normalize-space(@class), ' '), ' gantt-row ')][contains(., '{name}')]"
        );
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .map_err(|e| format!("row {name}: {e}"))?
            .click()
            .await
            .map_err(err)
    }

    /// Waits until the task editor shows `name`.
    pub(crate) async fn editing(&self, name: &str) -> R<()> {
        self.wait_js(&format!(
            "const e = document.getElementById('task-name'); return e && e.value === '{name}';"
        ))
        .await
        .map(|_| ())
    }

    /// Adds a task after the selected one, names it, leads it by `dept` and schedules it.
    pub(crate) async fn add_task(
        &self,
        name: &str,
        dept_id: &str,
        start: &str,
        days: &str,
    ) -> R<()> {
        let before = self
            .js(
                "return document.querySelectorAll('.gantt-row').length;",
                vec![],
            )
            .await?;
        self.click("#task-add").await?;
        self.wait_js(&format!(
            "return document.querySelectorAll('.gantt-row').length > {before} && document.getElementById('task-name');"
        ))
        .await?;
        self.set("#task-name", name).await?;
        self.editing(name).await?;
        self.set("#task-lead", dept_id).await?;
        self.wait_js(&format!(
            "return document.getElementById('task-lead').value === '{dept_id}';"
        ))
        .await?;
        self.set("#task-start", start).await?;
        self.wait_js(&format!(
            "return document.getElementById('task-start').value === '{start}';"
        ))
        .await?;
        self.set("#task-duration", days).await?;
        self.wait_js(&format!(
            "return document.getElementById('task-duration').value === '{days}';"
        ))
        .await?;
        self.wait_saved().await
    }
}

/// The PDF files under `dir`, at any depth.
pub(crate) fn pdfs_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(read) = std::fs::read_dir(dir) {
        for e in read.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(pdfs_under(&p));
            } else if p.extension().and_then(|x| x.to_str()) == Some("pdf") {
                out.push(p);
            }
        }
    }
    out
}
