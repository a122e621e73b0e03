//! Fitbit's daily activity export: the dashboard "Export data" CSV, whose sections (`Body`,
//! `Foods`, `Activities`, `Sleep`, …) each start with a title line and their own header, or
//! the `Activities` table alone. `Date,Calories Burned,Steps,Distance,Floors,Minutes
//! Sedentary,…` becomes daily summaries (steps, sedentary minutes); the other sections are
//! rejected row by row with the section's name.

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
    for (i, rec) in records.iter().enumerate() {
        if i == header_at {
            in_activities = true;
            continue;
        }
        if rec.cells.iter().filter(|c| !c.is_empty()).count() == 1 && !rec.cells[0].contains('-') {
            // A section title: a new section starts (its header is the next record).
            section = rec.cells[0].clone();
            in_activities = false;
            continue;
        }
        let result = if in_activities {
            day(ctx, &m, rec)
        } else if records
            .get(i.wrapping_sub(1))
            .is_some_and(|p| p.cells.len() == 1)
        {
            // The header of another section: not a row.
            continue;
        } else {
            Err(format!(
                "Fitbit section {section:?} is not read (only Activities is)"
            ))
        };
        ctx.account(rec.line, result);
    }
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
    let src = ctx.src(rec.line);
    ctx.canonical
        .add_day(ctx.athlete.clone(), date, steps, sedentary, None, None, src)
}
