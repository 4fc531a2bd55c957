//! What the running app holds: the open project, the preferences, and how it was started.

use liaison_core::cli::GuiOptions;
use liaison_core::prefs::{self, Prefs};
use liaison_core::{registration, Error, Lang, Project};
use serde::Serialize;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The moment every command works at: the one place the app reads the clock (the core's, so that
/// a fixed demo moment applies here too).
pub fn now() -> chrono::NaiveDateTime {
    liaison_core::clock::now()
}

/// How long the UI has to save pending edits when the user quits.
const QUIT_DEADLINE: Duration = Duration::from_secs(3);

/// The error as the UI receives it: a stable code, the catalog key of the reason, the field a
/// validation error names, the values that fill the message, whether a rule refused the action (a
/// refusal, not a failure to save), and the message in the user's language.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorPayload {
    pub code: &'static str,
    pub key: String,
    pub field: Option<String>,
    pub params: std::collections::BTreeMap<String, String>,
    pub refusal: bool,
    pub message: String,
}

impl ErrorPayload {
    /// The payload of `e`, logged on the way: a refusal by its catalog key and field (never the
    /// values, which may be what the user typed), a failure with its cause.
    pub fn new(e: &Error, lang: Lang) -> ErrorPayload {
        if e.is_refusal() {
            log::info!("refused: {} (field {:?})", e.key(), e.field());
        } else {
            log::warn!("failed: {} ({}): {e}", e.key(), e.code());
        }
        ErrorPayload {
            code: e.code(),
            key: e.key(),
            field: e.field().map(str::to_string),
            params: e.params().iter().cloned().collect(),
            refusal: e.is_refusal(),
            message: e.message(lang),
        }
    }
}

/// The open project as the UI sees it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectInfo {
    pub path: PathBuf,
    pub file_name: String,
    pub name: String,
    /// A message about something done on open (e.g. an upgrade and its backup).
    pub notice: Option<String>,
    /// When the project was archived (it is read-only).
    pub closed_at: Option<String>,
}

pub struct AppState {
    pub project: Mutex<Option<Project>>,
    pub prefs: Mutex<Prefs>,
    pub config_dir: PathBuf,
    /// The log file (shown in Help ▸ About so that a user can send it).
    pub log_file: PathBuf,
    /// An error from opening the file given at start-up, shown once on the start page.
    pub startup_error: Mutex<Option<ErrorPayload>>,
    pub measure_startup: bool,
    pub started: Instant,
    /// Set once the user asked to quit; the UI then flushes its edits and calls `quit_app`.
    pub quitting: AtomicBool,
    /// The open project's plan, prepared for filtering (cleared whenever the project changes).
    pub plan_cache: Mutex<liaison_core::plan::view::Cache>,
    /// The files and folders this run exported, which the UI may ask to open or show.
    pub exported: Mutex<HashSet<PathBuf>>,
    /// The file given at start-up, until `open_first` opens the first project.
    first_file: Mutex<Option<Option<PathBuf>>>,
    /// Whether the window has a native menu to rebuild (not on the tests' mock runtime, whose
    /// windows have no GTK window under them).
    pub native_menu: bool,
    /// Where the mail server's password is kept: the OS's keychain, or this process only when
    /// `LIAISON_KEYCHAIN=off` (the tests, which never touch a real keychain).
    pub secrets: Box<dyn liaison_core::send::SecretStore + Send + Sync>,
}

/// The OS's keychain, unless `LIAISON_KEYCHAIN=off`.
fn secret_store() -> Box<dyn liaison_core::send::SecretStore + Send + Sync> {
    use liaison_core::send::{Keychain, Memory};
    match std::env::var("LIAISON_KEYCHAIN").as_deref() {
        Ok("off") => Box::new(Memory::default()),
        _ => Box::new(Keychain::default()),
    }
}

impl AppState {
    /// Loads preferences; the first project is opened by `open_first`, once this process is known
    /// to be the only instance (a second launch hands its file over and exits without touching it).
    pub fn start(opts: GuiOptions, started: Instant) -> AppState {
        AppState::start_in(prefs::config_dir(), opts, started)
    }

    /// `start` with the preferences of `config_dir` (tests use a temporary one).
    pub fn start_in(config_dir: PathBuf, opts: GuiOptions, started: Instant) -> AppState {
        let prefs = Prefs::load(&config_dir);
        AppState {
            project: Mutex::new(None),
            prefs: Mutex::new(prefs),
            log_file: liaison_core::log_file::path(&config_dir),
            config_dir,
            startup_error: Mutex::new(None),
            measure_startup: opts.measure_startup,
            started,
            quitting: AtomicBool::new(false),
            plan_cache: Mutex::new(Default::default()),
            exported: Mutex::new(HashSet::new()),
            first_file: Mutex::new(Some(opts.file)),
            native_menu: true,
            secrets: secret_store(),
        }
    }

    /// Opens the first project: the file given, else the most recent one, else the sample project
    /// (created when missing). Runs once; later calls do nothing.
    pub fn open_first(&self) {
        let Some(file) = self
            .first_file
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        else {
            return;
        };
        let state = self;
        let lang = self.lang();
        let opened = match file {
            Some(file) if !file.exists() => liaison_core::plan::holidays::create_project(
                &file,
                &crate::dialogs::file_stem(&file),
                &state.actor(),
                lang,
            ),
            Some(file) => Project::open(&file),
            None => {
                let recent = state
                    .prefs()
                    .recent
                    .first()
                    .cloned()
                    .filter(|p| p.is_file());
                match recent {
                    Some(p) => Project::open(&p),
                    None => open_or_create_sample(lang),
                }
            }
        };
        match opened {
            Ok(project) => {
                let _ = state.set_project(project);
            }
            Err(e) => {
                *state.startup_error.lock().expect("lock") = Some(ErrorPayload::new(&e, lang))
            }
        }
    }

    /// Starts quitting: asks the UI to save pending edits, with a deadline. Returns false when a quit
    /// was already under way (the caller then lets the app go).
    pub fn begin_quit<R: Runtime>(&self, app: &AppHandle<R>) -> bool {
        if self.quitting.swap(true, Ordering::SeqCst) {
            return false;
        }
        let _ = app.emit("quit-requested", ());
        let app = app.clone();
        std::thread::spawn(move || {
            std::thread::sleep(QUIT_DEADLINE);
            app.state::<AppState>().shut_down(&app);
        });
        true
    }

    /// Closes the project (so the file is left tidy, without its journal) and exits.
    pub fn shut_down<R: Runtime>(&self, app: &AppHandle<R>) {
        log::info!("quitting");
        drop(self.project().take());
        self.plan_cache().clear();
        app.exit(0);
    }

    /// Who records edits and signatures: the display name from Preferences.
    pub fn actor(&self) -> String {
        let prefs = self.prefs();
        match prefs.display_name.trim() {
            "" => liaison_core::i18n::text(prefs.language, "project.user.unset"),
            name => name.to_string(),
        }
    }

    pub fn lang(&self) -> Lang {
        self.prefs().language
    }

    pub fn prefs(&self) -> MutexGuard<'_, Prefs> {
        self.prefs.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn project(&self) -> MutexGuard<'_, Option<Project>> {
        self.project.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn plan_cache(&self) -> MutexGuard<'_, liaison_core::plan::view::Cache> {
        self.plan_cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where "export all" writes and the knowledge base's folder: the user's choices, else the
    /// defaults.
    pub fn folders(&self) -> liaison_core::screens::closing::Folders {
        let lang = self.lang();
        let prefs = self.prefs();
        liaison_core::screens::closing::Folders {
            archive_dir: (prefs.archive_dir.clone())
                .unwrap_or_else(|| prefs::default_archive_dir(lang)),
            library_dir: (prefs.library_dir.clone())
                .unwrap_or_else(|| prefs::default_library_dir(lang)),
        }
    }

    pub fn err(&self, e: Error) -> ErrorPayload {
        ErrorPayload::new(&e, self.lang())
    }

    /// Makes `project` the open one, remembers it in the recent list, and describes it.
    pub fn set_project(&self, project: Project) -> ProjectInfo {
        let lang = self.lang();
        let notice = project.migrated().map(|m| {
            liaison_core::i18n::format(
                lang,
                "project.migrated",
                &[
                    ("from", &m.from.to_string()),
                    ("to", &m.to.to_string()),
                    ("backup", &m.backup.display().to_string()),
                ],
            )
        });
        {
            let mut prefs = self.prefs();
            prefs.touch_recent(project.path());
            let _ = prefs.save(&self.config_dir);
        }
        let mut info = describe(&project);
        let upgraded = if project.migrated().is_some() {
            " (upgraded)"
        } else {
            ""
        };
        log::info!("opened {}{upgraded}", info.file_name);
        info.notice = notice;
        self.plan_cache().clear();
        *self.project() = Some(project);
        info
    }

    /// The open project's description, if one is open.
    pub fn project_info(&self) -> Option<ProjectInfo> {
        self.project().as_ref().map(describe)
    }

    /// Sets the window title to the project's name and file (and the menu's recent list). Both
    /// come from outside (a file may hold anything), so the title keeps only what a title can
    /// show: a NUL would abort the window system, and a very long name is cut.
    pub fn update_title<R: Runtime>(&self, app: &AppHandle<R>) {
        let app_name = liaison_core::i18n::text(self.lang(), "app.name");
        let title = match self.project_info() {
            Some(p) => title_of(&p.name, &p.path.display().to_string(), &app_name),
            None => app_name,
        };
        if let Some(w) = app.get_webview_window("main") {
            let _ = w.set_title(&title);
        }
        // File ▸ Recent follows the recent list, which the project switch just changed.
        if self.native_menu {
            crate::menu::refresh(app, self.lang());
        }
    }
}

/// The window title for a project `name` in the file `path`.
pub fn title_of(name: &str, path: &str, app_name: &str) -> String {
    use liaison_core::validate::display_text;
    format!(
        "{} — {} — {app_name}",
        display_text(name, 80),
        display_text(path, 200)
    )
}

fn describe(project: &Project) -> ProjectInfo {
    let name = registration::name(project.conn()).unwrap_or_default();
    ProjectInfo {
        path: project.path().to_path_buf(),
        file_name: project
            .path()
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        name,
        notice: None,
        closed_at: liaison_core::archive::closed_at(project.conn()).unwrap_or(None),
    }
}

/// Opens the sample project in the documents folder, writing it first if it is not there.
pub fn open_or_create_sample(lang: Lang) -> Result<Project, Error> {
    let path = prefs::sample_project_path(lang);
    if path.exists() {
        return Project::open(&path);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::Write {
            path: dir.to_path_buf(),
            source: e,
        })?;
    }
    let project = liaison_core::demo::write_example_on(&path, liaison_core::demo::demo_today())?;
    // An archived past project beside it, so that the knowledge base has something to find.
    if let Some(dir) = path.parent() {
        let (file, name) = match lang {
            Lang::Zh => ("往期项目：春季促销项目（已归档）.liaison", "春季促销项目"),
            Lang::En => (
                "Past project - spring promotion (archived).liaison",
                "春季促销项目",
            ),
        };
        let past = dir.join(file);
        if !past.exists() {
            // The sample itself matters more than its companion: a failure here is not shown.
            let _ = liaison_core::demo::write_closed_example(&past, name, 1);
        }
    }
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::title_of;

    #[test]
    fn a_title_never_carries_control_characters_or_an_endless_name() {
        let title = title_of("新品\u{0}上市\u{1b}[31m", "/tmp/a\nb.liaison", "协作台");
        assert!(!title.chars().any(char::is_control), "{title:?}");
        assert!(
            title.starts_with("新品上市[31m — /tmp/ab.liaison"),
            "{title}"
        );
        let long = "名".repeat(20_000);
        let title = title_of(&long, "/p.liaison", "协作台");
        assert!(title.chars().count() < 120, "{}", title.chars().count());
        assert!(title.contains('…'));
    }
}
