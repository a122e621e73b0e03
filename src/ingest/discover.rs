//! Discovery: which files a run reads — explicit files as given, folders walked for CSVs,
//! `athletes.toml` and the exports known by file name (from the format list), skipping the
//! tool's own earlier outputs. Nothing is read here.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::types::InputFile;

/// Finds the files to read: explicit files as given, folders scanned recursively for `*.csv`,
/// `athletes.toml` and the vendor files that are not CSV, known by name (Apple Health
/// `export.xml`, Garmin `HydrationLogFile_*.json`), in a fixed (sorted) order so runs are
/// reproducible. Each file is read once, however many paths lead to it (a folder named twice,
/// a link to a sibling folder): the first path in that order is kept.
pub fn discover(inputs: &[PathBuf]) -> anyhow::Result<(Vec<InputFile>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut profiles = Vec::new();
    let mut seen = HashSet::new();
    // A path that cannot be resolved (a typo, a broken link) is kept as given: it is a file
    // problem like any other, named and skipped when read, the other inputs still read.
    let mut first_time = |p: &Path| match std::fs::canonicalize(p) {
        Ok(c) => seen.insert(c),
        Err(_) => true,
    };
    for input in inputs {
        if input.is_dir() {
            let found = walk(input)
                .map_err(|e| anyhow::anyhow!("reading folder {}: {e}", input.display()))?;
            for p in shortest_paths(found) {
                if !first_time(&p) {
                    continue;
                }
                if p.file_name().is_some_and(|n| n == "athletes.toml") {
                    profiles.push(p);
                } else {
                    files.push(InputFile {
                        path: p,
                        hint: None,
                    });
                }
            }
        } else if !first_time(input) {
            continue;
        } else if input.extension().is_some_and(|e| e == "toml") {
            profiles.push(input.clone());
        } else {
            files.push(InputFile {
                path: input.clone(),
                hint: None,
            });
        }
    }
    Ok((files, profiles))
}

/// One path per file, sorted: of the paths that lead to one file (through a link to a
/// sibling folder, or once around a loop), the shortest, then the first in order — the path
/// the user would name (`team/weather.csv`, not `team/loop/team/weather.csv`).
fn shortest_paths(found: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut best: HashMap<PathBuf, PathBuf> = HashMap::new();
    for p in found {
        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        let rank = |q: &Path| (q.components().count(), q.to_path_buf());
        match best.get(&key) {
            Some(kept) if rank(kept) <= rank(&p) => {}
            _ => {
                best.insert(key, p);
            }
        }
    }
    let mut out: Vec<PathBuf> = best.into_values().collect();
    out.sort();
    out
}

/// The input files under `dir`. Links are followed (a linked folder of exports is input),
/// through walkdir, which stops at a link back to a folder being walked: a loop is walked once,
/// not forever (two sibling loops made a hand-written walk exponential). An earlier run's
/// output folder is not input (its tables are the tool's).
fn walk(dir: &Path) -> Result<Vec<PathBuf>, walkdir::Error> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::outputs::is_own_output(e.path()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // A link back to a folder being walked: its files are found through that folder.
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => match e.path() {
                // A broken link (or a file gone since the folder was listed) is named and
                // skipped when read, like a missing file.
                Some(p) if std::fs::metadata(p).is_err() => {
                    if is_input_name(p) {
                        out.push(p.to_path_buf());
                    }
                    continue;
                }
                // A folder that cannot be read stops the run, naming it.
                _ => return Err(e),
            },
        };
        if !entry.file_type().is_dir() && is_input_name(entry.path()) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
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
