//! The plausibility checks every input row passes, whatever its format: one table of limits
//! (documented in docs/formats.md "Limits") and the checks built on it. A value outside its
//! limits is an impossible reading or a unit mix-up, so the row is rejected with a reason —
//! never clamped or "corrected". The native reader and every vendor reader (through the
//! `Canonical::add_*` builders) call these functions, so the limits are the same everywhere.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// Plausible ranges (inclusive).
pub mod limits {
    /// A session lasts more than 0 minutes and at most 24 hours.
    pub const DURATION_MIN: (f64, f64) = (0.0, 1440.0);
    pub const DISTANCE_KM: (f64, f64) = (0.0, 1000.0);
    /// Heart rate during exercise, beats per minute.
    pub const HR: (f64, f64) = (25.0, 250.0);
    pub const RPE: (f64, f64) = (0.0, 10.0);
    pub const LOAD: (f64, f64) = (0.0, 2000.0);
    pub const CALORIES: (f64, f64) = (0.0, 20000.0);
    pub const BODY_MASS: (f64, f64) = (25.0, 250.0);
    pub const FLUID_DURING_ML: (f64, f64) = (0.0, 10000.0);
    pub const WARMUP_MIN: (f64, f64) = (0.0, 240.0);
    pub const STEPS: (f64, f64) = (0.0, 200000.0);
    pub const MINUTES_OF_DAY: (f64, f64) = (0.0, 1440.0);
    pub const RESTING_HR: (f64, f64) = (25.0, 150.0);
    /// Air temperature, °C: beyond the records ever measured on Earth (−89 °C, 57 °C) by a
    /// margin only for the upper end's heat-index use.
    pub const TEMP_C: (f64, f64) = (-60.0, 60.0);
    pub const RH_PCT: (f64, f64) = (0.0, 100.0);
    pub const WIND_KMH: (f64, f64) = (0.0, 300.0);
    /// One drink, millilitres (more than 0).
    pub const VOLUME_ML: (f64, f64) = (0.0, 5000.0);
    pub const SODIUM_MG: (f64, f64) = (0.0, 10000.0);
    /// Records before this year are not plausible (no consumer device logged them).
    /// Sodium or potassium in one meal of a food log (10 g of sodium is 25 g of salt).
    pub const MEAL_MG: (f64, f64) = (0.0, 10000.0);
    pub const FIRST_YEAR: i32 = 1990;
    /// Two sessions of one athlete may overlap by this much (watch auto-splits and exports
    /// that round start times overlap by seconds); more, and the later one is rejected.
    pub const OVERLAP_TOLERANCE_MIN: f64 = 5.0;
}

/// A value within `range`, else a reason naming the value and the limits.
pub fn value(what: &str, x: f64, (lo, hi): (f64, f64)) -> Result<f64, String> {
    if !x.is_finite() {
        return Err(format!("{what} {x} is not a finite number"));
    }
    if x < lo || x > hi {
        return Err(format!(
            "{what} {x} is outside the plausible range {lo}–{hi}"
        ));
    }
    Ok(x)
}

/// An optional value within `range` (unknown stays unknown).
pub fn optional(what: &str, x: Option<f64>, range: (f64, f64)) -> Result<Option<f64>, String> {
    x.map(|x| value(what, x, range)).transpose()
}

/// The shortest session: one second, the finest step exports record durations in (Garmin and
/// Strava write whole seconds). Anything shorter, as a `1e-320` left by a unit slip or a
/// broken file, is no session, though it is above 0.
pub const SHORTEST_SESSION_MIN: f64 = 1.0 / 60.0;

/// A session duration in minutes: at least one second and at most 24 hours.
pub fn duration(what: &str, minutes: f64) -> Result<f64, String> {
    if !minutes.is_finite() {
        return Err(format!("{what} {minutes} is not a finite number"));
    }
    if minutes < 0.0 {
        return Err(format!("{what} {minutes} min is negative"));
    }
    if minutes == 0.0 {
        return Err(format!(
            "{what} is 0 min: a session must last longer than 0"
        ));
    }
    if minutes < SHORTEST_SESSION_MIN {
        // Tiny values in exponent form (`1e-320`, not 320 zeros).
        let shown = if minutes > 0.0 && minutes < 1e-3 {
            format!("{minutes:e}")
        } else {
            minutes.to_string()
        };
        return Err(format!(
            "{what} {shown} min is under one second: no session is that short"
        ));
    }
    if minutes > limits::DURATION_MIN.1 {
        return Err(format!(
            "{what} {minutes} min is over 24 hours ({} min)",
            limits::DURATION_MIN.1
        ));
    }
    Ok(minutes)
}

/// A drink's volume in millilitres: above 0 and at most the per-drink limit.
pub fn volume(what: &str, ml: f64) -> Result<f64, String> {
    if ml.is_finite() && ml <= 0.0 {
        return Err(format!("{what} {ml} ml must be above 0"));
    }
    // The label is formatted only for a reason: this runs for every drink of every log.
    if (limits::VOLUME_ML.0..=limits::VOLUME_ML.1).contains(&ml) {
        return Ok(ml);
    }
    value(&format!("{what} (ml)"), ml, limits::VOLUME_ML)
}

/// A date not before [`limits::FIRST_YEAR`] and, when `today` is known, not after it.
pub fn date(what: &str, d: NaiveDate, today: Option<NaiveDate>) -> Result<(), String> {
    past_shown(what, d, || d.to_string())?;
    match today {
        Some(t) if d > t => Err(format!("{what} {d} is in the future (today is {t})")),
        _ => Ok(()),
    }
}

/// A date-time not before [`limits::FIRST_YEAR`] and, when `today` is known, not on a later day.
pub fn time(what: &str, dt: NaiveDateTime, today: Option<NaiveDate>) -> Result<(), String> {
    // Formatted only for a reason: this runs for every timed row of every file.
    let shown = || dt.format("%Y-%m-%d %H:%M").to_string();
    past_shown(what, dt.date(), shown)?;
    match today {
        Some(t) if dt.date() > t => Err(format!(
            "{what} {} is in the future (today is {t})",
            shown()
        )),
        _ => Ok(()),
    }
}

/// A date not before [`limits::FIRST_YEAR`] (weather is not checked against today: forecasts
/// are legitimately in the future).
/// The value's text (`shown`) is made only when the row is rejected: this runs for every row.
pub fn past_shown(what: &str, d: NaiveDate, shown: impl FnOnce() -> String) -> Result<(), String> {
    if d.year() < limits::FIRST_YEAR {
        return Err(format!(
            "{what} {} is before {}: not a plausible record",
            shown(),
            limits::FIRST_YEAR
        ));
    }
    Ok(())
}

/// Average and maximum heart rate in range, the average not above the maximum.
pub fn heart_rates(avg: Option<f64>, max: Option<f64>) -> Result<(), String> {
    optional("average heart rate", avg, limits::HR)?;
    optional("maximum heart rate", max, limits::HR)?;
    if let (Some(a), Some(m)) = (avg, max) {
        if a > m {
            return Err(format!(
                "average heart rate {a} is above the maximum heart rate {m}"
            ));
        }
    }
    Ok(())
}

/// The fastest plausible average speed of a whole session, km/h, by the model's sport name;
/// any other sport gets [`MAX_SPEED_ANY_KMH`]. Set well above world-record averages (marathon
/// ≈21 km/h, 20 km race walk ≈15.5 km/h, 1500 m swim ≈6.5 km/h, 2000 m rowing eight
/// ≈24 km/h, hour record on a bike ≈57 km/h) so that only a misread unit — metres read as
/// kilometres, a decimal comma read as thousands — trips them, never a fast athlete.
pub const MAX_SPEED_KMH: &[(&str, f64)] = &[
    ("run", 30.0),
    ("walk", 20.0),
    ("swim", 10.0),
    ("rowing", 30.0),
    ("ride", 100.0),
];
/// Any sport not listed above (skiing, sailing, skating …): faster than a downhill skier's
/// session average but below what only a misread unit gives.
pub const MAX_SPEED_ANY_KMH: f64 = 200.0;

/// A session's average speed (distance ÷ duration) within its sport's limit; the reason names
/// both values and the likely cause (a unit misread).
pub fn speed(sport: &str, distance_km: Option<f64>, duration_min: f64) -> Result<(), String> {
    let Some(km) = distance_km.filter(|d| *d > 0.0) else {
        return Ok(());
    };
    // A duration that is not above 0 (or not a number) is the duration check's to reject.
    if duration_min.is_nan() || duration_min <= 0.0 {
        return Ok(());
    }
    let kmh = km / (duration_min / 60.0);
    // An indoor variant (`treadmill run`, `virtual ride`) has its sport's limit.
    let base = sport.rsplit(' ').next().unwrap_or(sport);
    let limit = MAX_SPEED_KMH
        .iter()
        .find(|(s, _)| *s == base)
        .map_or(MAX_SPEED_ANY_KMH, |(_, l)| *l);
    if kmh > limit {
        return Err(format!(
            "{km} km in {duration_min:.1} min is {kmh:.1} km/h, faster than is plausible for              {sport} ({limit} km/h): a unit or decimal separator misread?"
        ));
    }
    Ok(())
}

/// Today's date by the machine clock (UTC), read once per run for the future-date check.
pub fn today_utc() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn durations_must_be_positive_and_within_a_day() {
        assert!(duration("duration", -5.0).unwrap_err().contains("negative"));
        assert!(duration("duration", 0.0).unwrap_err().contains("0 min"));
        assert!(duration("duration", 1441.0)
            .unwrap_err()
            .contains("over 24 hours"));
        assert_eq!(duration("duration", 1440.0), Ok(1440.0));
        // Above 0 but no session: subnormal, and half a second.
        assert!(duration("duration", 1e-320)
            .unwrap_err()
            .contains("under one second"));
        assert!(duration("duration", 0.5 / 60.0).is_err());
        assert_eq!(duration("duration", 1.0 / 60.0), Ok(1.0 / 60.0));
        assert!(duration("duration", f64::NAN).is_err());
    }

    #[test]
    fn future_and_ancient_dates_are_named() {
        let today = Some(d(2026, 11, 21));
        let start = d(2031, 5, 1).and_hms_opt(8, 0, 0).unwrap();
        assert_eq!(
            time("start", start, today).unwrap_err(),
            "start 2031-05-01 08:00 is in the future (today is 2026-11-21)"
        );
        // Without a today (a library caller that gives none) nothing is in the future.
        assert!(time("start", start, None).is_ok());
        assert!(date("date", d(2026, 11, 21), today).is_ok());
        assert!(date("date", d(2026, 11, 22), today).is_err());
        assert_eq!(
            date("date", d(1989, 12, 31), None).unwrap_err(),
            "date 1989-12-31 is before 1990: not a plausible record"
        );
        assert!(date("date", d(1990, 1, 1), None).is_ok());
    }

    #[test]
    fn implausible_speeds_are_refused() {
        // Issue 16: "2,81" read as 281 km for a 12-minute run: 281 / 0.2 h = 1405 km/h.
        let e = speed("run", Some(281.0), 12.0).unwrap_err();
        assert!(e.contains("1405.0 km/h"), "{e}");
        // 2.81 km in 12 min = 14.05 km/h: a normal run.
        assert!(speed("run", Some(2.81), 12.0).is_ok());
        // A 2,810 m track run read as 2,810 km (Garmin lists track runs in metres).
        assert!(speed("run", Some(2810.0), 12.0).is_err());
        // A pool swim of 2000 m in 40 min (3 km/h) is fine; as 2000 km it is not.
        assert!(speed("swim", Some(2.0), 40.0).is_ok());
        assert!(speed("swim", Some(2000.0), 40.0).is_err());
        // A 42.2 km ride in 60 min (42.2 km/h) is fine; unknown distance is not checked.
        assert!(speed("ride", Some(42.2), 60.0).is_ok());
        assert!(speed("treadmill run", Some(50.0), 60.0).is_err());
        assert!(speed("run", None, 1.0).is_ok());
        // Another sport: 150 km of alpine skiing in an hour passes, 300 does not.
        assert!(speed("alpine skiing", Some(150.0), 60.0).is_ok());
        assert!(speed("alpine skiing", Some(300.0), 60.0).is_err());
    }

    #[test]
    fn values_outside_their_limits_are_refused() {
        assert!(value("humidity", 100.5, limits::RH_PCT).is_err());
        assert!(value("humidity", -1.0, limits::RH_PCT).is_err());
        assert_eq!(value("humidity", 100.0, limits::RH_PCT), Ok(100.0));
        assert!(volume("water", 0.0).is_err());
        assert!(volume("water", 5001.0).is_err());
        assert!(heart_rates(Some(150.0), Some(140.0)).is_err());
        assert!(heart_rates(Some(20.0), None).is_err());
        assert!(heart_rates(None, None).is_ok());
    }
}
