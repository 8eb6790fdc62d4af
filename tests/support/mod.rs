//! Helpers shared by the end-to-end tests: running the built binary and writing bulletins.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The binary under test: this build's, or the one `TONGBAO_TEST_BIN` names (to show
/// that a test fails on an older binary).
pub fn binary() -> std::ffi::OsString {
    std::env::var_os("TONGBAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_tongbao").into())
}

/// The binary under test, with no inherited index or schema override.
pub fn tongbao(index: &Path) -> Command {
    let mut c = Command::new(binary());
    c.env_remove("TONGBAO_INDEX").env_remove("TONGBAO_SCHEMA").arg("--index").arg(index);
    c
}

/// The binary run as a user without privileges, for tests of what a folder's permissions
/// deny: root reads everything, so as root the binary is started through `setpriv` as
/// `nobody`. `None` (with the reason printed) when that is not possible; the caller skips
/// only the assertions that need it. Files the binary must read should be readable by
/// all, and the folders it writes writable by all ([`open_to_all`]).
pub fn unprivileged(index: &Path) -> Option<Command> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some(tongbao(index));
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].into_iter().find(|p| Path::new(p).exists());
    let Some(setpriv) = setpriv else {
        eprintln!("running as root without setpriv: permission checks cannot be exercised, skipping them");
        return None;
    };
    let mut c = Command::new(setpriv);
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(binary())
        .env_remove("TONGBAO_INDEX")
        .env_remove("TONGBAO_SCHEMA")
        .arg("--index")
        .arg(index);
    Some(c)
}

/// Make `dir` (a test's temporary folder, private by default) enterable and writable by
/// every user, for [`unprivileged`] runs.
pub fn open_to_all(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).expect("chmod 777");
}

/// True when this process is root (permissions are not enforced on it).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Run to completion and return the output; panics (with stderr) if it could not start.
pub fn run(index: &Path, args: &[&str]) -> Output {
    tongbao(index).args(args).output().expect("run tongbao")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Run and insist on success.
pub fn ok(index: &Path, args: &[&str]) -> Output {
    let o = run(index, args);
    assert!(o.status.success(), "tongbao {args:?} failed: {}", stderr(&o));
    o
}

/// Documents in the index, from `facets --json`.
pub fn doc_count(index: &Path) -> u64 {
    let o = ok(index, &["facets", "--json"]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("facets json");
    v["total"].as_u64().expect("total")
}

/// Run a search and insist that it worked: exit 0 (something matched) or 1 (nothing did).
pub fn searched(index: &Path, args: &[&str]) -> Output {
    let o = run(index, args);
    assert!(matches!(o.status.code(), Some(0 | 1)), "tongbao {args:?} failed: {}", stderr(&o));
    o
}

/// Paths of every hit (every copy) for a query.
pub fn hit_paths(index: &Path, query: &str) -> Vec<String> {
    let o = searched(index, &["search", "--json", "--all", "--exact", "-n", "10000", query]);
    stdout(&o).lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).filter_map(|v| v["path"].as_str().map(str::to_string)).collect()
}

/// Sentences of the kind police bulletins are made of.
const SENTENCES: &[&str] = &[
    "近日，市公安局反诈中心成功破获一起电信网络诈骗案件，抓获犯罪嫌疑人五名。",
    "经查，犯罪嫌疑人以高额回报为诱饵，诱骗受害人在虚假投资平台充值。",
    "警方提醒广大群众，凡是要求转账到安全账户的都是诈骗。",
    "案发后，专案组民警连续奋战，辗转多省开展抓捕工作。",
    "目前，犯罪嫌疑人已被依法刑事拘留，案件正在进一步侦办中。",
    "今年以来，全市公安机关深入开展打击整治养老诈骗专项行动。",
    "共破获各类刑事案件三百余起，追缴涉案资金一千二百余万元。",
    "交警部门在全市范围内开展酒驾醉驾集中整治统一行动。",
    "民警在巡逻中发现一名男子形迹可疑，经盘查发现其身上携带毒品。",
    "该团伙长期盘踞在城乡结合部，采取暴力手段强迫交易，欺压百姓。",
    "公安机关将持续保持高压严打态势，坚决维护社会治安大局稳定。",
    "如遇可疑情况，请及时拨打一一零报警或者下载国家反诈中心应用。",
    "受害人称，对方自称是某电商平台客服，以退款为由要求其提供验证码。",
    "办案民警对涉案账户采取紧急止付措施，成功为群众挽回经济损失。",
    "据了解，该犯罪团伙分工明确，有专人负责引流、话术和资金转移。",
    "下一步，公安机关将联合相关部门加大宣传力度，提升群众识骗防骗能力。",
];

/// A bulletin made of sentences chosen by `seed`, with a title line, a unique marker and
/// `公安机关` somewhere (so one query finds every generated bulletin).
pub fn bulletin_text(seed: u64, sentences: usize) -> String {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) as usize
    };
    let mut s = format!("关于第{seed}号警情的通报\n\n");
    for i in 0..sentences {
        s.push_str(SENTENCES[next() % SENTENCES.len()]);
        if i % 4 == 3 {
            s.push('\n');
        }
    }
    s.push_str(&format!("\n公安机关通报编号{seed}号。\n"));
    s
}

/// Limit the address space of the process `command` starts: a run that needs more fails
/// (allocation failure) instead of taking the machine's memory.
pub fn limit_memory(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls (setrlimit) between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Run to completion, but kill the process (and fail) if it runs past `guard`: for
/// inputs that used to take minutes, so a regression fails instead of hanging the suite.
/// Not a speed check: the guard is many times what the run needs.
pub fn run_guarded(mut command: Command, guard: std::time::Duration) -> Output {
    let started = std::time::Instant::now();
    let mut child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("run tongbao");
    let out_pipe = child.stdout.take().expect("stdout");
    let err_pipe = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || std::io::read_to_string(out_pipe).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(err_pipe).unwrap_or_default());
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Output { status, stdout: out.join().unwrap_or_default().into_bytes(), stderr: err.join().unwrap_or_default().into_bytes() };
        }
        if started.elapsed() > guard {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {guard:?}; stderr so far: {}", err.join().unwrap_or_default());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A child process killed (and reaped) when dropped, so that a failing test does not leave
/// a `watch` running (and holding the test harness's output open).
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
