//! Fitbit's daily activity export: the dashboard "Export data" CSV, whose sections (`Body`,
//! `Foods`, `Activities`, `Sleep`, …) each start with a title line and their own header, or
//! the `Activities` table alone. `Date,Calories Burned,Steps,Distance,Floors,Minutes
//! Sedentary,…` becomes daily summaries (steps, sedentary minutes); the other sections are
//! rejected row by row with the section's name (a `Food Log YYYYMMDD` section's rows, which
//! come under headings without a header line, too).

use super::canonical::Src;
use super::checks::limits;
use super::format::{opt, req, Ctx, Field, Format, Mapping, Recognise, Table};
use super::text::{self, Record};
use super::types::Kind;
use crate::dates;

/// Fitbit's account export (sections; the Activities table's header is found where it is).
pub static FORMAT: Format = Format {
    name: "fitbit",
    kind: Some(Kind::Daily),
    recognise: Recognise::Header(FIELDS),
    read,
    locate_header: Some(locate_header),
    checks_own_rows: true,
};

pub const FIELDS: &[Field] = &[
    req("date", &["Date"]),
    req("steps", &["Steps"]),
    req("sedentary", &["Minutes Sedentary"]),
    opt("calories", &["Calories Burned"]),
    opt("light", &["Minutes Lightly Active"]),
];

/// Where the Activities table's header is in a multi-section export: the first record that
/// matches [`FIELDS`].
pub fn find_header(records: &[Record]) -> Option<usize> {
    records.iter().position(|r| {
        let (_, missing) = Mapping::build(FIELDS, &r.cells);
        missing.is_empty()
    })
}

/// The Activities section's header, when it is not the file's first record.
fn locate_header(records: &[Record]) -> Option<(Vec<String>, usize)> {
    find_header(records).map(|i| (records[i].cells.clone(), i + 1))
}

pub fn read(ctx: &mut Ctx, t: &Table) {
    let (records, header_at) = (t.records, t.header_at);
    ctx.report.units = Some("steps and minutes (no unit choice involved)".into());
    ctx.report.time_zone = Some("the account's local days".into());
    let (m, _) = Mapping::build(FIELDS, &records[header_at].cells);
    let mut section = String::from("(untitled)");
    let mut in_activities = false;
    // The next record is a section's header (every section has one but a Food Log).
    let mut header_next = false;
    for (i, rec) in records.iter().enumerate() {
        if i == header_at {
            in_activities = true;
            header_next = false;
            continue;
        }
        if let Some(title) = title(rec) {
            if section.starts_with(FOOD_LOG) && !is_top_level(title) {
                // A heading inside a Food Log ("Daily Totals", a meal): same section, and its
                // rows follow without a header.
                continue;
            }
            section = title.to_string();
            in_activities = false;
            header_next = !section.starts_with(FOOD_LOG);
            continue;
        }
        if header_next {
            // The header of another section: not a row.
            header_next = false;
            continue;
        }
        let result = if in_activities {
            day(ctx, &m, rec)
        } else {
            Err(format!(
                "Fitbit section {section:?} is not read (only Activities is)"
            ))
        };
        ctx.account(rec.line, result);
    }
}

/// A Food Log section's title (`Food Log 20210801`): its rows (`"","Calories","1,234"`) come
/// under headings such as `Daily Totals` and have no header line.
const FOOD_LOG: &str = "Food Log";

/// A section title or heading: a record with one non-empty cell that is not a date.
fn title(rec: &Record) -> Option<&str> {
    let mut filled = rec.cells.iter().filter(|c| !c.trim().is_empty());
    match (filled.next(), filled.next()) {
        (Some(only), None) if !only.contains('-') => Some(only.trim()),
        _ => None,
    }
}

/// Whether a title opens a section of the export (rather than a heading inside a Food Log).
fn is_top_level(title: &str) -> bool {
    ["Body", "Foods", "Activities", "Sleep"].contains(&title) || title.starts_with(FOOD_LOG)
}

fn day(ctx: &mut Ctx, m: &Mapping, rec: &Record) -> Result<(), String> {
    let t = m.cell(rec, "date").ok_or("Date is empty")?;
    let date = dates::parse_date(t).ok_or_else(|| format!("Date {t:?} is not YYYY-MM-DD"))?;
    let num = |c: &str| match m.cell(rec, c) {
        None => Ok(None),
        Some(t) => text::number(t, ctx.decimal).map_err(|e| format!("{c}: {e}")),
    };
    let steps = num("steps")?;
    if let Some(s) = steps {
        super::format::in_range("Steps", s, limits::STEPS)?;
    }
    let sedentary = num("sedentary")?;
    if let Some(s) = sedentary {
        super::format::in_range("Minutes Sedentary", s, limits::MINUTES_OF_DAY)?;
    }
    let src = Src::Line(&ctx.display, rec.line);
    ctx.canonical
        .add_day(&ctx.athlete, date, steps, sedentary, None, None, src)
}
