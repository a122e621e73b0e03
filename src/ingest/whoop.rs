//! WHOOP `workouts.csv`: local start times with the cycle's zone in a separate column
//! (`UTC-04:00`), duration in minutes, `Energy burned (cal)` that is kilocalories, distance
//! in metres (newer exports only).

use chrono::{FixedOffset, NaiveDateTime, TimeZone};

use super::canonical::Session;
use super::checks::limits;
use super::format::{self, opt, req, Ctx, Field, Format, Mapping, Recognise, Table};
use super::text::Record;
use super::types::Kind;
use crate::dates;

/// WHOOP `workouts.csv`.
pub static FORMAT: Format = Format {
    name: "whoop",
    kind: Some(Kind::Activities),
    recognise: Recognise::Header(FIELDS),
    read,
    locate_header: None,
    checks_own_rows: false,
};

pub const FIELDS: &[Field] = &[
    req("start", &["Workout start time"]),
    req("duration", &["Duration (min)"]),
    req("name", &["Activity name"]),
    opt("tz", &["Cycle timezone"]),
    opt("calories", &["Energy burned (cal)"]),
    opt("max_hr", &["Max HR (bpm)"]),
    opt("avg_hr", &["Average HR (bpm)"]),
    opt("distance", &["Distance (meters)"]),
];

/// `UTC-04:00` → its offset.
fn offset(t: &str) -> Option<FixedOffset> {
    let t = t.trim().trim_start_matches("UTC");
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * secs)
}

pub fn read(ctx: &mut Ctx, t: &Table) {
    let (m, data) = (t.mapping, t.data);
    ctx.report.units = Some("metric (stated in the headers: min, cal = kcal, meters)".into());
    ctx.report.time_zone = Some(match ctx.opts.tz {
        Some(tz) => format!("local times with the Cycle timezone column, converted to {tz} (--tz)"),
        None => "local time as written (the Cycle timezone column's zone)".into(),
    });
    for rec in data {
        let result = row(ctx, m, rec);
        ctx.account(rec.line, result);
    }
}

fn row(ctx: &mut Ctx, m: &Mapping, rec: &Record) -> Result<(), String> {
    let t = m.cell(rec, "start").ok_or("Workout start time is empty")?;
    let written: NaiveDateTime = dates::parse_datetime(t)
        .ok_or_else(|| format!("Workout start time {t:?} is not a date-time"))?;
    let start = match (ctx.opts.tz, m.cell(rec, "tz").and_then(offset)) {
        (Some(tz), Some(off)) => match off.from_local_datetime(&written).single() {
            Some(at) => dates::local_in(at.naive_utc(), &tz)?,
            None => written,
        },
        _ => written,
    };
    let duration = ctx
        .num(m, rec, "duration")?
        .ok_or("Duration (min) is empty")?;
    if duration <= 0.0 {
        return Err("Duration (min) must be above 0".into());
    }
    format::in_range("Duration (min)", duration, limits::DURATION_MIN)?;
    let distance = ctx
        .num(m, rec, "distance")?
        .filter(|d| *d > 0.0)
        .map(|d| d / 1000.0);
    let avg_hr = ctx.num(m, rec, "avg_hr")?.filter(|x| *x > 0.0);
    let max_hr = ctx.num(m, rec, "max_hr")?.filter(|x| *x > 0.0);
    for hr in [avg_hr, max_hr].into_iter().flatten() {
        format::in_range("heart rate", hr, limits::HR)?;
    }
    let session = Session {
        athlete: ctx.athlete.clone(),
        start,
        sport: format::sport_name(m.cell(rec, "name").unwrap_or("other")),
        duration_min: duration,
        alt_duration_min: None,
        distance_km: distance,
        avg_hr,
        max_hr,
        calories_kcal: ctx.num(m, rec, "calories")?.filter(|x| *x > 0.0),
        title: m.cell(rec, "name").map(str::to_string),
        ..Session::default()
    };
    ctx.add_session(session, rec.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_timezone_parses() {
        assert_eq!(offset("UTC-04:00"), FixedOffset::west_opt(4 * 3600));
        assert_eq!(offset("UTC+01:00"), FixedOffset::east_opt(3600));
        assert_eq!(offset("Europe/Paris"), None);
    }
}
