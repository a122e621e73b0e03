//! Ingest: finds the input files, detects each CSV's kind from its header, reads it with the
//! matching format module into canonical columns, and accounts for every row (used, or
//! rejected with a reason). Nothing downstream knows about file formats.

pub mod apple;
pub mod canonical;
pub mod checks;
pub mod dedupe;
pub mod fitbit;
pub mod fluidlog;
pub mod garmin;
pub mod meteostat;
pub mod myfitnesspal;
pub mod native;
pub mod noaa;
pub mod openmeteo;
pub mod polar;
pub mod strava;
pub mod text;
pub mod vendor;
pub mod whoop;

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
    /// Food logs (nutrition summaries): sodium and potassium per meal.
    Food,
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
}

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
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            || path.file_name().is_some_and(|n| n == "athletes.toml")
            || is_named_vendor_file(&path)
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Vendor files that are not CSV, recognised by their export name only.
pub fn is_named_vendor_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name == "export.xml" || (name.starts_with("hydrationlogfile") && name.ends_with(".json"))
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
    /// Spellings already resolved, exactly as written.
    resolved: polars::prelude::PlHashMap<String, String>,
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
            resolved: polars::prelude::PlHashMap::default(),
        }
    }

    /// The athlete a name in a file stands for.
    pub fn resolve(&mut self, raw: &str) -> String {
        // A file repeats the same few spellings on every row; each is resolved once.
        if let Some(name) = self.resolved.get(raw) {
            return name.clone();
        }
        let name = self.resolve_new(raw);
        self.resolved.insert(raw.to_string(), name.clone());
        name
    }

    fn resolve_new(&mut self, raw: &str) -> String {
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
    /// `--vendor`: read every file as this vendor's format instead of detecting it.
    pub vendor: Option<vendor::Vendor>,
    /// `--units`: the unit system of files that do not say (Garmin, NOAA).
    pub units: Option<vendor::Units>,
    /// `--tz`: the athlete's time zone, to turn UTC sources into local days.
    pub tz: Option<chrono_tz::Tz>,
    /// "Today" for the future-date check: the machine clock's UTC date, read once per run;
    /// `None` (no check) when `--as-of` is given, so the clock is never read then.
    pub today: Option<chrono::NaiveDate>,
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
    let mut canonical = Canonical {
        today: opts.today,
        ..Canonical::default()
    };
    let mut reports = Vec::new();
    let mut rejections = Vec::new();
    for file in files {
        names.set_file(&file.path);
        canonical.file_location = location_from_file_name(&file.path).map(|p| name_key(&p));
        let report = read_file(file, opts, &mut names, &mut canonical, &mut rejections);
        reports.push(report);
    }
    dedupe::reject_cross_export_duplicates(&mut canonical, &mut reports, &mut rejections);
    dedupe::reject_overlapping_sessions(&mut canonical, &mut reports, &mut rejections);
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

/// Reads one file: the native format when its header is native, else the vendor format its
/// header matches (or `--vendor`); a file that matches nothing is skipped, naming the closest
/// formats and the columns they lack.
pub fn read_file(
    file: &InputFile,
    opts: &ReadOptions,
    names: &mut Names,
    canonical: &mut Canonical,
    rejections: &mut Vec<Rejection>,
) -> FileReport {
    let display = file.path.display().to_string();
    let mut report = FileReport::new(&file.path);
    let mut skip = |report: &mut FileReport, why: String| {
        rejections.push(Rejection {
            file: display.clone(),
            line: None,
            reason: format!("file skipped: {why}"),
        });
        report.skipped = Some(why);
    };
    if is_named_vendor_file(&file.path) && opts.vendor.is_none() {
        return apple::read_named(file, opts, names, canonical, rejections);
    }
    match std::fs::metadata(&file.path) {
        Err(e) => {
            let why = match std::fs::read_link(&file.path) {
                Ok(target) => format!(
                    "cannot be opened: it is a link to {}, which cannot be read ({e})",
                    target.display()
                ),
                Err(_) => format!("cannot be opened: {e}"),
            };
            skip(&mut report, why);
            return report;
        }
        Ok(m) if m.is_dir() => {
            skip(&mut report, "is a folder, not a file".to_string());
            return report;
        }
        // A pipe or device would block or never end.
        Ok(m) if !m.is_file() => {
            skip(
                &mut report,
                "is not a regular file (a pipe, socket or device)".to_string(),
            );
            return report;
        }
        Ok(_) => {}
    }
    // The head tells text from binary and holds the header: a native file is then streamed,
    // never read whole.
    let head = match text::read_head(&file.path) {
        Ok(h) => h,
        Err(e) => {
            skip(&mut report, format!("cannot be read: {e}"));
            return report;
        }
    };
    if head.is_empty() {
        skip(&mut report, "the file is empty (0 bytes)".to_string());
        return report;
    }
    if let Some(what) = text::binary_content(&head) {
        skip(&mut report, what);
        return report;
    }
    // Only whole lines of the head (a cut multi-byte character would look like Latin-1).
    let whole = if head.len() < text::HEAD_BYTES {
        head.len()
    } else {
        head.iter()
            .rposition(|&b| b == b'\n')
            .map_or(head.len(), |i| i + 1)
    };
    let head_text = text::decode(&text::normalize_line_ends(head[..whole].to_vec())).text;
    let first_line = head_text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let delimiter = text::sniff_delimiter(first_line);
    let (head_records, _) = text::records(&head_text, delimiter);
    let Some(header_rec) = head_records.first() else {
        skip(
            &mut report,
            "the file is empty (only blank lines)".to_string(),
        );
        return report;
    };
    let header: Vec<String> = header_rec.cells.clone();
    let native_kind = native::detect(&header, file.hint);
    // The native reader keeps its own behaviour (a BOM is ignored, invalid UTF-8 rejects the
    // row) and streams the file.
    if opts.vendor.is_none() && native_kind.is_ok() && delimiter != b'\t' {
        return native::read_file(file, opts, names, canonical, rejections, delimiter);
    }
    let bytes = match text::read_limited(&file.path) {
        Ok(b) => b,
        Err(why) => {
            skip(&mut report, why);
            return report;
        }
    };
    let mut bytes = text::normalize_line_ends(bytes);
    let long_line = text::first_long_line(&bytes, text::MAX_LINE_BYTES);
    if let Some((_, at)) = long_line {
        bytes.truncate(at);
    }
    let decoded = text::decode(&bytes);
    let (records, stopped) = text::records(&decoded.text, delimiter);
    let stopped = stopped.or(long_line.map(|(line, _)| (line, text::long_line_reason(line))));
    let header_only =
        records.len() <= 1 && stopped.is_none() && meteostat::headerless(&header).is_none();
    let wanted = |v: vendor::Vendor| match file.hint {
        None => true,
        Some(KindHint::Activities) => v.kind() == Kind::Activities,
        Some(KindHint::Daily) => v.kind() == Kind::Daily,
        Some(KindHint::Weather) => matches!(v.kind(), Kind::WeatherHourly | Kind::WeatherDaily),
        // A food log's sodium is part of the day's intake: `--fluids` takes it too.
        Some(KindHint::Fluids) => matches!(v.kind(), Kind::Fluids | Kind::Food),
    };
    // Where the header is: the first record, none (a Meteostat bulk file: the documented
    // column order), or a later one (a Fitbit export's Activities section).
    let fitbit_at = fitbit::find_header(&records);
    let (header, data_from) = match (meteostat::headerless(&header), fitbit_at) {
        (Some(h), _) if opts.vendor.is_none_or(|v| v == vendor::Vendor::Meteostat) => (h, 0),
        (None, Some(i)) if i > 0 && opts.vendor.is_none_or(|v| v == vendor::Vendor::Fitbit) => {
            (records[i].cells.clone(), i + 1)
        }
        _ => (header, 1),
    };
    let ranked: Vec<vendor::Candidate> = vendor::rank(&header)
        .into_iter()
        .filter(|c| wanted(c.vendor))
        .collect();
    let chosen = match opts.vendor {
        Some(v) => {
            let c = vendor::candidate(v, &header);
            if !c.complete() {
                skip(
                    &mut report,
                    format!("--vendor {v}: the header lacks {}", c.missing.join(", ")),
                );
                return report;
            }
            c
        }
        None => match ranked.iter().find(|c| c.complete()) {
            Some(c) => c.clone(),
            None => {
                let native_near = match native_kind {
                    Ok(k) => format!(
                        "a native {k} header, but native files must be comma- or semicolon-separated (this one is {} delimited)",
                        text::delimiter_name(delimiter)
                    ),
                    Err(e) => e,
                };
                skip(
                    &mut report,
                    format!(
                        "header not recognised; closest vendor formats: {}; native: {}",
                        vendor::closest(&ranked),
                        native_near.trim_start_matches("header not recognised; closest: ")
                    ),
                );
                return report;
            }
        },
    };
    if header_only {
        skip(
            &mut report,
            format!(
                "the file has a {} header but no data rows",
                chosen.vendor.name()
            ),
        );
        return report;
    }
    report.kind = Some(chosen.vendor.kind());
    report.vendor = Some(chosen.vendor.name().to_string());
    report.confidence = Some(if opts.vendor.is_some() {
        format!("named with --vendor ({})", chosen.describe_confidence())
    } else {
        chosen.describe_confidence()
    });
    report.mapping = chosen.mapping.shown.clone();
    report.notes.extend(decoded.notes.iter().cloned());
    if delimiter != b',' {
        report
            .notes
            .push(format!("{} delimited", text::delimiter_name(delimiter)));
    }
    let athlete = vendor::file_athlete(&file.path, opts, names);
    let data = records.get(data_from..).unwrap_or(&[]);
    let (decimal, points, commas) =
        text::detect_decimal(data.iter().flat_map(|r| r.cells.iter().map(String::as_str)));
    if decimal == text::Decimal::Comma || (points > 0 && commas > 0) {
        report.notes.push(format!(
            "{} ({commas} cells with a decimal comma, {points} with a decimal point)",
            decimal.describe()
        ));
    }
    let mut ctx = vendor::Ctx {
        display: display.clone(),
        opts,
        names,
        canonical,
        rejections,
        report: &mut report,
        athlete,
        decimal,
        spans: records
            .iter()
            .filter(|r| r.end_line > r.line)
            .map(|r| (r.line, r.end_line))
            .collect(),
    };
    let m = &chosen.mapping;
    // A row whose field count differs from the header's would shift columns: rejected, as in
    // native files. (Open-Meteo, Polar and Fitbit have several headers and check their own.)
    let single_header = !matches!(
        chosen.vendor,
        vendor::Vendor::OpenMeteo | vendor::Vendor::Polar | vendor::Vendor::Fitbit
    );
    let swallowed = |r: &text::Record| {
        text::swallowed_rows(r.cells.iter().map(String::as_str), delimiter, header.len())
    };
    let (fitting, misfit): (Vec<text::Record>, Vec<text::Record>) =
        data.iter().cloned().partition(|r| {
            (!single_header || r.cells.len() == header.len())
                && !r.cells.iter().any(|c| c.contains('\0'))
                && !swallowed(r)
        });
    for r in &misfit {
        let why = if r.cells.iter().any(|c| c.contains('\0')) {
            "contains NUL bytes (the file is damaged here)".to_string()
        } else if swallowed(r) {
            ctx.spans.remove(&r.line);
            text::swallowed_reason(r.line, r.end_line)
        } else {
            format!(
                "has {} fields, the header has {}",
                r.cells.len(),
                header.len()
            )
        };
        ctx.account(r.line, Err(why));
    }
    let data = fitting.as_slice();
    match chosen.vendor {
        vendor::Vendor::Garmin => garmin::read(&mut ctx, &header, m, data),
        vendor::Vendor::Strava | vendor::Vendor::StravaLegacy => {
            strava::read(&mut ctx, chosen.vendor, m, data)
        }
        vendor::Vendor::OpenMeteo => openmeteo::read(&mut ctx, &records),
        vendor::Vendor::NoaaGhcn => noaa::read_ghcn(&mut ctx, m, data),
        vendor::Vendor::NoaaLcd => noaa::read_lcd(&mut ctx, m, data),
        vendor::Vendor::AppleCsv => apple::read_csv(&mut ctx, m, data),
        vendor::Vendor::AppleWorkoutCsv => apple::read_workout_csv(&mut ctx, &header, data),
        vendor::Vendor::Whoop => whoop::read(&mut ctx, m, data),
        vendor::Vendor::Meteostat => meteostat::read(&mut ctx, &header, m, data),
        vendor::Vendor::FluidLog => fluidlog::read(&mut ctx, &header, m, data),
        vendor::Vendor::Polar => polar::read(&mut ctx, m, data),
        vendor::Vendor::Fitbit => fitbit::read(&mut ctx, &records, fitbit_at.unwrap_or(0)),
        vendor::Vendor::MyFitnessPal => myfitnesspal::read(&mut ctx, &header, m, data),
    }
    if let Some((line, why)) = stopped {
        ctx.account(line, Err(why));
    }
    report
}
