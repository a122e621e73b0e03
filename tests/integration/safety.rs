//! Safety of outputs: inputs are never overwritten, re-running into a folder replaces only the
//! tool's own files, and input text cannot become a spreadsheet formula.

use std::path::Path;

use crate::util::{cramprisk, fixture, read_csv};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

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
    let tmp = tempfile::tempdir().unwrap();
    let team = tmp.path().join("team");
    copy_dir(&fixture("basic"), &team);
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
    let tmp = tempfile::tempdir().unwrap();
    // A user's own file called daily_risk.csv, in a folder that is not a cramprisk output.
    let input = tmp.path().join("daily_risk.csv");
    std::fs::copy(fixture("basic/activities.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    cramprisk()
        .arg("analyze")
        .arg(&input)
        .args(["--athlete-name", "ana", "--out"])
        .arg(tmp.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "is one of the inputs and would be overwritten: choose another --out folder",
        ));
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn input_text_cannot_become_a_formula() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("acts.csv");
    std::fs::write(
        &csv,
        "athlete,start,duration_min\n\
         =HYPERLINK(\"http://x\"),2025-07-01 08:00,60\n\
         +cmd,2025-07-01 08:00,45\n\
         @SUM(A1),2025-07-01 09:00,30\n\
         -2+3,2025-07-01 09:00,30\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    cramprisk()
        .arg("analyze")
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for table in ["daily_risk.csv", "team_summary.csv"] {
        let rows = read_csv(&out.join(table));
        let mut names: Vec<&str> = rows.iter().map(|r| r["athlete"].as_str()).collect();
        names.sort();
        assert_eq!(
            names,
            ["'+cmd", "'-2+3", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)"],
            "{table}"
        );
    }
}
