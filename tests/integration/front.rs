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
    assert!(stdout.contains("Highest-risk days"), "{stdout}");
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

#[test]
fn a_missing_input_path_is_a_usage_error_before_any_work() {
    let wrk = Workdir::new();
    for (flag, path) in [
        (None, "typo"),
        (Some("--weather"), "wether.csv"),
        (Some("--profiles"), "athlets.toml"),
        (Some("--model"), "my-model.toml"),
    ] {
        let mut cmd = wrk.analyze(fixture("basic"), "out");
        cmd.args(flag).arg(path);
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}: {}", stderr_of(&out));
        assert_eq!(
            stderr_of(&out),
            format!("error: {path}: no such file or folder\n")
        );
        // Before any work: not even the output folder was made.
        assert!(!wrk.path("out").exists(), "{path}");
    }
    std::os::unix::fs::symlink(wrk.path("gone.csv"), wrk.path("link.csv")).unwrap();
    let out = wrk.command("inspect").arg("link.csv").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("link.csv: a link to a file or folder that does not exist"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn nothing_to_score_says_why() {
    let wrk = Workdir::new();
    let run = |args: &[&str]| {
        let out = wrk
            .analyze(fixture("basic"), "out")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
        stderr_of(&out)
    };
    // The basic fixture's days: sessions and fluids on 2025-07-01 to 2025-07-03 (ana, ben).
    assert!(run(&["--from", "2025-08-01"]).contains(
        "error: nothing to score: the data covers 2025-07-01 to 2025-07-03, and --from 2025-08-01 is after it"
    ));
    assert!(run(&["--from", "2025-06-01", "--to", "2025-06-30"]).contains(
        "error: nothing to score: the data covers 2025-07-01 to 2025-07-03, and --to 2025-06-30 is before it"
    ));
    // Every row rejected: the first reasons are named.
    wrk.create(
        "bad/a.csv",
        "athlete,start,duration_min\nana,2025-06-01 08:00,-1\nana,2025-06-02 08:00,abc\n",
    );
    let out = wrk.analyze("bad", "out2").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.contains("nothing to score: none of the 2 rows read was usable (the first: bad/a.csv:2: duration_min -1 min is negative; bad/a.csv:3: "),
        "{err}"
    );
    // Weather alone: no athlete's day.
    wrk.create("wx/w.csv", "time,temp_c\n2025-07-01 07:00,30\n");
    let out = wrk.analyze("wx", "out3").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("nothing to score: the 1 usable rows name no athlete's day"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn unknown_athletes_get_did_you_mean_and_explain_names_the_athlete_or_the_day() {
    let wrk = Workdir::new();
    let out = wrk
        .analyze(fixture("basic"), "out")
        .args(["--athlete", "anna"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains(
        "error: --athlete \"anna\": no such athlete in the inputs. Did you mean \"ana\"? (athletes: ana, ben)"
    ), "{}", stderr_of(&out));
    let explain = |athlete: &str, date: &str| {
        wrk.command("explain")
            .arg(fixture("basic"))
            .args(["--athlete", athlete, "--date", date])
            .output()
            .unwrap()
    };
    // Unknown athlete: the athlete is named as unknown, not the day.
    let out = explain("Anna", "2025-07-02");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out)
            .contains("--athlete \"Anna\": no such athlete in the inputs. Did you mean \"ana\"?"),
        "{}",
        stderr_of(&out)
    );
    // An alias (athletes.toml: aliases = ["Ana Lopez"]), in any case, is the athlete.
    let out = explain("ANA lopez", "2025-07-02");
    assert!(out.status.success(), "{}", stderr_of(&out));
    // A known athlete on a day before their data: the day is what is missing.
    let out = explain("ana", "2025-06-01");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr_of(&out),
        "error: no day 2025-06-01 for athlete \"ana\": their data covers 2025-07-01 to 2025-07-03\n"
    );
    // An impossible date is named as such (a usage error, from clap).
    let out = wrk
        .analyze(fixture("basic"), "out")
        .args(["--from", "2025-02-30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out)
            .contains("invalid value '2025-02-30' for '--from <DATE>': 2025-02-30 is not a date"),
        "{}",
        stderr_of(&out)
    );
}
