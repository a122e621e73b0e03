//! Helpers: run the binary, read its CSV outputs by column name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn cramprisk() -> Command {
    assert_cmd::cargo::cargo_bin_cmd!("cramprisk")
}

/// A CSV file as rows of column → cell.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The row of an athlete and date.
pub fn day<'a>(
    rows: &'a [HashMap<String, String>],
    athlete: &str,
    date: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| r["athlete"] == athlete && r["date"] == date)
        .unwrap_or_else(|| panic!("no row for {athlete} {date}"))
}

/// A numeric cell, asserted within `tol` of `want`.
pub fn assert_num(row: &HashMap<String, String>, column: &str, want: f64, tol: f64) {
    let cell = &row[column];
    let got: f64 = cell
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {cell:?} is not a number"));
    assert!(
        (got - want).abs() <= tol,
        "{column}: got {got}, want {want} ± {tol}"
    );
}

/// A temporary folder for one test, in the manner of xsv's `Workdir`: a test writes its inputs
/// into it (`create`), runs the binary with the folder as the current directory (`command`,
/// `analyze`) so paths in outputs and messages are short and stable, and reads the outputs
/// back (`read_csv`, `read`). The folder is removed when the `Workdir` is dropped; keep it
/// alive for as long as its paths are used.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("creating a temporary folder"),
        }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the folder (`""` is the folder).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating its parent folders) and returns its path.
    pub fn create(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        p
    }

    /// Copies a file or folder of the repository (e.g. `samples/team`) to the same relative
    /// path inside the folder.
    pub fn copy_from_repo(&self, rel: &str) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        let to = self.path(rel);
        copy_tree(&from, &to);
        to
    }

    /// `cramprisk SUBCOMMAND`, run in the folder, with the stage timings switched off.
    pub fn command(&self, subcommand: &str) -> Command {
        let mut cmd = cramprisk();
        cmd.current_dir(self.root())
            .env_remove("CRAMPRISK_STAGE_TIMES")
            .arg(subcommand);
        cmd
    }

    /// `cramprisk analyze INPUT --out OUT`, run in the folder (`OUT` relative to it).
    pub fn analyze(&self, input: impl AsRef<std::ffi::OsStr>, out: &str) -> Command {
        let mut cmd = self.command("analyze");
        cmd.arg(input).arg("--out").arg(out);
        cmd
    }

    /// A CSV file inside the folder as rows of column → cell.
    pub fn read_csv(&self, rel: &str) -> Vec<HashMap<String, String>> {
        read_csv(&self.path(rel))
    }

    /// A text file inside the folder.
    pub fn read(&self, rel: &str) -> String {
        let p = self.path(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }
}

/// Copies a file, or a folder recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::copy(from, to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
}

/// The text of a command's standard error.
pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The text of a command's standard output (the result: the summary, the breakdown, …).
pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Everything a command printed, standard output then standard error (what a terminal shows).
pub fn terminal_of(output: &std::process::Output) -> String {
    format!("{}{}", stdout_of(output), stderr_of(output))
}
