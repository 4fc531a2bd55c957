//! The app in the real webview: WebKitWebDriver drives the `liaison` binary under Xvfb, as a user would.
//!
//! Each test starts its own X server (when there is no display), driver and app, and stops them all.
//! `harness` holds what every test shares; each stage has its own file.

mod harness;

mod closing;
mod desktop;
mod flow_meetings;
mod flow_plan;
mod flow_ui;
mod hostile;
mod interchange;
mod keys;
mod meetings;
mod plan;
mod registration;
mod send;
mod tracking;
