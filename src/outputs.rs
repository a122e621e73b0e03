//! The tool's own output files: their names, the marker that says a folder holds them (so a
//! later run reading that folder skips them), and the guard that no input is ever overwritten.

use std::path::{Path, PathBuf};

/// A file written into every output folder; its presence marks the tool's own files there.
pub const MARKER: &str = ".cramprisk-output";

/// The files and folders the tool writes into an output folder (and may replace there).
pub const FILES: [&str; 6] = [
    "daily_risk.csv",
    "team_summary.csv",
    "rejected_rows.csv",
    "pseudonym_key.csv",
    "report.html",
    MARKER,
];
pub const DIRS: [&str; 1] = ["charts"];

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
    crate::report::write_atomically(&marker, |w| {
        use std::io::Write;
        writeln!(
            w,
            "This folder holds outputs of cramprisk. When it is read as input, cramprisk skips \
             its own files here ({}, {}/).",
            FILES[..5].join(", "),
            DIRS.join(", ")
        )?;
        Ok(())
    })
}
