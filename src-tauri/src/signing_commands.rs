//! The commands of signing by key (issue 17): the user's own signing identity (Preferences ▸
//! 我的签名身份), and in the sign-off panel binding a card to a person, exporting requests,
//! importing responses (also what a drop of response files calls), a paper signature with its
//! scan, and how each signature was obtained. Glue over `liaison_core::{identity, remote_sign}`.

use crate::commands::with_project;
use crate::dialogs::{save_document, Ask};
use crate::document_commands::fonts;
use crate::state::{AppState, ErrorPayload};
use liaison_core::identity::{self, grouped, Card, Holder, KeyFile};
use liaison_core::remote_sign::{self, Binding, HowSigned, Method};
use liaison_core::signing_files;
use liaison_core::signoff::{Panel, Sign};
use liaison_core::Error;
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

type CmdResult<T> = Result<T, ErrorPayload>;

/// The user's signing identity as Preferences shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MyIdentity {
    pub holder: Holder,
    pub fingerprint: String,
    pub grouped: String,
    pub created: String,
    pub path: String,
}

fn my_identity_at(path: &std::path::Path) -> Result<Option<MyIdentity>, Error> {
    if !path.exists() {
        return Ok(None);
    }
    let file = KeyFile::load(path)?;
    Ok(Some(MyIdentity {
        holder: file.holder.clone(),
        grouped: grouped(&file.fingerprint),
        fingerprint: file.fingerprint,
        created: file.created,
        path: path.display().to_string(),
    }))
}

/// The signing identity kept in the settings folder, if the user created one.
#[tauri::command]
pub fn my_identity(state: State<'_, AppState>) -> CmdResult<Option<MyIdentity>> {
    my_identity_at(&identity::default_key_path()).map_err(|e| state.err(e))
}

/// Creates the user's signing key in the settings folder, sealed with `passphrase`.
#[tauri::command]
pub fn identity_create(
    state: State<'_, AppState>,
    name: String,
    department: String,
    role: String,
    passphrase: String,
) -> CmdResult<Option<MyIdentity>> {
    let path = identity::default_key_path();
    let result = (|| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::Write {
                path: dir.to_path_buf(),
                source: e,
            })?;
        }
        let passphrase = identity::Zeroizing::new(passphrase);
        let holder = Holder {
            name,
            department,
            role,
        };
        let (file, _key) = KeyFile::create(holder, &passphrase)?;
        file.save(&path)?;
        my_identity_at(&path)
    })();
    result.map_err(|e| state.err(e))
}

/// Unlocks the user's key with `passphrase` and saves their identity card where they choose.
#[tauri::command]
pub async fn identity_export_card<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: String,
) -> CmdResult<Option<String>> {
    let passphrase = identity::Zeroizing::new(passphrase);
    let file = KeyFile::load(&identity::default_key_path()).map_err(|e| state.err(e))?;
    let key = file.unlock(&passphrase).map_err(|e| state.err(e))?;
    let card = Card::of(&file, &key);
    let name = format!(
        "{}.liaison-card",
        liaison_core::documents::safe_file_name(&file.holder.name)
    );
    let ask = Ask::document(name, "Liaison", &["liaison-card"]);
    let saved = save_document(&app, state.lang(), ask, || {
        Ok(signing_files::to_bytes(&card))
    })?;
    Ok(saved.map(|p| p.display().to_string()))
}

/// The keys bound in the project, and how each signature of the document was obtained.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeysPanel {
    pub bindings: Vec<Binding>,
    pub methods: Vec<HowSigned>,
}

#[tauri::command]
pub fn signing_keys_panel(
    state: State<'_, AppState>,
    kind: liaison_core::DocKind,
    doc_id: i64,
) -> CmdResult<KeysPanel> {
    with_project(&state, |c, _| {
        Ok(KeysPanel {
            bindings: remote_sign::bindings(c)?,
            methods: remote_sign::methods(c, kind, doc_id)?,
        })
    })
}

/// Asks for an identity card and binds it to `person_id`; None when cancelled.
#[tauri::command]
pub async fn bind_card<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    person_id: i64,
) -> CmdResult<Option<Binding>> {
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("Liaison", &["liaison-card"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    bind_card_file(state, person_id, path.display().to_string()).map(Some)
}

/// Binds the identity card at `path` to `person_id`.
#[tauri::command]
pub fn bind_card_file(
    state: State<'_, AppState>,
    person_id: i64,
    path: String,
) -> CmdResult<Binding> {
    let bytes = signing_files::read(&PathBuf::from(&path)).map_err(|e| state.err(e))?;
    with_project(&state, |c, actor| {
        remote_sign::bind(c, actor, person_id, &bytes)
    })
}

/// Asks for a folder and writes the signing request of the document's open round there: for
/// `person_id`, or one for every signer. Returns the files written (empty: cancelled).
#[tauri::command]
pub async fn export_requests<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: liaison_core::DocKind,
    doc_id: i64,
    person_id: Option<i64>,
) -> CmdResult<Vec<String>> {
    let Some(dir) = app
        .dialog()
        .file()
        .blocking_pick_folder()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(Vec::new());
    };
    let fonts = fonts(&app).map_err(|e| state.err(e))?;
    let lang = state.lang();
    with_project(&state, |c, actor| {
        let made = remote_sign::requests(c, kind, Some(doc_id), person_id, actor, lang, fonts)?;
        let written = remote_sign::write_requests(&dir, made, false)?;
        Ok(written.iter().map(|p| p.display().to_string()).collect())
    })
}

/// What importing one response file did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub file: String,
    pub recorded: bool,
    /// The signer and decision when recorded; the reason in the user's language when not.
    pub name: String,
    pub decision: String,
    pub message: String,
}

/// Verifies and records each response file at `paths` (a drop of files, or the file dialog);
/// each refused one says why and records nothing.
#[tauri::command]
pub fn import_responses(
    state: State<'_, AppState>,
    paths: Vec<String>,
) -> CmdResult<Vec<Imported>> {
    let lang = state.lang();
    let mut out = Vec::new();
    for p in paths {
        let path = PathBuf::from(&p);
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or(p.clone());
        let result = signing_files::read(&path).and_then(|bytes| {
            let mut guard = state.project();
            let project = guard.as_mut().ok_or(Error::NoProject)?;
            remote_sign::accept(project.conn_mut(), &state.actor(), &bytes)
        });
        out.push(match result {
            Ok(a) => Imported {
                file,
                recorded: true,
                name: a.person.name,
                decision: a.decision,
                message: String::new(),
            },
            Err(e) => Imported {
                file,
                recorded: false,
                name: String::new(),
                decision: String::new(),
                message: e.message(lang),
            },
        });
    }
    Ok(out)
}

/// Asks for response files and imports them; empty when cancelled.
#[tauri::command]
pub async fn import_responses_dialog<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Vec<Imported>> {
    let Some(files) = app
        .dialog()
        .file()
        .add_filter("Liaison", &["liaison-response"])
        .blocking_pick_files()
    else {
        return Ok(Vec::new());
    };
    let paths = files
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .map(|p| p.display().to_string())
        .collect();
    import_responses(state, paths)
}

/// Records a signature given on paper: asks for the scan of the signed page(s) and keeps it with
/// its SHA-256. None when cancelled.
#[tauri::command]
pub async fn sign_on_paper<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    sign: Sign,
) -> CmdResult<Option<Panel>> {
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("PDF", &["pdf", "png", "jpg", "jpeg"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    sign_on_paper_file(state, sign, path.display().to_string()).map(Some)
}

/// [`sign_on_paper`] with the scan at `path`.
#[tauri::command]
pub fn sign_on_paper_file(
    state: State<'_, AppState>,
    sign: Sign,
    path: String,
) -> CmdResult<Panel> {
    let path = PathBuf::from(path);
    let meta = std::fs::metadata(&path).map_err(|e| {
        state.err(Error::Read {
            path: path.clone(),
            source: e,
        })
    })?;
    if !meta.is_file() || meta.len() > remote_sign::MAX_SCAN as u64 {
        return Err(state.err(Error::refused("keys.scan_too_large", &[])));
    }
    let scan = std::fs::read(&path).map_err(|e| {
        state.err(Error::Read {
            path: path.clone(),
            source: e,
        })
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    with_project(&state, |c, actor| {
        liaison_core::kinds::sign_by(c, actor, &sign, &Method::Paper { name, scan })
    })
}

/// A signing request as the signer's Liaison shows it, read-only.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    pub path: String,
    pub project_name: String,
    /// The document's name in the user's language.
    pub document: String,
    pub kind: String,
    pub record: i64,
    pub revision: i64,
    pub fingerprint: String,
    pub asked_by: String,
    pub asked_at: String,
    pub signers: Vec<signing_files::request::RequestSigner>,
    pub for_person: Option<i64>,
    pub decisions: Vec<String>,
    pub content: serde_json::Value,
    /// Whether the project lists the user's own key for one of the signers.
    pub mine: bool,
}

fn read_request(path: &std::path::Path) -> Result<signing_files::Request, Error> {
    signing_files::Request::parse(&signing_files::read(path)?)
}

/// Opens the signing request at `path` (also what File ▸ Open or a double-click on a
/// `.liaison-request` file should call).
#[tauri::command]
pub fn request_open(state: State<'_, AppState>, path: String) -> CmdResult<RequestView> {
    let lang = state.lang();
    let r = read_request(&PathBuf::from(&path)).map_err(|e| state.err(e))?;
    let me = KeyFile::load(&identity::default_key_path()).ok();
    let mine = me.is_some_and(|k| r.signers.iter().any(|s| s.keys.contains(&k.fingerprint)));
    Ok(RequestView {
        path,
        project_name: r.project_name,
        document: liaison_core::error::record_label(lang, &r.kind),
        kind: r.kind,
        record: r.record,
        revision: r.revision,
        fingerprint: r.fingerprint,
        asked_by: r.asked_by,
        asked_at: r.asked_at,
        signers: r.signers,
        for_person: r.for_person,
        decisions: r.decisions,
        content: r.content,
        mine,
    })
}

/// Asks for a signing request and opens it; None when cancelled.
#[tauri::command]
pub async fn request_open_dialog<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<RequestView>> {
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("Liaison", &["liaison-request"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    request_open(state, path.display().to_string()).map(Some)
}

/// Saves the PDF a request carries where the user chooses, to read it in a PDF reader.
#[tauri::command]
pub async fn request_save_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<Option<String>> {
    let r = read_request(&PathBuf::from(&path)).map_err(|e| state.err(e))?;
    let pdf = r.pdf_bytes().map_err(|e| state.err(e))?;
    let name = PathBuf::from(&path)
        .with_extension("pdf")
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "request.pdf".into());
    let ask = Ask::document(name, "PDF", &["pdf"]);
    let saved = save_document(&app, state.lang(), ask, || Ok(pdf))?;
    Ok(saved.map(|p| p.display().to_string()))
}

/// Signs the request at `path` with the user's key and saves the response where they choose;
/// None when cancelled.
#[tauri::command]
pub async fn request_sign<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
    decision: String,
    comment: String,
    passphrase: String,
) -> CmdResult<Option<String>> {
    let passphrase = identity::Zeroizing::new(passphrase);
    let response = (|| {
        let r = read_request(&PathBuf::from(&path))?;
        let file = KeyFile::load(&identity::default_key_path())?;
        let key = file.unlock(&passphrase)?;
        signing_files::Response::create(&r, &file, &key, &decision, &comment)
    })()
    .map_err(|e| state.err(e))?;
    let stem = PathBuf::from(&path)
        .file_stem()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = format!(
        "{stem}-{}.liaison-response",
        liaison_core::documents::safe_file_name(&response.signed.signer.name)
    );
    let ask = Ask::document(name, "Liaison", &["liaison-response"]);
    let saved = save_document(&app, state.lang(), ask, || {
        Ok(signing_files::to_bytes(&response))
    })?;
    Ok(saved.map(|p| p.display().to_string()))
}
