//! Apple Health: `export.xml` (streamed with quick-xml, never loaded whole: exports run to
//! gigabytes) and the one-CSV-per-type files of the common converters (applehealthdata:
//! `sourceName,…,type,unit,creationDate,startDate,endDate,value`). Dietary water becomes
//! fluids, step counts daily summaries, workouts activities. Dates carry a numeric offset.

use std::collections::BTreeMap;
use std::io::BufRead;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use quick_xml::events::Event;

use super::canonical::{Canonical, Session};
use super::checks::limits;
use super::format::{
    self, opt, req, Ctx, Field, Format, ReadOptions, Recognise, Table, ML_PER_US_CUP,
    ML_PER_US_FL_OZ,
};
use super::text::{self, Decimal};
use super::types::{Kind, Rejection};
use crate::dates::Stamp;

/// A converter's one-CSV-per-type file (`type,unit,startDate,value`).
pub static HEALTH_CSV: Format = Format {
    name: "apple-health-csv",
    kind: Some(Kind::Fluids),
    recognise: Recognise::Header(FIELDS),
    read: read_csv,
    locate_header: None,
    checks_own_rows: false,
};

/// A converter's `Workout.csv`.
pub static WORKOUT_CSV: Format = Format {
    name: "apple-health-workout-csv",
    kind: Some(Kind::Activities),
    recognise: Recognise::Header(WORKOUT_FIELDS),
    read: read_workout_csv,
    locate_header: None,
    checks_own_rows: false,
};

/// The Apple Health `export.xml`, known by its name.
pub static HEALTH_XML: Format = Format {
    name: "apple-health-xml",
    kind: Some(Kind::Activities),
    recognise: Recognise::FileName(|name| name == "export.xml"),
    read: read_xml,
    locate_header: None,
    checks_own_rows: false,
};

pub const FIELDS: &[Field] = &[
    req("type", &["type"]),
    req("unit", &["unit"]),
    req("start", &["startDate"]),
    req("value", &["value"]),
    opt("source", &["sourceName"]),
    opt("end", &["endDate"]),
];

/// applehealthdata's `Workout.csv`: one workout per row, attribute names as columns.
pub const WORKOUT_FIELDS: &[Field] = &[
    req("type", &["workoutActivityType"]),
    req("duration", &["duration"]),
    req("start", &["startDate"]),
    opt("duration_unit", &["durationUnit"]),
    opt("distance", &["totalDistance"]),
    opt("distance_unit", &["totalDistanceUnit"]),
    opt("energy", &["totalEnergyBurned"]),
];

/// Reads a converter's `Workout.csv` through the same rules as `<Workout>` elements.
pub fn read_workout_csv(ctx: &mut Ctx, t: &Table) {
    let (header, data) = (t.header, t.data);
    ctx.report.time_zone = Some(time_zone_note(ctx.opts));
    ctx.report.units = Some("from the unit columns (durationUnit, totalDistanceUnit)".into());
    for rec in data {
        let attr = |key: &str| -> String {
            header
                .iter()
                .position(|h| h.trim() == key)
                .and_then(|i| rec.cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let display = ctx.display.clone();
        let result = workout(
            ctx.canonical,
            ctx.opts,
            &ctx.athlete,
            &display,
            rec.line,
            &attr,
        );
        ctx.account(rec.line, result);
    }
}

/// `2017-03-01 00:00:00 -0600`.
fn parse_time(t: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_str(t.trim(), "%Y-%m-%d %H:%M:%S %z").ok()
}

/// The athlete's local time of an Apple time: converted with `--tz`, else the wall-clock
/// time as written (the phone's zone at the time).
fn local(t: DateTime<FixedOffset>, opts: &ReadOptions) -> Result<NaiveDateTime, String> {
    match opts.tz {
        // Checked: chrono's `with_timezone(..).naive_local()` panics at its range ends.
        Some(tz) => crate::dates::local_in(t.naive_utc(), &tz),
        None => Ok(t.naive_local()),
    }
}

fn time_zone_note(opts: &ReadOptions) -> String {
    match opts.tz {
        Some(tz) => format!("offsets in the file, converted to {tz} (--tz)"),
        None => "local time as written (each time carries the phone's offset)".to_string(),
    }
}

/// Millilitres per Apple water unit.
fn ml_per(unit: &str) -> Option<f64> {
    match unit.trim().to_lowercase().as_str() {
        "ml" => Some(1.0),
        "l" => Some(1000.0),
        "cl" => Some(10.0),
        "fl_oz_us" => Some(ML_PER_US_FL_OZ),
        "cup_us" => Some(ML_PER_US_CUP),
        _ => None,
    }
}

/// Step totals per athlete and local day, filled record by record, written at the end.
#[derive(Default)]
struct Steps {
    days: BTreeMap<(String, chrono::NaiveDate), (f64, String)>,
    /// Resting heart rates per athlete and day (their mean is the day's value).
    resting: BTreeMap<(String, chrono::NaiveDate), Vec<f64>>,
}

impl Steps {
    /// Writes one daily summary per athlete and day with steps and/or resting heart rate; a
    /// day another file already gave is left to that file (its rows were counted there).
    fn flush(mut self, c: &mut Canonical, src_file: &str, rejections: &mut Vec<Rejection>) {
        let mut keys: Vec<(String, chrono::NaiveDate)> = self.days.keys().cloned().collect();
        keys.extend(self.resting.keys().cloned());
        keys.sort();
        keys.dedup();
        for key in keys {
            let steps = self.days.remove(&key);
            let resting = self
                .resting
                .remove(&key)
                .filter(|v| !v.is_empty())
                .map(|v| v.iter().sum::<f64>() / v.len() as f64);
            let src = steps
                .as_ref()
                .map(|(_, s)| s.clone())
                .unwrap_or_else(|| src_file.to_string());
            let (athlete, date) = key;
            if let Err(why) = c.add_day(
                &athlete,
                date,
                steps.map(|(s, _)| s),
                None,
                resting,
                None,
                super::canonical::Src::Named(src),
            ) {
                rejections.push(Rejection {
                    file: src_file.to_string(),
                    line: None,
                    reason: format!("daily summary of {date} from this file not added: {why}"),
                });
            }
        }
    }
}

/// One quantity record (CSV row or XML `<Record>`).
#[allow(clippy::too_many_arguments)]
fn quantity(
    c: &mut Canonical,
    steps: &mut Steps,
    opts: &ReadOptions,
    athlete: &str,
    src: String,
    typ: &str,
    unit: &str,
    start: &str,
    value: &str,
) -> Result<(), String> {
    let typ = typ.trim_start_matches("HKQuantityTypeIdentifier");
    let at = parse_time(start)
        .ok_or_else(|| format!("startDate {start:?} is not YYYY-MM-DD HH:MM:SS ±HHMM"))?;
    let at = local(at, opts)?;
    // Checked per record (not only when the day's totals are written), so a record dated
    // after today or before 1990 is rejected on its own line.
    super::checks::time("startDate", at, c.today)?;
    let x = text::number(value, Decimal::Point)?.ok_or("value is empty")?;
    match typ {
        "DietaryWater" => {
            let per = ml_per(unit).ok_or_else(|| format!("water unit {unit:?} is not known"))?;
            let ml = format::in_range("water (ml)", x * per, limits::VOLUME_ML)?;
            if ml <= 0.0 {
                return Err("water volume must be above 0".into());
            }
            c.add_fluid(athlete, Stamp::At(at), ml, Some("water"), None)
        }
        "RestingHeartRate" => {
            let hr = format::in_range("resting heart rate", x, limits::RESTING_HR)?;
            steps
                .resting
                .entry((athlete.to_string(), at.date()))
                .or_default()
                .push(hr);
            Ok(())
        }
        "StepCount" => {
            let e = steps
                .days
                .entry((athlete.to_string(), at.date()))
                .or_insert((0.0, src));
            e.0 += x;
            Ok(())
        }
        other => Err(format!("record type {other} is not used")),
    }
}

pub fn read_csv(ctx: &mut Ctx, t: &Table) {
    let (m, data) = (t.mapping, t.data);
    ctx.report.time_zone = Some(time_zone_note(ctx.opts));
    let mut steps = Steps::default();
    let mut units: Vec<String> = Vec::new();
    for rec in data {
        if let Some(u) = m.cell(rec, "unit") {
            if !units.iter().any(|x| x == u) {
                units.push(u.to_string());
            }
        }
        let src = ctx.src(rec.line);
        let result = quantity(
            ctx.canonical,
            &mut steps,
            ctx.opts,
            &ctx.athlete,
            src,
            m.cell(rec, "type").unwrap_or(""),
            m.cell(rec, "unit").unwrap_or(""),
            m.cell(rec, "start").unwrap_or(""),
            m.cell(rec, "value").unwrap_or(""),
        );
        ctx.account(rec.line, result);
    }
    if !steps.days.is_empty() || !steps.resting.is_empty() {
        ctx.report.kind = Some(Kind::Daily);
    }
    steps.flush(ctx.canonical, &ctx.display, ctx.rejections);
    ctx.report.units = Some(format!("from the unit column: {}", units.join(", ")));
}

/// Counts the newlines an XML event spans, so rejections can name a line.
fn newlines(ev: &Event) -> u64 {
    let bytes: &[u8] = match ev {
        Event::Start(e) | Event::Empty(e) => e,
        Event::Text(e) | Event::Comment(e) | Event::DocType(e) => e,
        Event::End(e) => e,
        Event::CData(e) => e,
        Event::PI(e) => e,
        Event::Decl(e) => e,
        Event::GeneralRef(e) => e,
        Event::Eof => &[],
    };
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Reads the Apple Health `export.xml`, streamed.
pub fn read_xml(ctx: &mut Ctx, _: &Table) {
    describe_xml(ctx);
    let athlete = ctx.resolve_file_athlete();
    let f = match std::fs::File::open(ctx.path) {
        Ok(f) => f,
        Err(e) => return ctx.skip(format!("cannot be opened: {e}")),
    };
    let mut seen = XmlSeen::default();
    xml_events(ctx, f, &athlete, &mut seen);
    let XmlSeen {
        steps,
        saw_root,
        water,
        step_records,
        workouts,
    } = seen;
    ctx.note(format!(
        "{water} water records (fluids), {step_records} step-count/resting-HR records (daily summaries), \
         {workouts} workouts (activities)"
    ));
    if !saw_root && ctx.report.rows_read == 0 {
        // Nothing read and no export root: an empty or foreign file, skipped as a whole.
        ctx.skip(
            "no <HealthData> element and no records: not an Apple Health export (or empty)"
                .to_string(),
        );
        ctx.report.notes.clear();
        return;
    } else if !saw_root {
        ctx.note("no <HealthData> element: not an Apple Health export?");
    }
    steps.flush(ctx.canonical, &ctx.display, ctx.rejections);
}

/// What the `export.xml` reader reads and assumes, in the file's report.
fn describe_xml(ctx: &mut Ctx) {
    let report = &mut *ctx.report;
    report.vendor = Some("apple-health-xml".into());
    report.kind = Some(Kind::Activities);
    report.confidence = Some("high: known export name and <HealthData> root".into());
    report.time_zone = Some(time_zone_note(ctx.opts));
    report.units = Some("from each record's unit attribute".into());
    report.mapping = vec![
        (
            "water".into(),
            "Record type=HKQuantityTypeIdentifierDietaryWater".into(),
        ),
        (
            "steps".into(),
            "Record type=HKQuantityTypeIdentifierStepCount".into(),
        ),
        (
            "sessions".into(),
            "Workout (workoutActivityType, duration, startDate)".into(),
        ),
    ];
}

/// What the event loop met: step and resting-HR records to sum per day, the root element,
/// and counts for the report.
#[derive(Default)]
struct XmlSeen {
    steps: Steps,
    saw_root: bool,
    water: usize,
    step_records: usize,
    workouts: usize,
}

/// Reads the XML event by event, accounting for each water, step-count, resting-HR record
/// and workout (other elements are not rows).
fn xml_events(ctx: &mut Ctx, f: std::fs::File, athlete: &str, seen: &mut XmlSeen) {
    let opts = ctx.opts;
    let display = ctx.display.clone();
    // Streamed event by event (exports run to gigabytes); an over-long line stops the reading
    // instead of growing the event buffer.
    let mut reader =
        quick_xml::Reader::from_reader(std::io::BufReader::new(text::LineLimit::new(f)));
    let mut buf = Vec::new();
    let mut line: u64 = 1;
    loop {
        buf.clear();
        let ev = match read_event(&mut reader, &mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                ctx.account(
                    line,
                    Err(format!("unreadable XML, reading stopped here: {e}")),
                );
                break;
            }
        };
        let here = line;
        line += newlines(&ev);
        let (Event::Start(e) | Event::Empty(e)) = &ev else {
            if matches!(ev, Event::Eof) {
                break;
            }
            continue;
        };
        let tag = e.name().as_ref().to_vec();
        if tag == b"HealthData" {
            seen.saw_root = true;
            continue;
        }
        let attr = |key: &str| -> String {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == key.as_bytes())
                .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                .unwrap_or_default()
        };
        let src = format!("{display}:{here}");
        let result = match tag.as_slice() {
            b"Record" => {
                let typ = attr("type");
                let short = typ.trim_start_matches("HKQuantityTypeIdentifier");
                match short {
                    "DietaryWater" => seen.water += 1,
                    "StepCount" | "RestingHeartRate" => seen.step_records += 1,
                    // Other record types (heart rate samples, …) are not inputs: not rows.
                    _ => continue,
                }
                quantity(
                    ctx.canonical,
                    &mut seen.steps,
                    opts,
                    athlete,
                    src,
                    &typ,
                    &attr("unit"),
                    &attr("startDate"),
                    &attr("value"),
                )
            }
            b"Workout" => {
                seen.workouts += 1;
                workout(ctx.canonical, opts, athlete, &display, here, &attr)
            }
            _ => continue,
        };
        ctx.account(here, result);
    }
}

fn read_event<'b, R: BufRead>(
    reader: &mut quick_xml::Reader<R>,
    buf: &'b mut Vec<u8>,
) -> quick_xml::Result<Event<'b>> {
    reader.read_event_into(buf)
}

fn workout(
    c: &mut Canonical,
    opts: &ReadOptions,
    athlete: &str,
    display: &str,
    line: u64,
    attr: &dyn Fn(&str) -> String,
) -> Result<(), String> {
    let start_text = attr("startDate");
    let start = parse_time(&start_text)
        .ok_or_else(|| format!("startDate {start_text:?} is not YYYY-MM-DD HH:MM:SS ±HHMM"))?;
    let d = text::number(&attr("duration"), Decimal::Point)?.ok_or("duration is empty")?;
    let minutes = match attr("durationUnit").as_str() {
        "min" | "" => d,
        "s" => d / 60.0,
        "hr" | "h" => d * 60.0,
        other => return Err(format!("durationUnit {other:?} is not known")),
    };
    format::in_range("duration (minutes)", minutes, limits::DURATION_MIN)?;
    if minutes <= 0.0 {
        return Err("duration must be above 0".into());
    }
    let distance = match text::number(&attr("totalDistance"), Decimal::Point)? {
        Some(x) if x > 0.0 => match attr("totalDistanceUnit").as_str() {
            "km" => Some(x),
            "m" => Some(x / 1000.0),
            "mi" => Some(x * format::KM_PER_MILE),
            "yd" => Some(x * 0.9144 / 1000.0),
            other => return Err(format!("totalDistanceUnit {other:?} is not known")),
        },
        _ => None,
    };
    let kcal = text::number(&attr("totalEnergyBurned"), Decimal::Point)?.filter(|x| *x > 0.0);
    let raw_type = attr("workoutActivityType");
    let sport = format::sport_name(raw_type.trim_start_matches("HKWorkoutActivityType"));
    c.add_session(
        Session {
            athlete: athlete.to_string(),
            start: local(start, opts)?,
            sport,
            duration_min: minutes,
            alt_duration_min: None,
            distance_km: distance,
            avg_hr: None,
            max_hr: None,
            calories_kcal: kcal,
            title: None,
            ..Session::default()
        },
        display,
        line,
    )
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// No text makes the Apple time or unit parsers panic.
        #[test]
        fn parsers_never_panic(t in any::<String>()) {
            let _ = parse_time(&t);
            let _ = ml_per(&t);
        }

        /// `2017-03-01 07:05:09 -0600`: any time and offset reads back as itself.
        #[test]
        fn times_with_offsets_round_trip(secs in 631_152_000i64..4_102_444_800,
                                         quarter_hours in -48i32..=56) {
            let offset = FixedOffset::east_opt(quarter_hours * 900).unwrap();
            let t = chrono::DateTime::from_timestamp(secs, 0).unwrap().with_timezone(&offset);
            let text = t.format("%Y-%m-%d %H:%M:%S %z").to_string();
            prop_assert_eq!(parse_time(&text), Some(t));
        }
    }
}
