//! The knowledge base's figures on a library of 20 project files: 19 archived projects and the
//! `--large` one (10,000 tasks, 1,000 meetings given two minuted topics each here, 250 risks and
//! 250 issues). Prints the time to build
//! the index from nothing, its size, the time of a refresh that finds nothing changed, and the time
//! to the first page of results for several queries (target ≤ 100 ms).
//! `cargo bench -p liaison-core --bench knowledge`. The figures are printed, not asserted.

use liaison_core::library::Library;
use liaison_core::Lang;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lib_dir = dir.path().join("library");
    std::fs::create_dir(&lib_dir).expect("library folder");
    let t = Instant::now();
    for i in 0..19 {
        let name = format!("第{}期协作项目", i + 1);
        drop(
            liaison_core::demo::write_closed_example(
                &lib_dir.join(format!("p{i:02}.liaison")),
                &name,
                i,
            )
            .expect("closed demo"),
        );
    }
    {
        // The large project's minutes get two topics each (2,000 decisions to search).
        let mut large =
            liaison_core::demo::write_large(&lib_dir.join("large.liaison")).expect("large demo");
        let tx = large.conn_mut().transaction().expect("transaction");
        tx.execute_batch(
            "INSERT INTO topic (meeting_id, position, title, discussion, result, disputes, settlement)
             SELECT id, 1, '渠道批次进度', '第' || id || '批渠道的铺货进度与库存周转情况',
                    '按计划推进，第' || id || '批城市的物流商下周一前确认运力', '', '' FROM meeting;
             INSERT INTO topic (meeting_id, position, title, discussion, result, disputes, settlement)
             SELECT id, 2, '费用结算', '销售部与财务部对第' || id || '批铺货费用的结算口径',
                    '以合同价为准', '结算口径不一致', '由市场部预算承担差额' FROM meeting;",
        )
        .expect("topics");
        tx.commit().expect("commit");
    }
    let files: u64 = std::fs::read_dir(&lib_dir)
        .expect("listing")
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "library: 20 project files, {} KB in all (written in {:.1} s)",
        files / 1024,
        t.elapsed().as_secs_f64()
    );

    let index = dir.path().join("index.sqlite");
    let mut lib = Library::open(&index).expect("index");
    let t = Instant::now();
    let built = lib.refresh(&lib_dir, None, Lang::Zh).expect("build");
    let build_time = t.elapsed();
    assert!(built.failed.is_empty(), "{:?}", built.failed);
    let wal = std::fs::metadata(dir.path().join("index.sqlite-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "index built from nothing: {} ({} projects, {} records), {} KB (+ {} KB write-ahead log)",
        ms(build_time),
        built.indexed,
        built.entries,
        lib.size().expect("size") / 1024,
        wal / 1024
    );
    let t = Instant::now();
    let again = lib.refresh(&lib_dir, None, Lang::Zh).expect("refresh");
    println!(
        "refresh with nothing changed: {} ({} unchanged)",
        ms(t.elapsed()),
        again.unchanged
    );

    // Queries as a user types them: a lesson phrase, a word in every large-project risk, two
    // characters (below the trigram's three: a scan), two words, one kind only.
    let queries: [(&str, Option<&str>); 6] = [
        ("锁定物流档期", None),
        ("仓储容量", None),
        ("物流", None),
        ("结算口径 财务部", None),
        ("财务部", Some("lesson")),
        ("不存在的词语组合", None),
    ];
    for (q, kind) in queries {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..9 {
            let t = Instant::now();
            n = lib.search(q, kind, 50).expect("search").len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "search 「{q}」{}: first {n} results in {} (median of 9; slowest {})",
            kind.map(|k| format!(" ({k})")).unwrap_or_default(),
            ms(times[4]),
            ms(times[8])
        );
    }
    // A fresh process opens the index and searches (what the app does on each query).
    let t = Instant::now();
    let cold = Library::open(&index).expect("reopen");
    let n = cold.search("锁定物流档期", None, 50).expect("search").len();
    println!(
        "open the index and search once: {} ({n} results)",
        ms(t.elapsed())
    );
}
