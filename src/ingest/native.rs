//! The native CSV formats (docs/formats.md): activities, daily summaries, hourly and daily
//! weather, fluids, cramp logs. Columns are found by header name, never by position; every row is either
//! added to the canonical builders or rejected with a reason a person can act on.

use polars::prelude::PlHashMap;

use chrono::NaiveDate;

use super::canonical::{Canonical, DrinkContent, DrinkSodium, Session, Src};
use super::checks::{self, limits};
use super::format::{Ctx, Format, Recognise, Table};
use super::types::{Kind, KindHint};
use crate::dates::{self, Stamp};
use crate::schema as s;

/// The columns each kind must have; the rest of its columns are optional.
const REQUIRED: [(Kind, &[&str]); 5] = [
    (Kind::Activities, &[s::START, s::DURATION_MIN]),
    (Kind::Fluids, &[s::TIME, s::VOLUME_ML]),
    (Kind::WeatherHourly, &[s::TIME, s::TEMP_C]),
    (Kind::WeatherDaily, &[s::DATE, s::TMAX_C]),
    (Kind::Daily, &[s::DATE]),
];

/// Columns that mark a daily-summary file (it needs `date` and at least one of them).
const DAILY_MEASURES: [&str; 4] = [s::STEPS, s::SEDENTARY_MIN, s::RESTING_HR, s::SLEEP_MIN];

/// Columns that mark a cramp log (it needs `date` or `time` and at least one of them; named
/// with `--cramps`, `date` or `time` alone will do).
const CRAMP_MARKS: [&str; 3] = [s::MUSCLE, s::SEVERITY, s::WHEN];

/// Every column the native reader reads, whatever the kind: a column named twice is
/// ambiguous only when it is one of these (a spreadsheet's repeated `notes` column is not).
const READ: [&str; 34] = [
    s::ATHLETE,
    s::AVG_HR,
    s::CALORIES_KCAL,
    s::DATE,
    s::DISTANCE_KM,
    s::DRINK,
    s::DURATION_MIN,
    s::FLUID_DURING_ML,
    s::LOAD,
    s::LOCATION,
    s::MASS_AFTER_KG,
    s::MASS_BEFORE_KG,
    s::MAX_HR,
    s::MUSCLE,
    s::NOTE,
    s::RESTING_HR,
    s::RH_PCT,
    s::RPE,
    s::SEDENTARY_MIN,
    s::SEVERITY,
    s::SLEEP_MIN,
    s::SODIUM_MG,
    s::SPORT,
    s::START,
    s::STEPS,
    s::TEMP_C,
    s::TIME,
    s::TITLE,
    s::TMAX_C,
    s::TMIN_C,
    s::VOLUME_ML,
    s::WARMUP_MIN,
    s::WHEN,
    s::WIND_KMH,
];

/// A column the native reader reads: its name and its place in `READ`, found when the program
/// is compiled (a name not in `READ` does not compile). A row finds its cells through the
/// file's positions of these places, not by hashing the column's name for every cell.
#[derive(Clone, Copy)]
struct Col {
    name: &'static str,
    at: usize,
}

const fn col(name: &'static str) -> Col {
    const fn same(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
    let mut at = 0;
    while at < READ.len() {
        if same(READ[at], name) {
            return Col { name, at };
        }
        at += 1;
    }
    panic!("a column the native reader reads must be listed in READ")
}

/// The columns the row readers below take, by name.
mod cols {
    use super::{col, Col};
    use crate::schema as s;
    pub const ATHLETE: Col = col(s::ATHLETE);
    pub const AVG_HR: Col = col(s::AVG_HR);
    pub const CALORIES_KCAL: Col = col(s::CALORIES_KCAL);
    pub const DATE: Col = col(s::DATE);
    pub const DISTANCE_KM: Col = col(s::DISTANCE_KM);
    pub const DRINK: Col = col(s::DRINK);
    pub const DURATION_MIN: Col = col(s::DURATION_MIN);
    pub const FLUID_DURING_ML: Col = col(s::FLUID_DURING_ML);
    pub const LOAD: Col = col(s::LOAD);
    pub const LOCATION: Col = col(s::LOCATION);
    pub const MASS_AFTER_KG: Col = col(s::MASS_AFTER_KG);
    pub const MASS_BEFORE_KG: Col = col(s::MASS_BEFORE_KG);
    pub const MAX_HR: Col = col(s::MAX_HR);
    pub const MUSCLE: Col = col(s::MUSCLE);
    pub const NOTE: Col = col(s::NOTE);
    pub const RESTING_HR: Col = col(s::RESTING_HR);
    pub const RH_PCT: Col = col(s::RH_PCT);
    pub const RPE: Col = col(s::RPE);
    pub const SEDENTARY_MIN: Col = col(s::SEDENTARY_MIN);
    pub const SEVERITY: Col = col(s::SEVERITY);
    pub const SLEEP_MIN: Col = col(s::SLEEP_MIN);
    pub const SODIUM_MG: Col = col(s::SODIUM_MG);
    pub const SPORT: Col = col(s::SPORT);
    pub const START: Col = col(s::START);
    pub const STEPS: Col = col(s::STEPS);
    pub const TEMP_C: Col = col(s::TEMP_C);
    pub const TIME: Col = col(s::TIME);
    pub const TITLE: Col = col(s::TITLE);
    pub const TMAX_C: Col = col(s::TMAX_C);
    pub const TMIN_C: Col = col(s::TMIN_C);
    pub const VOLUME_ML: Col = col(s::VOLUME_ML);
    pub const WARMUP_MIN: Col = col(s::WARMUP_MIN);
    pub const WHEN: Col = col(s::WHEN);
    pub const WIND_KMH: Col = col(s::WIND_KMH);
}

/// A header with its cells lower-cased: the native column names are lower-case, and a
/// spreadsheet or a hand may capitalise them (`Start`, `DURATION_MIN`).
pub fn fold_case(header: &[String]) -> Vec<String> {
    header.iter().map(|h| h.to_lowercase()).collect()
}

/// The native formats: one record, the header tells the kind.
pub static FORMAT: Format = Format {
    name: "native",
    kind: None,
    recognise: Recognise::Native(detect),
    read,
    locate_header: None,
    checks_own_rows: false,
};

/// Detects a file's kind from its header; a `--activities`-style hint only checks it.
pub fn detect(header: &[String], hint: Option<KindHint>) -> Result<Kind, String> {
    let has = |c: &str| header.iter().any(|h| h == c);
    let complete = |k: Kind| {
        REQUIRED
            .iter()
            .find(|(kind, _)| *kind == k)
            .is_some_and(|(_, cols)| cols.iter().all(|c| has(c)))
    };
    let is_daily = has(s::DATE) && DAILY_MEASURES.iter().any(|c| has(c)) && !has(s::TMAX_C);
    let dated = has(s::DATE) || has(s::TIME);
    let is_cramps = dated && (hint.is_some() || CRAMP_MARKS.iter().any(|c| has(c)));
    let candidates: &[Kind] = match hint {
        Some(KindHint::Activities) => &[Kind::Activities],
        Some(KindHint::Daily) => &[Kind::Daily],
        Some(KindHint::Weather) => &[Kind::WeatherHourly, Kind::WeatherDaily],
        Some(KindHint::Fluids) => &[Kind::Fluids],
        Some(KindHint::Cramps) => &[Kind::Cramps],
        None => &[
            Kind::Activities,
            Kind::Fluids,
            Kind::WeatherHourly,
            Kind::WeatherDaily,
            Kind::Daily,
            Kind::Cramps,
        ],
    };
    for &k in candidates {
        let ok = match k {
            Kind::Daily => is_daily,
            Kind::Cramps => is_cramps,
            other => complete(other),
        };
        if ok {
            return Ok(k);
        }
    }
    // Not recognised: say what the closest kinds lack.
    // A cramp log is named as a near miss only when asked for: any dated file lacks just
    // one of its columns, which would crowd out the kind the file was meant to be.
    let mut near: Vec<(usize, String)> = candidates
        .iter()
        .filter(|&&k| k != Kind::Cramps || hint.is_some())
        .map(|&k| {
            let missing: Vec<&str> = REQUIRED
                .iter()
                .find(|(kind, _)| *kind == k)
                .map(|(_, cols)| cols.iter().copied().filter(|c| !has(c)).collect())
                .unwrap_or_default();
            let missing = match k {
                Kind::Daily if missing.is_empty() => {
                    vec!["one of steps, sedentary_min, resting_hr, sleep_min"]
                }
                Kind::Cramps if !dated => vec!["date or time"],
                Kind::Cramps => vec!["one of muscle, severity, when"],
                _ => missing,
            };
            (
                missing.len(),
                format!("{k} (missing {})", missing.join(", ")),
            )
        })
        .collect();
    near.sort();
    Err(format!(
        "header not recognised; closest: {}",
        near.iter()
            .take(2)
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    ))
}

/// One data row, with its columns found by name.
struct Row<'a> {
    rec: &'a csv::StringRecord,
    /// Where each column of `READ` is in the record (`None`: the file has no such column).
    positions: &'a [Option<usize>; READ.len()],
    /// The file is semicolon-delimited (a spreadsheet re-save in a decimal-comma locale):
    /// `10,5` is read as 10.5.
    decimal_comma: bool,
}

impl Row<'_> {
    /// The trimmed cell of a column, `None` when the column is absent or the cell empty.
    fn text(&self, col: Col) -> Option<&str> {
        let i = self.positions[col.at]?;
        let t = trimmed(self.rec.get(i)?);
        (!t.is_empty()).then_some(t)
    }

    /// Whether the file has the column.
    fn has(&self, col: Col) -> bool {
        self.positions[col.at].is_some()
    }

    fn required(&self, col: Col) -> Result<&str, String> {
        self.text(col)
            .ok_or_else(|| format!("{} is empty", col.name))
    }

    /// A number within `range`; empty is unknown (`None`), anything else unreadable is an error.
    fn num(&self, col: Col, range: (f64, f64)) -> Result<Option<f64>, String> {
        let Some(t) = self.text(col) else {
            return Ok(None);
        };
        let col = col.name;
        let comma_decimal = self.decimal_comma && t.matches(',').count() == 1 && !t.contains('.');
        let parsed = if comma_decimal {
            t.replace(',', ".").parse::<f64>()
        } else if let Some(x) = plain_decimal(t) {
            Ok(x)
        } else {
            t.parse::<f64>()
        };
        let x: f64 = parsed.map_err(|_| format!("{col} {t:?} is not a number"))?;
        if !x.is_finite() {
            return Err(format!("{col} {t:?} is not a finite number"));
        }
        let (lo, hi) = range;
        if x < lo || x > hi {
            return Err(format!(
                "{col} {t} is outside the plausible range {lo}–{hi}"
            ));
        }
        Ok(Some(x))
    }

    fn required_num(&self, col: Col, range: (f64, f64)) -> Result<f64, String> {
        self.num(col, range)?
            .ok_or_else(|| format!("{} is empty", col.name))
    }

    fn date(&self, col: Col) -> Result<NaiveDate, String> {
        let t = self.required(col)?;
        let col = col.name;
        let d = dates::parse_date(t)
            .ok_or_else(|| format!("{col} {t:?} is not a date (YYYY-MM-DD)"))?;
        check_year(col, d)?;
        Ok(d)
    }

    fn stamp(&self, col: Col) -> Result<Stamp, String> {
        let t = self.required(col)?;
        let col = col.name;
        let st = dates::parse_stamp(t).ok_or_else(|| {
            format!("{col} {t:?} is not a date-time (YYYY-MM-DD HH:MM[:SS]) or date")
        })?;
        check_year(col, st.date())?;
        Ok(st)
    }
}

/// `text.trim()`, without looking for Unicode spaces when the cell starts and ends with a
/// printable ASCII character (a byte below 0x80 is a whole character in UTF-8, and no
/// printable ASCII character is white space): nearly every cell, and the trim was about a
/// hundredth of a run's CPU.
fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        // An empty cell (an optional column left blank) is empty trimmed, without the search.
        (None, _) => text,
        _ => text.trim(),
    }
}

/// The value of a plain decimal (`150`, `21.80`: digits with at most one point inside, up to
/// 15 digits), as `str::parse::<f64>` reads it, or `None` for anything else (signs, exponents,
/// longer numbers), which the standard parser reads. Why: most cells of a large file are such
/// numbers, and the general parser was about a fiftieth of a run's CPU. Exact for the same
/// reason as the standard parser's own fast path (Clinger 1990): the digits as an integer
/// below 2^53 and the power of ten up to 10^15 are both exact doubles, and one IEEE division
/// of exact values is the correctly rounded quotient, which is what a correct parser returns.
fn plain_decimal(text: &str) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let bytes = text.as_bytes();
    let (mut digits, mut mantissa, mut point) = (0usize, 0u64, None);
    for (k, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                mantissa = mantissa * 10 + u64::from(b - b'0');
            }
            // A point between digits only: `.5` and `5.` go to the standard parser.
            b'.' if point.is_none() && k > 0 && k + 1 < bytes.len() => point = Some(k),
            _ => return None,
        }
        if digits > 15 {
            return None;
        }
    }
    if digits == 0 {
        return None;
    }
    let decimals = point.map_or(0, |k| bytes.len() - k - 1);
    Some(mantissa as f64 / POW10[decimals])
}

fn check_year(col: &str, d: NaiveDate) -> Result<(), String> {
    checks::past_shown(col, d, || d.to_string())
}

/// Reads one file into the builders; whole-file problems are reported, not raised, so the
/// other files are still read. The delimiter is the one sniffed from the header: a native file
/// re-saved by a spreadsheet in a decimal-comma locale is semicolon-delimited with decimal
/// commas, and is read as such (and the file's report says so).
pub fn read(ctx: &mut Ctx, t: &Table) {
    let delimiter = t.delimiter;
    let Some((rdr, file)) = open(ctx, delimiter) else {
        return;
    };
    let file_athlete = ctx.resolve_file_athlete();
    // Three threads on two cores: one splits the file into records (the CSV parser, UTF-8
    // checks, line numbers), one reads their cells (numbers, dates, ranges: `parse`), and
    // this one adds them to the builders in the file's order (names, duplicates: `apply`).
    // Batches of records go round, so the records' buffers are reused. Two threads, the
    // second parsing and adding, left the first idle two thirds of the time.
    let today = ctx.canonical.today;
    let file = &file;
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let (parsed_tx, parsed_rx) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        let fields = file.header_len;
        scope.spawn(move || split_records(rdr, fields, &full_tx, &empty_rx));
        scope.spawn(move || {
            let mut drinks = DrinkSodium::default();
            for mut batch in full_rx {
                parse_batch(&mut batch, file, today, &mut drinks);
                // This thread stops when the adding one stops taking batches (a fatal error).
                if parsed_tx.send(batch).is_err() {
                    return;
                }
            }
        });
        let file_bytes = std::fs::metadata(ctx.path).map_or(0, |m| m.len());
        let mut reserved = false;
        'batches: for mut batch in parsed_rx {
            // The builders sized once for the whole file, from the first batch's bytes per
            // record: growing them by doubling copied every row again and again.
            if !reserved {
                reserved = true;
                let last = batch.records[..batch.items.len()]
                    .iter()
                    .rev()
                    .find_map(|r| r.position().map(|p| p.byte()));
                if let Some(bytes) = last.filter(|&b| b > 0) {
                    let per_record = bytes / batch.items.len().max(1) as u64;
                    let rows = file_bytes / per_record.max(1);
                    ctx.canonical.reserve(file.kind, rows as usize);
                }
            }
            let Batch {
                records,
                items,
                parsed,
            } = &mut batch;
            for ((record, item), parsed) in records.iter().zip(items.iter()).zip(parsed.drain(..)) {
                match (item, parsed) {
                    (Item::Record { line, end_line }, Some(parsed)) => {
                        let (line, end_line) = (*line, *end_line);
                        let result = apply(ctx, file, record, parsed, line, &file_athlete);
                        // A stray quote names its own lines.
                        let span = match &result {
                            Err(reason) if !reason.starts_with("a quote") => {
                                super::text::span_note(line, end_line)
                            }
                            _ => String::new(),
                        };
                        ctx.account(line, result.map_err(|reason| reason + &span));
                    }
                    (
                        Item::Error {
                            line,
                            reason,
                            fatal,
                        },
                        _,
                    ) => {
                        ctx.account(*line, Err(reason.clone()));
                        if *fatal {
                            break 'batches;
                        }
                    }
                    // A record is always parsed (`parse_batch`).
                    (Item::Record { line, .. }, None) => {
                        ctx.account(*line, Err("the row was not read".to_string()));
                    }
                }
            }
            // The splitter may have stopped (end of file): a batch it no longer takes is dropped.
            let _ = empty_tx.send(batch);
        }
    });
    if ctx.report.rows_read == 0 {
        ctx.skip(format!(
            "the file has a native {} header but no data rows",
            file.kind
        ));
    }
}

/// Records split per batch, and batches between the two threads: enough to keep both busy,
/// few enough that memory stays a few megabytes whatever the file's size.
const RECORDS_PER_BATCH: usize = 4096;
const BATCHES_IN_FLIGHT: usize = 4;

/// A batch of records in file order: `items[k]` says what `records[k]` is (`records` may be
/// longer: buffers kept for reuse).
#[derive(Default)]
struct Batch {
    records: Vec<csv::StringRecord>,
    items: Vec<Item>,
    /// What `parse` made of each record of `items` (`None` for an error).
    parsed: Vec<Option<Parsed>>,
}

/// The parsing thread of `read`: reads the cells of a batch's records.
fn parse_batch(
    batch: &mut Batch,
    file: &NativeFile,
    today: Option<NaiveDate>,
    drinks: &mut DrinkSodium,
) {
    batch.parsed.clear();
    for (record, item) in batch.records.iter().zip(&batch.items) {
        batch.parsed.push(match item {
            Item::Record { line, end_line } => {
                Some(parse(file, today, drinks, record, *line, *end_line))
            }
            Item::Error { .. } => None,
        });
    }
}

enum Item {
    /// A record, from its first line to its last (a quoted cell may span lines).
    Record { line: u64, end_line: u64 },
    /// A record the parser could not read; `fatal` ends the reading there.
    Error {
        line: u64,
        reason: String,
        fatal: bool,
    },
}

/// The bytes a record's buffer starts with: as much as a native row's cells take (36–75
/// bytes a line on average in the generated files, 118 at most), so a record grows only for a
/// long row, and the records in flight take about what they took when grown to fit.
const RECORD_BYTES: usize = 128;

/// The splitting thread of `read`: reads the records (of `fields` cells in the header) into
/// batches and sends them, in order, until the end of the file or an error that stops the
/// reading.
fn split_records(
    mut rdr: Reader,
    fields: usize,
    full: &std::sync::mpsc::SyncSender<Batch>,
    empty: &std::sync::mpsc::Receiver<Batch>,
) {
    loop {
        let mut batch = empty.try_recv().unwrap_or_default();
        batch.items.clear();
        let mut done = false;
        while batch.items.len() < RECORDS_PER_BATCH {
            let k = batch.items.len();
            if batch.records.len() == k {
                // Sized for a row at once: grown from nothing, each new record's buffers were
                // reallocated some nine times, half a million times in a run (all the batches
                // in flight are new before they come back for reuse), 2 % of the instructions
                // of a 100-athlete run (callgrind).
                batch
                    .records
                    .push(csv::StringRecord::with_capacity(RECORD_BYTES, fields));
            }
            let (line, start) = (rdr.position().line(), rdr.position().byte());
            match rdr.read_record(&mut batch.records[k]) {
                Ok(false) => {
                    done = true;
                    break;
                }
                Ok(true) => {
                    let position = batch.records[k].position().cloned();
                    let line = line_of(&mut rdr, position.as_ref()).unwrap_or(line);
                    let end_line = rdr.position().line().saturating_sub(1).max(line);
                    batch.items.push(Item::Record { line, end_line });
                }
                Err(e) => {
                    // An error without a position (a line too long, a failed read) is at the
                    // record's start, after the blank lines the parser skipped to it.
                    let line = line_of(&mut rdr, e.position())
                        .unwrap_or_else(|| line + rdr.get_mut().blank_lines_at(start));
                    let fatal = !matches!(e.kind(), csv::ErrorKind::Utf8 { .. });
                    let reason = if fatal {
                        format!("unreadable, reading stopped here: {e}")
                    } else {
                        "text is not valid UTF-8".to_string()
                    };
                    batch.items.push(Item::Error {
                        line,
                        reason,
                        fatal,
                    });
                    if fatal {
                        done = true;
                        break;
                    }
                }
            }
        }
        // The reading thread stopped taking batches only after a fatal error it was sent.
        if (!batch.items.is_empty() && full.send(batch).is_err()) || done {
            return;
        }
    }
}

/// Reads rows that come from another container than CSV (a Parquet file: `parquet.rs`), each
/// already turned into the text cells a native CSV row would hold, through the same checks as a
/// CSV row. `rows` yields (row number, cells); the row number is the "line" of a rejection.
pub(super) fn read_rows(
    ctx: &mut Ctx,
    header: Vec<String>,
    rows: impl Iterator<Item = (u64, csv::StringRecord)>,
) {
    let Some(file) = columns(ctx, header, b',') else {
        return;
    };
    let file_athlete = ctx.resolve_file_athlete();
    let mut drinks = DrinkSodium::default();
    for (line, record) in rows {
        let result = row(ctx, &file, &mut drinks, &record, line, line, &file_athlete);
        ctx.account(line, result);
    }
    if ctx.report.rows_read == 0 {
        ctx.skip(format!(
            "the file has native {} columns but no rows",
            file.kind
        ));
    }
}

/// A native CSV opened for streaming.
type Reader = csv::Reader<super::text::LineLimit<std::fs::File>>;

/// A native file's header, checked: its kind and where each column is.
struct NativeFile {
    kind: Kind,
    header_len: usize,
    /// The header's columns without the empty ones spreadsheets add at the end.
    named_len: usize,
    /// Where each column of `READ` is in the header.
    positions: [Option<usize>; READ.len()],
    delimiter: u8,
}

impl NativeFile {
    /// A record of the file, its cells found by column.
    fn row<'a>(&'a self, rec: &'a csv::StringRecord) -> Row<'a> {
        Row {
            rec,
            positions: &self.positions,
            // A semicolon-delimited native file is a spreadsheet's re-save in a decimal-comma
            // locale.
            decimal_comma: self.delimiter != b',',
        }
    }
}

/// The line a record starts on. The parser places a record where the previous one ended,
/// before the blank lines it skipped: those are counted back in.
fn line_of(rdr: &mut Reader, pos: Option<&csv::Position>) -> Option<u64> {
    let pos = pos?;
    Some(pos.line() + rdr.get_mut().blank_lines_at(pos.byte()))
}

/// Opens the file and reads its header: the kind, each column's index; `None` when the file
/// was skipped (and why is reported).
fn open(ctx: &mut Ctx, delimiter: u8) -> Option<(Reader, NativeFile)> {
    // Streamed: a file of millions of rows is never held in memory, and an over-long line
    // stops the reading instead of growing the record buffer.
    let mut rdr = match std::fs::File::open(ctx.path) {
        Ok(f) => csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(super::text::LineLimit::new(f)),
        Err(e) => {
            ctx.skip(format!("cannot be opened: {e}"));
            return None;
        }
    };
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}').to_string())
            .collect(),
        Err(e) => {
            ctx.skip(format!("header cannot be read: {e}"));
            return None;
        }
    };
    if header.iter().all(String::is_empty) {
        ctx.skip("the file is empty".to_string());
        return None;
    }
    columns(ctx, header, delimiter).map(|file| (rdr, file))
}

/// Checks a native header (from a CSV, or a Parquet file's column names): the kind, each
/// column's index; `None` when the file was skipped (and why is reported).
fn columns(ctx: &mut Ctx, header: Vec<String>, delimiter: u8) -> Option<NativeFile> {
    // The gate sends a header here that matches exactly, or (when no vendor format matched)
    // one that matches once case is ignored.
    let (header, kind) = match detect(&header, ctx.hint) {
        Ok(k) => (header, k),
        Err(why) => {
            let folded = fold_case(&header);
            match detect(&folded, ctx.hint) {
                Ok(k) => {
                    ctx.note("column names matched ignoring upper/lower case");
                    (folded, k)
                }
                Err(_) => {
                    ctx.skip(why);
                    return None;
                }
            }
        }
    };
    ctx.report.kind = Some(kind);
    if delimiter != b',' {
        ctx.note(format!(
            "{} delimited (a spreadsheet re-save?): numbers with a decimal comma read as decimals",
            super::text::delimiter_name(delimiter)
        ));
    }
    // A column named twice (a spreadsheet paste) is ambiguous when the tool reads it:
    // guessing which copy holds the data could read the wrong one. One it never reads is
    // ignored, with a note.
    // Looked up for every cell: a fast hasher (the keys are the file's own header).
    let mut index: PlHashMap<String, usize> = PlHashMap::default();
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        let Some(&first) = index.get(h) else {
            index.insert(h.clone(), i);
            continue;
        };
        if READ.contains(&h.as_str()) {
            ctx.skip(format!(
                "column {h:?} appears twice in the header (columns {} and {}): which one to \
                 read is ambiguous — rename or remove one",
                first + 1,
                i + 1
            ));
            return None;
        }
        ctx.note(format!(
            "column {h:?} appears twice in the header (columns {} and {}); cramprisk does not \
             read it, so both are ignored",
            first + 1,
            i + 1
        ));
    }
    // Spreadsheets add empty columns at the end of the header (`a,b,c,,`); rows may or may
    // not carry the matching empty cells.
    let named_len = header
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1);
    Some(NativeFile {
        kind,
        header_len: header.len(),
        named_len,
        positions: READ.map(|name| index.get(name).copied()),
        delimiter,
    })
}

/// Reads one record into the builders, or says why it cannot be used: its cells read
/// (`parse`), then added (`apply`).
fn row(
    ctx: &mut Ctx,
    file: &NativeFile,
    drinks: &mut DrinkSodium,
    record: &csv::StringRecord,
    line: u64,
    end_line: u64,
    file_athlete: &str,
) -> Result<(), String> {
    let parsed = parse(file, ctx.canonical.today, drinks, record, line, end_line);
    apply(ctx, file, record, parsed, line, file_athlete)
}

/// What a record's cells say, read without the builders (so on another thread than the one
/// that adds the rows, `read`).
enum Parsed {
    /// The record itself is unusable (a NUL byte, rows run together, a wrong number of
    /// fields): rejected before its athlete is looked at.
    Unusable(String),
    /// The kind's cells read and checked, or why the row is rejected (said after its athlete's
    /// own problem, if it has one).
    Read(Result<Cells, String>),
}

/// A row's cells, read and checked; the texts the builders keep are read from the record
/// when the row is added.
enum Cells {
    /// A session, without its athlete.
    Session(Box<Session>),
    Day {
        date: NaiveDate,
        measures: [Option<f64>; 4],
    },
    Hour {
        time: chrono::NaiveDateTime,
        temp: f64,
        rh: Option<f64>,
        wind: Option<f64>,
    },
    WeatherDay {
        date: NaiveDate,
        tmax: f64,
        tmin: Option<f64>,
        rh: Option<f64>,
    },
    Fluid {
        date: NaiveDate,
        volume: f64,
        content: DrinkContent,
    },
    /// Read whole when the row is added (a cramp log: a few rows).
    Later,
}

/// The checks of a record that need only the record and its file, and its cells read.
fn parse(
    file: &NativeFile,
    today: Option<NaiveDate>,
    drinks: &mut DrinkSodium,
    record: &csv::StringRecord,
    line: u64,
    end_line: u64,
) -> Parsed {
    let (header_len, named_len) = (file.header_len, file.named_len);
    // Both checks need a NUL or a line break inside a cell: one fast scan of the record's
    // bytes rules both out for the ordinary row.
    if memchr::memchr2(b'\0', b'\n', record.as_byte_record().as_slice()).is_some() {
        if record.iter().any(|c| c.contains('\0')) {
            return Parsed::Unusable("contains NUL bytes (the file is damaged here)".to_string());
        }
        if super::text::swallowed_rows(record.iter(), file.delimiter, header_len) {
            return Parsed::Unusable(super::text::swallowed_reason(line, end_line));
        }
    }
    if record.len() != header_len
        && !(record.len() >= named_len
            && record.len() <= header_len
            && record.iter().skip(named_len).all(|c| c.trim().is_empty()))
    {
        return Parsed::Unusable(format!(
            "has {} fields, the header has {header_len}",
            record.len()
        ));
    }
    let row = file.row(record);
    Parsed::Read(match file.kind {
        Kind::Activities => activity(&row, today),
        Kind::Daily => daily(&row),
        Kind::WeatherHourly => weather_hourly(&row),
        Kind::WeatherDaily => weather_daily(&row),
        Kind::Fluids => fluid(&row, today, drinks),
        Kind::Cramps | Kind::Food => Ok(Cells::Later),
    })
}

/// Adds a parsed record to the builders, or says why it cannot be used: the record's own
/// problem first, then its athlete's, then its cells'.
fn apply(
    ctx: &mut Ctx,
    file: &NativeFile,
    record: &csv::StringRecord,
    parsed: Parsed,
    line: u64,
    file_athlete: &str,
) -> Result<(), String> {
    let cells = match parsed {
        Parsed::Unusable(why) => return Err(why),
        Parsed::Read(cells) => cells,
    };
    let row = file.row(record);
    let athlete: &str = if row.has(cols::ATHLETE) {
        ctx.names.resolve_str(row.required(cols::ATHLETE)?)?
    } else {
        file_athlete
    };
    // Where a row came from: formatted only for the kinds checked for duplicates.
    let src = || format!("{}:{line}", ctx.display);
    let c = &mut *ctx.canonical;
    match cells? {
        Cells::Session(mut session) => {
            session.athlete = athlete.to_string();
            c.add_session(*session, &ctx.display, line)
        }
        Cells::Day { date, measures: m } => c.add_day(
            athlete,
            date,
            m[0],
            m[1],
            m[2],
            m[3],
            Src::Line(&ctx.display, line),
        ),
        Cells::Hour {
            time,
            temp,
            rh,
            wind,
        } => {
            let loc = c.weather_location(row.text(cols::LOCATION));
            c.add_hour(&loc, time, temp, rh, wind, src())
        }
        Cells::WeatherDay {
            date,
            tmax,
            tmin,
            rh,
        } => {
            let loc = c.weather_location(row.text(cols::LOCATION));
            c.add_weather_day(&loc, date, tmax, tmin, rh, src())
        }
        Cells::Fluid {
            date,
            volume,
            content,
        } => {
            c.add_checked_fluid(athlete, date, volume, content);
            Ok(())
        }
        Cells::Later => match file.kind {
            Kind::Cramps => cramp(&row, athlete.to_string(), c, &ctx.display, line),
            // Native detection never yields a food log (vendor exports only).
            _ => Err("food logs have no native format".to_string()),
        },
    }
}

/// One session's cells: the native columns checked here (under their own names); the
/// session is added through the same `Canonical::add_session` as every vendor session.
fn activity(row: &Row, today: Option<NaiveDate>) -> Result<Cells, String> {
    let start = match row.stamp(cols::START)? {
        Stamp::At(dt) => dt,
        Stamp::Day(_) => return Err(format!("{} has a date but no time of day", s::START)),
    };
    checks::time(s::START, start, today)?;
    let duration = checks::duration(
        s::DURATION_MIN,
        row.required_num(cols::DURATION_MIN, (f64::MIN, f64::MAX))?,
    )?;
    let sport = row
        .text(cols::SPORT)
        .map(|t| t.to_lowercase())
        .unwrap_or_else(|| "other".to_string());
    let distance = row.num(cols::DISTANCE_KM, limits::DISTANCE_KM)?;
    checks::speed(&sport, distance, duration)?;
    let avg_hr = row.num(cols::AVG_HR, limits::HR)?;
    let max_hr = row.num(cols::MAX_HR, limits::HR)?;
    if let (Some(a), Some(m)) = (avg_hr, max_hr) {
        if a > m {
            return Err(format!("avg_hr {a} is above max_hr {m}"));
        }
    }
    // Checked in this order, so a row with several problems names the same first one.
    let rpe = row.num(cols::RPE, limits::RPE)?;
    let load = row.num(cols::LOAD, limits::LOAD)?;
    let calories = row.num(cols::CALORIES_KCAL, limits::CALORIES)?;
    let mass_before_kg = row.num(cols::MASS_BEFORE_KG, limits::BODY_MASS)?;
    let mass_after_kg = row.num(cols::MASS_AFTER_KG, limits::BODY_MASS)?;
    let fluid_during_ml = row.num(cols::FLUID_DURING_ML, limits::FLUID_DURING_ML)?;
    let warmup_min = row.num(cols::WARMUP_MIN, limits::WARMUP_MIN)?;
    Ok(Cells::Session(Box::new(Session {
        // The athlete is resolved when the session is added (`apply`).
        athlete: String::new(),
        start,
        utc: None,
        sport,
        duration_min: duration,
        alt_duration_min: None,
        distance_km: distance,
        avg_hr,
        max_hr,
        calories_kcal: calories,
        title: row.text(cols::TITLE).map(str::to_string),
        description: None,
        rpe,
        load,
        mass_before_kg,
        mass_after_kg,
        fluid_during_ml,
        warmup_min,
    })))
}

fn daily(row: &Row) -> Result<Cells, String> {
    let date = row.date(cols::DATE)?;
    let steps = row.num(cols::STEPS, limits::STEPS)?;
    let sedentary = row.num(cols::SEDENTARY_MIN, limits::MINUTES_OF_DAY)?;
    let resting = row.num(cols::RESTING_HR, limits::RESTING_HR)?;
    let sleep = row.num(cols::SLEEP_MIN, limits::MINUTES_OF_DAY)?;
    Ok(Cells::Day {
        date,
        measures: [steps, sedentary, resting, sleep],
    })
}

fn weather_hourly(row: &Row) -> Result<Cells, String> {
    let time = match row.stamp(cols::TIME)? {
        Stamp::At(dt) => dt,
        Stamp::Day(_) => return Err(format!("{} has a date but no hour", s::TIME)),
    };
    let temp = row.required_num(cols::TEMP_C, limits::TEMP_C)?;
    let rh = row.num(cols::RH_PCT, limits::RH_PCT)?;
    let wind = row.num(cols::WIND_KMH, limits::WIND_KMH)?;
    Ok(Cells::Hour {
        time,
        temp,
        rh,
        wind,
    })
}

fn weather_daily(row: &Row) -> Result<Cells, String> {
    let date = row.date(cols::DATE)?;
    let tmax = row.required_num(cols::TMAX_C, limits::TEMP_C)?;
    let tmin = row.num(cols::TMIN_C, limits::TEMP_C)?;
    if tmin.is_some_and(|t| t > tmax) {
        return Err(format!("tmin_c is above tmax_c ({tmax})"));
    }
    let rh = row.num(cols::RH_PCT, limits::RH_PCT)?;
    Ok(Cells::WeatherDay {
        date,
        tmax,
        tmin,
        rh,
    })
}

/// One cramp: the day from `date` (or the day of `time`), not in the future; the optional
/// cells checked by `cramplog::cells`.
fn cramp(
    row: &Row,
    athlete: String,
    c: &mut Canonical,
    file: &str,
    line: u64,
) -> Result<(), String> {
    let date = if row.has(cols::DATE) {
        let d = row.date(cols::DATE)?;
        checks::date(s::DATE, d, c.today)?;
        d
    } else {
        match row.stamp(cols::TIME)? {
            Stamp::At(dt) => {
                checks::time(s::TIME, dt, c.today)?;
                dt.date()
            }
            Stamp::Day(d) => {
                checks::date(s::TIME, d, c.today)?;
                d
            }
        }
    };
    let (muscle, severity, when) = super::cramplog::cells(
        row.text(cols::MUSCLE),
        row.text(cols::SEVERITY),
        row.text(cols::WHEN),
    )?;
    c.cramps.push(super::cramplog::Cramp {
        athlete,
        date,
        muscle,
        severity,
        when,
        note: row.text(cols::NOTE).map(str::to_string),
        source: super::cramplog::CrampSource::Log,
        file: file.to_string(),
        line,
    });
    Ok(())
}

fn fluid(row: &Row, today: Option<NaiveDate>, drinks: &mut DrinkSodium) -> Result<Cells, String> {
    let stamp = row.stamp(cols::TIME)?;
    match stamp {
        Stamp::At(dt) => checks::time(s::TIME, dt, today)?,
        Stamp::Day(d) => checks::date(s::TIME, d, today)?,
    }
    let volume = checks::volume(
        s::VOLUME_ML,
        row.required_num(cols::VOLUME_ML, (f64::MIN, f64::MAX))?,
    )?;
    let sodium = row.num(cols::SODIUM_MG, limits::SODIUM_MG)?;
    Ok(Cells::Fluid {
        date: stamp.date(),
        volume,
        content: drinks.of(row.text(cols::DRINK), volume, sodium),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{InputFile, ReadOptions};
    use polars::prelude::DataType;

    #[test]
    fn plain_decimals_read_as_the_standard_parser_reads_them() {
        for t in [
            "0",
            "150",
            "007",
            "21.80",
            "57.9",
            "0.1",
            "0.3",
            "999999999999999",
            "1.5",
        ] {
            assert_eq!(plain_decimal(t), Some(t.parse::<f64>().unwrap()), "{t}");
        }
        // Left to the standard parser: not plain, or too long to be exact.
        for t in [
            "",
            ".",
            ".5",
            "5.",
            "1.2.3",
            "-1",
            "+1",
            "1e3",
            "1,5",
            " 1",
            "inf",
            "1234567890123456",
        ] {
            assert_eq!(plain_decimal(t), None, "{t}");
        }
    }

    proptest::proptest! {
        /// Every text of digits and points (and a few other bytes) reads as `str::parse`
        /// reads it, bit for bit, or goes to it.
        #[test]
        fn plain_decimal_agrees_with_str_parse(t in "[0-9.]{0,18}|[0-9]{1,9}[.][0-9]{1,7}|[0-9 e+-]{0,6}") {
            if let Some(x) = plain_decimal(&t) {
                proptest::prop_assert_eq!(Ok(x.to_bits()), t.parse::<f64>().map(f64::to_bits), "{}", t);
            }
        }

        /// The trimmed cell is `str::trim`'s, Unicode spaces and lone ASCII included.
        #[test]
        fn trimmed_is_str_trim(t in "[ \t\u{a0}\u{3000}\u{2009}a1é,]{0,6}") {
            proptest::prop_assert_eq!(trimmed(&t), t.trim());
        }
    }

    fn h(cols: &str) -> Vec<String> {
        cols.split(',').map(str::to_string).collect()
    }

    #[test]
    fn detects_each_native_kind() {
        assert_eq!(
            detect(&h("athlete,start,duration_min"), None),
            Ok(Kind::Activities)
        );
        assert_eq!(detect(&h("athlete,date,steps"), None), Ok(Kind::Daily));
        assert_eq!(
            detect(&h("time,temp_c,rh_pct"), None),
            Ok(Kind::WeatherHourly)
        );
        assert_eq!(
            detect(&h("date,tmax_c,tmin_c,rh_pct"), None),
            Ok(Kind::WeatherDaily)
        );
        assert_eq!(detect(&h("athlete,time,volume_ml"), None), Ok(Kind::Fluids));
        assert_eq!(
            detect(&h("athlete,date,muscle,severity,when,note"), None),
            Ok(Kind::Cramps)
        );
        assert_eq!(detect(&h("time,when"), None), Ok(Kind::Cramps));
        // A bare date is a cramp log only when named so (`--cramps`).
        assert!(detect(&h("athlete,date,note"), None).is_err());
        assert_eq!(
            detect(&h("athlete,date,note"), Some(KindHint::Cramps)),
            Ok(Kind::Cramps)
        );
    }

    #[test]
    fn unknown_header_names_missing_columns() {
        let err = detect(&h("athlete,start,distance_km"), None).unwrap_err();
        assert!(err.contains("activities (missing duration_min)"), "{err}");
        let err = detect(&h("time,temp_c"), Some(KindHint::Activities)).unwrap_err();
        assert!(err.contains("missing start, duration_min"), "{err}");
    }

    /// A column the reader reads, named twice, makes the file ambiguous — wind included
    /// (it was missing from `READ`, so a second `wind_kmh` was "ignored" while one was read).
    #[test]
    fn a_read_column_named_twice_skips_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("weather.csv");
        std::fs::write(
            &path,
            "time,temp_c,wind_kmh,wind_kmh\n2024-05-01 10:00,12,5,30\n",
        )
        .unwrap();
        let files = [InputFile {
            path: path.clone(),
            hint: None,
        }];
        let ingested = super::super::load(&files, &[], &ReadOptions::default()).unwrap();
        let why = ingested.files[0].skipped.clone().unwrap_or_default();
        assert!(
            why.contains("\"wind_kmh\" appears twice") && why.contains("ambiguous"),
            "{why}"
        );
    }

    /// Every column the row readers take is in `READ` (`col` would not compile otherwise),
    /// and each `cols::` constant names its own column.
    #[test]
    fn columns_know_their_place_in_read() {
        for k in [
            cols::ATHLETE,
            cols::START,
            cols::WIND_KMH,
            cols::WHEN,
            cols::DRINK,
        ] {
            assert_eq!(READ[k.at], k.name);
        }
    }

    /// A file of many batches (`RECORDS_PER_BATCH`) read by the two threads: every row
    /// accounted for once, in order, and each rejection names its own line — blank lines
    /// and a line of bytes that are not UTF-8 on either side of a batch's edge included.
    #[test]
    fn rows_across_batches_keep_their_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fluids.csv");
        let mut bytes = b"athlete,time,volume_ml\n".to_vec();
        // Line 1 is the header; row k is on line k + 1, but for the blank lines below.
        let mut line = 1u64;
        let mut bad_lines = Vec::new();
        // More batches than can be in flight at once: the batches' buffers are reused.
        let n = RECORDS_PER_BATCH * (BATCHES_IN_FLIGHT * 4) + 100;
        for k in 0..n {
            if k == RECORDS_PER_BATCH - 1 || k == RECORDS_PER_BATCH + 7 {
                bytes.extend_from_slice(b"\n\n");
                line += 2;
            }
            line += 1;
            if k == RECORDS_PER_BATCH {
                bytes.extend_from_slice(b"ana,2024-05-01 10:00,\xff\xfe\n");
                bad_lines.push((line, "not valid UTF-8"));
            } else if k % 1000 == 999 {
                bytes.extend_from_slice(b"ana,2024-05-01 10:00,-5\n");
                bad_lines.push((line, "volume"));
            } else {
                bytes.extend_from_slice(
                    format!("ana,2024-05-01 10:00,{}\n", 100 + k % 1000).as_bytes(),
                );
            }
        }
        std::fs::write(&path, bytes).unwrap();
        let files = [InputFile {
            path: path.clone(),
            hint: None,
        }];
        let ingested = super::super::load(&files, &[], &ReadOptions::default()).unwrap();
        let report = &ingested.files[0];
        assert_eq!(report.rows_read, n);
        assert_eq!(report.rows_rejected, bad_lines.len());
        assert_eq!(report.rows_used, n - bad_lines.len());
        // Every drink is on one day: one row whose totals are the good rows' own.
        let day = &ingested.frames.fluids;
        assert_eq!(day.height(), 1);
        let got = |c: &str| {
            day.column(c)
                .unwrap()
                .cast(&DataType::Float64)
                .unwrap()
                .f64()
                .unwrap()
                .get(0)
        };
        assert_eq!(got("drinks"), Some((n - bad_lines.len()) as f64));
        let want: f64 = (0..n)
            .filter(|&k| k != RECORDS_PER_BATCH && k % 1000 != 999)
            .map(|k| (100 + k % 1000) as f64)
            .sum();
        assert_eq!(got("fluid_intake_ml"), Some(want));
    }

    /// A line too long to read stops the reading at that line, counted as the file counts
    /// it: the blank lines before it included (the parser skips them without counting, and
    /// this rejection has no position of its own to correct that by).
    #[test]
    fn a_line_too_long_is_rejected_at_its_own_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fluids.csv");
        let mut bytes = b"athlete,time,volume_ml\n\nana,2024-05-01 10:00,100\n\n\n".to_vec();
        bytes.extend(std::iter::repeat_n(
            b'x',
            super::super::text::MAX_LINE_BYTES + 1,
        ));
        bytes.extend_from_slice(b"\nana,2024-05-01 11:00,200\n");
        std::fs::write(&path, bytes).unwrap();
        let files = [InputFile {
            path: path.clone(),
            hint: None,
        }];
        let ingested = super::super::load(&files, &[], &ReadOptions::default()).unwrap();
        let lines: Vec<(Option<u64>, bool)> = ingested
            .rejections
            .iter()
            .map(|r| (r.line, r.reason.contains("line 6 is longer than")))
            .collect();
        assert_eq!(lines, [(Some(6), true)]);
        assert_eq!(ingested.files[0].rows_used, 1);
    }
}
