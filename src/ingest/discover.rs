//! Discovery: which files a run reads — explicit files as given, folders walked for CSVs,
//! `athletes.toml` and the exports known by file name (from the format list), skipping the
//! tool's own earlier outputs. Nothing is read here.

use std::path::{Path, PathBuf};

use super::types::InputFile;

/// Finds the files to read: explicit files as given, folders scanned recursively for `*.csv`,
/// `athletes.toml` and the vendor files that are not CSV, known by name (Apple Health
/// `export.xml`, Garmin `HydrationLogFile_*.json`), in a fixed (sorted) order so runs are
/// reproducible.
pub fn discover(inputs: &[PathBuf]) -> anyhow::Result<(Vec<InputFile>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut profiles = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found)
                .map_err(|e| anyhow::anyhow!("reading folder {}: {e}", input.display()))?;
            found.sort();
            for p in found {
                if p.file_name().is_some_and(|n| n == "athletes.toml") {
                    profiles.push(p);
                } else {
                    files.push(InputFile {
                        path: p,
                        hint: None,
                    });
                }
            }
        } else if input.extension().is_some_and(|e| e == "toml") {
            profiles.push(input.clone());
        } else {
            // A path that does not exist or cannot be read (a typo, a broken link) is a file
            // problem like any other: named and skipped when read, the other inputs still read.
            files.push(InputFile {
                path: input.clone(),
                hint: None,
            });
        }
    }
    Ok((files, profiles))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // A folder that is an earlier run's output is not input (its tables are the tool's).
        if crate::outputs::is_own_output(&path) {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_input_name(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether a file name is one the tool reads, archives included.
pub fn is_input_name(path: &Path) -> bool {
    let name = lower_name(path);
    name.ends_with(".csv")
        || name.ends_with(".csv.gz")
        || name.ends_with(".fit")
        || name.ends_with(".fit.gz")
        || name.ends_with(".zip")
        || name == "athletes.toml"
        || is_named_vendor_file(path)
}

/// A file's name, lower-cased (empty for a path without one).
pub(super) fn lower_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Exports that are not CSV, recognised by their name only (from the format list).
pub fn is_named_vendor_file(path: &Path) -> bool {
    super::formats::by_file_name(path).is_some()
}
