//! Owns `cramprisk generate`: a deterministic, seeded demo team (activities, daily summaries,
//! hourly weather, fluid log and `athletes.toml`) written in the project's native formats.
//!
//! Everything is derived from `GenerateOptions::seed`: each athlete and each weather location has
//! its own RNG streams (one per output file), so the same options give byte-identical files and
//! adding athletes never changes the ones already there. Rows are streamed athlete by athlete
//! through buffered writers; weather is kept per location (2 × 24 × days rows), never per athlete.

use std::fmt;
use std::fs::{self, File};
use std::io::BufWriter;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, Days, NaiveDate};
use fastrand::Rng;

mod athletes;
mod calendar;
mod output;
mod plan;
mod random;
mod simulate;
mod weather;

use athletes::*;
use calendar::*;
use output::*;
use plan::*;
use random::*;
use simulate::*;
use weather::*;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of athletes (at least 1).
    pub athletes: usize,
    /// Number of days (at least 1).
    pub days: u32,
    /// First day.
    pub start: NaiveDate,
    /// Random seed; the same options give byte-identical files.
    pub seed: u64,
}

/// One file written by [`generate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// File name inside the output folder.
    pub name: &'static str,
    /// Data rows (CSV, header excluded) or athlete tables (TOML).
    pub rows: u64,
    /// Size on disk.
    pub bytes: u64,
}

/// What [`generate`] wrote, and the scripted events in the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSummary {
    pub out: PathBuf,
    pub athletes: usize,
    pub days: u32,
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    pub seed: u64,
    pub files: Vec<FileSummary>,
    /// Heat wave, first and last day (inclusive), in both locations.
    pub heat_wave: Option<(NaiveDate, NaiveDate)>,
    /// Scripted events worth knowing when reading the data (camp, new sport, ...).
    pub notes: Vec<String>,
}

impl fmt::Display for GenerateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "generated {} athlete(s) × {} day(s) ({} to {}, seed {}) into {}",
            self.athletes,
            self.days,
            self.start,
            self.end,
            self.seed,
            self.out.display()
        )?;
        for file in &self.files {
            let unit = if file.name.ends_with(".toml") {
                "athletes"
            } else {
                "rows"
            };
            write!(
                f,
                "\n  {:<15} {:>10} {:<8} {:>12} bytes",
                file.name, file.rows, unit, file.bytes
            )?;
        }
        if let Some((first, last)) = self.heat_wave {
            write!(f, "\n  heat wave (valencia and oslo): {first} to {last}")?;
        }
        for note in &self.notes {
            write!(f, "\n  {note}")?;
        }
        Ok(())
    }
}

/// Writes the demo team into `out` (created if missing).
pub fn generate(opts: &GenerateOptions, out: &Path) -> Result<GenerateSummary> {
    if opts.athletes == 0 {
        bail!("--athletes must be at least 1");
    }
    if opts.days == 0 {
        bail!("--days must be at least 1");
    }
    let cal = Calendar::new(opts)?;
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;

    let weather = [
        Weather::build(Loc::Oslo, &cal),
        Weather::build(Loc::Valencia, &cal),
    ];

    let mut athletes: Vec<Athlete> = (0..opts.athletes).map(|i| Athlete::new(i, opts)).collect();
    athletes.sort_by(|a, b| a.name.cmp(&b.name));

    let mut files = Vec::with_capacity(5);
    let mut acts = CsvOut::create(out, "activities.csv", &ACTIVITY_HEADER)?;
    let mut daily = CsvOut::create(out, "daily.csv", &DAILY_HEADER)?;
    let weather_file = write_weather(out, &cal, &weather)?;
    let mut fluids = CsvOut::create(out, "fluids.csv", &FLUIDS_HEADER)?;
    let mut first_new_sport = None;
    for a in &athletes {
        let wx = &weather[a.loc.idx()];
        if let Some(d) = simulate(a, &cal, wx, &mut acts, &mut daily, &mut fluids)? {
            first_new_sport.get_or_insert((a, d));
        }
    }
    files.push(acts.finish()?);
    files.push(daily.finish()?);
    files.push(weather_file);
    files.push(fluids.finish()?);
    files.push(write_profiles(out, opts, &athletes)?);

    let heat_wave = cal
        .heat_wave
        .as_ref()
        .map(|r| (cal.dates[r.start as usize], cal.dates[r.end as usize - 1]));
    let mut notes = Vec::new();
    if let (Some(a), Some(camp)) = (athletes.iter().find(|a| a.camp), cal.camp.as_ref()) {
        notes.push(format!(
            "training camp ({}): {} to {}",
            a.name,
            cal.dates[camp.start as usize],
            cal.dates[camp.end as usize - 1]
        ));
    }
    if let Some((a, d)) = first_new_sport {
        let sport = a.new_sport.map_or("?", Sport::as_str);
        notes.push(format!(
            "new sport ({}): first {} on {}",
            a.name, sport, cal.dates[d as usize]
        ));
    }
    if let Some(a) = athletes.iter().find(|a| !a.logs_fluids) {
        notes.push(format!("never logs fluids: {}", a.name));
    }

    Ok(GenerateSummary {
        out: out.to_path_buf(),
        athletes: opts.athletes,
        days: opts.days,
        start: opts.start,
        end: cal.dates[cal.dates.len() - 1],
        seed: opts.seed,
        files,
        heat_wave,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    const FILES: [&str; 5] = [
        "activities.csv",
        "daily.csv",
        "weather.csv",
        "fluids.csv",
        "athletes.toml",
    ];

    fn opts(athletes: usize, days: u32, seed: u64) -> GenerateOptions {
        GenerateOptions {
            athletes,
            days,
            start: NaiveDate::from_ymd_opt(2025, 5, 1).unwrap(),
            seed,
        }
    }

    fn read_csv(path: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
        let mut rdr = csv::Reader::from_path(path).unwrap();
        let header = rdr.headers().unwrap().iter().map(str::to_string).collect();
        let rows = rdr.records().map(Result::unwrap).collect();
        (header, rows)
    }

    fn num(s: &str) -> f64 {
        s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
    }

    fn time(s: &str) -> chrono::NaiveDateTime {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    /// The shipped demo configuration, generated once per test that needs it.
    fn demo() -> (tempfile::TempDir, GenerateSummary) {
        let dir = tempfile::tempdir().unwrap();
        let summary = generate(&opts(6, 120, 42), dir.path()).unwrap();
        (dir, summary)
    }

    #[test]
    fn same_seed_gives_identical_bytes() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let o = opts(8, 60, 7);
        let sa = generate(&o, a.path()).unwrap();
        let sb = generate(&o, b.path()).unwrap();
        generate(&opts(8, 60, 8), c.path()).unwrap();
        assert_eq!(sa.files, sb.files);
        for name in FILES {
            let fa = fs::read(a.path().join(name)).unwrap();
            let fb = fs::read(b.path().join(name)).unwrap();
            assert!(
                fa == fb,
                "{name} differs between two runs with the same seed"
            );
            if name != "athletes.toml" {
                let fc = fs::read(c.path().join(name)).unwrap();
                assert!(fa != fc, "{name} is the same for seeds 7 and 8");
            }
        }
    }

    #[test]
    fn adding_athletes_keeps_existing_ones() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        generate(&opts(3, 30, 1), a.path()).unwrap();
        generate(&opts(5, 30, 1), b.path()).unwrap();
        let (_, small) = read_csv(&a.path().join("activities.csv"));
        let (_, big) = read_csv(&b.path().join("activities.csv"));
        let ana = |rows: &[csv::StringRecord]| -> Vec<csv::StringRecord> {
            rows.iter().filter(|r| &r[0] == "ana").cloned().collect()
        };
        assert!(!ana(&small).is_empty());
        assert_eq!(ana(&small), ana(&big));
    }

    #[test]
    fn headers_row_counts_and_profiles() {
        let (dir, summary) = demo();
        let days = 120;
        let headers: [(&str, &[&str]); 4] = [
            ("activities.csv", &ACTIVITY_HEADER),
            ("daily.csv", &DAILY_HEADER),
            ("weather.csv", &WEATHER_HEADER),
            ("fluids.csv", &FLUIDS_HEADER),
        ];
        for (name, header) in headers {
            let (h, rows) = read_csv(&dir.path().join(name));
            assert_eq!(h, header.to_vec(), "{name} header");
            let counted = summary.files.iter().find(|f| f.name == name).unwrap();
            assert_eq!(counted.rows, rows.len() as u64, "{name} row count");
            assert_eq!(
                counted.bytes,
                fs::metadata(dir.path().join(name)).unwrap().len()
            );
        }
        let (_, weather) = read_csv(&dir.path().join("weather.csv"));
        assert_eq!(weather.len(), 24 * days * 2);

        // Daily summaries: about two thirds of the athletes, one row per day with a few gaps.
        let (_, daily) = read_csv(&dir.path().join("daily.csv"));
        let mut per_athlete: BTreeMap<String, usize> = BTreeMap::new();
        for r in &daily {
            *per_athlete.entry(r[0].to_string()).or_default() += 1;
        }
        assert_eq!(per_athlete.len(), 4);
        for (name, n) in &per_athlete {
            assert!(*n <= days && *n >= days * 9 / 10, "{name}: {n} daily rows");
        }
        let unique: BTreeSet<(&str, &str)> = daily.iter().map(|r| (&r[0], &r[1])).collect();
        assert_eq!(
            unique.len(),
            daily.len(),
            "one daily row per athlete and day"
        );

        let text = fs::read_to_string(dir.path().join("athletes.toml")).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(doc["defaults"]["hr_rest"].as_integer(), Some(60));
        let athletes = doc["athletes"].as_table().unwrap();
        assert_eq!(athletes.len(), 6);
        let ana = athletes["ana"].as_table().unwrap();
        assert_eq!(ana["sex"].as_str(), Some("female"));
        assert_eq!(ana["body_mass_kg"].as_float(), Some(58.0));
        assert_eq!(ana["sweat_rate_l_per_h"].as_float(), Some(1.4));
        assert_eq!(ana["aliases"].as_array().unwrap().len(), 1);
        let mut oslo = 0;
        for (name, p) in athletes {
            let year = p["birth_year"].as_integer().unwrap();
            assert!((1970..=2005).contains(&year), "{name}: born {year}");
            let cramp = p["cramp_history"].as_str().unwrap();
            assert!(["none", "occasional", "frequent"].contains(&cramp));
            let loc = p["location"].as_str().unwrap();
            assert!(loc == "valencia" || loc == "oslo");
            oslo += usize::from(loc == "oslo");
        }
        assert_eq!(oslo, 2);
    }

    #[test]
    fn activities_are_valid_sorted_and_varied() {
        let (dir, _) = demo();
        let (_, rows) = read_csv(&dir.path().join("activities.csv"));
        let sports = ["run", "ride", "swim", "soccer", "strength", "yoga", "walk"];
        let mut prev: Option<(String, chrono::NaiveDateTime, f64)> = None;
        let (mut with_mass, mut with_load, mut quoted) = (0, 0, 0);
        for r in &rows {
            let start = time(&r[1]);
            let sport = &r[2];
            assert!(sports.contains(&sport), "sport {sport}");
            let duration = num(&r[3]);
            assert!(duration > 0.0 && duration <= 320.0);
            let has_distance = ["run", "ride", "swim", "walk"].contains(&sport);
            assert_eq!(!r[4].is_empty(), has_distance, "distance for {sport}");
            if !r[5].is_empty() {
                let (avg, max) = (num(&r[5]), num(&r[6]));
                assert!(avg >= 80.0 && avg < max && max <= 205.0, "hr {avg}/{max}");
            } else {
                assert!(r[6].is_empty());
                let rpe = num(&r[7]);
                assert!((1.0..=10.0).contains(&rpe));
            }
            with_load += usize::from(!r[8].is_empty());
            if !r[10].is_empty() {
                let loss = num(&r[10]) - num(&r[11]);
                assert!((0.29..=2.51).contains(&loss), "mass loss {loss}");
                assert!(!r[12].is_empty());
                with_mass += 1;
            }
            if !r[13].is_empty() {
                assert!((0.0..=20.0).contains(&num(&r[13])));
            }
            quoted += usize::from(r[14].contains('"'));
            // Sorted by athlete then start, and sessions on one day never overlap.
            if let Some((name, t, dur)) = &prev {
                if name.as_str() == &r[0] {
                    let end = *t + chrono::Duration::minutes(dur.ceil() as i64);
                    assert!(end <= start, "{name}: overlap at {start}");
                } else {
                    assert!(name.as_str() < &r[0], "athletes out of order");
                }
            }
            prev = Some((r[0].to_string(), start, duration));
        }
        assert!(with_mass > 0 && with_mass < rows.len() / 4);
        assert!(with_load > 0 && with_load < rows.len() / 5);
        assert!(quoted >= 2, "a few titles with quotes");

        // Scripted events: ben's camp week, dev's new sport, chloe without heart rate.
        let week_minutes = |name: &str, from: u32| -> f64 {
            let first = NaiveDate::from_ymd_opt(2025, 5, 1).unwrap() + Days::new(u64::from(from));
            let last = first + Days::new(7);
            rows.iter()
                .filter(|r| &r[0] == name)
                .filter(|r| {
                    let d = time(&r[1]).date();
                    d >= first && d < last
                })
                .map(|r| num(&r[3]))
                .sum()
        };
        assert!(week_minutes("ben", 36) > 2.0 * week_minutes("ben", 22));
        let dev_runs: Vec<_> = rows
            .iter()
            .filter(|r| &r[0] == "dev" && &r[2] == "run")
            .collect();
        assert!(dev_runs.len() >= 10);
        assert!(dev_runs
            .iter()
            .all(|r| time(&r[1]).date() >= NaiveDate::from_ymd_opt(2025, 6, 29).unwrap()));
        assert!(rows
            .iter()
            .filter(|r| &r[0] == "chloe")
            .all(|r| r[5].is_empty()));
    }

    #[test]
    fn weather_has_diurnal_cycle_and_heat_wave() {
        let (dir, summary) = demo();
        let (first, last) = summary.heat_wave.unwrap();
        assert_eq!((last - first).num_days(), 9);
        let (_, rows) = read_csv(&dir.path().join("weather.csv"));
        // (location, date) -> 24 temperatures
        let mut days: BTreeMap<(String, NaiveDate), Vec<f64>> = BTreeMap::new();
        for r in &rows {
            let t = time(&r[1]);
            let rh = num(&r[3]);
            assert!((10.0..=100.0).contains(&rh));
            assert!(num(&r[4]) >= 0.0);
            days.entry((r[0].to_string(), t.date()))
                .or_default()
                .push(num(&r[2]));
        }
        assert_eq!(days.len(), 2 * 120);
        let mut peak = BTreeMap::new();
        for ((loc, date), temps) in &days {
            assert_eq!(temps.len(), 24);
            let max = temps.iter().copied().fold(f64::MIN, f64::max);
            let min = temps.iter().copied().fold(f64::MAX, f64::min);
            assert_eq!(temps[15], max, "{loc} {date}: maximum at 15:00");
            assert!(temps[5] - min < 0.15, "{loc} {date}: minimum near 05:00");
            let in_wave = *date >= first && *date <= last;
            let entry = peak.entry((loc.clone(), in_wave)).or_insert(f64::MIN);
            *entry = entry.max(max);
        }
        let p = |loc: &str, w: bool| peak[&(loc.to_string(), w)];
        assert!(
            (38.0..=40.0).contains(&p("valencia", true)),
            "{}",
            p("valencia", true)
        );
        assert!(
            (30.0..=32.0).contains(&p("oslo", true)),
            "{}",
            p("oslo", true)
        );
        assert!(p("valencia", false) < 36.0 && p("valencia", false) > 28.0);
        assert!(p("oslo", false) < 27.0 && p("oslo", false) > 18.0);
    }

    #[test]
    fn fluids_are_plausible() {
        let (dir, summary) = demo();
        let (first, last) = summary.heat_wave.unwrap();
        let (_, rows) = read_csv(&dir.path().join("fluids.csv"));
        let mut totals: BTreeMap<(String, NaiveDate), f64> = BTreeMap::new();
        let mut prev: Option<(String, chrono::NaiveDateTime)> = None;
        for r in &rows {
            let t = time(&r[1]);
            let volume = num(&r[2]);
            assert!(volume > 0.0 && volume <= 750.0);
            assert!(DRINKS.contains(&&r[3]), "drink {}", &r[3]);
            if !r[4].is_empty() {
                assert!(&r[3] == "sports drink" || &r[3] == "electrolyte");
                assert!(num(&r[4]) > 0.0);
            }
            if let Some((name, pt)) = &prev {
                assert!(name.as_str() < &r[0] || (name.as_str() == &r[0] && *pt <= t));
            }
            prev = Some((r[0].to_string(), t));
            *totals.entry((r[0].to_string(), t.date())).or_default() += volume;
        }
        assert!(totals.values().all(|v| (1200.0..=3500.0).contains(v)));
        let athletes: BTreeSet<&str> = totals.keys().map(|(a, _)| a.as_str()).collect();
        assert_eq!(athletes.len(), 5);
        assert!(!athletes.contains("chloe"), "chloe never logs fluids");
        for a in &athletes {
            let logged = totals.keys().filter(|(x, _)| x == a).count();
            assert!((84..=114).contains(&logged), "{a}: {logged} logged days");
        }
        // ana under-drinks in the heat wave.
        let mean = |hot: bool| {
            let v: Vec<f64> = totals
                .iter()
                .filter(|((a, d), _)| a == "ana" && (*d >= first && *d <= last) == hot)
                .map(|(_, v)| *v)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(mean(true) < mean(false) - 200.0);
    }

    #[test]
    fn names_beyond_the_list_and_locations() {
        assert_eq!(athlete_name(0), "ana");
        assert_eq!(athlete_name(25), "zoe");
        assert_eq!(athlete_name(26), "athlete0027");
        let dir = tempfile::tempdir().unwrap();
        let summary = generate(&opts(30, 3, 5), dir.path()).unwrap();
        assert_eq!(summary.files[2].rows, 24 * 3 * 2);
        let text = fs::read_to_string(dir.path().join("athletes.toml")).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        let athletes = doc["athletes"].as_table().unwrap();
        assert_eq!(athletes.len(), 30);
        assert!(athletes.contains_key("athlete0030"));
        let oslo = athletes
            .values()
            .filter(|p| p["location"].as_str() == Some("oslo"))
            .count();
        assert_eq!(oslo, 10);
    }

    #[test]
    fn rejects_empty_requests() {
        let dir = tempfile::tempdir().unwrap();
        assert!(generate(&opts(0, 10, 1), dir.path()).is_err());
        assert!(generate(&opts(2, 0, 1), dir.path()).is_err());
        let far = GenerateOptions {
            start: NaiveDate::MAX,
            ..opts(1, 10, 1)
        };
        assert!(generate(&far, dir.path()).is_err());
    }

    #[test]
    fn tiny_periods_work() {
        for days in [1, 2, 3, 7, 29, 30] {
            let dir = tempfile::tempdir().unwrap();
            let s = generate(&opts(7, days, 3), dir.path()).unwrap();
            assert_eq!(s.files[2].rows, u64::from(24 * days * 2));
            assert!(!s.to_string().is_empty());
        }
    }

    #[test]
    fn summary_lists_files_and_events() {
        let (_, summary) = demo();
        let text = summary.to_string();
        for name in FILES {
            assert!(text.contains(name), "{text}");
        }
        assert!(text.contains("heat wave"));
        assert!(text.contains("training camp (ben)"));
        assert!(text.contains("new sport (dev)"));
        assert!(text.contains("never logs fluids: chloe"));
    }
}
