//! Strava bulk export `activities.csv` ("Download your data"): the current layouts (up to 103
//! columns, duplicate column names addressed by occurrence, multi-line quoted descriptions,
//! the older 10-column layout) and the pre-2019 lowercase layout. Dates are UTC.

use chrono::NaiveDateTime;

use super::canonical::Session;
use super::canonical::{SessionWeather, Source};
use super::checks::limits;
use super::format::{
    self, nth, opt, req, Ctx, Field, Format, Mapping, Recognise, Table, Units, KM_PER_MILE,
};
use super::text::Record;
use super::types::Kind;
use crate::dates;

/// The current layout. `Distance` and `Elapsed Time` appear twice: the first block holds
/// display values (km, whole seconds), the second the raw ones (metres, seconds as floats).
pub const FIELDS: &[Field] = &[
    req("id", &["Activity ID", "Aktivitäts-ID"]),
    req("date", &["Activity Date", "Aktivitätsdatum"]),
    req("type", &["Activity Type", "Aktivitätsart"]),
    req("elapsed", &["Elapsed Time", "Verstrichene Zeit"]),
    opt("name", &["Activity Name", "Name der Aktivität"]),
    // Read for cramp mentions only (`mentions.rs`).
    opt(
        "description",
        &["Activity Description", "Aktivitätsbeschreibung"],
    ),
    opt("distance_display", &["Distance", "Distanz"]),
    nth("distance_m", &["Distance", "Distanz"], 1),
    opt("moving", &["Moving Time", "Bewegungszeit"]),
    opt(
        "avg_hr",
        &["Average Heart Rate", "Durchschnittliche Herzfrequenz"],
    ),
    opt("max_hr", &["Max Heart Rate", "Max. Herzfrequenz"]),
    opt("calories", &["Calories", "Kalorien"]),
    // The activity's original file in the export (`activities/123.fit.gz`).
    opt("filename", &["Filename", "Dateiname"]),
    // Strava's own weather for the activity (filled for recent activities only): °C and
    // humidity as a 0–1 fraction, units inferred from real files (-3.2–28.7, 0.36–0.92).
    opt("weather_temp", &["Weather Temperature", "Wettertemperatur"]),
    opt("humidity", &["Humidity", "Luftfeuchtigkeit"]),
    // The device's own temperature sensor (°C): reads warm, see `conditions::Source::Device`.
    opt(
        "device_temp",
        &["Average Temperature", "Durchschnittliche Temperatur"],
    ),
];

/// Before June 2019: lowercase names, ISO dates, distance in metres.
pub const LEGACY_FIELDS: &[Field] = &[
    req("id", &["id"]),
    req("date", &["date"]),
    req("type", &["type"]),
    req("elapsed", &["elapsed_time"]),
    req("distance_m", &["distance"]),
    opt("name", &["name"]),
    opt("description", &["description"]),
];

/// Strava's English date form, `May 13, 2026, 9:54:42 AM`, the German `21.07.2026, 15:09:27`
/// (seen only in third-party tests), or ISO in older exports.
fn parse_date(t: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 2] = ["%b %d, %Y, %I:%M:%S %p", "%d.%m.%Y, %H:%M:%S"];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t.trim(), f).ok())
        .or_else(|| dates::parse_datetime(t))
}

/// Strava's bulk-export `activities.csv`.
pub static CURRENT: Format = Format {
    name: "strava",
    kind: Some(Kind::Activities),
    recognise: Recognise::Header(FIELDS),
    read: read_current,
    locate_header: None,
    checks_own_rows: false,
};

/// Strava's older `activities.csv` layout.
pub static LEGACY: Format = Format {
    name: "strava-legacy",
    kind: Some(Kind::Activities),
    recognise: Recognise::Header(LEGACY_FIELDS),
    read: read_legacy,
    locate_header: None,
    checks_own_rows: false,
};

fn read_current(ctx: &mut Ctx, t: &Table) {
    read(ctx, t.mapping, t.data, false)
}

fn read_legacy(ctx: &mut Ctx, t: &Table) {
    read(ctx, t.mapping, t.data, true)
}

fn read(ctx: &mut Ctx, m: &Mapping, data: &[Record], legacy: bool) {
    ctx.utc_source();
    let display_unit = match ctx.opts.units {
        Some(Units::Imperial) => Units::Imperial,
        _ => Units::Metric,
    };
    ctx.report.units = Some(if m.index("distance_m").is_some() {
        "metric (Strava's raw columns: metres and seconds)".to_string()
    } else if ctx.opts.units.is_some() {
        format!(
            "{} (--units; this layout has only the display distance)",
            display_unit.name()
        )
    } else {
        "metric (display distance in km, as in every Strava export seen; give --units imperial for miles)"
            .to_string()
    });
    for rec in data {
        let result = row(ctx, m, rec, display_unit, legacy);
        ctx.account(rec.line, result);
    }
    let with = |source: Source| {
        ctx.canonical
            .session_weather
            .iter()
            .filter(|c| c.file == ctx.display && c.source == source)
            .count()
    };
    let (weather, device) = (with(Source::StravaWeather), with(Source::Device));
    if weather + device > 0 {
        ctx.note(format!(
            "{weather} session(s) carry Strava's weather (Weather Temperature, Humidity) and \
             {device} more only the device's Average Temperature: they give the weather of \
             their hours where no weather file does"
        ));
    }
}

/// The conditions a Strava row records: Strava's weather (temperature and humidity) when
/// filled, else the device's average temperature. Out-of-range values reject the row, as a
/// misread unit would.
fn conditions(
    ctx: &Ctx,
    m: &Mapping,
    rec: &Record,
    start: NaiveDateTime,
    duration_min: f64,
) -> Result<Option<SessionWeather>, String> {
    let num = |concept: &str| ctx.num(m, rec, concept);
    let weather = num("weather_temp")?;
    let humidity = num("humidity")?
        .map(|h| {
            // A fraction 0–1 in every filled file seen; a percentage would be above 1.
            if h <= 1.0 {
                Ok(h * 100.0)
            } else {
                Err(format!(
                    "Humidity {h} is not a 0–1 fraction, as Strava writes it"
                ))
            }
        })
        .transpose()?;
    let (temp, rh, source) = match (weather, num("device_temp")?) {
        (Some(t), _) => (t, humidity, Source::StravaWeather),
        (None, Some(t)) => (t, None, Source::Device),
        (None, None) => return Ok(None),
    };
    format::in_range("temperature (°C)", temp, limits::TEMP_C)?;
    Ok(Some(SessionWeather {
        athlete: ctx.athlete.clone(),
        start,
        duration_min,
        temp_c: temp,
        rh_pct: rh,
        source,
        file: ctx.display.clone(),
        line: rec.line,
    }))
}

fn row(
    ctx: &mut Ctx,
    m: &Mapping,
    rec: &Record,
    display_unit: Units,
    legacy: bool,
) -> Result<(), String> {
    let date_text = m.cell(rec, "date").ok_or("Activity Date is empty")?;
    let utc = parse_date(date_text).ok_or_else(|| {
        format!("Activity Date {date_text:?} is not a date (\"May 13, 2026, 9:54:42 AM\")")
    })?;
    let start = ctx.local_from_utc(utc)?;
    let sport = format::sport_name(m.cell(rec, "type").unwrap_or("other"));
    // Decimal point in English exports; a German export may use a decimal comma.
    let num = |concept: &str| ctx.num(m, rec, concept);
    let elapsed = num("elapsed")?.filter(|s| *s > 0.0).map(|s| s / 60.0);
    let moving = num("moving")?.filter(|s| *s > 0.0).map(|s| s / 60.0);
    // Moving time is what the athlete trained; elapsed includes stops (a café halt).
    let duration = moving
        .or(elapsed)
        .ok_or("Elapsed Time and Moving Time are empty")?;
    format::in_range("duration (minutes)", duration, limits::DURATION_MIN)?;
    let distance = match num("distance_m")? {
        Some(metres) => Some(metres / 1000.0),
        None if legacy => None,
        None => num("distance_display")?.map(|d| match display_unit {
            Units::Metric => d,
            Units::Imperial => d * KM_PER_MILE,
        }),
    }
    .filter(|d| *d > 0.0);
    if let Some(d) = distance {
        format::in_range("Distance (km)", d, limits::DISTANCE_KM)?;
    }
    let avg_hr = num("avg_hr")?.filter(|x| *x > 0.0);
    let max_hr = num("max_hr")?.filter(|x| *x > 0.0);
    for hr in [avg_hr, max_hr].into_iter().flatten() {
        format::in_range("heart rate", hr, limits::HR)?;
    }
    let calories = num("calories")?.filter(|x| *x > 0.0);
    let session = Session {
        athlete: ctx.athlete.clone(),
        start,
        utc: Some(utc),
        sport,
        duration_min: duration,
        alt_duration_min: elapsed.filter(|e| (e - duration).abs() > 1e-9),
        distance_km: distance,
        avg_hr,
        max_hr,
        calories_kcal: calories,
        title: m.cell(rec, "name").map(str::to_string),
        description: m.cell(rec, "description").map(str::to_string),
        ..Session::default()
    };
    let recorded = conditions(ctx, m, rec, start, duration)?;
    ctx.add_session(session, rec.line)?;
    let display = ctx.display.clone();
    ctx.canonical.session_weather.extend(recorded);
    if let (Some(name), Some(dir)) = (
        m.cell(rec, "filename"),
        std::path::Path::new(&display).parent(),
    ) {
        ctx.canonical
            .linked_files
            .push((dir.join(name.trim()), display, rec.line));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strava_dates_parse() {
        let want = dates::parse_datetime("2026-05-13 09:54:42");
        assert_eq!(parse_date("May 13, 2026, 9:54:42 AM"), want);
        assert_eq!(
            parse_date("Nov 23, 2022, 12:33:10 AM"),
            dates::parse_datetime("2022-11-23 00:33:10")
        );
        assert_eq!(
            parse_date("21.07.2026, 15:09:27"),
            dates::parse_datetime("2026-07-21 15:09:27")
        );
        assert_eq!(
            parse_date("2018-09-12 15:02:23"),
            dates::parse_datetime("2018-09-12 15:02:23")
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// No text makes the Strava date parser panic.
        #[test]
        fn date_parser_never_panics(t in any::<String>()) {
            let _ = parse_date(&t);
        }

        /// Every Strava date form of a time reads back as that time.
        #[test]
        fn every_date_form_round_trips(secs in 631_152_000i64..4_102_444_800) {
            let t = chrono::DateTime::from_timestamp(secs, 0).unwrap().naive_utc();
            for form in ["%b %-d, %Y, %-I:%M:%S %p", "%d.%m.%Y, %H:%M:%S", "%Y-%m-%d %H:%M:%S"] {
                let text = t.format(form).to_string();
                prop_assert_eq!(parse_date(&text), Some(t), "{}", text);
            }
        }
    }
}
