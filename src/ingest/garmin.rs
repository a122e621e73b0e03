//! Garmin Connect `Activities.csv` (Activities → Export CSV): English, Danish, German,
//! French, Spanish, Portuguese and Dutch headers, metric and imperial accounts, decimal-comma accounts, `--`/`0.0`/`0:00`
//! placeholders, every duration form. Dates are local times without a zone.

use super::canonical::{Session, SessionWeather, Source};
use super::checks::limits;
use super::format::{
    self, opt, req, Ctx, Field, Format, Mapping, Recognise, Table, Units, KM_PER_MILE,
};
use super::text::{self, Record};
use super::types::Kind;
use crate::dates;

/// Garmin Connect `Activities.csv`.
pub static ACTIVITIES: Format = Format {
    name: "garmin",
    kind: Some(Kind::Activities),
    recognise: Recognise::Header(FIELDS),
    read,
    locate_header: None,
    checks_own_rows: false,
};

/// The columns by name in every account language: English, Danish and German (seen in real
/// files), French, Spanish, Portuguese and Dutch (from importers' code and user reports; see
/// docs/formats.md). Dutch exports write raw type keys (`running`, `lap_swimming`).
pub const FIELDS: &[Field] = &[
    req(
        "type",
        &[
            "Activity Type",
            "Aktivitetstype",
            "Aktivitätstyp",
            "Type d'activité",
            "Tipo de actividad",
            "Tipo de atividade",
            "Activiteittype",
            "Activiteitstype",
        ],
    ),
    req("date", &["Date", "Dato", "Datum", "Fecha", "Data"]),
    req(
        "favorite",
        &["Favorite", "Favorit", "Favori", "Favorito", "Favoriet"],
    ),
    req("title", &["Title", "Titel", "Titre", "Título", "Titulo"]),
    req(
        "time",
        &["Time", "Tid", "Zeit", "Durée", "Tiempo", "Tempo", "Tijd"],
    ),
    opt(
        "distance",
        &["Distance", "Distanz", "Distancia", "Distância", "Afstand"],
    ),
    opt(
        "calories",
        &[
            "Calories",
            "Kalorier",
            "Kalorien",
            "Calorías",
            "Calorias",
            "Calorieën",
            "Calorieen",
        ],
    ),
    opt(
        "avg_hr",
        &[
            "Avg HR",
            "Gennemsnitlig puls",
            "Ø HF",
            "Ø Herzfrequenz",
            "Fréquence cardiaque moyenne",
            "FC media",
            "FC Média",
            "Gem. HS",
            "Gem HS",
        ],
    ),
    opt(
        "max_hr",
        &[
            "Max HR",
            "Maks. puls",
            "Max. HF",
            "Maximale Herzfrequenz",
            "Fréquence cardiaque maximale",
            "FC máxima",
            "FC max.",
            "Max. HS",
            "Max HS",
        ],
    ),
    opt(
        "moving",
        &[
            "Moving Time",
            "Bevægelsestid",
            "Bewegungszeit",
            "Tiempo en movimiento",
            "Tempo em movimento",
            "Tijd bewogen",
        ],
    ),
    opt(
        "elapsed",
        &[
            "Elapsed Time",
            "Forløbet tid",
            "Verstrichene Zeit",
            "Tiempo transcurrido",
            "Tempo decorrido",
            "Verstreken tijd",
        ],
    ),
    opt(
        "steps",
        &["Steps", "Skridt", "Schritte", "Pasos", "Passos", "Stappen"],
    ),
    opt(
        "stride",
        &[
            "Avg Stride Length",
            "Gennemsnitlig skridtlængde",
            "Ø Schrittlänge",
            "Longitud media de zancada",
            "Comprimento médio da passada",
            "Gem. staplengte",
        ],
    ),
    opt(
        "cadence",
        &[
            "Avg Run Cadence",
            "Gennemsnit kadence løb",
            "Ø Schrittfrequenz (Laufen)",
            "Cadencia de carrera media",
            "Cadência média de corrida",
            "Gem. loopcadans",
        ],
    ),
    // The watch's own sensor, in the account's units (°C or °F): see `device_temp`.
    opt(
        "min_temp",
        &[
            "Min Temp",
            "Minimum temperatur",
            "Min. Temp.",
            "Temperatura mínima",
            "Min. temp",
        ],
    ),
    opt(
        "max_temp",
        &[
            "Max Temp",
            "Maksimum temperatur",
            "Max. Temp.",
            "Temperatura máxima",
            "Max. temp",
        ],
    ),
];

/// Whether a header that no format matched still has the shape of a Garmin activities export
/// (in an account language not yet known): many columns, and the names Garmin leaves
/// untranslated in every language seen (`Training Stress Score®`, `Normalized Power® (NP®)`,
/// `Grit`, `Flow`, `Body Battery …`, `Swolf`) or the `TE` of its training-effect column
/// (`Aerobic TE`, `Aerober TE`, `Aeroob TE`, `TE aeróbico`).
pub fn looks_like_activities(header: &[String]) -> bool {
    let keys: Vec<String> = header.iter().map(|h| text::header_key(h)).collect();
    let untranslated = keys.iter().any(|k| {
        k.contains('®')
            || ["grit", "flow"].contains(&k.as_str())
            || k.starts_with("body battery")
            || k.contains("swolf")
            || k.split(|c: char| !c.is_alphanumeric()).any(|w| w == "te")
    });
    keys.len() >= 8 && untranslated
}

/// The refusal of a Garmin-shaped file in an unknown language, naming Garmin and what to do.
pub fn unknown_language(header: &[String]) -> String {
    let first: Vec<&str> = header.iter().take(5).map(|h| h.trim()).collect();
    format!(
        "looks like a Garmin activities export in a language not yet supported: its columns \
         ({}, …) are not known (known: English, Danish, German, French, Spanish, Portuguese, \
         Dutch); export it again with Garmin Connect set to English, or send us its header line",
        first.join(", ")
    )
}

/// A Garmin stride length is in metres in every account seen, so stride × steps (or ×
/// cadence × time) over the distance gives metres per distance unit: ≈1000 for km, ≈1609 for
/// miles. These windows tell them apart with room for GPS error.
const METRES_PER_KM_WINDOW: (f64, f64) = (750.0, 1300.0);
const METRES_PER_MILE_WINDOW: (f64, f64) = (1300.0, 2100.0);

/// The account's unit system: `--units` when given, else inferred from stride, steps and
/// distance of the runs, else metric with a warning in the report.
fn units(ctx: &mut Ctx, m: &Mapping, data: &[Record]) -> Units {
    if let Some(u) = ctx.opts.units {
        ctx.report.units = Some(format!("{} (--units)", u.name()));
        return u;
    }
    let mut ratios: Vec<f64> = data
        .iter()
        .filter_map(|r| {
            let dist = ctx.num(m, r, "distance").ok()??;
            let stride = ctx.num(m, r, "stride").ok()??;
            let steps = ctx.num(m, r, "steps").ok().flatten().or_else(|| {
                let cadence = ctx.num(m, r, "cadence").ok()??;
                let minutes = text::duration_min(m.cell(r, "time")?, ctx.decimal).ok()??;
                Some(cadence * minutes)
            })?;
            (dist > 0.5 && stride > 0.3 && steps > 0.0).then(|| steps * stride / dist)
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let within = |x: f64, (lo, hi): (f64, f64)| x >= lo && x < hi;
    match ratios.get(ratios.len() / 2) {
        Some(&mid) if within(mid, METRES_PER_KM_WINDOW) => {
            ctx.report.units = Some(format!(
                "metric (detected: steps × stride / distance ≈ {mid:.0} m per distance unit over {} runs)",
                ratios.len()
            ));
            Units::Metric
        }
        Some(&mid) if within(mid, METRES_PER_MILE_WINDOW) => {
            ctx.report.units = Some(format!(
                "imperial (detected: steps × stride / distance ≈ {mid:.0} m per distance unit over {} runs)",
                ratios.len()
            ));
            Units::Imperial
        }
        _ => {
            ctx.report.units = Some(
                "metric ASSUMED: Garmin does not state the account's units and the file has no runs to infer them from; give --units imperial for a US account"
                    .to_string(),
            );
            Units::Metric
        }
    }
}

pub fn read(ctx: &mut Ctx, t: &Table) {
    let (m, data) = (t.mapping, t.data);
    let units = units(ctx, m, data);
    ctx.report.time_zone = Some("local time as written (Garmin dates carry no zone)".to_string());
    for rec in data {
        let result = row(ctx, m, rec, units);
        ctx.account(rec.line, result);
    }
}

/// A duration cell where `0:00`/`00:00:00` means "not recorded".
fn recorded_minutes(
    ctx: &Ctx,
    m: &Mapping,
    rec: &Record,
    concept: &str,
) -> Result<Option<f64>, String> {
    match m.cell(rec, concept) {
        None => Ok(None),
        Some(t) => Ok(text::duration_min(t, ctx.decimal)
            .map_err(|e| format!("{concept}: {e}"))?
            .filter(|x| *x > 0.0)),
    }
}

/// A number where 0 is Garmin's "no sensor" placeholder.
fn recorded(ctx: &Ctx, m: &Mapping, rec: &Record, concept: &str) -> Result<Option<f64>, String> {
    Ok(ctx.num(m, rec, concept)?.filter(|x| *x != 0.0))
}

/// Whether Garmin lists an activity type's distance in metres (yards) rather than km (miles):
/// swims, and track runs (`Track Running`, `Laufen auf der Bahn`, `track_running`, Spanish and
/// Portuguese `pista`, Dutch `baan`, Danish `bane`).
fn listed_in_metres(raw_type: &str, sport: &str) -> bool {
    let t = raw_type.to_lowercase();
    sport == "swim"
        || (sport == "run"
            && ["track", "bahn", "pista", "baan", "bane"]
                .iter()
                .any(|w| t.contains(w)))
}

fn row(ctx: &mut Ctx, m: &Mapping, rec: &Record, units: Units) -> Result<(), String> {
    let date_text = m.cell(rec, "date").ok_or("Date is empty")?;
    let start = dates::parse_datetime(date_text)
        .ok_or_else(|| format!("Date {date_text:?} is not a date-time (YYYY-MM-DD HH:MM:SS)"))?;
    let raw_type = m.cell(rec, "type").unwrap_or("other");
    let sport = format::sport_name(raw_type);
    let moving = recorded_minutes(ctx, m, rec, "moving")?;
    let elapsed = recorded_minutes(ctx, m, rec, "elapsed")?;
    let duration = recorded_minutes(ctx, m, rec, "time")?
        .or(moving)
        .or(elapsed)
        .ok_or("Time is not recorded (--, 0:00)")?;
    format::in_range("Time (minutes)", duration, limits::DURATION_MIN)?;
    let distance = recorded(ctx, m, rec, "distance")?.map(|d| {
        // Pool swims and track runs are listed in metres (yards on imperial accounts),
        // everything else in km or miles.
        match (listed_in_metres(raw_type, &sport), units) {
            (true, Units::Metric) => d / 1000.0,
            (true, Units::Imperial) => d * 0.9144 / 1000.0,
            (false, Units::Metric) => d,
            (false, Units::Imperial) => d * KM_PER_MILE,
        }
    });
    if let Some(d) = distance {
        format::in_range("Distance (km)", d, limits::DISTANCE_KM)?;
    }
    let avg_hr = recorded(ctx, m, rec, "avg_hr")?;
    let max_hr = recorded(ctx, m, rec, "max_hr")?;
    for hr in [avg_hr, max_hr].into_iter().flatten() {
        format::in_range("heart rate", hr, limits::HR)?;
    }
    let calories = recorded(ctx, m, rec, "calories")?;
    if let Some(c) = calories {
        format::in_range("Calories", c, limits::CALORIES)?;
    }
    let alt = elapsed.filter(|e| (e - duration).abs() > 1e-9);
    let temp = device_temp(ctx, m, rec, units)?;
    let session = Session {
        athlete: ctx.athlete.clone(),
        start,
        sport,
        duration_min: duration,
        alt_duration_min: alt,
        distance_km: distance,
        avg_hr,
        max_hr,
        calories_kcal: calories,
        title: m.cell(rec, "title").map(str::to_string),
        ..Session::default()
    };
    let sport = session.sport.clone();
    ctx.add_session(session, rec.line)?;
    // Indoor sessions' sensor reads the room: no outdoor conditions.
    if let Some(temp_c) = temp.filter(|_| !is_indoor(&sport)) {
        let weather = SessionWeather {
            athlete: ctx.athlete.clone(),
            start,
            duration_min: duration,
            temp_c,
            rh_pct: None,
            source: Source::Device,
            file: ctx.display.clone(),
            line: rec.line,
        };
        ctx.canonical.session_weather.push(weather);
    }
    Ok(())
}

fn is_indoor(sport: &str) -> bool {
    ["treadmill", "virtual", "indoor"]
        .iter()
        .any(|m| sport.starts_with(m))
}

/// The device's temperature during a session: the middle of Garmin's `Min Temp` and `Max
/// Temp` (either alone when only one is recorded), in °C. Garmin writes `0.0` for "no
/// sensor" in older exports, so 0 is unknown here (a real 0 °C session loses its reading:
/// the price of never taking a missing sensor for freezing air). The wrist warms the sensor:
/// it is labelled `device`, gives no humidity, and never raises the heat factor on its own
/// (`conditions`).
fn device_temp(ctx: &Ctx, m: &Mapping, rec: &Record, units: Units) -> Result<Option<f64>, String> {
    let lo = recorded(ctx, m, rec, "min_temp")?;
    let hi = recorded(ctx, m, rec, "max_temp")?;
    let t = match (lo, hi) {
        (Some(a), Some(b)) => (a + b) / 2.0,
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => return Ok(None),
    };
    let c = match units {
        Units::Metric => t,
        Units::Imperial => format::f_to_c(t),
    };
    format::in_range("device temperature (°C)", c, limits::TEMP_C).map(Some)
}

/// Garmin's `HydrationLogFile_*.json` (GDPR account export), known by its name.
pub static HYDRATION_JSON: Format = Format {
    name: "garmin-hydration-json",
    kind: Some(Kind::Fluids),
    recognise: Recognise::FileName(is_hydration_log),
    read: read_hydration_json,
    locate_header: None,
    checks_own_rows: false,
};

fn is_hydration_log(name: &str) -> bool {
    name.starts_with("hydrationlogfile") && name.ends_with(".json")
}

/// One entry of Garmin's `HydrationLogFile_*.json` (GDPR account export,
/// `DI_CONNECT/DI-Connect-Aggregator`). Field names as used by several independent importers.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct HydrationEntry {
    calendar_date: Option<String>,
    timestamp_local: Option<String>,
    #[serde(rename = "valueInML")]
    value_in_ml: Option<f64>,
}

/// Reads a Garmin hydration log: each entry with a positive `valueInML` is a drink; entries
/// without a volume (sweat-loss only) or with a negative one (removals, meaning not
/// verified) are rejected with the reason. "Lines" in rejections are entry numbers.
pub fn read_hydration_json(ctx: &mut Ctx, _: &Table) {
    use serde::Deserialize;
    let report = &mut *ctx.report;
    report.vendor = Some("garmin-hydration-json".into());
    report.kind = Some(Kind::Fluids);
    report.units = Some("millilitres (valueInML)".into());
    report.time_zone = Some("local time as written (timestampLocal)".into());
    report.mapping = vec![
        ("time".into(), "timestampLocal (else calendarDate)".into()),
        ("volume_ml".into(), "valueInML".into()),
    ];
    report
        .notes
        .push("rejection line numbers are entry numbers in the JSON array".into());
    // The array is read as JSON values first and each entry decoded on its own: one malformed
    // entry (a volume written as text) rejects that entry, not the file.
    let entries: Result<Vec<serde_json::Value>, String> = super::text::read_limited(ctx.path)
        .and_then(|b| {
            serde_json::from_slice(&b).map_err(|e| format!("not a Garmin hydration log: {e}"))
        });
    let entries = match entries {
        Ok(e) => e,
        Err(why) => return ctx.skip(why),
    };
    let athlete = ctx.resolve_file_athlete();
    ctx.report.confidence = Some("high: known export name, JSON entries read".into());
    for (i, e) in entries.into_iter().enumerate() {
        let n = i as u64 + 1;
        let result = (|| {
            let e = HydrationEntry::deserialize(e)
                .map_err(|err| format!("entry {n} is not a hydration entry: {err}"))?;
            let stamp = e
                .timestamp_local
                .as_deref()
                .and_then(|t| dates::parse_datetime(t.get(..19).unwrap_or(t)))
                .map(dates::Stamp::At)
                .or_else(|| {
                    e.calendar_date
                        .as_deref()
                        .and_then(dates::parse_date)
                        .map(dates::Stamp::Day)
                })
                .ok_or("no timestampLocal or calendarDate")?;
            let ml = e
                .value_in_ml
                .ok_or("no valueInML (a sweat-loss entry, not a drink)")?;
            if ml <= 0.0 {
                return Err(format!(
                    "valueInML {ml} is not above 0 (a removal entry; not counted)"
                ));
            }
            format::in_range("valueInML", ml, limits::VOLUME_ML)?;
            ctx.canonical
                .add_fluid(&athlete, stamp, ml, Some("water"), None)
        })();
        ctx.account(n, result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn track_runs_and_swims_are_in_metres() {
        assert!(listed_in_metres("Track Running", "run"));
        assert!(listed_in_metres("Laufen auf der Bahn", "run"));
        assert!(listed_in_metres("track_running", "run"));
        assert!(listed_in_metres("Pool Swim", "swim"));
        assert!(!listed_in_metres("Running", "run"));
        assert!(!listed_in_metres("Treadmill Running", "run"));
        assert!(!listed_in_metres("Cycling", "ride"));
    }
}
