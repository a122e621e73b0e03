//! Warnings about what the files say as a whole, once every file is read: weather that covers
//! none of the athletes' days or carries no humidity (naming the file and what it covers),
//! and several people's exports read as one athlete (a folder without an athlete column
//! holding two people's files: their sessions overlap, or the files name different people).

use std::collections::{BTreeMap, BTreeSet};

use super::canonical::Canonical;
use crate::dates;

const MS_PER_DAY: i64 = 86_400_000;

/// The days one weather file gave, and whether any of its rows has a humidity.
#[derive(Debug, Clone)]
pub struct WeatherSpan {
    pub file: String,
    pub days: BTreeSet<i32>,
    pub with_humidity: bool,
    /// The file gave daily rows only (a daily summary such as NOAA's GHCN-Daily), not hours.
    pub daily_only: bool,
}

/// Where the weather builders stood before a file was read: (hourly rows, daily rows).
pub fn weather_mark(c: &Canonical) -> (usize, usize) {
    (c.weather_hourly.time_ms.len(), c.weather_daily.date.len())
}

/// The weather a file added since `mark`, if any.
pub fn weather_span(c: &Canonical, mark: (usize, usize), file: &str) -> Option<WeatherSpan> {
    let (h, d) = mark;
    let hourly = &c.weather_hourly;
    let daily = &c.weather_daily;
    let mut days: BTreeSet<i32> = hourly.time_ms[h.min(hourly.time_ms.len())..]
        .iter()
        .map(|ms| ms.div_euclid(MS_PER_DAY) as i32)
        .collect();
    days.extend(daily.date[d.min(daily.date.len())..].iter().copied());
    if days.is_empty() {
        return None;
    }
    let with_humidity = hourly.rh_pct[h.min(hourly.rh_pct.len())..]
        .iter()
        .chain(&daily.rh_pct[d.min(daily.rh_pct.len())..])
        .any(Option::is_some);
    Some(WeatherSpan {
        file: file.to_string(),
        days,
        with_humidity,
        daily_only: hourly.time_ms.len() <= h,
    })
}

fn span_text(days: &BTreeSet<i32>) -> String {
    match (days.first(), days.last()) {
        (Some(&a), Some(&b)) if a == b => dates::from_days(a).to_string(),
        (Some(&a), Some(&b)) => format!(
            "{} – {} ({} days)",
            dates::from_days(a),
            dates::from_days(b),
            days.len()
        ),
        _ => String::new(),
    }
}

/// Weather files that cover none of the athletes' training days, or carry no humidity.
pub fn weather_warnings(c: &Canonical, spans: &[WeatherSpan]) -> Vec<String> {
    let trained: BTreeSet<i32> = c.activities.date.iter().copied().collect();
    let mut out = Vec::new();
    for s in spans {
        if !trained.is_empty() && s.days.is_disjoint(&trained) {
            out.push(format!(
                "{}: its weather covers {}, none of the athletes' training days ({}): it is not \
                 used; download the weather of the training period",
                s.file,
                span_text(&s.days),
                span_text(&trained)
            ));
        }
        if !s.with_humidity {
            // Said of the file it is true of: a daily summary has no humidity column at all;
            // an hourly file (an Open-Meteo download without `relative_humidity_2m`) has none
            // in its rows.
            let why = if s.daily_only {
                "the file has no humidity column, like every NOAA daily file"
            } else {
                "none of its hours gives a relative humidity"
            };
            out.push(format!(
                "{}: no humidity (it covers {}; {why}): the heat index and WBGT of those days \
                 cannot be computed from it and stay unknown; add an hourly file with humidity \
                 (Open-Meteo, NOAA LCD) for them",
                s.file,
                span_text(&s.days)
            ));
        }
    }
    out
}

/// Two sessions of one athlete that overlap, from two files: (athlete, later file, first file).
pub type CrossOverlap = (String, String, String);

/// Warns when one athlete's files look like several people's: sessions of two files that
/// overlap again and again (one person cannot run two sessions at once), or files that name
/// different people (Polar's `Name` column). The names themselves are not printed.
pub fn mixed_athletes(c: &Canonical, overlaps: &[CrossOverlap]) -> Vec<String> {
    let fix = "files without an athlete column belong to their folder's athlete: give each \
               athlete a folder of their own (or read each person's files with --athlete-name NAME)";
    let mut out = Vec::new();
    let mut pairs: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for (athlete, later, first) in overlaps {
        if later != first {
            let (a, b) = if later < first {
                (later, first)
            } else {
                (first, later)
            };
            *pairs
                .entry((athlete.clone(), a.clone(), b.clone()))
                .or_default() += 1;
        }
    }
    for ((athlete, a, b), n) in pairs {
        if n >= 2 {
            out.push(format!(
                "{athlete}: {n} sessions in {a} and {b} overlap in time — two people's exports \
                 read as one athlete? {fix}"
            ));
        }
    }
    let mut names: BTreeMap<&str, BTreeMap<String, BTreeSet<&str>>> = BTreeMap::new();
    for (athlete, name, file) in &c.person_names {
        names
            .entry(athlete.as_str())
            .or_default()
            .entry(crate::profiles::name_key(name))
            .or_default()
            .insert(file.as_str());
    }
    for (athlete, people) in names {
        if people.len() >= 2 {
            let files: BTreeSet<&str> = people.values().flatten().copied().collect();
            out.push(format!(
                "{athlete}: the files name {} different people ({}) — several people's exports \
                 read as one athlete? {fix}",
                people.len(),
                files.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_humidity_warning_says_why_of_the_file_it_names() {
        let c = Canonical::default();
        let span = |daily_only| WeatherSpan {
            file: "w.csv".to_string(),
            days: [19_000].into_iter().collect(),
            with_humidity: false,
            daily_only,
        };
        let daily = weather_warnings(&c, &[span(true)]);
        assert_eq!(daily.len(), 1);
        assert!(
            daily[0].contains("like every NOAA daily file"),
            "{}",
            daily[0]
        );
        // An hourly file (Open-Meteo without humidity) is not called a NOAA daily file.
        let hourly = weather_warnings(&c, &[span(false)]);
        assert_eq!(hourly.len(), 1);
        assert!(!hourly[0].contains("NOAA daily"), "{}", hourly[0]);
        assert!(
            hourly[0].contains("none of its hours gives a relative humidity"),
            "{}",
            hourly[0]
        );
    }
}
