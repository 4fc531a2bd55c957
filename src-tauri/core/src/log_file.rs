//! The app's log file in the settings folder (`liaison.log`): a small `log` logger that appends
//! one line per record and keeps at most two files of `MAX_BYTES` (the current one and `.1`), so
//! a user can send it when something went wrong.
//!
//! What is logged: start-up, files opened and saved (their names), errors, and refusals by their
//! catalog key. Never what the user typed: messages and parameters stay out at info level.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The log file's name in the settings folder.
pub const FILE_NAME: &str = "liaison.log";

/// The size at which the log starts over (the previous one is kept as `liaison.log.1`).
pub const MAX_BYTES: u64 = 1024 * 1024;

/// Where the log of the settings folder `config_dir` is.
pub fn path(config_dir: &Path) -> PathBuf {
    config_dir.join(FILE_NAME)
}

/// A logger writing to one file with a size cap.
pub struct FileLogger {
    path: PathBuf,
    max_bytes: u64,
    /// Our own records at this level and above (`LIAISON_LOG=debug` shows more); other crates'
    /// only from warnings up.
    level: log::LevelFilter,
    file: Mutex<Option<(File, u64)>>,
}

impl FileLogger {
    pub fn new(path: PathBuf, max_bytes: u64, level: log::LevelFilter) -> FileLogger {
        FileLogger {
            path,
            max_bytes,
            level,
            file: Mutex::new(None),
        }
    }

    fn open(&self) -> std::io::Result<(File, u64)> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        let len = file.metadata()?.len();
        Ok((file, len))
    }

    /// Appends `line`, starting a new file first when this one would pass the cap.
    fn append(&self, line: &str) -> std::io::Result<()> {
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(self.open()?);
        }
        let full = guard
            .as_ref()
            .is_some_and(|(_, len)| len + line.len() as u64 > self.max_bytes);
        if full {
            *guard = None;
            let mut old = self.path.as_os_str().to_owned();
            old.push(".1");
            std::fs::rename(&self.path, PathBuf::from(old))?;
            *guard = Some(self.open()?);
        }
        let (file, len) = guard.as_mut().expect("opened above");
        file.write_all(line.as_bytes())?;
        *len += line.len() as u64;
        Ok(())
    }
}

impl log::Log for FileLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        let ours = metadata.target().starts_with("liaison");
        let level = if ours {
            self.level
        } else {
            log::LevelFilter::Warn
        };
        metadata.level() <= level
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = format!(
            "{} {:<5} {}: {}\n",
            chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f%:z"),
            record.level(),
            record.target(),
            // One record, one line: a line break in a message cannot forge the next record.
            record.args().to_string().replace(['\n', '\r'], " ⏎ ")
        );
        // A log that cannot be written must never stop the app.
        let _ = self.append(&line);
    }

    fn flush(&self) {
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((file, _)) = guard.as_mut() {
            let _ = file.flush();
        }
    }
}

/// Installs the log of `config_dir` as the process's logger (once; later calls change nothing)
/// and returns its path. The level is `LIAISON_LOG` (`error` … `trace`), else `info`.
pub fn start(config_dir: &Path) -> PathBuf {
    let path = path(config_dir);
    let level = std::env::var("LIAISON_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(log::LevelFilter::Info);
    // Leaked once: the logger lives as long as the process (`set_boxed_logger` would need log's
    // `std` feature, which rebuilds every crate that logs).
    let logger: &'static FileLogger =
        Box::leak(Box::new(FileLogger::new(path.clone(), MAX_BYTES, level)));
    if log::set_logger(logger).is_ok() {
        log::set_max_level(level.max(log::LevelFilter::Warn));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use log::Log;

    fn record<'a>(
        target: &'a str,
        level: log::Level,
        args: std::fmt::Arguments<'a>,
    ) -> log::Record<'a> {
        log::Record::builder()
            .target(target)
            .level(level)
            .args(args)
            .build()
    }

    #[test]
    fn the_log_starts_over_at_its_cap_and_keeps_one_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let logger = FileLogger::new(path(dir.path()), 2_000, log::LevelFilter::Info);
        for i in 0..100 {
            logger.log(&record(
                "liaison_app",
                log::Level::Info,
                format_args!("opened file {i}"),
            ));
        }
        logger.flush();
        let now = std::fs::metadata(path(dir.path())).unwrap().len();
        let old = std::fs::metadata(dir.path().join("liaison.log.1"))
            .unwrap()
            .len();
        assert!(now <= 2_000 && old <= 2_000, "{now} {old}");
        let text = std::fs::read_to_string(path(dir.path())).unwrap();
        assert!(text.trim_end().ends_with("opened file 99"), "{text}");
        assert!(!dir.path().join("liaison.log.2").exists());
    }

    #[test]
    fn other_crates_chatter_and_our_debug_lines_stay_out_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let logger = FileLogger::new(path(dir.path()), MAX_BYTES, log::LevelFilter::Info);
        logger.log(&record("wry", log::Level::Info, format_args!("noise")));
        logger.log(&record(
            "liaison_core",
            log::Level::Debug,
            format_args!("detail"),
        ));
        logger.log(&record("tao", log::Level::Warn, format_args!("a warning")));
        logger.log(&record(
            "liaison_app",
            log::Level::Info,
            format_args!("two\nlines"),
        ));
        logger.flush();
        let text = std::fs::read_to_string(path(dir.path())).unwrap();
        assert!(
            !text.contains("noise") && !text.contains("detail"),
            "{text}"
        );
        assert!(text.contains("a warning"), "{text}");
        assert_eq!(text.lines().count(), 2, "a record is one line: {text}");
    }
}
