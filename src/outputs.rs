//! The tool's own output files and the output folder's rules: the set a run writes with their
//! names, staged in a folder beside them and moved into place only when the run succeeds (a
//! failing run leaves the previous set as it was); a lock so two runs never mix their files; the
//! marker that lists exactly what the tool wrote (so a later run replaces or deletes only those,
//! and skips them when reading the folder as input); atomic writing; safe file stems for names.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// A file written into every output folder: it marks the folder as holding the tool's outputs
/// and lists them, one path (relative to the folder, `/`-separated) a line after its header.
pub const MARKER: &str = ".cramprisk-output";
/// The lock a run holds on its output folder (an OS file lock: released when the process
/// ends, however it ends, so it is never stale).
pub const LOCK: &str = ".cramprisk-lock";
/// Where a run writes its outputs before they replace the previous set.
pub const STAGING: &str = ".cramprisk-staging";
/// In the staging folder: present once every output is written, so the move can be finished
/// by the next run if this one is killed half-way.
const COMPLETE: &str = ".complete";

pub const DAILY_RISK: &str = "daily_risk.csv";
pub const TEAM_SUMMARY: &str = "team_summary.csv";
pub const REJECTED_ROWS: &str = "rejected_rows.csv";
/// The same tables as Parquet (`--format parquet|both`).
pub const DAILY_RISK_PARQUET: &str = "daily_risk.parquet";
pub const TEAM_SUMMARY_PARQUET: &str = "team_summary.parquet";
pub const REJECTED_ROWS_PARQUET: &str = "rejected_rows.parquet";
/// `--partition-by athlete`: the daily table as a hive layout, `daily_risk/athlete=NAME/part-0.parquet`.
pub const DAILY_RISK_PARTS: &str = "daily_risk";
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
pub const FILES: [&str; 15] = [
    DAILY_RISK,
    TEAM_SUMMARY,
    REJECTED_ROWS,
    DAILY_RISK_PARQUET,
    TEAM_SUMMARY_PARQUET,
    REJECTED_ROWS_PARQUET,
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
const TABLES: [&str; 7] = [
    DAILY_RISK,
    DAILY_RISK_PARQUET,
    TEAM_SUMMARY,
    TEAM_SUMMARY_PARQUET,
    REJECTED_ROWS,
    REJECTED_ROWS_PARQUET,
    DAILY_RISK_PARTS,
];

/// The tables' names without their form: a table written again in any form (CSV, Parquet, a
/// partition folder) replaces all its forms of the earlier run, so no stale copy of a table
/// lies beside the fresh one (and a partition folder never keeps an athlete no longer there).
const TABLE_STEMS: [&str; 3] = ["daily_risk", "team_summary", "rejected_rows"];

/// Folders that are one table each: every file in them must be the tool's (a reader takes the
/// whole folder as the table).
const TABLE_DIRS: [&str; 1] = [DAILY_RISK_PARTS];

/// The first line of the marker; the paths follow.
const MARKER_HEADER: &str = "This folder holds outputs of cramprisk, listed below. A later run \
     replaces or deletes only these files, and skips them when the folder is read as input.";

/// The output folder of one run: where its files go, the staging folder they are written to
/// first, the lock held while it runs, and the files written so far (for the summary).
#[derive(Debug)]
pub struct Outputs {
    dir: PathBuf,
    written: Vec<PathBuf>,
    /// Held from `prepare` to the end of the run.
    lock: Option<std::fs::File>,
    /// Whether the staging folder is this run's and still to be moved or removed.
    staged: bool,
}

impl Clone for Outputs {
    /// A plan of the same folder (no lock, nothing staged).
    fn clone(&self) -> Self {
        Outputs::new(&self.dir)
    }
}

impl Outputs {
    /// The outputs of a run into `dir` (nothing is touched yet).
    pub fn new(dir: &Path) -> Outputs {
        Outputs {
            dir: dir.to_path_buf(),
            written: Vec::new(),
            lock: None,
            staged: false,
        }
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder the run writes into until `commit` moves its files to `dir`.
    pub fn staging(&self) -> PathBuf {
        self.dir.join(STAGING)
    }

    /// The final path of one of the tool's files (`DAILY_RISK`, …) in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Makes the folder ready before any computation: creates it, takes its lock (a second
    /// run into it fails at once, naming the folder), finishes or removes what a killed run
    /// left, refuses a folder where an output would replace one of `inputs` or a file the
    /// tool did not write, and makes a fresh staging folder — which also proves the folder
    /// writable, so a run that cannot write its outputs stops here.
    pub fn prepare(&mut self, inputs: &[PathBuf]) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("creating output folder {}", self.dir.display()))?;
        self.lock = Some(lock(&self.dir)?);
        recover(&self.dir)?;
        guard(&self.dir, inputs)?;
        let own = listed(&self.dir);
        for name in FILES.iter().filter(|n| **n != MARKER) {
            refuse_foreign(&self.dir, name, &own)?;
        }
        // Chart names depend on the athletes: they are checked in `commit`, before any file
        // is moved (a user's file in charts/ with another name is no collision).
        let staging = self.staging();
        std::fs::create_dir(&staging).with_context(|| format!("creating {}", staging.display()))?;
        self.staged = true;
        Ok(())
    }

    /// Records a file written into the staging folder: `write` and `write_large` record
    /// theirs, and a table written by other means (streamed as the passes end:
    /// `report::parquet::DailyStream`) is recorded here too.
    pub fn record(&mut self, name: &str) {
        self.written.push(self.path(name));
    }

    /// Writes one of the tool's files into the staging folder (`write_staged_with`) and
    /// records it.
    pub fn write(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        write_staged_file(&self.staging(), name, write)?;
        self.record(name);
        Ok(())
    }

    /// Writes the staged file `name` as `write` fills it, past the page cache where it can
    /// (`direct_file`): for a table of hundreds of megabytes, daily_risk.csv.
    pub fn write_large(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut crate::direct_file::DirectFile) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let path = staged_path(&self.staging(), name)?;
        let mut file = crate::direct_file::DirectFile::create(&path)
            .with_context(|| format!("creating {}", path.display()))?;
        write(&mut file)?;
        file.finish()
            .with_context(|| format!("writing {}", path.display()))?;
        self.record(name);
        Ok(())
    }

    /// Moves the staged set into the folder: files of this run replace those of the last one,
    /// and the marker lists them (with the earlier runs' files still there). A file the tool did not write is
    /// never replaced: the run stops naming it, the previous set untouched.
    pub fn commit(&mut self) -> anyhow::Result<()> {
        let staging = self.staging();
        let new = staged_files(&staging)?;
        let own = listed(&self.dir);
        for name in &new {
            refuse_foreign(&self.dir, name, &own)?;
        }
        refuse_foreign_in_table_dirs(&self.dir, &new, &own)?;
        let list: String = new.iter().map(|n| format!("{n}\n")).collect();
        write_text_atomically(&staging.join(COMPLETE), &list)?;
        finish(&self.dir)?;
        self.staged = false;
        Ok(())
    }

    /// Whether a file was written in this run.
    pub fn was_written(&self, name: &str) -> bool {
        self.written.contains(&self.path(name))
    }
    /// "Wrote DIR/daily_risk.csv, DIR/team_summary.csv and DIR/rejected_rows.csv (N
    /// rejected)." — naming only the tables this run wrote (a partition folder with its
    /// number of files).
    pub fn tables_line(&self, rejected: usize) -> String {
        let parts = self.path(DAILY_RISK_PARTS);
        let names: Vec<String> = TABLES
            .iter()
            .filter_map(|n| {
                if *n != DAILY_RISK_PARTS {
                    return self
                        .was_written(n)
                        .then(|| self.path(n).display().to_string());
                }
                let files = self
                    .written
                    .iter()
                    .filter(|p| p.starts_with(&parts))
                    .count();
                (files > 0).then(|| format!("{files} athlete partitions in {}/", parts.display()))
            })
            .collect();
        let list = match names.split_last() {
            None => return format!("Wrote no table ({rejected} rejected)."),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
        format!("Wrote {list} ({rejected} rejected).")
    }
}

impl Drop for Outputs {
    /// A run that stops before `commit` (an error, "nothing to score") leaves the previous
    /// set as it was: only its own staging folder goes.
    fn drop(&mut self) {
        if self.staged {
            let _ = std::fs::remove_dir_all(self.staging());
        }
    }
}

/// Takes the folder's lock, or fails at once naming the folder when another run holds it.
fn lock(dir: &Path) -> anyhow::Result<std::fs::File> {
    let path = dir.join(LOCK);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another cramprisk run is writing to {}: wait for it to finish, or choose another --out folder",
            dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(anyhow::Error::new(e).context(format!("locking {}", path.display())))
        }
    }
}

/// What a killed run left: a staging folder whose set was complete is moved into place (the
/// kill came during the move); an incomplete one is removed.
fn recover(dir: &Path) -> anyhow::Result<()> {
    let staging = dir.join(STAGING);
    if !staging.exists() {
        return Ok(());
    }
    if staging.join(COMPLETE).is_file() {
        finish(dir)
    } else {
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("removing {} left by an interrupted run", staging.display()))
    }
}

/// Moves a complete staging folder's files into `dir`, writes the marker listing them (and
/// the earlier runs' files still there), removes the staging folder. Each step can be repeated, so a run killed here is finished by the next one.
fn finish(dir: &Path) -> anyhow::Result<()> {
    let staging = dir.join(STAGING);
    let list = std::fs::read_to_string(staging.join(COMPLETE))?;
    let new: BTreeSet<String> = list.lines().map(str::to_string).collect();
    let crash_after = crash_point();
    for (moved, name) in new.iter().enumerate() {
        let (from, to) = (staging.join(name), dir.join(name));
        if from.is_file() {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // The earlier run's file is removed before the new one is moved in. Renamed onto
            // an existing file, ext4 (`auto_da_alloc`, its default) writes the new file out to
            // disk inside the rename: 0.35–1.1 s for a 533 MB daily_risk.csv on the reference
            // machine, against 0.06 s this way (docs/performance.md). That write-out guards a
            // replaced file against a power cut in the next seconds; these files are made
            // again by running the command again. A run killed between the two steps is
            // finished by the next one (`recover`): the staged file is still there.
            remove_if_present(&to)?;
            std::fs::rename(&from, &to).with_context(|| format!("writing {}", to.display()))?;
        }
        if crash_after == Some(moved + 1) {
            // A power cut half-way through the swap (the crash test): no clean-up runs.
            std::process::abort();
        }
    }
    remove_replaced_forms(dir, &new)?;
    // Files of earlier runs stay listed while they exist (another command's outputs in the
    // same folder — evaluate's, plan's — are not this run's to delete).
    let mut all = new;
    all.extend(listed(dir).into_iter().filter(|n| dir.join(n).is_file()));
    let mut marker = format!("{MARKER_HEADER}\n");
    for name in &all {
        marker.push_str(name);
        marker.push('\n');
    }
    write_text_atomically(&staging.join(MARKER), &marker)?;
    std::fs::rename(staging.join(MARKER), dir.join(MARKER))
        .with_context(|| format!("writing {}", dir.join(MARKER).display()))?;
    std::fs::remove_dir_all(&staging).with_context(|| format!("removing {}", staging.display()))
}

/// Removes a file; one already gone is no error.
fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(anyhow::Error::new(e).context(format!("removing {}", path.display())))
        }
        _ => Ok(()),
    }
}

/// The table a file is a form of (`daily_risk` for `daily_risk.csv`, `daily_risk.parquet` and
/// `daily_risk/athlete=ana/part-0.parquet`), if it is one of the tables.
fn table_stem(name: &str) -> Option<&'static str> {
    let first = name.split('/').next().unwrap_or(name);
    let stem = first
        .strip_suffix(".csv")
        .or_else(|| first.strip_suffix(".parquet"))
        .unwrap_or(first);
    TABLE_STEMS.iter().copied().find(|t| *t == stem)
}

/// Removes the earlier runs' forms of each table this run wrote and did not write again in
/// that form (the files are the tool's: listed by the marker), then the partition folders
/// left empty. Repeatable: a file already gone is no error.
fn remove_replaced_forms(dir: &Path, new: &BTreeSet<String>) -> anyhow::Result<()> {
    let rewritten: BTreeSet<&str> = new.iter().filter_map(|n| table_stem(n)).collect();
    for old in listed(dir) {
        let replaced = table_stem(&old).is_some_and(|t| rewritten.contains(t));
        if !replaced || new.contains(&old) {
            continue;
        }
        let path = dir.join(&old);
        remove_if_present(&path)?;
        // The folders it was in, once empty (remove_dir fails on a folder with files: kept).
        let mut parent = path.parent();
        while let Some(p) = parent.filter(|p| *p != dir) {
            if std::fs::remove_dir(p).is_err() {
                break;
            }
            parent = p.parent();
        }
    }
    Ok(())
}

/// Fails when a table folder this run writes (`daily_risk/`) holds a file the tool did not
/// write: readers take the whole folder as one table, so a foreign file would join it.
fn refuse_foreign_in_table_dirs(
    dir: &Path,
    new: &[String],
    own: &BTreeSet<String>,
) -> anyhow::Result<()> {
    for table in TABLE_DIRS {
        let prefix = format!("{table}/");
        if !new.iter().any(|n| n.starts_with(&prefix)) {
            continue;
        }
        let root = dir.join(table);
        for entry in walkdir::WalkDir::new(&root).min_depth(1) {
            let Ok(entry) = entry else { continue };
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = relative_name(&root, entry.path());
            if !own.contains(&format!("{prefix}{rel}")) {
                anyhow::bail!(
                    "{} was not written by cramprisk and would be read as part of the table {}: \
                     move it, or choose another --out folder",
                    entry.path().display(),
                    root.display()
                );
            }
        }
    }
    Ok(())
}

/// `path` relative to `root`, `/`-separated.
fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// `CRAMPRISK_CRASH_AFTER_MOVES=N`: the run dies after moving N files of its set into place,
/// as if killed there. For the test that the next run finishes the swap (tests/integration/
/// attack.rs); never set in normal use.
fn crash_point() -> Option<usize> {
    std::env::var("CRAMPRISK_CRASH_AFTER_MOVES")
        .ok()?
        .parse()
        .ok()
}

/// The files under the staging folder, relative and `/`-separated (the completion note aside).
fn staged_files(staging: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(staging)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative_name(staging, entry.path());
        if rel != COMPLETE && !rel.ends_with(".tmp") {
            out.push(rel);
        }
    }
    Ok(out)
}

/// The files the marker of `dir` lists as the tool's. A marker of an earlier version (no list)
/// stood for the fixed names and everything in `charts/`.
pub fn listed(dir: &Path) -> BTreeSet<String> {
    let Ok(text) = std::fs::read_to_string(dir.join(MARKER)) else {
        return BTreeSet::new();
    };
    if text.starts_with(MARKER_HEADER) {
        return text.lines().skip(1).map(str::to_string).collect();
    }
    let mut own: BTreeSet<String> = FILES.iter().map(|f| f.to_string()).collect();
    for sub in DIRS {
        if let Ok(entries) = std::fs::read_dir(dir.join(sub)) {
            for e in entries.flatten() {
                own.insert(format!("{sub}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    own
}

/// Fails when `dir/name` exists and is not listed as the tool's own: the user's file is
/// never replaced or deleted.
fn refuse_foreign(dir: &Path, name: &str, own: &BTreeSet<String>) -> anyhow::Result<()> {
    let path = dir.join(name);
    if std::fs::symlink_metadata(&path).is_ok() && !own.contains(name) {
        anyhow::bail!(
            "{} was not written by cramprisk and would be replaced: move it, or choose another --out folder",
            path.display()
        );
    }
    Ok(())
}

/// Whether `path` is one of the tool's own outputs: listed by the marker of its folder (or of
/// the folder above, for `charts/` and `athletes/`), or the marker, lock or staging folder themselves.
pub fn is_own_output(path: &Path) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if [MARKER, LOCK, STAGING].contains(&name) && dir.join(MARKER).is_file() {
        return true;
    }
    // Listed by the marker of its folder, or of a folder up to three above (`charts/x.png`,
    // `daily_risk/athlete=ana/part-0.parquet`).
    path.ancestors()
        .skip(1)
        .take(4)
        .any(|up| listed(up).contains(&relative_name(up, path)))
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

/// Writes a file of a run's staging folder (`Outputs::staging`): `write` fills it. The folder
/// is committed whole, once its `.complete` list is written (atomically, `commit`), and a
/// staging folder without one is removed by the next run: an interrupted run never shows half
/// a file, so a staged file needs no temporary name and rename of its own. For a squad's
/// 10,000 report pages those were about a twentieth of a run's CPU (five pairs at 10,000 × 73:
/// CPU 0.94, system time 5.2 → 4.6 s).
pub fn write_staged_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut buf = std::io::BufWriter::new(file);
    write(&mut buf)?;
    buf.flush()
        .with_context(|| format!("writing {}", path.display()))
}

/// Writes the file `name` (a path relative to the output folder) of the staging folder
/// `staging` (`write_staged_with`), making its folders first: a table split into folders
/// (`daily_risk/athlete=ana/part-0.parquet`). `Outputs::write` records it; a table streamed
/// as the passes end (`report::parquet::DailyStream`) is recorded once they have.
pub fn write_staged_file(
    staging: &Path,
    name: &str,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    write_staged_with(&staged_path(staging, name)?, write)
}

/// The path of the file `name` in the staging folder `staging`, its folders made.
fn staged_path(staging: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let path = staging.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    Ok(path)
}

/// Empty files made on a thread of their own, ahead of the contents a later step writes into
/// them (`File::create` then truncates an existing file instead of making one).
///
/// Why: making a file is the file system's work, and on ext4 without a journal it skips every
/// inode freed in the last minute or more (`recently_deleted` in the kernel's inode
/// allocator). A run into a folder whose previous outputs were just removed paid for each of
/// its 1,000 report pages a scan past the 1,000 freed before: 0.1–0.4 s of system time at the
/// very end of the run, on one core (docs/performance.md). Made while the daily table's passes
/// run, the cost is shared with them.
///
/// The files are a guess of what will be written: those not written are removed
/// (`around`), and all of them when the guess is dropped unused (a failed run, a
/// report with no days), so a placeholder never becomes an output.
///
/// Files can be made before their names are known (`unnamed`, while the inputs are read) and
/// named later (`make_after`): a rename makes no inode, so the file system's search for one is
/// done while the reading leaves a core part idle, not while the passes keep both busy.
pub struct FilesAhead {
    making: Option<std::thread::JoinHandle<Vec<PathBuf>>>,
}

impl FilesAhead {
    /// Starts making `paths` (their folders first). A file that cannot be made stops the
    /// making: the writer meets the same cause and reports it.
    pub fn make(paths: Vec<PathBuf>) -> FilesAhead {
        FilesAhead::make_after(None, paths)
    }

    /// Starts making `count` empty files in `dir` under names no output takes (`.ahead-N`: a
    /// file stem never starts with a dot, `safe_file_stem`), for `make_after` to name.
    pub fn unnamed(dir: &Path, count: usize) -> FilesAhead {
        FilesAhead::make(
            (0..count)
                .map(|k| dir.join(format!(".ahead-{k}")))
                .collect(),
        )
    }

    /// `make`, renaming the files of `unnamed` (once they are made) to the first of `paths`
    /// and making the rest; the unnamed files left over are removed. Renamed files must stay
    /// on one file system: `unnamed`'s folder is the pages' own.
    pub fn make_after(unnamed: Option<FilesAhead>, paths: Vec<PathBuf>) -> FilesAhead {
        let making = std::thread::Builder::new()
            .name("files ahead".into())
            .spawn(move || {
                // Taken out of `unnamed`, the files are this thread's to name or remove.
                let mut spare = unnamed.map_or_else(Vec::new, |mut u| u.wait());
                spare.reverse();
                let mut made = Vec::with_capacity(paths.len());
                for path in paths {
                    if let Some(parent) = path.parent() {
                        if std::fs::create_dir_all(parent).is_err() {
                            break;
                        }
                    }
                    let named = match spare.pop() {
                        // Never onto a file that exists (as `create_new`): the staging folder is
                        // this run's, so one that exists was named twice.
                        Some(from) => {
                            let renamed = !path.exists() && std::fs::rename(&from, &path).is_ok();
                            if !renamed {
                                let _ = std::fs::remove_file(&from);
                            }
                            renamed
                        }
                        None => std::fs::OpenOptions::new()
                            .write(true)
                            .create_new(true)
                            .open(&path)
                            .is_ok(),
                    };
                    if !named {
                        break;
                    }
                    made.push(path);
                }
                for left in spare {
                    let _ = std::fs::remove_file(left);
                }
                made
            })
            .ok();
        FilesAhead { making }
    }

    /// Waits until the files are made (nothing may be written into them before), and returns
    /// them.
    fn wait(&mut self) -> Vec<PathBuf> {
        self.making
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }

    /// Waits for the files, lets `write` write, then removes the files made ahead that it
    /// did not write (it returns the paths it wrote).
    pub fn around(
        mut self,
        write: impl FnOnce() -> anyhow::Result<Vec<PathBuf>>,
    ) -> anyhow::Result<()> {
        let made = self.wait();
        let written: std::collections::HashSet<PathBuf> = match write() {
            Ok(written) => written.into_iter().collect(),
            Err(e) => {
                for path in made {
                    let _ = std::fs::remove_file(path);
                }
                return Err(e);
            }
        };
        for path in made.iter().filter(|p| !written.contains(*p)) {
            std::fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
        }
        Ok(())
    }
}

impl Drop for FilesAhead {
    /// Unused: every file made ahead goes.
    fn drop(&mut self) {
        for path in self.wait() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// `write_staged_with` of bytes already made.
pub fn write_staged(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Writes `text` as the whole content of `path`, atomically (see `write_atomically`).
pub fn write_text_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    write_atomically(path, |w| {
        w.write_all(text.as_bytes())?;
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

    /// The files under `dir`, relative, with their sizes.
    fn files_in(dir: &Path) -> BTreeSet<(String, u64)> {
        let mut found = BTreeSet::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let len = e.metadata().unwrap().len();
            found.insert((e.file_name().to_string_lossy().into_owned(), len));
        }
        found
    }

    #[test]
    fn files_made_ahead_and_not_written_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let pages = dir.path().join("athletes");
        let ahead = FilesAhead::make(vec![pages.join("ana.html"), pages.join("ben.html")]);
        // Ben is not written after all; Carl was not foreseen.
        ahead
            .around(|| {
                let written = vec![pages.join("ana.html"), pages.join("carl.html")];
                for p in &written {
                    std::fs::write(p, "page").unwrap();
                }
                Ok(written)
            })
            .unwrap();
        assert_eq!(
            files_in(&pages),
            BTreeSet::from([("ana.html".to_string(), 4), ("carl.html".to_string(), 4)])
        );
    }

    #[test]
    fn files_made_ahead_go_when_unused_or_when_the_writing_fails() {
        let dir = tempfile::tempdir().unwrap();
        let pages = dir.path().join("athletes");
        drop(FilesAhead::make(vec![pages.join("ana.html")]));
        assert!(files_in(&pages).is_empty());
        let err = FilesAhead::make(vec![pages.join("ben.html")])
            .around(|| anyhow::bail!("the disk is full"))
            .unwrap_err();
        assert_eq!(err.to_string(), "the disk is full");
        assert!(files_in(&pages).is_empty());
    }

    /// Files made unnamed are named as the paths come (the same files: renamed, not made
    /// again), more are made when the guess was short, and those left over go.
    #[cfg(unix)]
    #[test]
    fn unnamed_files_are_named_and_the_spare_ones_removed() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let pages = dir.path().join("athletes");
        let inodes = |names: &[&str]| -> BTreeSet<u64> {
            names
                .iter()
                .map(|n| std::fs::metadata(pages.join(n)).unwrap().ino())
                .collect()
        };
        // A guess of three, two pages after all.
        let mut early = FilesAhead::unnamed(&pages, 3);
        let made = early.wait();
        assert_eq!(made.len(), 3);
        let before = inodes(&[".ahead-0", ".ahead-1", ".ahead-2"]);
        let early = FilesAhead {
            making: Some(std::thread::spawn(move || made)),
        };
        let mut named = FilesAhead::make_after(
            Some(early),
            vec![pages.join("ana.html"), pages.join("ben.html")],
        );
        assert_eq!(
            named.wait(),
            vec![pages.join("ana.html"), pages.join("ben.html")]
        );
        assert_eq!(
            files_in(&pages),
            BTreeSet::from([("ana.html".to_string(), 0), ("ben.html".to_string(), 0)])
        );
        assert!(inodes(&["ana.html", "ben.html"]).is_subset(&before));
        // A guess of one, three pages after all.
        let pages_list = ["carl.html", "dora.html", "eve.html"].map(|n| pages.join(n));
        FilesAhead::make_after(Some(FilesAhead::unnamed(&pages, 1)), pages_list.to_vec())
            .around(|| {
                for p in &pages_list {
                    std::fs::write(p, "page").unwrap();
                }
                Ok(pages_list.to_vec())
            })
            .unwrap();
        let names: Vec<String> = files_in(&pages).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["ana.html", "ben.html", "carl.html", "dora.html", "eve.html"]
        );
        // Unnamed and dropped: nothing left.
        let other = dir.path().join("other");
        drop(FilesAhead::unnamed(&other, 4));
        assert!(files_in(&other).is_empty());
    }

    #[test]
    fn files_ahead_never_replace_a_file_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.html");
        std::fs::write(&kept, "earlier").unwrap();
        // Not made (it exists), so not removed either: the earlier content stays.
        drop(FilesAhead::make(vec![kept.clone()]));
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "earlier");
    }
}
