//! Ingest: finds the input files, detects each CSV's kind from its header, reads it with the
//! matching format module into canonical columns, and accounts for every row (used, or
//! rejected with a reason). Nothing downstream knows about file formats.

pub mod canonical;
pub mod native;

use std::collections::{BTreeMap, HashMap};
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
    /// Things a person should know that are not row rejections (e.g. a likely misspelt name).
    pub warnings: Vec<String>,
    /// Every athlete spelling met in the files (and profiles), with the athlete it was read as.
    pub spellings: BTreeMap<String, String>,
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
        // A folder that is an earlier run's output is not input (its tables are the tool's).
        if crate::outputs::is_own_output(&path) {
            continue;
        }
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
/// space-insensitively). A new name that is close to a known one (a likely misspelling, as
/// `Ana Lopes` for `Ana Lopez`) is kept apart — guessing could merge two people — and reported.
pub struct Names {
    known: HashMap<String, String>,
    /// Every spelling met in the files, with the athlete it was read as.
    spellings: BTreeMap<String, String>,
    warnings: Vec<String>,
    /// The file being read, named in warnings.
    current_file: String,
}

/// How alike two name keys must be (Jaro–Winkler, 0–1) to be reported as a likely misspelling.
const NEAR_NAME_SIMILARITY: f64 = 0.9;

impl Names {
    pub fn new(profiles: &ProfilesFile) -> Self {
        Names {
            known: profiles.alias_map().into_iter().collect(),
            spellings: BTreeMap::new(),
            warnings: Vec::new(),
            current_file: String::new(),
        }
    }

    /// The athlete a name in a file stands for.
    pub fn resolve(&mut self, raw: &str) -> String {
        let key = name_key(raw);
        if let Some(found) = self.known.get(&key) {
            let found = found.clone();
            self.spellings
                .entry(raw.to_string())
                .or_insert_with(|| found.clone());
            return found;
        }
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut near: Vec<&String> = self
            .known
            .iter()
            .filter(|(k, _)| strsim::jaro_winkler(k, &key) >= NEAR_NAME_SIMILARITY)
            .map(|(_, athlete)| athlete)
            .collect();
        near.sort();
        near.dedup();
        if !near.is_empty() {
            let near: Vec<String> = near.iter().map(|n| format!("{n:?}")).collect();
            self.warnings.push(format!(
                "{}: athlete {name:?} is not in athletes.toml and looks like {}; it is kept as a \
                 separate athlete — if it is the same person, add it to that athlete's aliases",
                self.current_file,
                near.join(" or ")
            ));
        }
        self.known.insert(key, name.clone());
        self.spellings.insert(raw.to_string(), name.clone());
        name
    }

    /// Names the file the next names come from.
    pub fn set_file(&mut self, file: &Path) {
        self.current_file = file.display().to_string();
    }
}

/// The place a weather file stands for, from its name: `weather-oslo.csv`, `weather_oslo.csv`
/// or `weather.oslo.csv` → `oslo`. Used for rows that name no `location` themselves.
pub fn location_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let lower = stem.to_ascii_lowercase();
    let rest = lower.strip_prefix("weather")?;
    let place = rest.strip_prefix(['-', '_', '.'])?;
    let place = stem[stem.len() - place.len()..].trim();
    (!place.is_empty()).then(|| place.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weather_places_from_file_names() {
        let place = |p: &str| location_from_file_name(Path::new(p));
        assert_eq!(place("team/weather-oslo.csv").as_deref(), Some("oslo"));
        assert_eq!(
            place("Weather_Sierra Nevada.csv").as_deref(),
            Some("Sierra Nevada")
        );
        assert_eq!(place("weather.valencia.csv").as_deref(), Some("valencia"));
        assert_eq!(place("weather.csv"), None);
        assert_eq!(place("weather-.csv"), None);
        assert_eq!(place("weathering.csv"), None);
        assert_eq!(place("oslo-weather.csv"), None);
    }

    #[test]
    fn near_names_are_reported_not_merged() {
        let profiles = ProfilesFile::parse(
            "[athletes.\"Ana Lopez\"]\naliases = [\"Ana L\"]\n[athletes.ben]\n",
        )
        .unwrap();
        let mut names = Names::new(&profiles);
        names.set_file(Path::new("x.csv"));
        assert_eq!(names.resolve("ana  LOPEZ"), "Ana Lopez");
        assert_eq!(names.resolve("ana l"), "Ana Lopez");
        assert!(names.warnings.is_empty());
        assert_eq!(names.resolve("Ana Lopes"), "Ana Lopes");
        assert_eq!(names.warnings.len(), 1, "{:?}", names.warnings);
        assert!(names.warnings[0].contains("\"Ana Lopez\""));
        assert!(names.warnings[0].starts_with("x.csv: "));
        // A clearly different name is no warning.
        assert_eq!(names.resolve("Carla"), "Carla");
        assert_eq!(names.warnings.len(), 1);
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
        names.set_file(&file.path);
        canonical.file_location = location_from_file_name(&file.path).map(|p| name_key(&p));
        let report = native::read_file(file, opts, &mut names, &mut canonical, &mut rejections);
        reports.push(report);
    }
    let mut spellings = names.spellings;
    for (name, values) in &profiles.athletes {
        spellings.insert(name.clone(), name.clone());
        for alias in values.aliases.iter().flatten() {
            spellings.insert(alias.clone(), name.clone());
        }
    }
    Ok(Ingested {
        frames: canonical.into_frames()?,
        files: reports,
        rejections,
        profiles,
        profiles_path,
        warnings: names.warnings,
        spellings,
    })
}
