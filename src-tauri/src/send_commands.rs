//! The commands of reaching the participants (issue 18): the mail server in Preferences, the
//! project's group robot, sending with progress (`send-progress` events), and the messages sent
//! about a record. Glue over `liaison_core::send`.

use crate::commands::with_project;
use crate::document_commands::fonts;
use crate::state::{now, AppState, ErrorPayload};
use liaison_core::pdf::Fonts;
use liaison_core::prefs::Smtp;
use liaison_core::send::{
    self, Job, Kept, MessageRow, Outcome, Post, Recipient, RecipientResult, Robot, Server, What,
};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

type CmdResult<T> = Result<T, ErrorPayload>;

/// Preferences ▸ 邮件发送 as shown: the settings, whether a password is kept, and the value of
/// `LIAISON_SMTP` when it overrides them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailSettings {
    pub smtp: Smtp,
    pub password_saved: bool,
    pub overridden_by: Option<String>,
    /// Where a password just given was kept (keychain, or this session only).
    pub kept: Option<Kept>,
}

fn settings(state: &AppState, kept: Option<Kept>) -> MailSettings {
    let smtp = state.prefs().smtp.clone();
    MailSettings {
        password_saved: send::has_password(state.secrets.as_ref(), &smtp),
        smtp,
        overridden_by: std::env::var(send::ENV)
            .ok()
            .filter(|v| !v.trim().is_empty()),
        kept,
    }
}

#[tauri::command]
pub fn mail_settings(state: State<'_, AppState>) -> CmdResult<MailSettings> {
    Ok(settings(&state, None))
}

/// Saves the mail server (checked); a password given goes to the keychain. Nothing changes when
/// the settings are refused or the preferences cannot be written.
#[tauri::command]
pub fn mail_settings_save(
    state: State<'_, AppState>,
    smtp: Smtp,
    password: Option<String>,
) -> CmdResult<MailSettings> {
    let lang = state.lang();
    let mut prefs = state.prefs().clone();
    prefs
        .set_smtp(&smtp)
        .and_then(|()| prefs.save(&state.config_dir))
        .map_err(|e| ErrorPayload::new(&e, lang))?;
    let kept = password
        .filter(|p| !p.is_empty())
        .map(|p| send::save_password(state.secrets.as_ref(), &prefs.smtp, &p));
    *state.prefs() = prefs;
    Ok(settings(&state, kept))
}

#[tauri::command]
pub fn mail_forget_password(state: State<'_, AppState>) -> CmdResult<MailSettings> {
    let smtp = state.prefs().smtp.clone();
    send::forget_password(state.secrets.as_ref(), &smtp);
    Ok(settings(&state, None))
}

/// The server to send through (`LIAISON_SMTP`, else Preferences and the kept password).
fn server(state: &AppState) -> CmdResult<Server> {
    let prefs = state.prefs().clone();
    Server::resolve(&prefs, state.secrets.as_ref()).map_err(|e| state.err(e))
}

/// Connects once to the saved server and logs in: `None` when it answered, else what went wrong.
#[tauri::command]
pub async fn mail_test(state: State<'_, AppState>) -> CmdResult<Option<String>> {
    let server = server(&state)?;
    Ok(server.test(state.lang()).err())
}

/// Who would receive `what`, each with the address found in their contact or none.
#[tauri::command]
pub fn send_preview(state: State<'_, AppState>, what: What) -> CmdResult<Vec<Recipient>> {
    with_project(&state, |c, _| send::recipients(c, &what, now()))
}

/// A send's who, language and moment (the one clock read of the command).
fn job<'a>(actor: &'a str, lang: liaison_core::Lang, fonts: Option<&'a Fonts>) -> Job<'a> {
    Job {
        actor,
        lang,
        now: now(),
        fonts,
    }
}

/// One recipient done, sent to the window as `send-progress`.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Progress {
    done: usize,
    total: usize,
    result: RecipientResult,
}

/// Sends `what` by e-mail, one message per recipient, telling the window after each one.
#[tauri::command]
pub async fn send_mail<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    what: What,
) -> CmdResult<Outcome> {
    let server = server(&state)?;
    let fonts = fonts(&app).map_err(|e| state.err(e))?;
    let lang = state.lang();
    with_project(&state, |c, actor| {
        let job = job(actor, lang, Some(fonts));
        send::mail(c, &server, &job, &what, &mut |done, total, r| {
            let result = r.clone();
            let _ = app.emit(
                "send-progress",
                Progress {
                    done,
                    total,
                    result,
                },
            );
        })
    })
}

#[tauri::command]
pub fn robot_settings(state: State<'_, AppState>) -> CmdResult<Option<Robot>> {
    with_project(&state, |c, _| send::robot(c))
}

#[tauri::command]
pub fn robot_save(state: State<'_, AppState>, robot: Robot) -> CmdResult<Robot> {
    with_project(&state, |c, actor| send::save_robot(c, actor, &robot))
}

#[tauri::command]
pub fn robot_remove(state: State<'_, AppState>) -> CmdResult<()> {
    with_project(&state, send::remove_robot)
}

/// Posts a notice or the current warnings to the project's group robot.
#[tauri::command]
pub async fn robot_post(state: State<'_, AppState>, post: Post) -> CmdResult<RecipientResult> {
    let lang = state.lang();
    with_project(&state, |c, actor| {
        send::post(c, &job(actor, lang, None), &post)
    })
}

/// The messages sent about a record, newest first.
#[tauri::command]
pub fn messages_of(
    state: State<'_, AppState>,
    record_kind: String,
    record_id: Option<i64>,
) -> CmdResult<Vec<MessageRow>> {
    with_project(&state, |c, _| send::messages(c, &record_kind, record_id))
}
