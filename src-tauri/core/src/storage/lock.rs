//! The one-writer lock of a project file: an advisory lock on a hidden sidecar file beside it
//! (`.<name>.lock`), so that readers can still open the project file itself.
//!
//! Why a sidecar and not the project file: SQLite takes POSIX byte-range locks on the project file,
//! and closing any descriptor of that file drops all of a process's POSIX locks; on Windows,
//! byte-range locks are mandatory and would block SQLite's own reads. The sidecar is locked with
//! the operating system's whole-file advisory lock (`File::try_lock`: `flock` on Unix,
//! `LockFileEx` on Windows), which never touches the project file's locks. The kernel releases it
//! when the process dies, so a crash leaves no stale lock.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long an opener waits for a holder that is closing the file before refusing.
const GRACE: Duration = Duration::from_millis(1500);

/// The sidecar lock file of `path`.
pub fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("project");
    path.with_file_name(format!(".{name}.lock"))
}

/// A held writer lock; dropping it removes the sidecar and releases the lock.
pub struct WriterLock {
    file: Option<File>,
    path: PathBuf,
}

impl WriterLock {
    /// Takes the writer lock of `project`, or refuses with "already open" when another opener
    /// holds it.
    pub fn take(project: &Path) -> Result<WriterLock> {
        let path = lock_path(project);
        // A holder removes the sidecar when it closes; whoever locked the removed file retries on
        // the new one, so two openers never both believe they hold the lock.
        for _ in 0..5 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| Error::write(project, e))?;
            // A Liaison that is just closing the file (its process ending) gets a moment to let go.
            let deadline = Instant::now() + GRACE;
            loop {
                match file.try_lock() {
                    Ok(()) => break,
                    Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    Err(TryLockError::WouldBlock) => {
                        return Err(Error::AlreadyOpen(project.to_path_buf()))
                    }
                    Err(TryLockError::Error(e)) => return Err(Error::write(project, e)),
                }
            }
            if same_inode(&file, &path) {
                return Ok(WriterLock {
                    file: Some(file),
                    path,
                });
            }
        }
        Err(Error::AlreadyOpen(project.to_path_buf()))
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        // Remove while still locked, then release: a waiting opener sees the file gone and retries.
        let _ = std::fs::remove_file(&self.path);
        if let Some(f) = self.file.take() {
            let _ = f.unlock();
        }
    }
}

/// Whether another opener (in any process) holds the writer lock of `project`. Only reads: a
/// missing sidecar is not created.
pub fn held_elsewhere(project: &Path) -> bool {
    let Ok(file) = OpenOptions::new().read(true).open(lock_path(project)) else {
        return false;
    };
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(TryLockError::WouldBlock) => true,
        Err(TryLockError::Error(_)) => false,
    }
}

#[cfg(unix)]
fn same_inode(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_file: &File, path: &Path) -> bool {
    path.exists()
}
