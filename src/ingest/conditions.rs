//! Weather from the activities themselves: the conditions an activity export records for a
//! session (Strava's own weather columns, the device's temperature) become that session's
//! hourly weather when no weather file covers its hours. A weather file, when present, always
//! wins; what was used, and from which source, is counted for the report.

use std::collections::BTreeMap;

use chrono::Timelike;

use super::canonical::Canonical;
use crate::profiles::{name_key, ProfilesFile};

/// What [`apply`] did, per activity file, for its report: sessions whose conditions were
/// used (by source), and sessions whose hours a weather file already covered.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Applied {
    pub used: BTreeMap<String, BTreeMap<&'static str, usize>>,
    pub covered_by_file: BTreeMap<String, usize>,
    /// Athletes whose conditions could not be placed: the weather files name places and the
    /// athlete's profile gives none.
    pub unplaced: Vec<String>,
}

const MS_PER_HOUR: i64 = 3_600_000;

/// Turns the sessions' recorded conditions into hourly weather rows at each athlete's weather
/// place (the same rule as the measures: weather without places applies to everyone, else
/// the profile's `location`), for every hour a session covers that no weather file covers.
/// Strava's weather is preferred to the device's for a session that has both.
pub fn apply(canonical: &mut Canonical, profiles: &ProfilesFile) -> Applied {
    let mut out = Applied::default();
    let conditions = std::mem::take(&mut canonical.session_weather);
    if conditions.is_empty() {
        return out;
    }
    let weather_has_places = canonical
        .weather_hourly
        .location
        .iter()
        .chain(canonical.weather_daily.location.iter())
        .any(|l| !l.is_empty());
    // Hours and days that weather files gave, per place: they win.
    let file_hours: std::collections::HashSet<(String, i64)> = canonical
        .weather_hourly
        .location
        .iter()
        .zip(&canonical.weather_hourly.time_ms)
        .map(|(l, t)| (l.clone(), t.div_euclid(MS_PER_HOUR)))
        .collect();
    let file_days: std::collections::HashSet<(String, i32)> = canonical
        .weather_daily
        .location
        .iter()
        .cloned()
        .zip(canonical.weather_daily.date.iter().copied())
        .collect();
    // Strava's observation first, so a device reading for the same hour is not used.
    let mut conditions = conditions;
    conditions.sort_by(|a, b| a.source.cmp(&b.source).then(a.start.cmp(&b.start)));
    let saved_location = canonical.file_location.take();
    for c in conditions {
        let place = if weather_has_places {
            match profiles.resolve(&c.athlete).values.location.as_deref() {
                Some(l) => name_key(l),
                None => {
                    if !out.unplaced.contains(&c.athlete) {
                        out.unplaced.push(c.athlete.clone());
                    }
                    continue;
                }
            }
        } else {
            String::new()
        };
        let first = crate::dates::to_millis(
            c.start
                .with_minute(0)
                .and_then(|t| t.with_second(0))
                .and_then(|t| t.with_nanosecond(0))
                .unwrap_or(c.start),
        );
        let end = crate::dates::to_millis(c.start) + (c.duration_min * 60_000.0) as i64 - 1;
        let hours: Vec<i64> = (first.div_euclid(MS_PER_HOUR)..=end.div_euclid(MS_PER_HOUR))
            .take(25)
            .collect();
        let covered = hours.iter().any(|h| {
            file_hours.contains(&(place.clone(), *h))
                || file_days.contains(&(
                    place.clone(),
                    (h * MS_PER_HOUR).div_euclid(86_400_000) as i32,
                ))
        });
        if covered {
            *out.covered_by_file.entry(c.file.clone()).or_default() += 1;
            continue;
        }
        let mut added = false;
        for h in hours {
            let Some(time) = chrono::DateTime::from_timestamp_millis(h * MS_PER_HOUR) else {
                continue;
            };
            let src = format!("{}:{} ({})", c.file, c.line, c.source.name());
            // An hour another session already filled keeps its first reading.
            if canonical
                .add_hour(&place, time.naive_utc(), c.temp_c, c.rh_pct, None, src)
                .is_ok()
            {
                added = true;
            }
        }
        if added {
            *out.used
                .entry(c.file.clone())
                .or_default()
                .entry(c.source.name())
                .or_default() += 1;
        }
    }
    canonical.file_location = saved_location;
    out
}

/// The note for one activity file's report: how many of its sessions gave the weather of
/// their hours, from which source, and how many a weather file covered instead.
pub fn note(a: &Applied, file: &str) -> Option<String> {
    let mut parts: Vec<String> = a
        .used
        .get(file)
        .into_iter()
        .flatten()
        .map(|(s, n)| format!("{n} session(s) give the weather of their hours ({s})"))
        .collect();
    if let Some(n) = a.covered_by_file.get(file) {
        parts.push(format!(
            "{n} session(s) with recorded weather take it from the weather file instead"
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The warning for athletes whose recorded conditions could not be placed.
pub fn unplaced_warning(a: &Applied) -> Option<String> {
    (!a.unplaced.is_empty()).then(|| {
        format!(
            "the weather recorded with the sessions of {} is not used: the weather files name \
             places and their profile in athletes.toml gives no location",
            a.unplaced.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::canonical::{SessionWeather, Source};
    use chrono::NaiveDateTime;

    fn at(t: &str) -> NaiveDateTime {
        crate::dates::parse_datetime(t).unwrap()
    }

    fn strava(start: &str, minutes: f64, temp: f64, rh: f64) -> SessionWeather {
        SessionWeather {
            athlete: "ana".into(),
            start: at(start),
            duration_min: minutes,
            temp_c: temp,
            rh_pct: Some(rh),
            source: Source::StravaWeather,
            file: "a.csv".into(),
            line: 2,
        }
    }

    #[test]
    fn each_covered_hour_gets_the_sessions_weather() {
        let mut c = Canonical::default();
        // 09:30 + 90 min ends at 11:00: hours 09 and 10 (the last minute is 10:59).
        c.session_weather
            .push(strava("2025-07-01 09:30:00", 90.0, 28.0, 60.0));
        let a = apply(&mut c, &ProfilesFile::default());
        assert_eq!(a.used["a.csv"].get("strava-weather"), Some(&1));
        assert_eq!(
            note(&a, "a.csv").as_deref(),
            Some("1 session(s) give the weather of their hours (strava-weather)")
        );
        let w = &c.weather_hourly;
        assert_eq!(w.time_ms.len(), 2);
        assert_eq!(
            w.time_ms[0],
            crate::dates::to_millis(at("2025-07-01 09:00:00"))
        );
        assert_eq!(
            w.time_ms[1],
            crate::dates::to_millis(at("2025-07-01 10:00:00"))
        );
        assert_eq!(w.temp_c, vec![28.0, 28.0]);
        assert_eq!(w.rh_pct, vec![Some(60.0), Some(60.0)]);
        assert_eq!(w.location, vec![String::new(), String::new()]);
    }

    #[test]
    fn a_weather_file_wins() {
        let mut c = Canonical::default();
        c.add_hour(
            "",
            at("2025-07-01 10:00:00"),
            31.0,
            Some(40.0),
            None,
            "w.csv:2".into(),
        )
        .unwrap();
        c.session_weather
            .push(strava("2025-07-01 09:30:00", 90.0, 28.0, 60.0));
        // A day the file does not cover takes the session's weather.
        c.session_weather
            .push(strava("2025-07-02 09:30:00", 30.0, 22.0, 50.0));
        let a = apply(&mut c, &ProfilesFile::default());
        assert_eq!(a.covered_by_file.get("a.csv"), Some(&1));
        assert_eq!(a.used["a.csv"].get("strava-weather"), Some(&1));
        assert_eq!(c.weather_hourly.temp_c, vec![31.0, 22.0]);
    }

    #[test]
    fn strava_weather_is_preferred_to_the_device() {
        let mut c = Canonical::default();
        let mut device = strava("2025-07-01 09:00:00", 30.0, 35.0, 0.0);
        device.source = Source::Device;
        device.rh_pct = None;
        c.session_weather.push(device);
        c.session_weather
            .push(strava("2025-07-01 09:00:00", 30.0, 24.0, 55.0));
        let a = apply(&mut c, &ProfilesFile::default());
        assert_eq!(c.weather_hourly.temp_c, vec![24.0]);
        assert_eq!(a.used["a.csv"].get("strava-weather"), Some(&1));
        assert_eq!(a.used["a.csv"].get("device"), None);
    }

    #[test]
    fn places_come_from_the_profile_when_weather_names_places() {
        let mut c = Canonical::default();
        c.add_hour(
            "oslo",
            at("2025-01-01 10:00:00"),
            1.0,
            None,
            None,
            "w.csv:2".into(),
        )
        .unwrap();
        c.session_weather
            .push(strava("2025-07-01 09:00:00", 30.0, 24.0, 55.0));
        let mut ben = strava("2025-07-01 09:00:00", 30.0, 20.0, 50.0);
        ben.athlete = "ben".into();
        c.session_weather.push(ben);
        let profiles =
            ProfilesFile::parse("[athletes.ana]\nlocation = \"Valencia\"\n[athletes.ben]\n")
                .unwrap();
        let a = apply(&mut c, &profiles);
        assert_eq!(a.unplaced, vec!["ben".to_string()]);
        assert_eq!(c.weather_hourly.location[1], "valencia");
        assert!(unplaced_warning(&a).unwrap().contains("ben"));
    }
}
