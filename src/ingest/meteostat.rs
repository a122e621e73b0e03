//! Meteostat daily and hourly CSV (web export, Python library, bulk files with or without a
//! header row): `date,tavg,tmin,tmax,prcp,snow,wdir,wspd,wpgt,pres,tsun` and
//! `date,hour,temp,dwpt,rhum,…` / `time,temp,dwpt,rhum,…`. Always UTC and metric (°C, km/h).

use super::canonical::Reading;
use super::checks::limits;
use super::format::{opt, req, Ctx, Field, Format, Recognise, Table};
use super::text::Record;
use super::types::Kind;
use crate::dates::{self, Stamp};

/// Meteostat bulk and JSON-API CSVs, with or without a header (the reader tells hourly from daily).
pub static FORMAT: Format = Format {
    name: "meteostat",
    kind: Some(Kind::WeatherDaily),
    recognise: Recognise::Header(FIELDS),
    read,
    locate_header: Some(locate_header),
    checks_own_rows: false,
};

pub const FIELDS: &[Field] = &[
    req("date", &["date", "time"]),
    req("wspd", &["wspd"]),
    req("pres", &["pres"]),
    opt("tmax", &["tmax"]),
    opt("tmin", &["tmin"]),
    opt("temp", &["temp"]),
    opt("rhum", &["rhum"]),
    opt("hour", &["hour"]),
];

const DAILY: [&str; 11] = [
    "date", "tavg", "tmin", "tmax", "prcp", "snow", "wdir", "wspd", "wpgt", "pres", "tsun",
];
const HOURLY: [&str; 13] = [
    "date", "hour", "temp", "dwpt", "rhum", "prcp", "snow", "wdir", "wspd", "wpgt", "pres", "tsun",
    "coco",
];

/// The documented column order of a bulk file without a header row, when the first row is
/// data of that shape (an ISO date, then 10 or 12 more cells).
pub fn headerless(first: &[String]) -> Option<Vec<String>> {
    let date = first.first().and_then(|c| dates::parse_date(c))?;
    let _ = date;
    let names: &[&str] = match first.len() {
        11 => &DAILY,
        13 if first
            .get(1)
            .and_then(|h| h.parse::<u32>().ok())
            .is_some_and(|h| h < 24) =>
        {
            &HOURLY
        }
        _ => return None,
    };
    Some(names.iter().map(|s| s.to_string()).collect())
}

/// A bulk file without a header: the documented column order, data from the first record.
fn locate_header(records: &[Record]) -> Option<(Vec<String>, usize)> {
    headerless(&records.first()?.cells).map(|h| (h, 0))
}

pub fn read(ctx: &mut Ctx, t: &Table) {
    let (m, data) = (t.mapping, t.data);
    let daily = m.index("tmax").is_some();
    ctx.report.kind = Some(if daily {
        Kind::WeatherDaily
    } else {
        Kind::WeatherHourly
    });
    ctx.report.units = Some("metric (Meteostat: °C, km/h)".into());
    if daily {
        ctx.report.time_zone = Some("UTC days, as Meteostat writes them".into());
    } else {
        ctx.utc_source();
    }
    for rec in data {
        let result = (|| {
            let t = m.cell(rec, "date").ok_or("date is empty")?;
            let stamp = dates::parse_stamp(t).ok_or_else(|| format!("date {t:?} is not a date"))?;
            if daily {
                let tmax = ctx.num(m, rec, "tmax")?.ok_or("tmax is empty")?;
                if tmax < limits::TEMP_C.0 || tmax > limits::TEMP_C.1 {
                    return Err(format!("tmax {tmax} °C is outside the plausible range"));
                }
                let tmin = ctx.num(m, rec, "tmin")?;
                let src = ctx.src(rec.line);
                return ctx
                    .canonical
                    .add_weather_day("", stamp.date(), tmax, tmin, None, src);
            }
            let utc = match (stamp, ctx.num(m, rec, "hour")?) {
                (Stamp::At(dt), _) => dt,
                (Stamp::Day(d), Some(h)) if (0.0..24.0).contains(&h) => {
                    dates::midnight(d) + chrono::Duration::hours(h as i64)
                }
                _ => return Err("no hour: neither a time in date nor an hour column".into()),
            };
            let temp = ctx.num(m, rec, "temp")?.ok_or("temp is empty")?;
            if temp < limits::TEMP_C.0 || temp > limits::TEMP_C.1 {
                return Err(format!("temp {temp} °C is outside the plausible range"));
            }
            let rh = ctx.num(m, rec, "rhum")?;
            let wind = ctx.num(m, rec, "wspd")?;
            let src = ctx.src(rec.line);
            let local = ctx.local_from_utc(utc)?;
            let reading = Reading {
                temp_c: temp,
                rh_pct: rh,
                wind_kmh: wind,
            };
            ctx.canonical
                .add_hour_at("", local, Some(utc), reading, src)
        })();
        ctx.account(rec.line, result);
    }
}
