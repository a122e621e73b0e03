//! Vendor exports: which known format a file is (from its header, never by column position),
//! the column mapping, and the shared reading context (row accounting, units, time zone) the
//! per-vendor modules (garmin, strava, openmeteo, noaa, apple, …) fill the canonical builders
//! through.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::{NaiveDateTime, TimeZone};

use super::canonical::Canonical;
use super::text::{self, Decimal, Record};
use super::{FileReport, Kind, Names, ReadOptions, Rejection};

/// The known vendor formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vendor {
    Garmin,
    Strava,
    StravaLegacy,
    OpenMeteo,
    NoaaGhcn,
    NoaaLcd,
    AppleCsv,
    Whoop,
    Meteostat,
    FluidLog,
    Polar,
    Fitbit,
    AppleWorkoutCsv,
    MyFitnessPal,
}

impl Vendor {
    pub const ALL: [Vendor; 14] = [
        Vendor::Garmin,
        Vendor::Strava,
        Vendor::StravaLegacy,
        Vendor::OpenMeteo,
        Vendor::NoaaGhcn,
        Vendor::NoaaLcd,
        Vendor::AppleCsv,
        Vendor::Whoop,
        Vendor::Meteostat,
        Vendor::FluidLog,
        Vendor::Polar,
        Vendor::Fitbit,
        Vendor::AppleWorkoutCsv,
        Vendor::MyFitnessPal,
    ];

    /// The name used by `--vendor` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Garmin => "garmin",
            Vendor::Strava => "strava",
            Vendor::StravaLegacy => "strava-legacy",
            Vendor::OpenMeteo => "open-meteo",
            Vendor::NoaaGhcn => "noaa-ghcn",
            Vendor::NoaaLcd => "noaa-lcd",
            Vendor::AppleCsv => "apple-health-csv",
            Vendor::Whoop => "whoop",
            Vendor::Meteostat => "meteostat",
            Vendor::FluidLog => "fluid-log",
            Vendor::Polar => "polar",
            Vendor::Fitbit => "fitbit",
            Vendor::AppleWorkoutCsv => "apple-health-workout-csv",
            Vendor::MyFitnessPal => "myfitnesspal",
        }
    }

    /// A vendor named on the command line.
    pub fn from_name(name: &str) -> Option<Vendor> {
        let key = name.trim().to_lowercase();
        Vendor::ALL.into_iter().find(|v| v.name() == key)
    }

    pub fn kind(self) -> Kind {
        match self {
            Vendor::Garmin
            | Vendor::Strava
            | Vendor::StravaLegacy
            | Vendor::Whoop
            | Vendor::Polar
            | Vendor::AppleWorkoutCsv => Kind::Activities,
            Vendor::Fitbit => Kind::Daily,
            Vendor::OpenMeteo | Vendor::NoaaLcd => Kind::WeatherHourly,
            Vendor::NoaaGhcn | Vendor::Meteostat => Kind::WeatherDaily,
            Vendor::AppleCsv | Vendor::FluidLog => Kind::Fluids,
            Vendor::MyFitnessPal => Kind::Food,
        }
    }

    /// The header columns this format is recognised by.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Vendor::Garmin => super::garmin::FIELDS,
            Vendor::Strava => super::strava::FIELDS,
            Vendor::StravaLegacy => super::strava::LEGACY_FIELDS,
            Vendor::OpenMeteo => super::openmeteo::FIELDS,
            Vendor::NoaaGhcn => super::noaa::GHCN_FIELDS,
            Vendor::NoaaLcd => super::noaa::LCD_FIELDS,
            Vendor::AppleCsv => super::apple::FIELDS,
            Vendor::Whoop => super::whoop::FIELDS,
            Vendor::Meteostat => super::meteostat::FIELDS,
            Vendor::FluidLog => super::fluidlog::FIELDS,
            Vendor::Polar => super::polar::FIELDS,
            Vendor::Fitbit => super::fitbit::FIELDS,
            Vendor::AppleWorkoutCsv => super::apple::WORKOUT_FIELDS,
            Vendor::MyFitnessPal => super::myfitnesspal::FIELDS,
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
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
    pub vendor: Vendor,
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
pub fn candidate(vendor: Vendor, header: &[String]) -> Candidate {
    let fields = vendor.fields();
    let (mapping, missing) = Mapping::build(fields, header);
    let required = fields.iter().filter(|f| f.required).count();
    let optional = fields.len() - required;
    let matched_optional = fields
        .iter()
        .filter(|f| !f.required && mapping.columns.contains_key(f.concept))
        .count();
    Candidate {
        vendor,
        mapping,
        missing,
        required,
        matched_optional,
        optional,
    }
}

/// Every format scored against a header, best first: complete matches first, then by
/// columns found, then by share of required columns found.
pub fn rank(header: &[String]) -> Vec<Candidate> {
    let mut all: Vec<Candidate> = Vendor::ALL
        .into_iter()
        .map(|v| candidate(v, header))
        .collect();
    all.sort_by(|a, b| {
        let share =
            |c: &Candidate| (c.required - c.missing.len()) as f64 / c.required.max(1) as f64;
        b.complete()
            .cmp(&a.complete())
            .then((b.mapping.columns.len()).cmp(&a.mapping.columns.len()))
            .then(share(b).total_cmp(&share(a)))
    });
    all
}

/// "not recognised" text naming the closest formats and what they lack.
pub fn closest(ranked: &[Candidate]) -> String {
    let near = ranked
        .iter()
        .filter(|c| c.required > c.missing.len())
        .take(2)
        .map(|c| format!("{} (missing {})", c.vendor, c.missing.join(", ")))
        .collect::<Vec<_>>()
        .join("; ");
    if near.is_empty() {
        "none (no known column found)".to_string()
    } else {
        near
    }
}

/// Everything a vendor reader needs while reading one file.
pub struct Ctx<'a> {
    pub display: String,
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
    pub fn local_from_utc(&self, utc: NaiveDateTime) -> NaiveDateTime {
        match self.opts.tz {
            Some(tz) => tz.from_utc_datetime(&utc).naive_local(),
            None => utc,
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
/// English, Danish, German and French; anything else lowercased as written.
pub fn sport_name(raw: &str) -> String {
    let s = raw.trim().to_lowercase();
    let base = base_sport_name(&s);
    // Indoor variants keep their marker ("treadmill run", "virtual ride"), so they are not
    // taken for outdoor sessions (no outdoor heat or cold); `daily::base_sport` strips it
    // for the per-sport defaults.
    match ["treadmill", "virtual", "indoor"]
        .iter()
        .find(|m| s.contains(*m))
    {
        Some(marker) if base != s => format!("{marker} {base}"),
        _ => base,
    }
}

fn base_sport_name(s: &str) -> String {
    let has = |parts: &[&str]| parts.iter().any(|p| s.contains(p));
    if has(&["run", "løb", "lauf", "course", "jog"]) {
        "run"
    } else if has(&[
        "cycl", "ride", "bik", "radfahr", "cykl", "vélo", "velo", "spin",
    ]) {
        "ride"
    } else if has(&["swim", "svøm", "schwimm", "natation"]) {
        "swim"
    } else if has(&["row", "roning", "rudern"]) {
        "rowing"
    } else if has(&[
        "walk", "gang", "gåtur", "gehen", "marche", "hik", "wander", "vandre",
    ]) {
        "walk"
    } else if has(&["yoga"]) {
        "yoga"
    } else if has(&["strength", "weight", "styrke", "kraft", "musculation"]) {
        "strength"
    } else if has(&["soccer", "football", "fodbold", "fußball"]) {
        "soccer"
    } else {
        return s.to_string();
    }
    .to_string()
}

/// The folder-name athlete of a file, resolved.
pub fn file_athlete(path: &Path, opts: &ReadOptions, names: &mut Names) -> String {
    let raw = opts.athlete_name.clone().unwrap_or_else(|| {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "athlete".to_string())
    });
    names.resolve(&raw)
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
    }

    #[test]
    fn every_vendor_name_round_trips() {
        for v in Vendor::ALL {
            assert_eq!(Vendor::from_name(v.name()), Some(v));
        }
        assert_eq!(Vendor::from_name("nope"), None);
    }
}
