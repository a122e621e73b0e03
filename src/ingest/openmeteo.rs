//! Open-Meteo CSV downloads: a location preamble (`latitude,longitude,…,utc_offset_seconds`),
//! then one block per requested section (15-minutely, hourly, daily), each after a blank
//! line with its own header; units in the headers (`(°C)`/`(°F)`, `(km/h)`/`(mph)`/`(m/s)`/
//! `(kn)`), `NaN` for missing values, times local to the requested zone.

use chrono::Timelike;

use super::canonical::Reading;
use super::checks::limits;
use super::format::{f_to_c, opt, req, Ctx, Field, Format, Mapping, Recognise, Table};
use super::text::{self, Decimal, Record};
use super::types::Kind;
use crate::dates::{self, Stamp};

/// Open-Meteo CSV downloads (a preamble block, then hourly and/or daily blocks).
pub static FORMAT: Format = Format {
    name: "open-meteo",
    kind: Some(Kind::WeatherHourly),
    recognise: Recognise::Header(FIELDS),
    read,
    locate_header: None,
    checks_own_rows: true,
};

pub const FIELDS: &[Field] = &[
    req("latitude", &["latitude"]),
    req("longitude", &["longitude"]),
    req("utc_offset", &["utc_offset_seconds"]),
    opt("timezone", &["timezone"]),
    opt("elevation", &["elevation"]),
];

/// Columns of a data block; names with and without the underscore (pre-2023 downloads).
const BLOCK_FIELDS: &[Field] = &[
    req("time", &["time"]),
    super::format::starts("temp", &["temperature_2m"], false),
    super::format::starts("tmax", &["temperature_2m_max"], false),
    super::format::starts("tmin", &["temperature_2m_min"], false),
    super::format::starts(
        "rh",
        &["relative_humidity_2m", "relativehumidity_2m"],
        false,
    ),
    super::format::starts(
        "rh_mean",
        &["relative_humidity_2m_mean", "relativehumidity_2m_mean"],
        false,
    ),
    super::format::starts("wind", &["wind_speed_10m", "windspeed_10m"], false),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Minutes15,
    Hourly,
    Daily,
}

struct Block<'a> {
    header: &'a [String],
    rows: &'a [Record],
    step: Step,
}

/// A temperature converter from the unit in a header (`(°C)` or `(°F)`).
fn temp_unit(header: &str) -> Result<fn(f64) -> f64, String> {
    if header.contains("°F") || header.contains("Â°F") {
        Ok(f_to_c)
    } else if header.contains("°C") || header.contains("Â°C") {
        Ok(|c| c)
    } else {
        Err(format!("{header:?}: temperature unit not stated"))
    }
}

/// Km/h per unit of the wind header's unit.
fn wind_factor(header: &str) -> Result<f64, String> {
    if header.contains("(km/h)") {
        Ok(1.0)
    } else if header.contains("(mph)") {
        Ok(1.609_344)
    } else if header.contains("(m/s)") {
        Ok(3.6)
    } else if header.contains("(kn)") {
        Ok(1.852)
    } else {
        Err(format!("{header:?}: wind unit not known"))
    }
}

fn split_blocks(records: &[Record]) -> Vec<Block<'_>> {
    let starts: Vec<usize> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.cells.first().map(|c| text::header_key(c)) == Some("time".to_string())
                || (r.cells.first().map(|c| text::header_key(c)) == Some("location_id".into())
                    && r.cells.get(1).map(|c| text::header_key(c)) == Some("time".into()))
        })
        .map(|(i, _)| i)
        .collect();
    let mut blocks = Vec::new();
    for (n, &s) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(records.len());
        let rows = &records[s + 1..end];
        let t = |i: usize| {
            rows.get(i)
                .and_then(|r| r.cells.iter().find(|c| c.contains('-')))
                .and_then(|c| dates::parse_stamp(c))
        };
        let step = match (t(0), t(1)) {
            (Some(Stamp::Day(_)), _) => Step::Daily,
            (Some(Stamp::At(a)), Some(Stamp::At(b))) if (b - a).num_minutes() < 60 => {
                Step::Minutes15
            }
            _ => Step::Hourly,
        };
        blocks.push(Block {
            header: &records[s].cells,
            rows,
            step,
        });
    }
    blocks
}

pub fn read(ctx: &mut Ctx, t: &Table) {
    let records = t.records;
    let mut offset_s: Option<i64> = None;
    // The preamble: its value line is metadata, not data, and is not counted as a row.
    if let (Some(h), Some(v)) = (records.first(), records.get(1)) {
        let get = |name: &str| {
            h.cells
                .iter()
                .position(|c| c == name)
                .and_then(|i| v.cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        offset_s = get("utc_offset_seconds").parse().ok();
        ctx.report.time_zone = Some(match (ctx.opts.tz, offset_s) {
            (Some(tz), Some(_)) => format!(
                "local time of the requested zone {} (utc_offset_seconds {}), converted to {tz} (--tz)",
                get("timezone"),
                get("utc_offset_seconds")
            ),
            _ => format!(
                "local time of the requested zone {} (utc_offset_seconds {}), as written",
                get("timezone"),
                get("utc_offset_seconds")
            ),
        });
        ctx.note(format!(
            "point {}N {}E, elevation {} m; weather applies to every athlete",
            get("latitude"),
            get("longitude"),
            get("elevation")
        ));
    }
    let blocks = split_blocks(records);
    let has_hourly = blocks.iter().any(|b| b.step == Step::Hourly);
    let has_sub_daily = blocks.iter().any(|b| b.step != Step::Daily);
    if !has_sub_daily && !blocks.is_empty() {
        ctx.report.kind = Some(Kind::WeatherDaily);
    }
    let mut units = Vec::new();
    // The report's mapping is the data blocks' (the columns actually read), not the
    // preamble's the file was recognised by.
    let mut used_mapping = Vec::new();
    for b in &blocks {
        let (m, _) = Mapping::build(BLOCK_FIELDS, b.header);
        if !(b.step == Step::Minutes15 && has_hourly) {
            let what = step_name(b.step);
            used_mapping.extend(
                m.shown
                    .iter()
                    .map(|(concept, h)| (format!("{concept} ({what})"), h.clone())),
            );
        }
        for concept in ["temp", "tmax", "wind"] {
            if let Some(h) = m.header(b.header, concept) {
                if let Some(u) = h.rsplit_once('(').map(|(_, u)| u.trim_end_matches(')')) {
                    if !units.contains(&u.to_string()) {
                        units.push(u.to_string());
                    }
                }
            }
        }
        let what = step_name(b.step);
        ctx.note(format!(
            "{what} block from line {}: {} rows",
            b.rows.first().map_or(0, |r| r.line),
            b.rows.len()
        ));
        for rec in b.rows {
            let result = match b.step {
                Step::Minutes15 if has_hourly => Err(
                    "15-minutely value: this file's hourly block is used for the same hours"
                        .to_string(),
                ),
                Step::Minutes15 | Step::Hourly => hour_row(ctx, b, &m, rec, offset_s),
                Step::Daily => day_row(ctx, b, &m, rec),
            };
            ctx.account(rec.line, result);
        }
    }
    if !used_mapping.is_empty() {
        ctx.report.mapping = used_mapping;
    }
    ctx.report.units = Some(if units.is_empty() {
        "none stated".to_string()
    } else {
        format!("from the headers: {}", units.join(", "))
    });
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::Minutes15 => "15-minutely",
        Step::Hourly => "hourly",
        Step::Daily => "daily",
    }
}

fn value(m: &Mapping, rec: &Record, concept: &str) -> Result<Option<f64>, String> {
    match m.cell(rec, concept) {
        None => Ok(None),
        Some(t) => text::number(t, Decimal::Point).map_err(|e| format!("{concept}: {e}")),
    }
}

/// An hourly row. Times are local to the requested zone; with `--tz` they are moved to the
/// athlete's zone through the file's `utc_offset_seconds` (`timeformat=unixtime` files hold
/// UTC epoch seconds).
fn hour_row(
    ctx: &mut Ctx,
    b: &Block,
    m: &Mapping,
    rec: &Record,
    offset_s: Option<i64>,
) -> Result<(), String> {
    let t = m.cell(rec, "time").ok_or("time is empty")?;
    // The UTC instant is needed only to move the time to --tz; checked, since a corrupt
    // utc_offset_seconds (i64::MAX, 1e15) or a time at the calendar's end has none.
    // A Unix time is an instant: repeats are judged on it (two UTC hours share one local hour
    // the night clocks fall back). A local time with the file's one offset is not.
    let (time, utc, instant) = match t.parse::<i64>() {
        Ok(epoch) => {
            let utc = chrono::DateTime::from_timestamp(epoch, 0)
                .ok_or_else(|| format!("time {t} is not a Unix time"))?
                .naive_utc();
            (utc, Some(Ok(utc)), Some(utc))
        }
        Err(_) => {
            let local =
                dates::parse_datetime(t).ok_or_else(|| format!("time {t:?} is not a date-time"))?;
            let utc = offset_s.map(|o| dates::utc_from_offset(local, o));
            (local, utc, None)
        }
    };
    if time.minute() != 0 {
        return Err("between full hours: hourly weather takes the value at the full hour".into());
    }
    let time = match (ctx.opts.tz, utc) {
        (Some(_), Some(utc)) => ctx.local_from_utc(
            utc.map_err(|e| format!("utc_offset_seconds: {e}; cannot convert to --tz"))?,
        )?,
        _ => time,
    };
    let header = m
        .header(b.header, "temp")
        .ok_or("no temperature_2m column")?;
    let to_c = temp_unit(header)?;
    let temp = value(m, rec, "temp")?
        .ok_or("temperature is NaN or empty (not available from Open-Meteo)")?;
    let temp = to_c(temp);
    if temp < limits::TEMP_C.0 || temp > limits::TEMP_C.1 {
        return Err(format!(
            "temperature {temp:.1} °C is outside the plausible range"
        ));
    }
    let rh = value(m, rec, "rh")?;
    let wind = match (value(m, rec, "wind")?, m.header(b.header, "wind")) {
        (Some(w), Some(h)) => Some(w * wind_factor(h)?),
        _ => None,
    };
    let src = ctx.src(rec.line);
    let reading = Reading {
        temp_c: temp,
        rh_pct: rh,
        wind_kmh: wind,
    };
    ctx.canonical.add_hour_at("", time, instant, reading, src)
}

fn day_row(ctx: &mut Ctx, b: &Block, m: &Mapping, rec: &Record) -> Result<(), String> {
    let t = m.cell(rec, "time").ok_or("time is empty")?;
    let date = dates::parse_date(t).ok_or_else(|| format!("time {t:?} is not a date"))?;
    let header = m
        .header(b.header, "tmax")
        .ok_or("daily block without temperature_2m_max")?;
    let to_c = temp_unit(header)?;
    let tmax = value(m, rec, "tmax")?
        .ok_or("temperature_2m_max is NaN or empty (not available from Open-Meteo)")?;
    let tmax = to_c(tmax);
    let tmin = value(m, rec, "tmin")?.map(to_c);
    let rh = value(m, rec, "rh_mean")?;
    let src = ctx.src(rec.line);
    ctx.canonical.add_weather_day("", date, tmax, tmin, rh, src)
}
