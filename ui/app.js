// The app shell: boots from the backend's state, draws the stage navigation, routes menu actions.

import { h, mount } from './lib/dom.js';
import { t, setCatalog, setLang, getLang, applyI18n } from './lib/i18n.js';
import { call, listen, showError, toast, ipcCalls } from './lib/ipc.js';
import { setReadOnly } from './lib/readonly.js';
import { exportedNotice } from './lib/exported.js';
import { report as reportResponses } from './components/signoff-keys.js';
import { showRequest } from './components/sign-request.js';
import './components/tag-input.js';
import './components/stage-placeholder.js';
import './components/start-page.js';
import './components/registration-form.js';
import './components/prefs.js';
import './components/history-drawer.js';

const STAGES = ['registration', 'organization', 'plan', 'meetings', 'tracking', 'acceptance', 'retrospective', 'archive'];

/**
 * The stages that have their own screen (the others show what is coming): the element, and the
 * module that defines it, loaded when the stage is first shown (the first paint needs none of them).
 */
const VIEWS = {
  organization: ['liaison-org', './components/org-view.js'],
  plan: ['liaison-plan', './components/plan-view.js'],
  meetings: ['liaison-meetings', './components/meetings-view.js'],
  tracking: ['liaison-tracking', './components/tracking-view.js'],
  acceptance: ['liaison-acceptance', './components/acceptance-view.js'],
  retrospective: ['liaison-retro', './components/retro-view.js'],
  archive: ['liaison-archive', './components/archive-view.js'],
};

const app = {
  project: null,
  recent: [],
  displayName: '',
  stage: 'registration',
  form: null,
  logFile: '',
  /** Counts show() calls, so that a screen whose module was still loading is not drawn late. */
  shown: 0,
};

/** The moments of boot, in ms after navigation start (`pageFigures`). */
const marks = { modulesMs: performance.now() };

async function boot() {
  const s = await call('app_state');
  marks.stateMs = performance.now();
  setCatalog(s.catalog);
  setLang(s.language);
  app.project = s.project;
  app.recent = s.recent;
  app.displayName = s.displayName;
  app.logFile = s.logFile;
  applyI18n();
  wire();
  if (s.startupError) showError(s.startupError.message);
  if (!s.displayName) toast(t('prefs.name_hint'), 'notice');
  // The backend's events, asked for at once (each is a round trip) while the first screen loads.
  const listening = Promise.all([
    listen('menu', onMenu),
    // A project from a second launch, File ▸ Recent, or dropped on the window; a dropped sheet.
    listen('incoming-file', onIncoming),
    listen('quit-requested', async () => {
      try { if (app.form) await app.form.flush(); } finally { await call('quit_app', {}, { quiet: true }); }
    }),
  ]);
  await show();
  marks.shownMs = performance.now();
  await listening;
  // Two frames: the first page is painted, not only laid out.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    document.body.dataset.ready = 'true';
    call('ui_ready', { page: pageFigures() }, { quiet: true }).catch(() => {});
    // The summary of the project's warnings comes after the first paint, which does not wait for it.
    if (app.project) summarizeWarnings();
  }));
}

/**
 * What the page did before its first paint, for `liaison --measure-startup`: when its navigation
 * started, the steps of boot (ms after that), first paint, and how many backend calls it made.
 */
function pageFigures() {
  return { timeOrigin: performance.timeOrigin, ...marks, pageMs: performance.now(), ipcCalls: ipcCalls() };
}

function wire() {
  document.getElementById('lang-button').addEventListener('click', () => changeLanguage(getLang() === 'en' ? 'zh-CN' : 'en'));
  document.getElementById('user-button').addEventListener('click', openPrefs);
  document.addEventListener('save-state', (e) => setSaveState(e.detail.state));
  document.addEventListener('project-renamed', (e) => { if (app.project) { app.project.name = e.detail.name; drawTopbar(); } });
  document.addEventListener('start-action', (e) => onStartAction(e.detail));
  document.addEventListener('prefs-done', (e) => closePrefs(e.detail));
  // The send dialog's "mail settings" button: Preferences, at its e-mail part.
  document.addEventListener('open-prefs', () => { openPrefs(); document.getElementById('mail-host')?.focus(); });
  document.addEventListener('show-history', (e) => showHistory(e.detail.records));
  // A screen asks for another: {stage, query?, select?, tab?} (e.g. a dashboard number → its tasks).
  document.addEventListener('navigate', (e) => { app.preset = e.detail; goTo(e.detail.stage); });
  document.addEventListener('history-close', () => document.getElementById('history-dialog').close());
  // A knowledge-base result: open its project (unless open already) at the record.
  document.addEventListener('open-record', (e) => openRecord(e.detail));
  document.addEventListener('project-closed', (e) => {
    if (!app.project) return;
    app.project.closedAt = e.detail.closedAt;
    drawTopbar();
    setReadOnly(document.getElementById('view-body'), true);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.getElementById('prefs-dialog').open) closePrefs(null);
  });
}

async function show() {
  const shown = ++app.shown;
  drawTopbar();
  drawStages();
  const body = document.getElementById('view-body');
  app.form = null;
  // An archived project: every screen's edit controls are disabled, whatever the screen draws.
  setReadOnly(body, Boolean(app.project?.closedAt));
  if (!app.project) {
    const start = h('liaison-start-page');
    start.recent = app.recent;
    mount(body, start);
    return;
  }
  if (app.stage === 'registration') {
    const form = h('liaison-registration');
    mount(body, form);
    app.form = form;
    await form.load();
  } else if (VIEWS[app.stage]) {
    const [tag, module] = VIEWS[app.stage];
    await import(module);
    // Another screen was chosen while the module loaded: that one is shown.
    if (shown !== app.shown) return;
    const view = h(tag);
    if (app.preset && view.preset) view.preset(app.preset);
    app.preset = null;
    mount(body, view);
    await view.load();
  } else {
    mount(body, h('liaison-stage-placeholder', { stage: app.stage }));
  }
}

function drawTopbar() {
  const title = document.getElementById('project-title');
  if (app.project) {
    mount(title,
      h('span', { class: 'project-name', id: 'project-name' }, app.project.name || app.project.fileName),
      app.project.closedAt ? h('span', { class: 'chip archived', id: 'project-archived', title: t('archive.closed_banner', { at: app.project.closedAt.replace('T', ' ') }) }, t('archive.read_only_chip')) : null,
      h('span', { class: 'project-file', title: app.project.path }, app.project.fileName));
  } else {
    mount(title);
  }
  const user = document.getElementById('user-button');
  user.textContent = app.displayName || t('project.user.unset');
  user.title = t('prefs.title');
  document.body.classList.toggle('no-project', !app.project);
}

function drawStages() {
  const nav = document.getElementById('stages');
  mount(nav, STAGES.map((stage, i) => h('button', {
    type: 'button',
    class: stage === app.stage && app.project ? 'stage active' : 'stage',
    id: `stage-${stage}`,
    disabled: !app.project,
    'aria-current': stage === app.stage && app.project ? 'page' : undefined,
    onclick: () => goTo(stage),
  }, h('span', { class: 'stage-num' }, String(i + 1)), h('span', { class: 'stage-label' }, t(`stage.${stage}`)))));
}

async function goTo(stage) {
  if (app.form) await app.form.flush();
  app.stage = stage;
  await show();
}

function setSaveState(state) {
  const el = document.getElementById('save-state');
  el.dataset.state = state;
  const now = new Date();
  const time = `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}:${String(now.getSeconds()).padStart(2, '0')}`;
  el.textContent = {
    dirty: t('save.saving'),
    saving: t('save.saving'),
    saved: t('save.saved_at', { time }),
    failed: t('save.failed'),
    refused: t('save.refused'),
  }[state] || '';
}

async function changeLanguage(lang) {
  if (app.form) await app.form.flush();
  await call('set_language', { language: lang });
  setLang(lang);
  applyI18n();
  drawTopbar();
  drawStages();
  const body = document.getElementById('view-body');
  const current = body.firstElementChild;
  if (current && typeof current.render === 'function') current.render();
  if (current && current.tagName === 'LIAISON-START-PAGE') current.recent = app.recent;
  setSaveState(document.getElementById('save-state').dataset.state);
  document.querySelector('liaison-prefs').render();
  const history = document.getElementById('history-dialog');
  if (history.open) history.querySelector('liaison-history').render();
}

async function showHistory(records) {
  if (app.form) await app.form.flush();
  const dialog = document.getElementById('history-dialog');
  try {
    await dialog.querySelector('liaison-history').show(records);
    if (!dialog.open) dialog.showModal();
  } catch {
    // Shown by call().
  }
}

async function opened(info) {
  if (!info) return;
  app.project = info;
  app.stage = 'registration';
  setSaveState('idle');
  document.getElementById('banners').replaceChildren();
  await show();
  if (info.notice) toast(info.notice, 'notice');
  else toast(t('project.opened', { name: info.name || info.fileName }));
  if (info.closedAt) toast(t('archive.opened_read_only', { at: info.closedAt.replace('T', ' ') }), 'notice');
  await summarizeWarnings();
}

/** One summary of the project's warnings when it opens (switchable in the warning settings). */
async function summarizeWarnings() {
  try {
    const list = await call('warnings_on_open', {}, { quiet: true });
    if (!list.length) return;
    const n = (sev) => list.filter((w) => w.severity === sev).length;
    toast(t('warnings.summary', { critical: n('critical'), warning: n('warning'), info: n('info') }), n('critical') ? 'notice' : 'info');
  } catch {
    // An older file without warnings support: nothing to summarize.
  }
}

async function openRecord(detail) {
  try {
    if (app.form) await app.form.flush();
    const { path, ...where } = detail;
    if (!app.project || app.project.path !== path) {
      const info = await call('open_project', { path });
      app.project = info;
      setSaveState('idle');
      document.getElementById('banners').replaceChildren();
      toast(t('project.opened', { name: info.name || info.fileName }));
    }
    app.preset = where;
    await goTo(where.stage);
  } catch {
    // Shown by call().
  }
}

async function refreshRecent() {
  const s = await call('app_state');
  app.recent = s.recent;
}

async function closeProject() {
  if (app.form) await app.form.flush();
  await call('close_project');
  app.project = null;
  setSaveState('idle');
  await refreshRecent();
  await show();
}

async function onStartAction(detail) {
  try {
    switch (detail.name) {
      case 'new': await opened(await call('new_project')); break;
      case 'open': await opened(await call('open_project_dialog')); break;
      case 'sample': await opened(await call('open_sample')); break;
      case 'new-from': await opened(await call('new_project_from', { source: detail.path || null })); break;
      case 'open-path': await opened(await call('open_project', { path: detail.path })); break;
      case 'forget': app.recent = await call('forget_recent', { path: detail.path }); await show(); break;
    }
  } catch {
    // The error is already shown by call().
  }
}

/** A file handed over by the backend, by kind (the extension table in src-tauri/src/desktop.rs). */
async function onIncoming({ kind, path }) {
  try {
    switch (kind) {
      case 'project': {
        if (app.form) await app.form.flush();
        if (app.project && app.project.path === path) break;
        await opened(await call('open_project', { path }));
        break;
      }
      case 'spreadsheet': {
        const plan = document.querySelector('liaison-plan');
        if (plan) await plan.importFile(path);
        else toast(t('drop.not_here', { path }), 'notice');
        break;
      }
      case 'response': {
        reportResponses(await call('import_responses', { paths: [path] }));
        await show();
        break;
      }
      case 'request': {
        showRequest(await call('request_open', { path }));
        break;
      }
    }
  } catch {
    // Shown by call().
  }
}

async function onMenu(id) {
  try {
    if (app.form) await app.form.flush();
    switch (id) {
      case 'new': await opened(await call('new_project')); break;
      case 'open': await opened(await call('open_project_dialog')); break;
      case 'save_as': {
        const info = await call('save_as');
        if (info) { app.project = info; drawTopbar(); toast(t('project.saved_as', { path: info.path })); }
        break;
      }
      case 'backup': {
        const path = await call('back_up');
        if (path) toast(t('project.backed_up', { path }));
        break;
      }
      case 'export_json': {
        const path = await call('project_export_json');
        if (path) exportedNotice(t('project.exported_json', { path }), path);
        break;
      }
      case 'import_json': await opened(await call('project_import_json')); break;
      case 'close': await closeProject(); break;
      case 'preferences': openPrefs(); break;
      case 'about': toast(`${t('app.name')} — ${t('app.tagline')} · ${t('about.log_file', { path: app.logFile })}`, 'notice'); break;
    }
  } catch {
    // The error is already shown by call().
  }
}

function openPrefs() {
  const dialog = document.getElementById('prefs-dialog');
  const prefs = dialog.querySelector('liaison-prefs');
  prefs.displayName = app.displayName;
  if (!dialog.open) dialog.showModal();
}

async function closePrefs(result) {
  const dialog = document.getElementById('prefs-dialog');
  if (dialog.open) dialog.close();
  if (!result) return;
  try {
    await call('set_display_name', { name: result.displayName });
    app.displayName = result.displayName.trim();
    if (result.language !== getLang()) await changeLanguage(result.language);
    drawTopbar();
    toast(t('prefs.saved'));
  } catch {
    // Shown by call().
  }
}

boot().catch((e) => showError(e?.message || String(e)));
