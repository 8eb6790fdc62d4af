//! Time and peak memory of `tongbao extract` on hostile files, one process per file.
//!
//!     cargo build --release
//!     cargo run --release --example hostile_cost [-- [--bin PATH] [--only NAME] [--timeout SECS] [--runs N] [--index]]
//!
//! Each file is generated into a temporary folder (pages whose elements a tree-building
//! parser nests quadratically, ordinary-looking pages of millions of elements just under
//! the 20 MB cap, a sparse multi-gigabyte sidecar, …) and read by a separate `extract`
//! process, so the peak resident set (`ru_maxrss` from `wait4`) is that file's alone. A
//! process still running after the timeout is killed and reported as such. With `--runs`
//! above 1 the median time is printed (the machine is shared and noisy). `--bin` measures
//! another build, to compare before and after a change.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Case {
    name: &'static str,
    /// What it is, for the table.
    what: &'static str,
    make: fn(&Path) -> PathBuf,
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write case");
    p
}

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len())
}

const MB: usize = 1 << 20;

fn cases() -> Vec<Case> {
    vec![
        Case { name: "p-2mb", what: "2 MB of `<p>x` (520k elements)", make: |d| write(d, "p2.html", repeat_to("<p>x", 2 * MB)) },
        Case { name: "p-19mb", what: "19 MB of `<p>x` (4.9M elements)", make: |d| write(d, "p.html", repeat_to("<p>x", 19 * MB)) },
        Case {
            name: "p-text-19mb",
            what: "19 MB of real sentences in `<p>`s (text over the cap)",
            make: |d| {
                write(
                    d,
                    "ptext.html",
                    repeat_to("<p>近日，市公安局反诈中心成功破获一起电信网络诈骗案件，抓获犯罪嫌疑人五名，冻结涉案资金三百万元。</p>\n", 19 * MB),
                )
            },
        },
        Case { name: "rb-500kb", what: "`<rb>x` × 100 000 (500 KB)", make: |d| write(d, "rb.html", "<rb>x".repeat(100_000)) },
        Case { name: "optgroup-500kb", what: "`<optgroup><option>x` × 25 000 (500 KB)", make: |d| write(d, "opt.html", "<optgroup><option>x".repeat(25_000)) },
        Case { name: "a-unclosed-1mb", what: "`<a href=x>链接` × 60 000, never closed", make: |d| write(d, "a.html", "<a href=x>链接".repeat(60_000)) },
        Case { name: "misnested-1mb", what: "`<b><i>文</b></i>` × 60 000", make: |d| write(d, "bi.html", "<b><i>文</b></i>".repeat(60_000)) },
        Case {
            name: "div-deep-1mb",
            what: "`<div>` nested 100 000 deep around one sentence",
            make: |d| write(d, "deep.html", format!("{}<p>深层正文。</p>{}", "<div>".repeat(100_000), "</div>".repeat(100_000))),
        },
        Case {
            name: "table-19mb",
            what: "19 MB of `<tr><td>x</td>` rows",
            make: |d| write(d, "table.html", format!("<table>{}</table>", repeat_to("<tr><td>x</td>", 19 * MB))),
        },
        Case {
            name: "text-lines-19mb",
            what: "19 MB plain text, one short line each",
            make: |d| write(d, "lines.txt", repeat_to("警方破获案件。\n", 19 * MB)),
        },
        Case {
            name: "sidecar-2gb",
            what: "bulletin with a sparse 2.5 GB `.meta.toml` sidecar",
            make: |d| {
                let p = write(d, "s.txt", "警情通报\n某县公安局破获一起盗窃案件。\n");
                let side = std::fs::File::create(d.join("s.meta.toml")).expect("sidecar");
                side.set_len(2500 * MB as u64).expect("sparse sidecar");
                p
            },
        },
    ]
}

/// Run `bin extract --json file` (or `index` it into a fresh index); wall time, peak RSS
/// in KiB, and how it ended.
// The child is reaped by `wait4` (which also gives its peak RSS), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn measure(bin: &Path, file: &Path, timeout: Duration, index: bool) -> (Duration, i64, String) {
    let mut command = Command::new(bin);
    if index {
        let ix = file.with_extension("index");
        let _ = std::fs::remove_dir_all(&ix);
        command.arg("--index").arg(ix).arg("index");
    } else {
        command.args(["extract", "--json"]);
    }
    let started = Instant::now();
    let child = command.arg(file).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().expect("spawn tongbao");
    let pid = child.id() as libc::pid_t;
    let mut stderr = child.stderr;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(e, &mut s);
        }
        s
    });
    let mut status = 0;
    // SAFETY: plain struct of integers, filled in by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut killed = false;
    loop {
        // SAFETY: `pid` is our child; status and usage point to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if started.elapsed() > timeout && !killed {
            // SAFETY: sending a signal to our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = started.elapsed();
    let err = reader.join().unwrap_or_default();
    let how = if killed {
        format!("killed after {} s", timeout.as_secs())
    } else if libc::WIFSIGNALED(status) {
        format!("died of signal {} (out of memory?)", libc::WTERMSIG(status))
    } else if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
        "read".to_string()
    } else {
        let line = err.lines().next().unwrap_or("").chars().take(110).collect::<String>();
        format!("exit {}: {line}", libc::WEXITSTATUS(status))
    };
    (took, usage.ru_maxrss, how)
}

fn main() {
    let mut bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/tongbao");
    let mut only: Option<String> = None;
    let mut timeout = Duration::from_secs(120);
    let mut runs = 1;
    let mut index = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bin" => bin = args.next().map(PathBuf::from).expect("--bin PATH"),
            "--only" => only = args.next(),
            "--timeout" => timeout = Duration::from_secs(args.next().and_then(|s| s.parse().ok()).expect("--timeout SECS")),
            "--runs" => runs = args.next().and_then(|s| s.parse().ok()).expect("--runs N"),
            "--index" => index = true,
            other => panic!("unknown argument {other}"),
        }
    }
    let tmp = std::env::temp_dir().join(format!("tongbao-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp folder");
    println!("binary: {} ({})", bin.display(), if index { "index" } else { "extract" });
    println!("{:<16} {:>9} {:>11}  {:<44} result", "case", "time", "peak RSS", "file");
    for case in cases() {
        if only.as_deref().is_some_and(|o| !case.name.contains(o)) {
            continue;
        }
        let dir = tmp.join(case.name);
        std::fs::create_dir_all(&dir).expect("case folder");
        let file = (case.make)(&dir);
        let mut times = Vec::new();
        let (mut rss, mut how) = (0, String::new());
        for _ in 0..runs {
            let (t, r, h) = measure(&bin, &file, timeout, index);
            times.push(t);
            rss = rss.max(r);
            how = h;
        }
        times.sort();
        let median = times[times.len() / 2];
        println!("{:<16} {:>8.2}s {:>8.0} MB  {:<44} {how}", case.name, median.as_secs_f64(), rss as f64 / 1024.0, case.what);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
