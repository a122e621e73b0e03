//! Golden outputs: the README's first command on the demo team, compared byte for byte with
//! the copies checked in under tests/golden/samples/ (`daily_risk.csv`, `team_summary.csv`
//! and the terminal summary). A change that is meant to alter them regenerates them with
//! `CRAMPRISK_UPDATE_GOLDEN=1 cargo test golden` and commits the new files with the change, so
//! the review shows exactly what moved (tests/golden/README.md).

use std::path::{Path, PathBuf};

use crate::util::{stderr_of, stdout_of, Workdir};

/// Where the checked-in copies live.
fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/samples")
}

/// Compares `got` with the golden file `name`, or rewrites it when updating is asked for.
fn check(name: &str, got: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("CRAMPRISK_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with CRAMPRISK_UPDATE_GOLDEN=1 cargo test golden",
            path.display()
        )
    });
    if got == want {
        return;
    }
    let (got_lines, want_lines): (Vec<&str>, Vec<&str>) =
        (got.lines().collect(), want.lines().collect());
    let at = got_lines
        .iter()
        .zip(&want_lines)
        .position(|(g, w)| g != w)
        .unwrap_or(got_lines.len().min(want_lines.len()));
    panic!(
        "{name} differs from {} at line {}:\n  want: {:?}\n  got:  {:?}\n({} lines wanted, {} got). \
         If the change is meant, run CRAMPRISK_UPDATE_GOLDEN=1 cargo test golden and commit the \
         files with it.",
        path.display(),
        at + 1,
        want_lines.get(at).unwrap_or(&"<end of file>"),
        got_lines.get(at).unwrap_or(&"<end of file>"),
        want_lines.len(),
        got_lines.len()
    );
}

#[test]
fn golden_samples_outputs_and_summary() {
    // The samples are copied so the command runs exactly as the README writes it, with
    // `samples/team` and `report` as the paths the summary prints.
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    let output = wrk.analyze("samples/team", "report").output().unwrap();
    let summary = stdout_of(&output);
    assert!(output.status.success(), "{}", stderr_of(&output));
    check("daily_risk.csv", &wrk.read("report/daily_risk.csv"));
    check("team_summary.csv", &wrk.read("report/team_summary.csv"));
    check("summary.txt", &summary);
}
