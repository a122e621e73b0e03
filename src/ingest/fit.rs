//! FIT activity files (`.fit`, `.fit.gz`; Garmin, Wahoo, COROS, Polar, Suunto, Zwift): one
//! session per FIT `session` message — start, sport and
//! sub-sport, duration, distance, average and maximum heart rate, calories and the device's
//! temperature (outdoor sessions only). Times are UTC in the file; the `activity` message's
//! `local_timestamp` gives the device's own offset, used for local days when present.
//! Hand-written from the FIT protocol (header, definition and data messages, compressed
//! timestamps, developer fields skipped, CRC-16 checked) for the two messages read: the
//! `fitparser` crate would switch on chrono's `serde` feature and so recompile all of polars.

use std::io::Read;

use chrono::NaiveDateTime;

use super::canonical::Session;
use super::canonical::{SessionWeather, Source};
use super::checks;
use super::format::{self, Ctx, Format, Recognise, Table};
use super::Kind;

/// One `session` message, in the units the canonical tables use.
#[derive(Debug, Clone, PartialEq)]
pub struct FitSession {
    /// UTC start.
    pub start_utc: NaiveDateTime,
    pub sport: String,
    pub sub_sport: Option<String>,
    /// Timer time (moving), else elapsed, minutes.
    pub duration_min: Option<f64>,
    pub elapsed_min: Option<f64>,
    pub distance_km: Option<f64>,
    pub avg_hr: Option<f64>,
    pub max_hr: Option<f64>,
    pub calories_kcal: Option<f64>,
    /// The device's average temperature, °C.
    pub avg_temp_c: Option<f64>,
}

/// What a FIT file holds for us.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FitActivity {
    pub sessions: Vec<FitSession>,
    /// Local time minus UTC, seconds, from the `activity` message.
    pub utc_offset_s: Option<i64>,
}

/// Sub-sports done indoors (FIT profile `sub_sport`): their device temperature is the room's,
/// not the weather's, and the session is indoor for the heat factor.
const INDOOR_SUB_SPORTS: &[&str] = &[
    "treadmill",
    "spin",
    "indoor_cycling",
    "indoor_rowing",
    "elliptical",
    "stair_climbing",
    "lap_swimming",
    "indoor_skiing",
    "indoor_walking",
    "indoor_running",
    "virtual_activity",
    "indoor_climbing",
    "bouldering",
    "indoor_wheelchair_walk",
    "indoor_wheelchair_run",
    "indoor_hand_cycling",
];

/// Whether a sub-sport is done indoors.
pub fn is_indoor(sub_sport: Option<&str>) -> bool {
    sub_sport.is_some_and(|s| INDOOR_SUB_SPORTS.contains(&s))
}

/// FIT's epoch, 1989-12-31 00:00:00 UTC, in Unix seconds.
const FIT_EPOCH: i64 = 631_065_600;

/// The FIT SDK's CRC-16 (CRC-16/ARC, nibble table), over the header and the records.
fn crc16(bytes: &[u8]) -> u16 {
    const TABLE: [u16; 16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401, 0xA001, 0x6C00, 0x7800,
        0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ];
    let mut crc: u16 = 0;
    for &b in bytes {
        let tmp = TABLE[usize::from(crc & 0xF)];
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ TABLE[usize::from(b & 0xF)];
        let tmp = TABLE[usize::from(crc & 0xF)];
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ TABLE[usize::from(b >> 4)];
    }
    crc
}

/// A definition message: the global message number, byte order, and each field's (number,
/// size, base type); developer fields are only skipped (their total size).
#[derive(Clone)]
struct Definition {
    global: u16,
    big_endian: bool,
    fields: Vec<(u8, usize, u8)>,
    developer_bytes: usize,
}

/// The session and activity fields we read, by field number (FIT profile: session = 18,
/// activity = 34).
const SESSION: u16 = 18;
const ACTIVITY: u16 = 34;

/// An unsigned or signed integer field value; FIT's "invalid" marker (all ones, or 0x7F… for
/// signed types, 0 for the `z` types) is no value.
fn int_value(bytes: &[u8], base: u8, big_endian: bool) -> Option<f64> {
    let mut v: u64 = 0;
    for i in 0..bytes.len() {
        let b = if big_endian {
            bytes[i]
        } else {
            bytes[bytes.len() - 1 - i]
        };
        v = (v << 8) | u64::from(b);
    }
    let bits = 8 * bytes.len() as u32;
    let all_ones = if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    match base & 0x1F {
        // enum, uint8, uint16, uint32, uint64, byte
        0x00 | 0x02 | 0x04 | 0x06 | 0x0F | 0x0D => (v != all_ones).then_some(v as f64),
        // uint8z, uint16z, uint32z, uint64z
        0x0A | 0x0B | 0x0C | 0x10 => (v != 0).then_some(v as f64),
        // sint8, sint16, sint32, sint64: two's complement; invalid is the largest positive.
        0x01 | 0x03 | 0x05 | 0x0E => {
            let max = all_ones >> 1;
            if v == max {
                None
            } else if v > max {
                Some(v as f64 - (all_ones as f64 + 1.0))
            } else {
                Some(v as f64)
            }
        }
        _ => None,
    }
}

/// FIT `sport` numbers (FIT profile, type `sport`) for the sports a session is likely to be.
fn sport_label(n: u64) -> String {
    match n {
        0 => "generic",
        1 => "running",
        2 => "cycling",
        3 => "transition",
        4 => "fitness_equipment",
        5 => "swimming",
        6 => "basketball",
        7 => "soccer",
        8 => "tennis",
        9 => "american_football",
        10 => "training",
        11 => "walking",
        12 => "cross_country_skiing",
        13 => "alpine_skiing",
        14 => "snowboarding",
        15 => "rowing",
        16 => "mountaineering",
        17 => "hiking",
        18 => "multisport",
        19 => "paddling",
        21 => "e_biking",
        37 => "stand_up_paddleboarding",
        41 => "kayaking",
        _ => return format!("sport {n}"),
    }
    .to_string()
}

/// FIT `sub_sport` numbers (FIT profile, type `sub_sport`, as in the FIT SDK's Profile.xlsx
/// and every FIT library's table): the whole list up to 88; a later number is shown as its
/// number.
fn sub_sport_label(n: u64) -> Option<String> {
    const NAMES: [&str; 60] = [
        "generic",
        "treadmill",
        "street",
        "trail",
        "track",
        "spin",
        "indoor_cycling",
        "road",
        "mountain",
        "downhill",
        "recumbent",
        "cyclocross",
        "hand_cycling",
        "track_cycling",
        "indoor_rowing",
        "elliptical",
        "stair_climbing",
        "lap_swimming",
        "open_water",
        "flexibility_training",
        "strength_training",
        "warm_up",
        "match",
        "exercise",
        "challenge",
        "indoor_skiing",
        "cardio_training",
        "indoor_walking",
        "e_bike_fitness",
        "bmx",
        "casual_walking",
        "speed_walking",
        "bike_to_run_transition",
        "run_to_bike_transition",
        "swim_to_bike_transition",
        "atv",
        "motocross",
        "backcountry",
        "resort",
        "rc_drone",
        "wingsuit",
        "whitewater",
        "skate_skiing",
        "yoga",
        "pilates",
        "indoor_running",
        "gravel_cycling",
        "e_bike_mountain",
        "commuting",
        "mixed_surface",
        "navigate",
        "track_me",
        "map",
        "single_gas_diving",
        "multi_gas_diving",
        "gauge_diving",
        "apnea_diving",
        "apnea_hunting",
        "virtual_activity",
        "obstacle",
    ];
    let name = match n {
        0 => return None,
        62 => "breathing",
        65 => "sail_race",
        67 => "ultra",
        68 => "indoor_climbing",
        69 => "bouldering",
        70 => "hiit",
        73 => "amrap",
        74 => "emom",
        75 => "tabata",
        84 => "pickleball",
        85 => "padel",
        86 => "indoor_wheelchair_walk",
        87 => "indoor_wheelchair_run",
        88 => "indoor_hand_cycling",
        n => match NAMES.get(n as usize) {
            Some(name) => name,
            None => return Some(format!("sub-sport {n}")),
        },
    };
    Some(name.to_string())
}

/// Decodes FIT bytes (gzip-compressed or not): the header and checksum are checked, every
/// record is walked (definitions, data, compressed-timestamp headers, developer fields), and
/// the `session` and `activity` messages are kept.
pub fn decode(bytes: &[u8]) -> Result<FitActivity, String> {
    let raw;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(super::text::MAX_IN_MEMORY_BYTES)
            .read_to_end(&mut out)
            .map_err(|e| format!("not a readable .gz file: {e}"))?;
        raw = out;
        raw.as_slice()
    } else {
        bytes
    };
    let bad = unreadable;
    let (header_len, end) = frame(bytes)?;
    let mut defs: [Option<Definition>; 16] = Default::default();
    let mut out = FitActivity::default();
    let mut activity_times: Option<(i64, i64)> = None;
    let mut at = header_len;
    let take = |at: &mut usize, n: usize| -> Result<&[u8], String> {
        let slice = bytes
            .get(*at..*at + n)
            .filter(|_| *at + n <= end)
            .ok_or_else(|| bad("a record runs past the end of the data"))?;
        *at += n;
        Ok(slice)
    };
    while at < end {
        let h = take(&mut at, 1)?[0];
        let (local, is_definition, has_developer) = if h & 0x80 != 0 {
            // Compressed timestamp header: a data message of local type 0–3.
            (usize::from((h >> 5) & 0x03), false, false)
        } else {
            (usize::from(h & 0x0F), h & 0x40 != 0, h & 0x20 != 0)
        };
        if is_definition {
            let d = take(&mut at, 5)?;
            let big_endian = d[1] == 1;
            let global = if big_endian {
                u16::from_be_bytes([d[2], d[3]])
            } else {
                u16::from_le_bytes([d[2], d[3]])
            };
            let n = usize::from(d[4]);
            let f = take(&mut at, 3 * n)?;
            let fields = f
                .chunks(3)
                .map(|c| (c[0], usize::from(c[1]), c[2]))
                .collect();
            let mut developer_bytes = 0;
            if has_developer {
                let n = usize::from(take(&mut at, 1)?[0]);
                developer_bytes = take(&mut at, 3 * n)?
                    .chunks(3)
                    .map(|c| usize::from(c[1]))
                    .sum();
            }
            defs[local] = Some(Definition {
                global,
                big_endian,
                fields,
                developer_bytes,
            });
            continue;
        }
        let def = defs[local]
            .clone()
            .ok_or_else(|| bad("a data message before its definition"))?;
        let mut values: Vec<(u8, Option<f64>)> = Vec::with_capacity(def.fields.len());
        for &(num, size, base) in &def.fields {
            let b = take(&mut at, size)?;
            // Only single numbers of 1–8 bytes are read; arrays and strings are skipped.
            let elem = match base & 0x1F {
                0x00..=0x02 | 0x0A | 0x0D => 1,
                0x03 | 0x04 | 0x0B => 2,
                0x05 | 0x06 | 0x0C => 4,
                0x0E..=0x10 => 8,
                _ => 0,
            };
            let v = (elem > 0 && size == elem)
                .then(|| int_value(b, base, def.big_endian))
                .flatten();
            values.push((num, v));
        }
        take(&mut at, def.developer_bytes)?;
        let get = |n: u8| values.iter().find(|(f, _)| *f == n).and_then(|(_, v)| *v);
        match def.global {
            SESSION => {
                if let Some(session) = session_of(get) {
                    out.sessions.push(session);
                }
            }
            ACTIVITY => {
                if let (Some(t), Some(local)) = (get(253), get(5)) {
                    activity_times = Some((t as i64, local as i64));
                }
            }
            _ => {}
        }
    }
    out.utc_offset_s = activity_times.map(|(t, local)| local - t);
    Ok(out)
}

/// The reason text for a file that is not FIT or is damaged.
fn unreadable(why: &str) -> String {
    format!("not a readable FIT file: {why}")
}

/// Checks the FIT frame: header length and ".FIT" signature, the stated data size against the
/// file's, and the header and file checksums. Returns the header length and where the data ends.
fn frame(bytes: &[u8]) -> Result<(usize, usize), String> {
    let header_len = usize::from(*bytes.first().ok_or_else(|| unreadable("empty"))?);
    if !(header_len == 12 || header_len == 14) || bytes.len() < header_len {
        return Err(unreadable("no FIT header"));
    }
    if &bytes[8..12] != b".FIT" {
        return Err(unreadable("no \".FIT\" signature"));
    }
    let data_len = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let end = header_len
        .checked_add(data_len)
        .filter(|e| e + 2 <= bytes.len())
        .ok_or_else(|| unreadable("the file is shorter than its header says (cut off?)"))?;
    if header_len == 14 {
        let stated = u16::from_le_bytes([bytes[12], bytes[13]]);
        if stated != 0 && stated != crc16(&bytes[..12]) {
            return Err(unreadable("header checksum mismatch (damaged file)"));
        }
    }
    let stated = u16::from_le_bytes([bytes[end], bytes[end + 1]]);
    if stated != crc16(&bytes[..end]) {
        return Err(unreadable("checksum mismatch (damaged file)"));
    }
    Ok((header_len, end))
}

/// A `session` message's fields (by FIT field number) as a session; none without a start time.
fn session_of(get: impl Fn(u8) -> Option<f64>) -> Option<FitSession> {
    let start = get(2).and_then(|s| {
        chrono::DateTime::from_timestamp(s as i64 + FIT_EPOCH, 0).map(|t| t.naive_utc())
    })?;
    let timer = get(8).map(|s| s / 1000.0).filter(|s| *s > 0.0);
    let elapsed = get(7).map(|s| s / 1000.0).filter(|s| *s > 0.0);
    Some(FitSession {
        start_utc: start,
        sport: get(5).map_or_else(|| "generic".to_string(), |n| sport_label(n as u64)),
        sub_sport: get(6).and_then(|n| sub_sport_label(n as u64)),
        duration_min: timer.or(elapsed).map(|s| s / 60.0),
        elapsed_min: elapsed.map(|s| s / 60.0),
        // total_distance is in centimetres (metres × 100).
        distance_km: get(9).map(|cm| cm / 100.0 / 1000.0),
        avg_hr: get(16),
        max_hr: get(17),
        calories_kcal: get(11),
        avg_temp_c: get(57),
    })
}

/// The model's sport name for a FIT sport and sub-sport, as the CSV readers name them:
/// `running` → `run`, `cycling` → `ride`; an indoor sub-sport keeps its marker
/// (`treadmill run`, `indoor ride`, `virtual ride`) so the session is not taken for outdoors.
pub fn sport_name(sport: &str, sub_sport: Option<&str>) -> String {
    let sport = sport.replace('_', " ");
    match sub_sport {
        Some(sub) if is_indoor(Some(sub)) => {
            let name = format::sport_name(&format!("{} {sport}", sub.replace('_', " ")));
            // An elliptical or a stair climber names no indoor marker of its own: given one,
            // so the session is indoors for the heat factor too (a swim is already: the
            // measures count every swim as indoors).
            if name == "swim"
                || ["treadmill", "virtual", "indoor"]
                    .iter()
                    .any(|m| name.starts_with(m))
            {
                name
            } else {
                format!("indoor {name}")
            }
        }
        _ => format::sport_name(&sport),
    }
}

/// FIT activity files, known by their extension.
pub static FORMAT: Format = Format {
    name: "fit",
    kind: Some(Kind::Activities),
    recognise: Recognise::FileName(is_fit_name),
    read,
    locate_header: None,
    checks_own_rows: false,
};

fn is_fit_name(name: &str) -> bool {
    name.ends_with(".fit") || name.ends_with(".fit.gz")
}

/// Reads a FIT file into sessions (and the device's temperature as their conditions). "Lines"
/// in rejections are session numbers.
pub fn read(ctx: &mut Ctx, _: &Table) {
    let activity = match super::text::read_limited(ctx.path).and_then(|b| decode(&b)) {
        Ok(a) => a,
        Err(why) => return ctx.skip(why),
    };
    if activity.sessions.is_empty() {
        return ctx.skip(
            "a FIT file without a session message (not an activity: a course, settings or \
             monitoring file)"
                .to_string(),
        );
    }
    let report = &mut *ctx.report;
    report.kind = Some(Kind::Activities);
    report.vendor = Some("fit".into());
    report.confidence = Some("high: a FIT file with a valid header and checksum".into());
    report.units = Some("FIT's own (metres, seconds, °C), stated by the format".into());
    report.mapping = [
        ("start", "session.start_time"),
        ("sport", "session.sport, session.sub_sport"),
        (
            "duration",
            "session.total_timer_time (else total_elapsed_time)",
        ),
        ("distance", "session.total_distance"),
        ("avg_hr", "session.avg_heart_rate"),
        ("max_hr", "session.max_heart_rate"),
        ("calories", "session.total_calories"),
        ("device temperature", "session.avg_temperature"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let offset = activity.utc_offset_s.filter(|o| o.abs() <= 14 * 3600);
    report.time_zone = Some(match (offset, ctx.opts.tz) {
        (_, Some(tz)) => format!("UTC in the file, converted to {tz} (--tz)"),
        (Some(o), None) => format!(
            "UTC in the file, shifted by the device's own offset ({:+.1} h, activity.local_timestamp)",
            o as f64 / 3600.0
        ),
        (None, None) => {
            "UTC in the file; days are UTC days (give --tz ZONE for local days)".into()
        }
    });
    report
        .notes
        .push("rejection line numbers are session numbers in the FIT file".into());
    let athlete = ctx.resolve_file_athlete();
    let mut device = 0;
    for (i, s) in activity.sessions.iter().enumerate() {
        let n = i as u64 + 1;
        let start = match (ctx.opts.tz, offset) {
            (Some(tz), _) => chrono::TimeZone::from_utc_datetime(&tz, &s.start_utc).naive_local(),
            (None, Some(o)) => s.start_utc + chrono::Duration::seconds(o),
            (None, None) => s.start_utc,
        };
        let result = (|| {
            let duration = s
                .duration_min
                .ok_or("the session has no timer or elapsed time")?;
            let session = Session {
                athlete: athlete.clone(),
                start,
                sport: sport_name(&s.sport, s.sub_sport.as_deref()),
                duration_min: duration,
                alt_duration_min: s.elapsed_min.filter(|e| (e - duration).abs() > 1e-9),
                distance_km: s.distance_km.filter(|d| *d > 0.0),
                avg_hr: s.avg_hr.filter(|x| *x > 0.0),
                max_hr: s.max_hr.filter(|x| *x > 0.0),
                calories_kcal: s.calories_kcal.filter(|x| *x > 0.0),
                // The FIT names, kept visible (`running (treadmill)`).
                title: Some(match &s.sub_sport {
                    Some(sub) => format!("{} ({sub})", s.sport),
                    None => s.sport.clone(),
                }),
                ..Session::default()
            };
            ctx.add_session(session, n)?;
            let outdoor_temp = s
                .avg_temp_c
                .filter(|_| !is_indoor(s.sub_sport.as_deref()))
                .filter(|t| checks::value("temperature (°C)", *t, checks::limits::TEMP_C).is_ok());
            if let Some(t) = outdoor_temp {
                device += 1;
                ctx.canonical.session_weather.push(SessionWeather {
                    athlete: athlete.clone(),
                    start,
                    duration_min: duration,
                    temp_c: t,
                    rh_pct: None,
                    source: Source::Device,
                    file: ctx.display.clone(),
                    line: n,
                });
            }
            Ok::<(), String>(())
        })();
        ctx.account(n, result);
    }
    if device > 0 {
        ctx.note(format!(
            "{device} session(s) carry the device's temperature: recorded for their hours where no \
             weather file covers them, without humidity (it reads warm on the wrist, so it gives \
             no heat index)"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_sports_keep_the_indoor_marker() {
        assert_eq!(sport_name("running", None), "run");
        assert_eq!(sport_name("running", Some("treadmill")), "treadmill run");
        assert_eq!(sport_name("cycling", Some("indoor_cycling")), "indoor ride");
        assert_eq!(
            sport_name("cycling", Some("virtual_activity")),
            "virtual ride"
        );
        assert_eq!(sport_name("cycling", Some("road")), "ride");
        assert_eq!(sport_name("swimming", Some("lap_swimming")), "swim");
        // Indoor sub-sports without a marker of their own get one.
        assert_eq!(
            sport_name("fitness_equipment", Some("elliptical")),
            "indoor elliptical fitness equipment"
        );
        assert_eq!(sport_name("walking", Some("indoor_walking")), "indoor walk");
        assert_eq!(sport_name("rowing", Some("indoor_rowing")), "indoor rowing");
        // The sub-sport table: every number of the FIT profile up to 59, then the named later
        // ones (FIT SDK Profile.xlsx, type sub_sport).
        assert_eq!(sub_sport_label(0), None);
        assert_eq!(sub_sport_label(15).as_deref(), Some("elliptical"));
        assert_eq!(sub_sport_label(27).as_deref(), Some("indoor_walking"));
        assert_eq!(sub_sport_label(45).as_deref(), Some("indoor_running"));
        assert_eq!(sub_sport_label(58).as_deref(), Some("virtual_activity"));
        assert_eq!(sub_sport_label(59).as_deref(), Some("obstacle"));
        assert_eq!(sub_sport_label(68).as_deref(), Some("indoor_climbing"));
        assert_eq!(sub_sport_label(88).as_deref(), Some("indoor_hand_cycling"));
        assert_eq!(sub_sport_label(60).as_deref(), Some("sub-sport 60"));
        assert!(is_indoor(Some("indoor_walking")) && !is_indoor(Some("trail")));
        assert!(is_fit_name("1234.fit.gz") && is_fit_name("a.fit") && !is_fit_name("a.gpx"));
    }
}
