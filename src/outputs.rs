//! The tool's own output files: the set a run writes with their names (planned and checked
//! before any computation, so a run that cannot write fails in its first second), the marker
//! that says a folder holds them (so a later run reading that folder skips them), the guard
//! that no input is ever overwritten, atomic writing, and safe, unique file stems for names.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// A file written into every output folder; its presence marks the tool's own files there.
pub const MARKER: &str = ".cramprisk-output";

pub const DAILY_RISK: &str = "daily_risk.csv";
pub const TEAM_SUMMARY: &str = "team_summary.csv";
pub const REJECTED_ROWS: &str = "rejected_rows.csv";
pub const PSEUDONYM_KEY: &str = "pseudonym_key.csv";
pub const REPORT: &str = "report.html";
pub const CHARTS: &str = "charts";
/// `cramprisk evaluate`'s tables.
pub const EVALUATION: &str = "evaluation.csv";
pub const CALIBRATION: &str = "calibration.csv";
pub const FACTOR_CHECK: &str = "factor_check.csv";
/// `cramprisk plan`'s tables.
pub const PLAN: &str = "plan.csv";
pub const PLAN_HOURS: &str = "plan_hours.csv";
pub const PLAN_HTML: &str = "plan.html";
/// One page per athlete beside report.html, for a large team (see `report::html::Layout`).
pub const ATHLETE_PAGES: &str = "athletes";

/// The files and folders the tool writes into an output folder (and may replace there).
pub const FILES: [&str; 12] = [
    DAILY_RISK,
    TEAM_SUMMARY,
    REJECTED_ROWS,
    PSEUDONYM_KEY,
    REPORT,
    MARKER,
    EVALUATION,
    CALIBRATION,
    FACTOR_CHECK,
    PLAN,
    PLAN_HOURS,
    PLAN_HTML,
];
pub const DIRS: [&str; 2] = [CHARTS, ATHLETE_PAGES];

/// The tables a run writes, in the order the summary names them.
const TABLES: [&str; 3] = [DAILY_RISK, TEAM_SUMMARY, REJECTED_ROWS];

/// The output folder of one run: the paths of its files, named once, and the files actually
/// written so far (for the summary).
#[derive(Debug, Clone)]
pub struct Outputs {
    dir: PathBuf,
    written: Vec<PathBuf>,
}

impl Outputs {
    /// The outputs of a run into `dir` (nothing is touched yet).
    pub fn new(dir: &Path) -> Outputs {
        Outputs {
            dir: dir.to_path_buf(),
            written: Vec::new(),
        }
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of one of the tool's files (`DAILY_RISK`, …) in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Makes the folder ready before any computation: creates it, refuses a folder where an
    /// output would replace one of `inputs`, and writes the marker — which also proves the
    /// folder writable, so a run that cannot write its outputs stops here.
    pub fn prepare(&self, inputs: &[PathBuf]) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating output folder {}", self.dir.display()))?;
        guard(&self.dir, inputs)?;
        mark(&self.dir)
    }

    /// Writes one of the tool's files atomically and records it as written.
    pub fn write(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let path = self.path(name);
        write_atomically(&path, write)?;
        self.written.push(path);
        Ok(())
    }

    /// Whether a file was written in this run.
    pub fn was_written(&self, name: &str) -> bool {
        self.written.contains(&self.path(name))
    }

    /// "Wrote DIR/daily_risk.csv, DIR/team_summary.csv and DIR/rejected_rows.csv (N
    /// rejected)." — naming only the tables this run wrote.
    pub fn tables_line(&self, rejected: usize) -> String {
        let names: Vec<String> = TABLES
            .iter()
            .filter(|n| self.was_written(n))
            .map(|n| self.path(n).display().to_string())
            .collect();
        let list = match names.split_last() {
            None => return format!("Wrote no table ({rejected} rejected)."),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
        format!("Wrote {list} ({rejected} rejected).")
    }
}

/// Whether `path` is one of the tool's own outputs: named as one, in a folder with the marker
/// (or inside such a folder's `charts/`).
pub fn is_own_output(path: &Path) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if FILES.contains(&name) && dir.join(MARKER).is_file() {
        return true;
    }
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|d| DIRS.contains(&d))
        && dir.parent().is_some_and(|p| p.join(MARKER).is_file())
}

/// Fails when an output path is one of the inputs (compared as canonical paths), so that
/// `--out` pointing at an input folder never replaces a user's file.
pub fn guard(out_dir: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let inputs: Vec<PathBuf> = inputs.iter().filter_map(|p| canonical(p)).collect();
    for name in FILES {
        let target = out_dir.join(name);
        if let Some(t) = canonical(&target) {
            if inputs.contains(&t) {
                anyhow::bail!(
                    "{} is one of the inputs and would be overwritten: choose another --out folder",
                    target.display()
                );
            }
        }
    }
    Ok(())
}

/// Marks `out_dir` as holding the tool's outputs.
pub fn mark(out_dir: &Path) -> anyhow::Result<()> {
    let marker = out_dir.join(MARKER);
    write_atomically(&marker, |w| {
        writeln!(
            w,
            "This folder holds outputs of cramprisk. When it is read as input, cramprisk skips \
             its own files here ({}, {}).",
            FILES
                .iter()
                .filter(|f| **f != MARKER)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            DIRS.map(|d| format!("{d}/")).join(", ")
        )?;
        Ok(())
    })
}

/// Writes a file atomically: `write` fills a temporary file beside `path`, renamed on success,
/// so an interrupted run never leaves half a file.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let file =
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let mut buf = std::io::BufWriter::new(file);
        write(&mut buf)?;
        buf.flush()?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The longest file stem made from a name.
const MAX_STEM_CHARS: usize = 60;

/// A file-name stem from an athlete's name: lowercase ASCII letters, digits, `-` and `_` only
/// (anything else becomes `-`, runs of `-` collapse), so no path separator, `..`, control
/// character or reserved device name can reach the file system; never empty.
pub fn safe_file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        let keep = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
        let next = if keep { c } else { '-' };
        if next == '-' && (stem.is_empty() || stem.ends_with('-')) {
            continue;
        }
        stem.push(next);
    }
    let mut stem: String = stem
        .trim_matches('-')
        .chars()
        .take(MAX_STEM_CHARS)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    if stem.is_empty() {
        stem = "athlete".to_string();
    }
    // Names Windows reserves for devices, whatever the extension.
    let reserved = ["con", "prn", "aux", "nul"].contains(&stem.as_str())
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.ends_with(|c: char| c.is_ascii_digit()));
    if reserved {
        stem.push_str("-athlete");
    }
    stem
}

/// One stem per name, in order, all different: a stem already taken gets `-2`, `-3`, …
pub fn unique_stems(names: &[String]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    names
        .iter()
        .map(|name| {
            let base = safe_file_stem(name);
            let mut stem = base.clone();
            let mut n = 2;
            while !taken.insert(stem.clone()) {
                stem = format!("{base}-{n}");
                n += 1;
            }
            stem
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe_and_never_empty() {
        assert_eq!(safe_file_stem("Ana Lopez"), "ana-lopez");
        assert_eq!(safe_file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(safe_file_stem("a/b\\c"), "a-b-c");
        assert_eq!(safe_file_stem("x\u{0}\n\ty"), "x-y");
        assert_eq!(safe_file_stem("Zoë_K"), "zo-_k");
        assert_eq!(safe_file_stem("..."), "athlete");
        assert_eq!(safe_file_stem(""), "athlete");
        assert_eq!(safe_file_stem("李"), "athlete");
        assert_eq!(safe_file_stem("CON"), "con-athlete");
        assert_eq!(safe_file_stem("com1"), "com1-athlete");
        assert_eq!(safe_file_stem(&"a".repeat(200)).len(), 60);
        for name in ["<script>", "a..b", " -lead- ", "tab\there"] {
            let s = safe_file_stem(name);
            assert!(
                !s.is_empty() && !s.contains("..") && !s.starts_with('-'),
                "{name:?} → {s}"
            );
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'),
                "{name:?} → {s}"
            );
        }
    }

    #[test]
    fn stems_are_unique_across_athletes() {
        let names: Vec<String> = ["Ana", "ana", "ANA!", "ana-2", "Ben"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            unique_stems(&names),
            ["ana", "ana-2", "ana-3", "ana-2-2", "ben"]
        );
    }

    #[test]
    fn the_summary_names_only_the_tables_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Outputs::new(dir.path());
        out.prepare(&[]).unwrap();
        out.write(DAILY_RISK, |_| Ok(())).unwrap();
        out.write(REJECTED_ROWS, |_| Ok(())).unwrap();
        let d = dir.path().display();
        assert_eq!(
            out.tables_line(2),
            format!("Wrote {d}/daily_risk.csv and {d}/rejected_rows.csv (2 rejected).")
        );
        out.write(TEAM_SUMMARY, |_| Ok(())).unwrap();
        assert_eq!(
            out.tables_line(0),
            format!(
                "Wrote {d}/daily_risk.csv, {d}/team_summary.csv and {d}/rejected_rows.csv (0 rejected)."
            )
        );
    }

    #[test]
    fn a_folder_that_cannot_be_made_fails_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the folder should be.
        let blocked = dir.path().join("out");
        std::fs::write(&blocked, "x").unwrap();
        let err = Outputs::new(&blocked).prepare(&[]).unwrap_err();
        assert!(
            format!("{err:#}").contains("creating output folder"),
            "{err:#}"
        );
    }
}
