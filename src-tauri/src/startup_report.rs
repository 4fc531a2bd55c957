//! The start-up report of `--measure-startup`: time to first paint and memory, as one JSON line.
//!
//! Plain `std` only: the bench's empty Tauri app (`benches/empty-app`) includes this very file, so
//! both apps are measured by the same code. Memory is read from `/proc` at the moment of the
//! report: RSS and PSS of this process, and summed over all its descendants (WebKit's web and
//! network processes). PSS counts a page shared by several processes once in all, so the app's and
//! the web view's PSS add up honestly; RSS counts shared libraries in each process.

use std::collections::HashMap;

/// Memory of one process in KiB: (RSS, PSS).
fn memory(pid: u32) -> (u64, u64) {
    let field = |text: &str, name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
            .unwrap_or(0)
    };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    (field(&status, "VmRSS:"), field(&rollup, "Pss:"))
}

/// Every descendant of `root` (children, their children …), from each process's parent in `/proc`.
fn descendants(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let ppid = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit(')')
                    .next()
                    .and_then(|r| r.split_whitespace().nth(1).and_then(|p| p.parse().ok()))
            });
        if let Some(ppid) = ppid {
            children.entry(ppid).or_default().push(pid);
        }
    }
    let mut found = Vec::new();
    let mut queue = vec![root];
    while let Some(p) = queue.pop() {
        for &c in children.get(&p).map(Vec::as_slice).unwrap_or(&[]) {
            found.push(c);
            queue.push(c);
        }
    }
    found
}

/// The JSON line printed at first paint, `ms` after the process started. `page` is what the page
/// measured itself: `timeOrigin` (its navigation start, ms since the epoch; printed as
/// `navigationMs`, counted from this process's start), and any other figure by its name (such as
/// `pageMs`, the time from navigation start to first paint, and `ipcCalls`).
pub fn line(ms: f64, page: &HashMap<String, f64>) -> String {
    let me = std::process::id();
    let (app_rss, app_pss) = memory(me);
    let (web_rss, web_pss) = descendants(me)
        .into_iter()
        .map(memory)
        .fold((0, 0), |(r, p), (r2, p2)| (r + r2, p + p2));
    let mib = |kib: u64| kib as f64 / 1024.0;
    let mut text = format!(
        "{{\"paintedMs\": {ms:.0}, \"appRssMiB\": {:.1}, \"webviewRssMiB\": {:.1}, \"appPssMiB\": {:.1}, \"webviewPssMiB\": {:.1}",
        mib(app_rss),
        mib(web_rss),
        mib(app_pss),
        mib(web_pss)
    );
    // When the page's navigation started, counted from this process's start.
    if let (Some(origin), Ok(now)) = (
        page.get("timeOrigin"),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH),
    ) {
        let process_start = now.as_secs_f64() * 1000.0 - ms;
        text += &format!(", \"navigationMs\": {:.0}", origin - process_start);
    }
    // The page's own figures, by name (sorted, for the same order in every report).
    let mut names: Vec<&String> = page.keys().filter(|k| *k != "timeOrigin").collect();
    names.sort();
    for name in names {
        text += &format!(", \"{name}\": {:.0}", page[name]);
    }
    text + "}"
}
