//! WHOOP's export: `workouts.csv` (local start times with the cycle's zone in a separate
//! column, `UTC-04:00`; duration in minutes; `Energy burned (cal)` that is kilocalories;
//! distance in metres, newer exports only), and the daily `physiological_cycles.csv`
//! (resting heart rate, sleep) and `sleeps.csv` (sleep), each night given to the day its
//! sleep ends.

use chrono::{FixedOffset, NaiveDateTime, TimeZone};

use super::canonical::{Session, Src};
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

/// WHOOP `physiological_cycles.csv`: one row per cycle (sleep onset to the next), with the
/// resting heart rate and the sleep measured in the night that starts it.
pub static CYCLES: Format = Format {
    name: "whoop-cycles",
    kind: Some(Kind::Daily),
    recognise: Recognise::Header(CYCLE_FIELDS),
    read: read_cycles,
    locate_header: None,
    checks_own_rows: false,
};

pub const CYCLE_FIELDS: &[Field] = &[
    req("cycle_start", &["Cycle start time"]),
    req("resting_hr", &["Resting heart rate (bpm)"]),
    opt("tz", &["Cycle timezone"]),
    opt("wake", &["Wake onset"]),
    opt("asleep", &["Asleep duration (min)"]),
    opt("recovery", &["Recovery score %"]),
    opt("hrv", &["Heart rate variability (ms)"]),
];

/// WHOOP `sleeps.csv`: one row per sleep, naps marked.
pub static SLEEPS: Format = Format {
    name: "whoop-sleeps",
    kind: Some(Kind::Daily),
    recognise: Recognise::Header(SLEEP_FIELDS),
    read: read_sleeps,
    locate_header: None,
    checks_own_rows: false,
};

pub const SLEEP_FIELDS: &[Field] = &[
    req("onset", &["Sleep onset"]),
    req("wake", &["Wake onset"]),
    req("asleep", &["Asleep duration (min)"]),
    req("nap", &["Nap"]),
    opt("tz", &["Cycle timezone"]),
];

/// The day a WHOOP night belongs to: the date its sleep ends (`Wake onset`), so a night's
/// resting heart rate and sleep are the morning's, as WHOOP's app shows them. A cycle
/// without a wake time (strap off) falls back to its start: the next day when it starts
/// in the evening (from noon on), else its own.
fn night_day(m: &Mapping, rec: &Record) -> Result<chrono::NaiveDate, String> {
    if let Some(w) = m.cell(rec, "wake") {
        return dates::parse_datetime(w)
            .map(|t| t.date())
            .ok_or_else(|| format!("Wake onset {w:?} is not a date-time"));
    }
    let t = m
        .cell(rec, "cycle_start")
        .ok_or("neither Wake onset nor Cycle start time is given")?;
    let start = dates::parse_datetime(t)
        .ok_or_else(|| format!("Cycle start time {t:?} is not a date-time"))?;
    Ok(if chrono::Timelike::hour(&start) >= 12 {
        start.date() + chrono::Duration::days(1)
    } else {
        start.date()
    })
}

fn daily_report(ctx: &mut Ctx) {
    ctx.report.units = Some("bpm and minutes (stated in the headers)".into());
    ctx.report.time_zone = Some(
        "local time as written (the Cycle timezone column's zone); a night is the day it ends"
            .into(),
    );
}

pub fn read_cycles(ctx: &mut Ctx, t: &Table) {
    daily_report(ctx);
    ctx.note("recovery score and HRV are not used (the model has no term for them)");
    for rec in t.data {
        let result = cycle(ctx, t.mapping, rec);
        ctx.account(rec.line, result);
    }
}

fn cycle(ctx: &mut Ctx, m: &Mapping, rec: &Record) -> Result<(), String> {
    let day = night_day(m, rec)?;
    let resting = ctx.num(m, rec, "resting_hr")?;
    let asleep = ctx.num(m, rec, "asleep")?;
    if resting.is_none() && asleep.is_none() {
        return Err("no resting heart rate and no sleep (a cycle without a recorded night)".into());
    }
    if let Some(hr) = resting {
        format::in_range("Resting heart rate (bpm)", hr, limits::RESTING_HR)?;
    }
    let src = Src::Line(&ctx.display, rec.line);
    ctx.canonical
        .add_day(&ctx.athlete, day, None, None, resting, asleep, src)
}

pub fn read_sleeps(ctx: &mut Ctx, t: &Table) {
    daily_report(ctx);
    // Several sleeps ending on one day (a split night) are one day's sleep: summed first,
    // then every row accounted with its day's result.
    let mut nights: std::collections::BTreeMap<chrono::NaiveDate, (f64, Vec<u64>)> =
        Default::default();
    for rec in t.data {
        match sleep(ctx, t.mapping, rec) {
            Ok((day, minutes)) => {
                let n = nights.entry(day).or_default();
                n.0 += minutes;
                n.1.push(rec.line);
            }
            Err(why) => ctx.account(rec.line, Err(why)),
        }
    }
    for (day, (minutes, lines)) in nights {
        let src = Src::Line(&ctx.display, lines[0]);
        let result = ctx
            .canonical
            .add_day(&ctx.athlete, day, None, None, None, Some(minutes), src);
        for line in lines {
            ctx.account(line, result.clone());
        }
    }
}

/// One sleep's day and minutes asleep; naps are not the night's sleep.
fn sleep(ctx: &Ctx, m: &Mapping, rec: &Record) -> Result<(chrono::NaiveDate, f64), String> {
    if m.cell(rec, "nap")
        .is_some_and(|n| n.trim().eq_ignore_ascii_case("true"))
    {
        return Err("a nap: sleep_min is the night's sleep, naps are not added to it".into());
    }
    let day = night_day(m, rec)?;
    let minutes = ctx
        .num(m, rec, "asleep")?
        .ok_or("Asleep duration (min) is empty")?;
    format::in_range("Asleep duration (min)", minutes, limits::MINUTES_OF_DAY)?;
    Ok((day, minutes))
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
