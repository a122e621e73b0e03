//! The types ingest hands out and every format shares: what a file holds (`Kind`), the input
//! files, the per-file report, the rejected rows, and everything read (`Ingested`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::canonical::Frames;
use crate::profiles::ProfilesFile;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Activities,
    Daily,
    WeatherHourly,
    WeatherDaily,
    Fluids,
    /// Food logs (nutrition summaries): sodium and potassium per meal.
    Food,
    /// Cramp logs: one row per cramp an athlete noted (`cramplog.rs`).
    Cramps,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Activities => "activities",
            Kind::Daily => "daily summaries",
            Kind::WeatherHourly => "weather (hourly)",
            Kind::WeatherDaily => "weather (daily)",
            Kind::Fluids => "fluids",
            Kind::Food => "food (nutrition)",
            Kind::Cramps => "cramps",
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
    Cramps,
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
    /// The vendor format the file was read as (`None` = the native format).
    pub vendor: Option<String>,
    /// How sure the detection is, in words.
    pub confidence: Option<String>,
    /// The unit system assumed and why.
    pub units: Option<String>,
    /// The time zone assumed for the file's times.
    pub time_zone: Option<String>,
    /// (what, header column) pairs the rows were read through.
    pub mapping: Vec<(String, String)>,
    /// Decoding and reading facts a user should know (Latin-1 fallback, delimiter, …).
    pub notes: Vec<String>,
}

impl FileReport {
    /// An empty report for a file about to be read.
    pub fn new(path: &Path) -> Self {
        FileReport {
            path: path.to_path_buf(),
            kind: None,
            rows_read: 0,
            rows_used: 0,
            rows_rejected: 0,
            skipped: None,
            vendor: None,
            confidence: None,
            units: None,
            time_zone: None,
            mapping: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The facts of the report, indented, as the summary and `inspect` print them.
    pub fn describe(&self) -> String {
        use std::fmt::Write;
        let mut t = String::new();
        let mut line = |k: &str, v: &str| {
            let _ = writeln!(t, "    {k:<11} {v}");
        };
        if let Some(v) = &self.vendor {
            line("vendor", v);
        }
        if let Some(c) = &self.confidence {
            line("detection", c);
        }
        if let Some(u) = &self.units {
            line("units", u);
        }
        if let Some(z) = &self.time_zone {
            line("time zone", z);
        }
        for n in &self.notes {
            line("note", n);
        }
        t
    }
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
    /// The cramps read from cramp logs, in file order (checked against the days with data
    /// later, when those are known: `evaluate::outcomes`).
    pub cramps: Vec<super::cramplog::Cramp>,
    /// The cramps mentioned in session titles and descriptions (`mentions.rs`), kept apart:
    /// used only with `--cramps-from-titles`.
    pub mentions: Vec<super::cramplog::Cramp>,
}

impl Ingested {
    /// The cramps a command uses: the logged ones, and the mentioned ones when asked for
    /// (`--cramps-from-titles`). A mention on a day with a logged cramp of the same athlete
    /// adds nothing (the log says more) and is left out.
    pub fn cramps_used(&self, from_titles: bool) -> Vec<super::cramplog::Cramp> {
        let mut out = self.cramps.clone();
        if from_titles {
            let logged: std::collections::BTreeSet<(&str, chrono::NaiveDate)> = self
                .cramps
                .iter()
                .map(|c| (c.athlete.as_str(), c.date))
                .collect();
            out.extend(
                self.mentions
                    .iter()
                    .filter(|m| !logged.contains(&(m.athlete.as_str(), m.date)))
                    .cloned(),
            );
        }
        out
    }
}
