//! Polar Flow per-session CSV (Export session → CSV): two header blocks — line 1 the session
//! header (`Name,Sport,Date,Start time,Duration,Total distance (km),…`), line 2 the session,
//! line 3 the sample header, then one sample per second. A trailing comma ends every line.
//! Dates are `DD-MM-YYYY`, local.

use chrono::{NaiveDate, NaiveTime};

use super::canonical::Session;
use super::checks::limits;
use super::format::{self, opt, req, Ctx, Field, Format, Mapping, Recognise, Table};
use super::text::{self, Record};
use super::types::Kind;

/// Polar Flow's per-session CSV (two header blocks: it checks its own rows).
pub static FORMAT: Format = Format {
    name: "polar",
    kind: Some(Kind::Activities),
    recognise: Recognise::Header(FIELDS),
    read,
    locate_header: None,
    checks_own_rows: true,
};

pub const FIELDS: &[Field] = &[
    req("name", &["Name"]),
    req("sport", &["Sport"]),
    req("date", &["Date"]),
    req("start", &["Start time"]),
    req("duration", &["Duration"]),
    opt("distance", &["Total distance (km)"]),
    opt("avg_hr", &["Average heart rate (bpm)"]),
    opt("calories", &["Calories"]),
    opt("notes", &["Notes"]),
];

/// Whether a record is the sample block's header (`Sample rate,Time,HR (bpm),…`).
fn is_sample_header(rec: &Record) -> bool {
    rec.cells
        .first()
        .is_some_and(|c| text::header_key(c) == "sample rate")
}

pub fn read(ctx: &mut Ctx, t: &Table) {
    let (m, data) = (t.mapping, t.data);
    ctx.report.units = Some("metric (stated in the headers: km, bpm)".into());
    ctx.report.time_zone = Some("local time as written".into());
    let samples_from = data.iter().position(is_sample_header);
    let sessions = &data[..samples_from.unwrap_or(data.len())];
    for rec in sessions {
        let result = row(ctx, m, rec);
        ctx.account(rec.line, result);
    }
    if let Some(i) = samples_from {
        let n = data.len() - i - 1;
        ctx.note(format!(
            "{n} per-second samples from line {} belong to the session above; they are not rows of their own",
            data[i].line
        ));
    }
}

/// Polar's session date: `20-06-2018` (the form importers quote), `06.09.2015` (the form of
/// real session files), or ISO.
fn parse_date(d: &str) -> Option<NaiveDate> {
    ["%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(d.trim(), f).ok())
}

fn row(ctx: &mut Ctx, m: &Mapping, rec: &Record) -> Result<(), String> {
    let d = m.cell(rec, "date").ok_or("Date is empty")?;
    let date = parse_date(d).ok_or_else(|| format!("Date {d:?} is not DD-MM-YYYY"))?;
    let t = m.cell(rec, "start").ok_or("Start time is empty")?;
    let time = NaiveTime::parse_from_str(t, "%H:%M:%S")
        .map_err(|_| format!("Start time {t:?} is not HH:MM:SS"))?;
    let duration = text::duration_min(m.cell(rec, "duration").unwrap_or(""), ctx.decimal)
        .map_err(|e| format!("Duration: {e}"))?
        .filter(|x| *x > 0.0)
        .ok_or("Duration is empty")?;
    format::in_range("Duration (minutes)", duration, limits::DURATION_MIN)?;
    let distance = ctx.num(m, rec, "distance")?.filter(|x| *x > 0.0);
    let avg_hr = ctx.num(m, rec, "avg_hr")?.filter(|x| *x > 0.0);
    if let Some(hr) = avg_hr {
        format::in_range("heart rate", hr, limits::HR)?;
    }
    let session = Session {
        athlete: ctx.athlete.clone(),
        start: date.and_time(time),
        sport: format::sport_name(m.cell(rec, "sport").unwrap_or("other")),
        duration_min: duration,
        alt_duration_min: None,
        distance_km: distance,
        avg_hr,
        max_hr: None,
        calories_kcal: ctx.num(m, rec, "calories")?.filter(|x| *x > 0.0),
        // The Name column is the athlete's real name (privacy): not copied as a title.
        title: None,
        ..Session::default()
    };
    ctx.add_session(session, rec.line)?;
    // Kept only to tell two people's files apart (never written out).
    if let Some(name) = m.cell(rec, "name") {
        let person = (ctx.athlete.clone(), name.to_string(), ctx.display.clone());
        ctx.canonical.person_names.push(person);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_polar_date_form() {
        let want = NaiveDate::from_ymd_opt(2015, 9, 6);
        // Issue 16: the dotted form of real Polar Flow files was rejected.
        assert_eq!(parse_date("06.09.2015"), want);
        assert_eq!(parse_date("06-09-2015"), want);
        assert_eq!(parse_date("2015-09-06"), want);
        assert_eq!(parse_date("2015/09/06"), None);
    }
}
