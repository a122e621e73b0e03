//! What every format reader shares: the format record (`Format`: a name, a kind, how it is
//! recognised, one reader), the reading context (`Ctx`: options, canonical builders, row
//! accounting, units, time zone), header matching (`Field`, `Mapping`, `Candidate`) and unit
//! conversions. The formats themselves live one per module; the one list of them is
//! `formats.rs`, and `load.rs` is the gate every file goes through.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDateTime;

use super::canonical::{Canonical, Session};
use super::names::Names;
use super::text::{self, Decimal, Record};
use super::types::{FileReport, Kind, KindHint, Rejection};

/// One input format: the record each format module exports and `formats::FORMATS` lists.
#[derive(Debug)]
pub struct Format {
    /// The name `--vendor` takes and reports show (`garmin`, `strava-legacy`, …).
    pub name: &'static str,
    /// What its rows are; `None` when each file's header decides (the native formats).
    pub kind: Option<Kind>,
    /// How a file is recognised as this format.
    pub recognise: Recognise,
    /// Reads the file's rows into the canonical builders, accounting for each one: the one
    /// signature every format has.
    pub read: fn(&mut Ctx, &Table),
    /// Finds a header that is not the first record (a later section, or none at all and a
    /// documented column order): its cells and the index of the first data record.
    pub locate_header: Option<LocateHeader>,
    /// The format has several header blocks and checks its rows' shape itself; otherwise the
    /// gate rejects a row whose field count differs from the header's.
    pub checks_own_rows: bool,
}

/// Finds a format's header in a file's records: its cells and the first data record.
pub type LocateHeader = fn(&[Record]) -> Option<(Vec<String>, usize)>;

/// How a file is recognised.
#[derive(Debug)]
pub enum Recognise {
    /// The canonical headers of docs/formats.md, exactly; tried before any vendor format. The
    /// function tells the kind from the header (and checks a `--activities`-style hint).
    Native(fn(&[String], Option<KindHint>) -> Result<Kind, String>),
    /// Header columns, found by name in every language seen (never by position).
    Header(&'static [Field]),
    /// The export's file name (lowercase), for files that are not CSV (XML, JSON): read
    /// whole by the format's reader, which opens the file itself.
    FileName(fn(&str) -> bool),
}

impl Format {
    /// The header columns the format is recognised by (none for native and named files).
    pub fn fields(&self) -> &'static [Field] {
        match self.recognise {
            Recognise::Header(fields) => fields,
            _ => &[],
        }
    }

    /// Whether `--vendor` can name it (the vendor CSV formats).
    pub fn selectable(&self) -> bool {
        matches!(self.recognise, Recognise::Header(_))
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// A CSV file as the gate hands it to a reader. Streamed and named formats read the file
/// themselves (`Ctx::path`) and use only `delimiter`.
pub struct Table<'a> {
    /// The header the format was matched against.
    pub header: &'a [String],
    pub mapping: &'a Mapping,
    /// The data rows of the header's shape (every data row for `checks_own_rows` formats).
    pub data: &'a [Record],
    /// Every record of the file, headers and sections included.
    pub records: &'a [Record],
    /// Where the header is in `records`.
    pub header_at: usize,
    pub delimiter: u8,
}

impl<'a> Table<'a> {
    /// The table of a file the reader opens itself (`mapping` is empty).
    pub fn streamed(delimiter: u8, mapping: &'a Mapping) -> Table<'a> {
        Table {
            header: &[],
            mapping,
            data: &[],
            records: &[],
            header_at: 0,
            delimiter,
        }
    }
}

/// Options that shape how files are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The athlete of files without an `athlete` column (else the file's folder name).
    pub athlete_name: Option<String>,
    /// `--vendor`: read every file as this format instead of detecting it.
    pub vendor: Option<&'static Format>,
    /// `--units`: the unit system of files that do not say (Garmin, NOAA).
    pub units: Option<Units>,
    /// `--tz`: the athlete's time zone, to turn UTC sources into local days.
    pub tz: Option<chrono_tz::Tz>,
    /// "Today" for the future-date check: the machine clock's UTC date, read once per run;
    /// `None` (no check) when `--as-of` is given, so the clock is never read then.
    pub today: Option<chrono::NaiveDate>,
}

/// A unit system, for files that do not say which one they use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    Metric,
    Imperial,
}

impl Units {
    pub fn parse(text: &str) -> Option<Units> {
        match text.trim().to_lowercase().as_str() {
            "metric" => Some(Units::Metric),
            "imperial" | "us" | "statute" => Some(Units::Imperial),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Units::Metric => "metric",
            Units::Imperial => "imperial",
        }
    }
}

pub const KM_PER_MILE: f64 = 1.609_344;
pub const ML_PER_US_FL_OZ: f64 = 29.573_529_562_5;
pub const ML_PER_US_CUP: f64 = 236.588_236_5;

pub fn f_to_c(f: f64) -> f64 {
    (f - 32.0) * 5.0 / 9.0
}

/// One column a format is recognised or read by: a concept, the header names it goes by (in
/// every language seen), which occurrence when the name repeats (Strava), and whether the
/// format is not recognised without it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub concept: &'static str,
    pub names: &'static [&'static str],
    pub occurrence: usize,
    pub required: bool,
    /// A header that contains this text matches too (units in the header, e.g. Open-Meteo).
    pub prefix: bool,
}

/// A required column.
pub const fn req(concept: &'static str, names: &'static [&'static str]) -> Field {
    Field {
        concept,
        names,
        occurrence: 0,
        required: true,
        prefix: false,
    }
}

/// An optional column.
pub const fn opt(concept: &'static str, names: &'static [&'static str]) -> Field {
    Field {
        concept,
        names,
        occurrence: 0,
        required: false,
        prefix: false,
    }
}

/// An optional column addressed by its `occurrence` (0-based) among same-named columns.
pub const fn nth(
    concept: &'static str,
    names: &'static [&'static str],
    occurrence: usize,
) -> Field {
    Field {
        concept,
        names,
        occurrence,
        required: false,
        prefix: false,
    }
}

/// A column whose header starts with one of the names (the rest is a unit, e.g. `(°C)`).
pub const fn starts(
    concept: &'static str,
    names: &'static [&'static str],
    required: bool,
) -> Field {
    Field {
        concept,
        names,
        occurrence: 0,
        required,
        prefix: true,
    }
}

/// Where each concept was found in a header.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    pub columns: HashMap<&'static str, usize>,
    /// (concept, header text) in field order, for reports.
    pub shown: Vec<(String, String)>,
}

impl Mapping {
    /// Maps the fields onto a header; returns the mapping and the required fields missing.
    pub fn build(fields: &[Field], header: &[String]) -> (Mapping, Vec<&'static str>) {
        let keys: Vec<String> = header.iter().map(|h| text::header_key(h)).collect();
        let mut m = Mapping::default();
        let mut missing = Vec::new();
        for f in fields {
            let found = f.names.iter().find_map(|name| {
                let key = text::header_key(name);
                keys.iter()
                    .enumerate()
                    .filter(|(_, k)| {
                        if f.prefix {
                            k.starts_with(&key)
                                && k[key.len()..]
                                    .chars()
                                    .next()
                                    .is_none_or(|c| c == ' ' || c == '(')
                        } else {
                            **k == key
                        }
                    })
                    .nth(f.occurrence)
                    .map(|(i, _)| i)
            });
            match found {
                Some(i) => {
                    m.columns.insert(f.concept, i);
                    let shown = if f.occurrence > 0 {
                        format!("{} (occurrence {})", header[i], f.occurrence + 1)
                    } else {
                        header[i].clone()
                    };
                    m.shown.push((f.concept.to_string(), shown));
                }
                None if f.required => missing.push(f.names[0]),
                None => {}
            }
        }
        (m, missing)
    }

    /// The header index of a concept.
    pub fn index(&self, concept: &str) -> Option<usize> {
        self.columns.get(concept).copied()
    }

    /// The cell of a concept in a record, `None` when the column is absent or the cell blank.
    pub fn cell<'r>(&self, rec: &'r Record, concept: &str) -> Option<&'r str> {
        let i = self.index(concept)?;
        rec.cells
            .get(i)
            .map(String::as_str)
            .filter(|t| !text::is_blank(t))
    }

    /// The header text of a concept (for units written in headers).
    pub fn header<'h>(&self, header: &'h [String], concept: &str) -> Option<&'h str> {
        header.get(self.index(concept)?).map(String::as_str)
    }
}

/// How well a header matches one format.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub format: &'static Format,
    pub mapping: Mapping,
    pub missing: Vec<&'static str>,
    pub required: usize,
    pub matched_optional: usize,
    pub optional: usize,
}

impl Candidate {
    pub fn complete(&self) -> bool {
        self.missing.is_empty()
    }
    /// Required and optional columns found, as a share of all the format knows.
    pub fn confidence(&self) -> f64 {
        let found = self.required - self.missing.len() + self.matched_optional;
        found as f64 / (self.required + self.optional).max(1) as f64
    }
    pub fn describe_confidence(&self) -> String {
        let level = if !self.complete() {
            "no match"
        } else if self.confidence() >= 0.5 {
            "high"
        } else {
            "medium"
        };
        format!(
            "{level}: {} of {} required and {} of {} optional columns found",
            self.required - self.missing.len(),
            self.required,
            self.matched_optional,
            self.optional
        )
    }
}

/// Scores a header against one format.
pub fn candidate(format: &'static Format, header: &[String]) -> Candidate {
    let fields = format.fields();
    let (mapping, missing) = Mapping::build(fields, header);
    let required = fields.iter().filter(|f| f.required).count();
    let optional = fields.len() - required;
    let matched_optional = fields
        .iter()
        .filter(|f| !f.required && mapping.columns.contains_key(f.concept))
        .count();
    Candidate {
        format,
        mapping,
        missing,
        required,
        matched_optional,
        optional,
    }
}

/// "not recognised" text naming the closest formats and what they lack.
pub fn closest(ranked: &[Candidate]) -> String {
    let near = ranked
        .iter()
        .filter(|c| c.required > c.missing.len())
        .take(2)
        .map(|c| format!("{} (missing {})", c.format, c.missing.join(", ")))
        .collect::<Vec<_>>()
        .join("; ");
    if near.is_empty() {
        "none (no known column found)".to_string()
    } else {
        near
    }
}

/// Everything a reader needs while reading one file: the options, the canonical builders,
/// and the accounting (the file's report and the rejections).
pub struct Ctx<'a> {
    /// The file, and its path as shown in reports and rejections.
    pub path: &'a Path,
    pub display: String,
    /// The kind named on the command line (`--activities F`, …), if any.
    pub hint: Option<KindHint>,
    pub opts: &'a ReadOptions,
    pub names: &'a mut Names,
    pub canonical: &'a mut Canonical,
    pub rejections: &'a mut Vec<Rejection>,
    pub report: &'a mut FileReport,
    /// The athlete of a file that names none (the `--athlete-name` or the folder name).
    pub athlete: String,
    pub decimal: Decimal,
    /// Records spanning several lines: first line → last line (named when rejected).
    pub spans: HashMap<u64, u64>,
}

impl Ctx<'_> {
    /// Skips the whole file, saying why (in its report and as a rejection without a line).
    pub fn skip(&mut self, why: String) {
        self.rejections.push(Rejection {
            file: self.display.clone(),
            line: None,
            reason: format!("file skipped: {why}"),
        });
        self.report.skipped = Some(why);
    }

    /// Resolves the athlete of a file that names none (`--athlete-name`, else the folder's
    /// name) and keeps it in `athlete`.
    pub fn resolve_file_athlete(&mut self) -> String {
        self.athlete = file_athlete(self.path, self.opts, self.names);
        self.athlete.clone()
    }

    /// Adds a session read from the file's line `line` (checked, duplicates refused).
    pub fn add_session(&mut self, session: Session, line: u64) -> Result<(), String> {
        self.canonical.add_session(session, &self.display, line)
    }

    /// Accounts for one row: used, or rejected with its reason.
    pub fn account(&mut self, line: u64, result: Result<(), String>) {
        self.report.rows_read += 1;
        match result {
            Ok(()) => self.report.rows_used += 1,
            Err(reason) => {
                self.report.rows_rejected += 1;
                let span = self
                    .spans
                    .get(&line)
                    .map_or(String::new(), |&end| text::span_note(line, end));
                self.rejections.push(Rejection {
                    file: self.display.clone(),
                    line: Some(line),
                    reason: reason + &span,
                });
            }
        }
    }

    pub fn src(&self, line: u64) -> String {
        format!("{}:{line}", self.display)
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.report.notes.push(note.into());
    }

    /// A number cell of a concept in the file's decimal convention; blank is unknown.
    pub fn num(&self, m: &Mapping, rec: &Record, concept: &str) -> Result<Option<f64>, String> {
        match m.cell(rec, concept) {
            None => Ok(None),
            Some(t) => text::number(t, self.decimal).map_err(|e| format!("{concept}: {e}")),
        }
    }

    /// A UTC time as the athlete's local time: with `--tz`, converted; without, UTC is kept
    /// (and the file's report says so).
    pub fn local_from_utc(&self, utc: NaiveDateTime) -> Result<NaiveDateTime, String> {
        match self.opts.tz {
            Some(tz) => crate::dates::local_in(utc, &tz),
            None => Ok(utc),
        }
    }

    /// Records the time-zone assumption of a UTC source.
    pub fn utc_source(&mut self) {
        self.report.time_zone = Some(match self.opts.tz {
            Some(tz) => format!("UTC in the file, converted to {tz} (--tz)"),
            None => {
                "UTC in the file; days are UTC days (give --tz ZONE for local days)".to_string()
            }
        });
    }
}

/// Checks a value against a plausible range (the shared check, under the vendor's column name).
pub fn in_range(what: &str, x: f64, range: (f64, f64)) -> Result<f64, String> {
    super::checks::value(what, x, range)
}

/// A vendor's activity type as one of the model's sport names (`run`, `ride`, `swim`, …), in
/// English, Danish, German, French, Spanish, Portuguese and Dutch (and Garmin's raw type keys
/// such as `lap_swimming`); anything else lowercased as written.
pub fn sport_name(raw: &str) -> String {
    let s = raw.trim().to_lowercase();
    let base = base_sport_name(&s);
    // Indoor variants keep their marker ("treadmill run", "virtual ride"), so they are not
    // taken for outdoor sessions (no outdoor heat or cold); `daily::base_sport` strips it
    // for the per-sport defaults. Spanish `cinta`, Portuguese `esteira` and Dutch `loopband`
    // are the treadmill; `interior`/`binnen` indoors.
    const MARKERS: [(&str, &str); 8] = [
        ("treadmill", "treadmill"),
        ("cinta", "treadmill"),
        ("esteira", "treadmill"),
        ("loopband", "treadmill"),
        ("virtual", "virtual"),
        ("indoor", "indoor"),
        ("interior", "indoor"),
        ("binnen", "indoor"),
    ];
    match MARKERS.iter().find(|(needle, _)| s.contains(needle)) {
        Some((_, marker)) if base != s => format!("{marker} {base}"),
        _ => base,
    }
}

fn base_sport_name(s: &str) -> String {
    let has = |parts: &[&str]| parts.iter().any(|p| s.contains(p));
    if has(&[
        "run", "løb", "lauf", "course", "jog", "carrera", "correr", "corrida", "hardlo",
    ]) {
        "run"
    } else if has(&[
        "cycl", "ride", "bik", "radfahr", "cykl", "vélo", "velo", "spin", "cicl", "fiets",
        "wielren",
    ]) {
        "ride"
    } else if has(&[
        "swim", "svøm", "schwimm", "natation", "nataci", "nataç", "zwem",
    ]) {
        "swim"
    } else if has(&["row", "roning", "rudern", "remo", "roei"]) {
        "rowing"
    } else if has(&[
        "walk",
        "gang",
        "gåtur",
        "gehen",
        "marche",
        "hik",
        "wander",
        "vandre",
        "caminar",
        "caminhada",
        "senderismo",
        "wandel",
    ]) {
        "walk"
    } else if has(&["yoga"]) {
        "yoga"
    } else if has(&[
        "strength", "weight", "styrke", "kraft", "muscula", "fuerza", "força", "kracht",
    ]) {
        "strength"
    } else if has(&["soccer", "football", "fodbold", "fußball"]) {
        "soccer"
    } else {
        return s.to_string();
    }
    .to_string()
}

/// The athlete of a file that names none, resolved: `--athlete-name`, else the folder name.
/// Folders a vendor's download makes inside the
/// athlete's own (Strava's `export_<id>` and `activities`, Garmin's `DI_CONNECT/DI-Connect-*`,
/// Apple's `apple_health_export`) are passed over, so every file of one download is one
/// athlete's.
pub fn file_athlete(path: &Path, opts: &ReadOptions, names: &mut Names) -> String {
    let raw = opts
        .athlete_name
        .clone()
        .unwrap_or_else(|| folder_athlete(path));
    // A blank-looking folder name (or --athlete-name) names no athlete: the generic one.
    names
        .resolve(&raw)
        .or_else(|_| names.resolve("athlete"))
        .unwrap_or_else(|_| "athlete".to_string())
}

/// Whether a folder name is one a vendor's download makes (not the athlete's).
fn is_export_folder(name: &str) -> bool {
    let n = name.to_lowercase();
    n == "activities"
        || n == "di_connect"
        || n.starts_with("di-connect-")
        || n == "apple_health_export"
        || n == "workout-routes"
        || n.starts_with("uploadedfiles_")
        || n.strip_prefix("export_")
            .is_some_and(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
}

/// The athlete a file's folders name (see [`file_athlete`]).
pub fn folder_athlete(path: &Path) -> String {
    let folders: Vec<String> = path
        .ancestors()
        .skip(1)
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    folders
        .iter()
        .find(|n| !is_export_folder(n))
        // Nothing above the download's folders: its own name is all there is.
        .or(folders.first())
        .cloned()
        .unwrap_or_else(|| "athlete".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sports_map_across_languages() {
        assert_eq!(sport_name("Løb"), "run");
        assert_eq!(sport_name("Treadmill Running"), "treadmill run");
        assert_eq!(sport_name("VirtualRide"), "virtual ride");
        assert_eq!(sport_name("Indoor Cycling"), "indoor ride");
        assert_eq!(sport_name("Radfahren"), "ride");
        assert_eq!(sport_name("Virtual Ride"), "virtual ride");
        assert_eq!(sport_name("Indoor Rowing"), "indoor rowing");
        assert_eq!(sport_name("Incident Detected"), "incident detected");
        // Spanish, Portuguese and Dutch names, and Garmin's raw type keys.
        assert_eq!(sport_name("Carrera"), "run");
        assert_eq!(sport_name("Carrera en cinta"), "treadmill run");
        assert_eq!(sport_name("Ciclismo"), "ride");
        assert_eq!(sport_name("Natación en piscina"), "swim");
        assert_eq!(sport_name("Corrida na esteira"), "treadmill run");
        assert_eq!(sport_name("Natação em piscina"), "swim");
        assert_eq!(sport_name("Caminhada"), "walk");
        assert_eq!(sport_name("Hardlopen"), "run");
        assert_eq!(sport_name("Fietsen"), "ride");
        assert_eq!(sport_name("running"), "run");
        assert_eq!(sport_name("lap_swimming"), "swim");
        assert_eq!(sport_name("treadmill_running"), "treadmill run");
        assert_eq!(sport_name("indoor_cycling"), "indoor ride");
        assert_eq!(sport_name("strength_training"), "strength");
    }

    #[test]
    fn a_downloads_folders_are_not_athletes() {
        let who = |p: &str| folder_athlete(Path::new(p));
        assert_eq!(who("team/ana/activities.csv"), "ana");
        assert_eq!(who("team/ana/export_12345/activities/987.fit.gz"), "ana");
        assert_eq!(
            who("ben/DI_CONNECT/DI-Connect-Fitness/x_summarizedActivities.json"),
            "ben"
        );
        assert_eq!(who("cara/apple_health_export/export.xml"), "cara");
        // A download given on its own: its folder is the only name there is.
        assert_eq!(who("export_12345/activities.csv"), "export_12345");
        assert_eq!(who("activities.csv"), "athlete");
    }
}
