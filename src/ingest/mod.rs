//! Ingest: finds the input files, detects each CSV's kind from its header, reads it with the
//! matching format module into canonical columns, and accounts for every row (used, or
//! rejected with a reason). Nothing downstream knows about file formats.

pub mod canonical;
pub mod native;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::profiles::{name_key, ProfilesFile};
pub use canonical::{Canonical, Frames};

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Activities,
    Daily,
    WeatherHourly,
    WeatherDaily,
    Fluids,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Activities => "activities",
            Kind::Daily => "daily summaries",
            Kind::WeatherHourly => "weather (hourly)",
            Kind::WeatherDaily => "weather (daily)",
            Kind::Fluids => "fluids",
        })
    }
}

/// A kind the user named on the command line (`--weather` covers hourly and daily files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindHint {
    Activities,
    Daily,
    Weather,
    Fluids,
}

/// One input file and, when named with `--activities` etc., its kind.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub hint: Option<KindHint>,
}

/// What happened to one input file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub kind: Option<Kind>,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_rejected: usize,
    /// Why the whole file was skipped, when it was.
    pub skipped: Option<String>,
}

/// One input row (or whole file, `line` = None) that was not used, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub file: String,
    pub line: Option<u64>,
    pub reason: String,
}

/// Everything read from the inputs.
pub struct Ingested {
    pub frames: Frames,
    pub files: Vec<FileReport>,
    pub rejections: Vec<Rejection>,
    pub profiles: ProfilesFile,
    pub profiles_path: Option<PathBuf>,
}

/// Finds the files to read: explicit files as given, folders scanned recursively for `*.csv`
/// and `athletes.toml`, in a fixed (sorted) order so runs are reproducible.
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
        } else if input.exists() {
            if input.extension().is_some_and(|e| e == "toml") {
                profiles.push(input.clone());
            } else {
                files.push(InputFile {
                    path: input.clone(),
                    hint: None,
                });
            }
        } else {
            anyhow::bail!("input {} does not exist", input.display());
        }
    }
    Ok((files, profiles))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            || path.file_name().is_some_and(|n| n == "athletes.toml")
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Maps the names found in files to one athlete each: profile names and their aliases first,
/// then, for names without a profile, the first spelling seen (compared case- and
/// space-insensitively).
pub struct Names {
    known: HashMap<String, String>,
}

impl Names {
    pub fn new(profiles: &ProfilesFile) -> Self {
        Names {
            known: profiles.alias_map().into_iter().collect(),
        }
    }

    /// The athlete a name in a file stands for.
    pub fn resolve(&mut self, raw: &str) -> String {
        let key = name_key(raw);
        self.known
            .entry(key)
            .or_insert_with(|| raw.split_whitespace().collect::<Vec<_>>().join(" "))
            .clone()
    }
}

/// Options that shape how files are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The athlete of files without an `athlete` column (else the file's folder name).
    pub athlete_name: Option<String>,
}

/// Reads every input file into canonical frames, with the accounting of every row.
pub fn load(
    files: &[InputFile],
    profiles_paths: &[PathBuf],
    opts: &ReadOptions,
) -> anyhow::Result<Ingested> {
    let profiles_path = match profiles_paths {
        [] => None,
        [one] => Some(one.clone()),
        many => anyhow::bail!(
            "more than one profiles file: {}; name one with --profiles",
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let profiles = match &profiles_path {
        Some(p) => ProfilesFile::load(p)?,
        None => ProfilesFile::default(),
    };
    let mut names = Names::new(&profiles);
    let mut canonical = Canonical::default();
    let mut reports = Vec::new();
    let mut rejections = Vec::new();
    for file in files {
        let report = native::read_file(file, opts, &mut names, &mut canonical, &mut rejections);
        reports.push(report);
    }
    Ok(Ingested {
        frames: canonical.into_frames()?,
        files: reports,
        rejections,
        profiles,
        profiles_path,
    })
}
