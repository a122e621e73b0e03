//! Safety of outputs: inputs are never overwritten, re-running into a folder replaces only the
//! tool's own files, and input text cannot become a spreadsheet formula.

use std::path::Path;

use crate::util::{cramprisk, fixture, stderr_of, Workdir};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn out_in_the_input_folder_never_touches_inputs_and_reruns_read_the_same_rows() {
    let wrk = Workdir::new();
    let team = wrk.path("team");
    crate::util::copy_tree(&fixture("basic"), &team);
    let before = snapshot(&team);
    let run = || {
        let out = cramprisk()
            .arg("analyze")
            .arg(&team)
            .arg("--out")
            .arg(&team)
            .output()
            .unwrap();
        assert!(out.status.success());
        crate::util::terminal_of(&out)
    };
    let first = run();
    let daily_first = std::fs::read(team.join("daily_risk.csv")).unwrap();
    // The second run reads the same inputs: the first run's outputs are not read back.
    let second = run();
    assert_eq!(first, second);
    assert!(!second.contains("daily_risk.csv  "), "{second}");
    assert_eq!(
        std::fs::read(team.join("daily_risk.csv")).unwrap(),
        daily_first
    );
    // Every input file is byte-for-byte as it was.
    let after: Vec<_> = snapshot(&team)
        .into_iter()
        .filter(|(p, _)| before.iter().any(|(b, _)| b == p))
        .collect();
    assert_eq!(after, before);
    // And an output folder inside the inputs is skipped too.
    let out = cramprisk()
        .arg("analyze")
        .arg(&team)
        .arg("--out")
        .arg(team.join("report"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let again = cramprisk()
        .arg("analyze")
        .arg(&team)
        .arg("--out")
        .arg(team.join("report"))
        .output()
        .unwrap();
    assert_eq!(out.stdout, again.stdout);
    assert_eq!(out.stderr, again.stderr);
}

#[test]
fn an_input_named_like_an_output_is_never_overwritten() {
    let wrk = Workdir::new();
    // A user's own file called daily_risk.csv, in a folder that is not a cramprisk output.
    let input = wrk.create(
        "daily_risk.csv",
        std::fs::read(fixture("basic/activities.csv")).unwrap(),
    );
    let before = std::fs::read(&input).unwrap();
    wrk.analyze("daily_risk.csv", ".")
        .args(["--athlete-name", "ana"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "is one of the inputs and would be overwritten: choose another --out folder",
        ));
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn input_text_cannot_become_a_formula() {
    let wrk = Workdir::new();
    wrk.create(
        "acts.csv",
        "athlete,start,duration_min\n\
         =HYPERLINK(\"http://x\"),2025-07-01 08:00,60\n\
         +cmd,2025-07-01 08:00,45\n\
         @SUM(A1),2025-07-01 09:00,30\n\
         -2+3,2025-07-01 09:00,30\n",
    );
    wrk.analyze("acts.csv", "out").assert().success();
    for table in ["daily_risk.csv", "team_summary.csv"] {
        let rows = wrk.read_csv(&format!("out/{table}"));
        let mut names: Vec<&str> = rows.iter().map(|r| r["athlete"].as_str()).collect();
        names.sort();
        assert_eq!(
            names,
            ["'+cmd", "'-2+3", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)"],
            "{table}"
        );
    }
}

/// A run whose output folder cannot be made stops before reading any input: the stage
/// timings (`CRAMPRISK_STAGE_TIMES`) show the inputs gathered (found, not read) and no ingest.
#[test]
fn a_run_that_cannot_write_stops_before_reading() {
    let wrk = Workdir::new();
    wrk.create("out", "a file where the output folder should be");
    let output = wrk
        .analyze(fixture("basic"), "out")
        .env("CRAMPRISK_STAGE_TIMES", "1")
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: creating output folder out"),
        "{stderr}"
    );
    assert!(stderr.contains("stage gather inputs"), "{stderr}");
    assert!(!stderr.contains("stage ingest"), "{stderr}");
}

/// Dates that contradict each other are a usage error (exit 2), before anything is read.
#[test]
fn contradicting_dates_are_usage_errors_found_first() {
    let wrk = Workdir::new();
    let output = wrk
        .analyze(fixture("basic"), "out")
        .args(["--from", "2025-07-05", "--to", "2025-07-01"])
        .env("CRAMPRISK_STAGE_TIMES", "1")
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: --from 2025-07-05 is after --to 2025-07-01"),
        "{stderr}"
    );
    assert!(!stderr.contains("stage "), "{stderr}");
    assert!(!wrk.path("out").exists());
}
