//! The front door (issues 18 and 19): results on stdout and messages on stderr, a closed pipe
//! ends quietly, mistakes on the command line are errors that say what is wrong, and no input
//! makes the tool panic, hang or grow without bound.

use std::process::{Command, Output, Stdio};

use crate::util::{fixture, stderr_of, stdout_of, Workdir};

/// Runs a command whose standard output is a pipe already closed by its reader: every write
/// fails with EPIPE (as with `cramprisk … | head -1` once head has exited).
fn with_closed_stdout(mut cmd: Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.stdout(writer).stderr(Stdio::piped());
    cmd.output().unwrap()
}

/// `cramprisk SUBCOMMAND` as a plain process, run in the work folder.
fn process(wrk: &Workdir, subcommand: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cramprisk"));
    cmd.current_dir(wrk.root())
        .env_remove("CRAMPRISK_STAGE_TIMES")
        .arg(subcommand);
    cmd
}

fn assert_quiet_end(out: &Output, what: &str) {
    let err = stderr_of(out);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(out.status.code(), Some(0), "{what}: {err}");
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let wrk = Workdir::new();
    let cmd = |sub: &str| process(&wrk, sub);
    assert_quiet_end(&with_closed_stdout(cmd("model")), "model");
    let mut inspect = cmd("inspect");
    inspect.arg(fixture("basic"));
    assert_quiet_end(&with_closed_stdout(inspect), "inspect");
    let mut explain = cmd("explain");
    explain
        .arg(fixture("basic"))
        .args(["--athlete", "ana", "--date", "2025-07-01"]);
    assert_quiet_end(&with_closed_stdout(explain), "explain");
    let mut analyze = cmd("analyze");
    analyze
        .arg(fixture("basic"))
        .args(["--out", "out", "--charts", "none"]);
    let out = with_closed_stdout(analyze);
    assert_quiet_end(&out, "analyze");
    // The outputs were written all the same.
    assert!(wrk.path("out/daily_risk.csv").is_file());
    // No error line either: the reader stopping is not the tool's failure.
    assert!(!stderr_of(&out).contains("error"), "{}", stderr_of(&out));
}

#[test]
fn the_summary_is_the_result_on_stdout_and_warnings_go_to_stderr() {
    let wrk = Workdir::new();
    let out = wrk
        .analyze(fixture("team"), "out")
        .args(["--charts", "none"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
    // `analyze … > summary.txt` keeps the summary.
    assert!(stdout.starts_with("Inputs:"), "{stdout}");
    assert!(stdout.contains("Highest-risk days:"), "{stdout}");
    assert!(!stderr.contains("Inputs:"), "{stderr}");
    // The team fixture has a misspelt athlete: the warning is a message, on stderr.
    assert!(stderr.contains("warning: "), "{stderr}");
    assert!(!stdout.contains("warning: "), "{stdout}");
    // `generate` says what it wrote on stdout.
    let out = wrk
        .command("generate")
        .args(["--athletes", "1", "--days", "3", "--out", "gen"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("gen"), "{}", stdout_of(&out));
    assert_eq!(stderr_of(&out), "");
}
