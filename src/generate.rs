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

// ---------------------------------------------------------------------------------------------
// Output plumbing
// ---------------------------------------------------------------------------------------------

const ACTIVITY_HEADER: [&str; 15] = [
    "athlete",
    "start",
    "sport",
    "duration_min",
    "distance_km",
    "avg_hr",
    "max_hr",
    "rpe",
    "load",
    "calories_kcal",
    "body_mass_before_kg",
    "body_mass_after_kg",
    "fluid_during_ml",
    "warmup_min",
    "title",
];
const DAILY_HEADER: [&str; 6] = [
    "athlete",
    "date",
    "steps",
    "sedentary_min",
    "resting_hr",
    "sleep_min",
];
const WEATHER_HEADER: [&str; 5] = ["location", "time", "temp_c", "rh_pct", "wind_kmh"];
const FLUIDS_HEADER: [&str; 5] = ["athlete", "time", "volume_ml", "drink", "sodium_mg"];

/// A buffered CSV file that counts its rows.
struct CsvOut {
    name: &'static str,
    path: PathBuf,
    wtr: csv::Writer<BufWriter<File>>,
    rows: u64,
}

impl CsvOut {
    fn create(dir: &Path, name: &'static str, header: &[&str]) -> Result<Self> {
        let path = dir.join(name);
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut wtr = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
        wtr.write_record(header)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(Self {
            name,
            path,
            wtr,
            rows: 0,
        })
    }

    fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.wtr
            .write_record(fields)
            .with_context(|| format!("writing {}", self.path.display()))?;
        self.rows += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<FileSummary> {
        self.wtr
            .flush()
            .with_context(|| format!("writing {}", self.path.display()))?;
        drop(self.wtr);
        let bytes = fs::metadata(&self.path)
            .with_context(|| format!("reading size of {}", self.path.display()))?
            .len();
        Ok(FileSummary {
            name: self.name,
            rows: self.rows,
            bytes,
        })
    }
}

/// Rounds to one decimal and formats it, never as `-0.0`.
fn f1(x: f64) -> String {
    format!("{:.1}", round1(x) + 0.0)
}

/// Rounds to two decimals and formats it.
fn f2(x: f64) -> String {
    format!("{:.2}", (x * 100.0).round() / 100.0 + 0.0)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn opt<T: fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// `YYYY-MM-DD HH:MM` from a date string and a minute of the day.
fn stamp(date: &str, minute: u32) -> String {
    format!("{date} {:02}:{:02}", minute / 60, minute % 60)
}

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

const STREAM_PROFILE: u64 = 1;
const STREAM_ACTIVITIES: u64 = 2;
const STREAM_DAILY: u64 = 3;
const STREAM_FLUIDS: u64 = 4;
const STREAM_WEATHER: u64 = 5;

/// splitmix64 finaliser: a well-mixed 64-bit hash.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An independent RNG for one (stream, index) pair, derived from the seed only.
fn sub_rng(seed: u64, stream: u64, index: u64) -> Rng {
    Rng::with_seed(mix(mix(seed ^ mix(stream)) ^ index))
}

fn uniform(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.f64()
}

/// Approximately standard normal (Irwin–Hall with 4 terms): plain arithmetic, so portable.
fn normal(rng: &mut Rng) -> f64 {
    (rng.f64() + rng.f64() + rng.f64() + rng.f64() - 2.0) * 1.732_050_8
}

fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.f64() < p
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    // Callers pass non-empty slices; u32 keeps the draw the same on 32- and 64-bit targets.
    &items[rng.u32(..items.len() as u32) as usize]
}

// ---------------------------------------------------------------------------------------------
// Calendar and scripted events
// ---------------------------------------------------------------------------------------------

struct Calendar {
    seed: u64,
    days: u32,
    dates: Vec<NaiveDate>,
    date_str: Vec<String>,
    /// Day-of-year of the first day (1-based), for the seasonal cycle.
    doy0: u32,
    /// Day indices of the heat wave (both locations).
    heat_wave: Option<Range<u32>>,
    /// Day indices of the training camp (one athlete).
    camp: Option<Range<u32>>,
    /// First day index of the new sport (one athlete).
    new_sport_from: u32,
}

impl Calendar {
    fn new(opts: &GenerateOptions) -> Result<Self> {
        let mut dates = Vec::with_capacity(opts.days as usize);
        for d in 0..opts.days {
            let date = opts
                .start
                .checked_add_days(Days::new(u64::from(d)))
                .with_context(|| {
                    format!(
                        "--start {} plus {} days is past the last supported date",
                        opts.start, opts.days
                    )
                })?;
            dates.push(date);
        }
        let date_str = dates
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect();
        let days = opts.days;
        let heat_wave = if days >= 30 {
            Some(days / 2 - 5..days / 2 + 5)
        } else if days >= 3 {
            let len = days / 3;
            let first = (days - len) / 2;
            Some(first..first + len)
        } else {
            None
        };
        let camp = (days >= 28).then(|| {
            let first = days * 3 / 10;
            first..first + 7
        });
        Ok(Self {
            seed: opts.seed,
            days,
            dates,
            date_str,
            doy0: opts.start.ordinal(),
            heat_wave,
            camp,
            new_sport_from: days / 2,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Weather
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loc {
    Oslo,
    Valencia,
}

/// Seasonal climate of a location: `value = mean + amp * s`, `s` = 1 at the end of July.
struct Climate {
    tmin_mean: f64,
    tmin_amp: f64,
    tmax_mean: f64,
    tmax_amp: f64,
    rh_hi: f64,
    rh_lo: f64,
    wind: f64,
    breeze: f64,
    /// Heat-wave peak (daily maximum) and day-night range.
    hw_peak: f64,
    hw_range: f64,
    hw_rh_hi: f64,
    hw_rh_lo: f64,
    /// A day at or above this maximum counts as hot for behaviour (drinking, timing).
    hot: f64,
}

impl Loc {
    fn as_str(self) -> &'static str {
        match self {
            Loc::Oslo => "oslo",
            Loc::Valencia => "valencia",
        }
    }

    fn idx(self) -> usize {
        match self {
            Loc::Oslo => 0,
            Loc::Valencia => 1,
        }
    }

    fn climate(self) -> Climate {
        match self {
            // Summer: nights ~24 °C, afternoons ~31 °C; winter 8/17 °C.
            Loc::Valencia => Climate {
                tmin_mean: 16.0,
                tmin_amp: 8.0,
                tmax_mean: 24.0,
                tmax_amp: 7.0,
                rh_hi: 84.0,
                rh_lo: 50.0,
                wind: 8.0,
                breeze: 9.0,
                hw_peak: 39.0,
                hw_range: 12.0,
                hw_rh_hi: 62.0,
                hw_rh_lo: 28.0,
                hot: 32.0,
            },
            // Summer: nights ~12 °C, afternoons ~21 °C; winter around freezing.
            Loc::Oslo => Climate {
                tmin_mean: 4.0,
                tmin_amp: 8.5,
                tmax_mean: 10.0,
                tmax_amp: 11.0,
                rh_hi: 88.0,
                rh_lo: 52.0,
                wind: 10.0,
                breeze: 4.0,
                hw_peak: 31.0,
                hw_range: 12.0,
                hw_rh_hi: 76.0,
                hw_rh_lo: 35.0,
                hot: 25.0,
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct DayWeather {
    tmin: f64,
    tmax: f64,
    rh_hi: f64,
    rh_lo: f64,
    wind: f64,
}

#[derive(Debug, Clone, Copy)]
struct HourWeather {
    temp: f64,
    rh: u32,
    wind: f64,
}

struct Weather {
    loc: Loc,
    hot: f64,
    /// Index 0 is the day before the period, `days + 1` the day after.
    daily: Vec<DayWeather>,
    /// `days * 24` hours, temperatures already rounded to 0.1 °C.
    hourly: Vec<HourWeather>,
}

/// Heat-wave weight of day `k` of `len`: ramps up over two days, plateaus, ramps down.
fn heat_shape(k: u32, len: u32) -> f64 {
    if len <= 2 {
        return 1.0;
    }
    let x = (f64::from(k) + 0.5) / f64::from(len);
    (1.6 * (std::f64::consts::PI * x).sin()).min(1.0)
}

impl Weather {
    fn build(loc: Loc, cal: &Calendar) -> Self {
        let c = loc.climate();
        let mut rng = sub_rng(cal.seed, STREAM_WEATHER, loc.idx() as u64);
        let n = cal.days;
        let mut daily = Vec::with_capacity(n as usize + 2);
        let mut anom = normal(&mut rng) * 1.2;
        for i in 0..n + 2 {
            // Day index relative to the first day (-1 = the day before).
            let rel = f64::from(i) - 1.0;
            let phase = (f64::from(cal.doy0) + rel - 205.0) / 365.25;
            let s = (2.0 * std::f64::consts::PI * phase).cos();
            anom = (0.75 * anom + normal(&mut rng)).clamp(-3.5, 3.5);
            let mut tmax = c.tmax_mean + c.tmax_amp * s + anom;
            let mut tmin = c.tmin_mean + c.tmin_amp * s + 0.6 * anom + 0.5 * normal(&mut rng);
            if tmax - tmin < 3.0 {
                tmin = tmax - 3.0;
            }
            // Cooler-than-usual days are cloudier and more humid.
            let mut rh_hi = (c.rh_hi - 1.5 * anom + 3.0 * normal(&mut rng)).clamp(55.0, 97.0);
            let mut rh_lo =
                (c.rh_lo - 3.0 * anom + 4.0 * normal(&mut rng)).clamp(20.0, rh_hi - 15.0);
            let wind = (c.wind + 3.0 * normal(&mut rng)).max(1.0);
            let peak = c.hw_peak + uniform(&mut rng, -0.4, 0.4);
            if (1..=n).contains(&i) {
                if let Some(hw) = cal.heat_wave.as_ref().filter(|r| r.contains(&(i - 1))) {
                    let w = heat_shape(i - 1 - hw.start, hw.end - hw.start);
                    tmax = (1.0 - w) * tmax + w * peak;
                    tmin = (1.0 - w) * tmin + w * (peak - c.hw_range);
                    rh_hi = (1.0 - w) * rh_hi + w * c.hw_rh_hi;
                    rh_lo = (1.0 - w) * rh_lo + w * c.hw_rh_lo;
                }
            }
            daily.push(DayWeather {
                tmin,
                tmax,
                rh_hi,
                rh_lo,
                wind,
            });
        }

        let mut hourly = Vec::with_capacity(n as usize * 24);
        for i in 1..=n as usize {
            let (prev, today, next) = (daily[i - 1], daily[i], daily[i + 1]);
            for h in 0..24u32 {
                let hf = f64::from(h);
                // Cosine ramps: minimum at 05:00, maximum at 15:00.
                // `p` is how far between tonight's minimum (0) and the maximum (1) we are.
                let (lo, hi, p) = if h < 5 {
                    let x = (hf + 24.0 - 15.0) / 14.0;
                    (
                        today.tmin,
                        prev.tmax,
                        (1.0 + (std::f64::consts::PI * x).cos()) / 2.0,
                    )
                } else if h <= 15 {
                    let x = (hf - 5.0) / 10.0;
                    (
                        today.tmin,
                        today.tmax,
                        (1.0 - (std::f64::consts::PI * x).cos()) / 2.0,
                    )
                } else {
                    let x = (hf - 15.0) / 14.0;
                    (
                        next.tmin,
                        today.tmax,
                        (1.0 + (std::f64::consts::PI * x).cos()) / 2.0,
                    )
                };
                // No jitter at the extremes, so the minimum stays at 05:00 and the maximum at 15:00.
                let jitter = uniform(&mut rng, -0.2, 0.2) * 4.0 * p * (1.0 - p);
                let temp = round1(lo + (hi - lo) * p + jitter);
                let rh = (today.rh_hi - (today.rh_hi - today.rh_lo) * p + 1.5 * normal(&mut rng))
                    .round()
                    .clamp(10.0, 100.0) as u32;
                let bump = if (10..=19).contains(&h) {
                    (std::f64::consts::PI * (hf - 10.0) / 9.0).sin().max(0.0)
                } else {
                    0.0
                };
                let wind = round1((today.wind + c.breeze * bump + 1.5 * normal(&mut rng)).max(0.0));
                hourly.push(HourWeather { temp, rh, wind });
            }
        }
        Self {
            loc,
            hot: c.hot,
            daily,
            hourly,
        }
    }

    fn day(&self, d: u32) -> &DayWeather {
        &self.daily[d as usize + 1]
    }

    fn is_hot(&self, d: u32) -> bool {
        self.day(d).tmax >= self.hot
    }

    /// Mean hourly temperature over a session starting at `minute` on day `d`.
    fn session_temp(&self, d: u32, minute: u32, duration_min: f64) -> f64 {
        let first = minute / 60;
        let last = ((f64::from(minute) + duration_min) / 60.0).floor() as u32;
        let last = last.clamp(first, 23);
        let base = d as usize * 24;
        let hours = &self.hourly[base + first as usize..=base + last as usize];
        hours.iter().map(|h| h.temp).sum::<f64>() / hours.len() as f64
    }
}

fn write_weather(out: &Path, cal: &Calendar, weather: &[Weather]) -> Result<FileSummary> {
    let mut w = CsvOut::create(out, "weather.csv", &WEATHER_HEADER)?;
    for wx in weather {
        for (d, date) in cal.date_str.iter().enumerate() {
            for (h, hour) in wx.hourly[d * 24..d * 24 + 24].iter().enumerate() {
                w.row([
                    wx.loc.as_str().to_string(),
                    stamp(date, h as u32 * 60),
                    f1(hour.temp),
                    hour.rh.to_string(),
                    f1(hour.wind),
                ])?;
            }
        }
    }
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// Athletes
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sex {
    Female,
    Male,
}

impl Sex {
    fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sport {
    Run,
    Ride,
    Swim,
    Soccer,
    Strength,
    Yoga,
    Walk,
}

impl Sport {
    fn as_str(self) -> &'static str {
        match self {
            Sport::Run => "run",
            Sport::Ride => "ride",
            Sport::Swim => "swim",
            Sport::Soccer => "soccer",
            Sport::Strength => "strength",
            Sport::Yoga => "yoga",
            Sport::Walk => "walk",
        }
    }

    fn has_distance(self) -> bool {
        matches!(self, Sport::Run | Sport::Ride | Sport::Swim | Sport::Walk)
    }

    fn endurance(self) -> bool {
        matches!(self, Sport::Run | Sport::Ride | Sport::Swim)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Easy,
    Recovery,
    Tempo,
    Intervals,
    Long,
    Training,
    Match,
    Gym,
    Mobility,
    Stroll,
    Camp,
    Novice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Morning,
    Evening,
    Mixed,
}

/// Short first names (a to z), their sex and a surname for the alias.
const NAMES: [(&str, Sex, &str); 26] = [
    ("ana", Sex::Female, "Lopez"),
    ("ben", Sex::Male, "Carter"),
    ("chloe", Sex::Female, "Dubois"),
    ("dev", Sex::Male, "Patel"),
    ("emma", Sex::Female, "Novak"),
    ("femi", Sex::Male, "Adeyemi"),
    ("gus", Sex::Male, "Berg"),
    ("hana", Sex::Female, "Sato"),
    ("ivan", Sex::Male, "Petrov"),
    ("jo", Sex::Female, "Walsh"),
    ("kai", Sex::Male, "Kahale"),
    ("lena", Sex::Female, "Fischer"),
    ("milo", Sex::Male, "Rossi"),
    ("nora", Sex::Female, "Haugen"),
    ("omar", Sex::Male, "Haddad"),
    ("pia", Sex::Female, "Moreau"),
    ("quinn", Sex::Female, "Byrne"),
    ("rosa", Sex::Female, "Vidal"),
    ("sam", Sex::Male, "Okafor"),
    ("tara", Sex::Female, "Singh"),
    ("uma", Sex::Female, "Rahman"),
    ("vik", Sex::Male, "Kumar"),
    ("wes", Sex::Male, "Owens"),
    ("xiu", Sex::Female, "Li"),
    ("yara", Sex::Female, "Cohen"),
    ("zoe", Sex::Female, "Martin"),
];

/// Name of athlete `i`: the fixed list, then `athlete0027` style.
fn athlete_name(i: usize) -> String {
    match NAMES.get(i) {
        Some((name, _, _)) => (*name).to_string(),
        None => format!("athlete{:04}", i + 1),
    }
}

/// A profile (what goes into athletes.toml) plus the hidden habits that drive the data.
#[derive(Debug, Clone)]
struct Athlete {
    index: usize,
    name: String,
    aliases: Vec<String>,
    about: String,
    sex: Sex,
    birth_year: i32,
    mass: f64,
    hr_rest: u32,
    hr_max: u32,
    profile_hr: bool,
    sweat_rate: f64,
    profile_sweat_rate: bool,
    sweat_sodium: u32,
    profile_sodium: bool,
    cramp: &'static str,
    /// `None`: the key is absent.
    medications: Option<Vec<&'static str>>,
    conditions: Option<Vec<&'static str>>,
    family_history: bool,
    tight_hamstrings: bool,
    loc: Loc,
    // Training habits.
    main: Sport,
    per_week: u32,
    slot: Slot,
    fitness: f64,
    has_hr: bool,
    logs_rpe: bool,
    logs_warmup: bool,
    weigh_rate: f64,
    load_rate: f64,
    duration_decimal: bool,
    yoga: bool,
    walks: bool,
    gym_extra: bool,
    doubles: f64,
    heat_early: bool,
    camp: bool,
    new_sport: Option<Sport>,
    // Watch and drinking habits.
    has_watch: bool,
    steps_base: f64,
    sedentary_base: f64,
    sleep_base: f64,
    logs_fluids: bool,
    under_drinker: bool,
    sports_drink: bool,
    electrolytes: bool,
    electrolyte_mg_per_l: f64,
    coffee: bool,
    milk: bool,
}

impl Athlete {
    fn new(index: usize, opts: &GenerateOptions) -> Self {
        let mut rng = sub_rng(opts.seed, STREAM_PROFILE, index as u64);
        let year = opts.start.year();
        let (sex, alias) = match NAMES.get(index) {
            Some((name, sex, surname)) => {
                let mut cap = name.to_string();
                if let Some(first) = cap.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                (*sex, Some(format!("{cap} {surname}")))
            }
            None => (if rng.bool() { Sex::Female } else { Sex::Male }, None),
        };
        let age = rng.u32(20..=55);
        let mass = match sex {
            Sex::Female => uniform(&mut rng, 50.0, 72.0),
            Sex::Male => uniform(&mut rng, 62.0, 92.0),
        };
        let hr_rest = rng.u32(42..=64);
        let hr_max = (208.0 - 0.7 * f64::from(age) + 5.0 * normal(&mut rng)).clamp(165.0, 205.0);
        let r = rng.f64();
        let cramp = if r < 0.5 {
            "none"
        } else if r < 0.85 {
            "occasional"
        } else {
            "frequent"
        };
        let mut meds = Vec::new();
        let r = rng.f64();
        if r < 0.04 {
            meds.push("salbutamol");
        } else if r < 0.06 {
            meds.push("atorvastatin");
        } else if r < 0.07 {
            meds.push("furosemide");
        }
        let mut conds = Vec::new();
        let r = rng.f64();
        if r < 0.02 {
            conds.push("varicose veins");
        } else if r < 0.04 {
            conds.push("sciatica");
        }
        let list_style = rng.f64();
        let medications = (!meds.is_empty() || list_style < 0.4).then_some(meds);
        let conditions = (!conds.is_empty() || list_style < 0.3).then_some(conds);
        let r = rng.f64();
        let main = if r < 0.35 {
            Sport::Run
        } else if r < 0.55 {
            Sport::Ride
        } else if r < 0.65 {
            Sport::Swim
        } else if r < 0.85 {
            Sport::Soccer
        } else {
            Sport::Strength
        };
        let per_week = match main {
            Sport::Soccer | Sport::Strength => rng.u32(3..=5),
            _ => rng.u32(3..=7),
        };
        let r = rng.f64();
        let slot = if r < 0.4 {
            Slot::Morning
        } else if r < 0.75 {
            Slot::Evening
        } else {
            Slot::Mixed
        };
        let has_hr = chance(&mut rng, 0.85);
        let mut a = Athlete {
            index,
            name: athlete_name(index),
            aliases: alias.into_iter().collect(),
            about: String::new(),
            sex,
            birth_year: year - age as i32,
            mass: round1(mass),
            hr_rest,
            hr_max: hr_max.round() as u32,
            profile_hr: chance(&mut rng, 0.7),
            sweat_rate: round1(uniform(&mut rng, 0.6, 1.8)),
            profile_sweat_rate: chance(&mut rng, 0.35),
            sweat_sodium: rng.u32(10..=32) * 50,
            profile_sodium: chance(&mut rng, 0.25),
            cramp,
            medications,
            conditions,
            family_history: chance(&mut rng, 0.08),
            tight_hamstrings: chance(&mut rng, 0.12),
            loc: if index % 3 == 2 {
                Loc::Oslo
            } else {
                Loc::Valencia
            },
            main,
            per_week,
            slot,
            fitness: rng.f64(),
            has_hr,
            logs_rpe: !has_hr || chance(&mut rng, 0.2),
            logs_warmup: chance(&mut rng, 0.4),
            weigh_rate: if chance(&mut rng, 0.2) { 0.3 } else { 0.04 },
            load_rate: if chance(&mut rng, 0.25) { 0.12 } else { 0.02 },
            duration_decimal: chance(&mut rng, 0.3),
            yoga: chance(&mut rng, 0.25),
            walks: chance(&mut rng, 0.3),
            gym_extra: main.endurance() && chance(&mut rng, 0.35),
            doubles: uniform(&mut rng, 0.0, 0.08),
            heat_early: chance(&mut rng, 0.5),
            camp: false,
            new_sport: None,
            has_watch: chance(&mut rng, 2.0 / 3.0),
            steps_base: uniform(&mut rng, 4500.0, 10_000.0),
            sedentary_base: uniform(&mut rng, 420.0, 660.0),
            sleep_base: uniform(&mut rng, 400.0, 480.0),
            logs_fluids: true,
            under_drinker: chance(&mut rng, 0.25),
            sports_drink: chance(&mut rng, 0.6),
            electrolytes: chance(&mut rng, 0.3),
            electrolyte_mg_per_l: uniform(&mut rng, 500.0, 1500.0),
            coffee: chance(&mut rng, 0.75),
            milk: chance(&mut rng, 0.4),
        };
        apply_demo_role(&mut a, year);
        if a.about.is_empty() {
            a.about = format!(
                "{}, {} sessions/week{}{}{}",
                a.main.as_str(),
                a.per_week,
                if a.has_hr { "" } else { ", RPE only" },
                if a.has_watch { ", watch" } else { "" },
                if a.under_drinker {
                    ", under-drinks when hot"
                } else {
                    ""
                }
            );
        }
        a
    }
}

/// The first six athletes are scripted so the demo team shows every feature.
fn apply_demo_role(a: &mut Athlete, year: i32) {
    let set_list = |v: &[&'static str]| Some(v.to_vec());
    match a.index {
        0 => {
            // ana: marathon runner in Valencia, cramps often, under-drinks in the heat.
            a.birth_year = 1994;
            a.mass = 58.0;
            (a.hr_rest, a.hr_max, a.profile_hr) = (48, 192, true);
            (a.sweat_rate, a.profile_sweat_rate) = (1.4, true);
            (a.sweat_sodium, a.profile_sodium) = (1100, true);
            a.cramp = "frequent";
            a.medications = set_list(&["salbutamol"]);
            a.conditions = set_list(&[]);
            (a.family_history, a.tight_hamstrings) = (false, true);
            a.loc = Loc::Valencia;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Run, 6, Slot::Morning, 0.7);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, false, true);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.3, 0.02, false);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (true, false, true, 0.03);
            a.heat_early = false;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (true, true, true);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (true, false, true, true);
            a.about = "runner (marathon build), 6 runs/week + gym + yoga, frequent cramps, \
                       under-drinks on hot days"
                .into();
        }
        1 => {
            // ben: cyclist on a statin, training camp week.
            a.birth_year = 1981;
            a.mass = 78.5;
            (a.hr_rest, a.hr_max, a.profile_hr) = (52, 181, true);
            (a.profile_sweat_rate, a.profile_sodium) = (false, false);
            a.sweat_rate = 1.2;
            a.cramp = "occasional";
            a.medications = set_list(&["atorvastatin"]);
            a.conditions = None;
            (a.family_history, a.tight_hamstrings) = (false, false);
            a.loc = Loc::Valencia;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Ride, 5, Slot::Mixed, 0.6);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, false, false);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.05, 0.3, true);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (false, false, false, 0.02);
            a.heat_early = true;
            a.camp = true;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (true, true, false);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (true, true, true, false);
            a.electrolyte_mg_per_l = 1000.0;
            a.about = "cyclist, 5 rides/week, long Saturday rides, training camp week, \
                       on atorvastatin"
                .into();
        }
        2 => {
            // chloe: soccer in Oslo, no heart-rate strap (RPE only), no watch, never logs fluids.
            a.birth_year = 1999;
            a.mass = 63.0;
            a.profile_hr = false;
            (a.profile_sweat_rate, a.profile_sodium) = (false, false);
            a.cramp = "none";
            a.medications = None;
            a.conditions = set_list(&[]);
            (a.family_history, a.tight_hamstrings) = (false, false);
            a.loc = Loc::Oslo;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Soccer, 4, Slot::Evening, 0.5);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (false, true, true);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.0, 0.05, false);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (true, false, false, 0.0);
            a.heat_early = false;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (false, false, false);
            a.about = "soccer, 4 sessions/week (Sunday match), RPE only, no watch, \
                       never logs fluids"
                .into();
        }
        3 => {
            // dev: masters swimmer on a diuretic; starts running in the second half.
            a.birth_year = 1972;
            a.mass = 84.0;
            (a.hr_rest, a.hr_max, a.profile_hr) = (58, 170, true);
            a.profile_sweat_rate = false;
            (a.sweat_sodium, a.profile_sodium) = (900, true);
            a.cramp = "occasional";
            a.medications = set_list(&["furosemide"]);
            a.conditions = set_list(&["varicose veins"]);
            (a.family_history, a.tight_hamstrings) = (false, false);
            a.loc = Loc::Valencia;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Swim, 4, Slot::Morning, 0.4);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, false, false);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.05, 0.02, false);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (false, false, false, 0.0);
            a.heat_early = true;
            a.new_sport = Some(Sport::Run);
            (a.has_watch, a.logs_fluids, a.under_drinker) = (true, true, false);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (false, false, true, true);
            a.about = "masters swimmer, 4 swims/week, brand-new to running in the second \
                       half, on furosemide"
                .into();
        }
        4 => {
            // emma: gym and walks, sciatica, stretches; profile uses the default heart rates.
            a.birth_year = 1989;
            a.mass = 66.0;
            a.profile_hr = false;
            (a.profile_sweat_rate, a.profile_sodium) = (false, false);
            a.cramp = "occasional";
            a.medications = set_list(&[]);
            a.conditions = set_list(&["sciatica"]);
            (a.family_history, a.tight_hamstrings) = (false, false);
            a.loc = Loc::Valencia;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Strength, 4, Slot::Evening, 0.4);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, true, true);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.03, 0.03, true);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (true, true, false, 0.02);
            a.heat_early = false;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (false, true, false);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (false, false, false, true);
            a.about =
                "gym 3x/week + an easy Saturday run, walks and stretching, sciatica, no watch"
                    .into();
        }
        5 => {
            // femi: young track runner in Oslo, salty sweater, doubles, cramps often.
            a.birth_year = 2003;
            a.mass = 71.0;
            (a.hr_rest, a.hr_max, a.profile_hr) = (44, 201, true);
            (a.sweat_rate, a.profile_sweat_rate) = (1.8, true);
            (a.sweat_sodium, a.profile_sodium) = (1450, true);
            a.cramp = "frequent";
            a.medications = None;
            a.conditions = None;
            (a.family_history, a.tight_hamstrings) = (true, false);
            a.loc = Loc::Oslo;
            (a.main, a.per_week, a.slot, a.fitness) = (Sport::Run, 7, Slot::Mixed, 0.95);
            (a.has_hr, a.logs_rpe, a.logs_warmup) = (true, true, true);
            (a.weigh_rate, a.load_rate, a.duration_decimal) = (0.25, 0.05, false);
            (a.yoga, a.walks, a.gym_extra, a.doubles) = (false, false, true, 0.15);
            a.heat_early = false;
            (a.has_watch, a.logs_fluids, a.under_drinker) = (true, true, true);
            (a.sports_drink, a.electrolytes, a.coffee, a.milk) = (true, true, false, true);
            a.electrolyte_mg_per_l = 1500.0;
            a.about = "track runner, 7 runs/week with doubles, salty sweater, frequent \
                       cramps, under-drinks on hot days"
                .into();
        }
        _ => {}
    }
    // Keep scripted birth years in the 20-55 age band whatever the start year.
    let age = (year - a.birth_year).clamp(20, 55);
    a.birth_year = year - age;
}

/// TOML basic string with escapes.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_list(items: &[impl AsRef<str>]) -> String {
    let inner: Vec<String> = items.iter().map(|s| toml_str(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

fn write_profiles(out: &Path, opts: &GenerateOptions, athletes: &[Athlete]) -> Result<FileSummary> {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(256 + athletes.len() * 320);
    writeln!(
        s,
        "# Demo team written by `cramprisk generate --athletes {} --days {} --start {} --seed {}`.\n\
         # Synthetic people and data, not medical records.\n\n\
         [defaults]\nhr_rest = 60\nhr_max = 190",
        opts.athletes, opts.days, opts.start, opts.seed
    )?;
    for a in athletes {
        writeln!(s, "\n# {}", a.about)?;
        writeln!(s, "[athletes.{}]", a.name)?;
        writeln!(s, "sex = \"{}\"", a.sex.as_str())?;
        writeln!(s, "birth_year = {}", a.birth_year)?;
        writeln!(s, "body_mass_kg = {}", f1(a.mass))?;
        if a.profile_hr {
            writeln!(s, "hr_rest = {}\nhr_max = {}", a.hr_rest, a.hr_max)?;
        }
        if a.profile_sweat_rate {
            writeln!(s, "sweat_rate_l_per_h = {}", f1(a.sweat_rate))?;
        }
        if a.profile_sodium {
            writeln!(s, "sweat_sodium_mg_per_l = {}", a.sweat_sodium)?;
        }
        writeln!(s, "cramp_history = \"{}\"", a.cramp)?;
        if let Some(m) = &a.medications {
            writeln!(s, "medications = {}", toml_list(m))?;
        }
        if let Some(c) = &a.conditions {
            writeln!(s, "conditions = {}", toml_list(c))?;
        }
        if a.family_history {
            writeln!(s, "family_history = true")?;
        }
        if a.tight_hamstrings {
            writeln!(s, "tight_hamstrings = true")?;
        }
        writeln!(s, "location = \"{}\"", a.loc.as_str())?;
        if !a.aliases.is_empty() {
            writeln!(s, "aliases = {}", toml_list(&a.aliases))?;
        }
    }
    let path = out.join("athletes.toml");
    fs::write(&path, &s).with_context(|| format!("writing {}", path.display()))?;
    Ok(FileSummary {
        name: "athletes.toml",
        rows: athletes.len() as u64,
        bytes: s.len() as u64,
    })
}

// ---------------------------------------------------------------------------------------------
// Training plan
// ---------------------------------------------------------------------------------------------

/// The athlete's usual week, Monday first; `None` is a rest day.
struct WeekPlan {
    week: [Option<(Sport, Kind)>; 7],
    yoga_day: usize,
    gym_day: usize,
    new_sport_days: Vec<usize>,
}

impl WeekPlan {
    fn new(a: &Athlete) -> Self {
        use Kind::*;
        use Sport::*;
        // Weekday priorities: the first `per_week` entries are trained, the rest are rest days.
        let order: [(usize, Sport, Kind); 7] = match a.main {
            Run => [
                (6, Run, Long),
                (1, Run, Intervals),
                (3, Run, Tempo),
                (5, Run, Easy),
                (2, Run, Easy),
                (0, Run, Recovery),
                (4, Run, Easy),
            ],
            Ride => [
                (5, Ride, Long),
                (1, Ride, Intervals),
                (3, Ride, Tempo),
                (6, Ride, Easy),
                (2, Ride, Easy),
                (4, Ride, Recovery),
                (0, Ride, Easy),
            ],
            Swim => [
                (1, Swim, Intervals),
                (3, Swim, Tempo),
                (5, Swim, Long),
                (0, Swim, Easy),
                (2, Swim, Easy),
                (4, Swim, Easy),
                (6, Swim, Recovery),
            ],
            Soccer => [
                (6, Soccer, Match),
                (1, Soccer, Training),
                (3, Soccer, Training),
                (0, Strength, Gym),
                (2, Soccer, Training),
                (4, Soccer, Recovery),
                (5, Soccer, Training),
            ],
            Strength | Yoga | Walk => [
                (0, Strength, Gym),
                (2, Strength, Gym),
                (4, Strength, Gym),
                (5, Run, Easy),
                (1, Strength, Gym),
                (6, Walk, Stroll),
                (3, Yoga, Mobility),
            ],
        };
        let mut week = [None; 7];
        for &(wd, sport, kind) in order.iter().take(a.per_week.clamp(1, 7) as usize) {
            week[wd] = Some((sport, kind));
        }
        let rest: Vec<usize> = (0..7).filter(|&wd| week[wd].is_none()).collect();
        let yoga_day = rest.last().copied().unwrap_or(6);
        let mut new_sport_days: Vec<usize> = rest.iter().copied().take(3).collect();
        if new_sport_days.len() < 2 {
            new_sport_days.extend(
                (0..7)
                    .filter(|&wd| matches!(week[wd], Some((_, Easy | Recovery))))
                    .take(3 - new_sport_days.len()),
            );
        }
        Self {
            week,
            yoga_day,
            gym_day: 2,
            new_sport_days,
        }
    }
}

/// Everything about one day that sessions, daily rows and fluids share.
struct DayCtx<'a> {
    d: u32,
    date: &'a str,
    weekend: bool,
    hot: bool,
    /// The day's maximum temperature where the athlete lives.
    tmax: f64,
    /// 0 at the start of the period, 1 at the end.
    progress: f64,
    /// Body mass this morning (kg).
    mass: f64,
}

/// A finished session, as written to activities.csv.
#[derive(Debug, Clone)]
struct Session {
    sport: Sport,
    kind: Kind,
    start: u32,
    duration: f64,
    distance: Option<f64>,
    avg_hr: Option<u32>,
    max_hr: Option<u32>,
    rpe: Option<u32>,
    load: Option<u32>,
    kcal: Option<u32>,
    mass: Option<(f64, f64)>,
    fluid: Option<u32>,
    warmup: Option<u32>,
    title: String,
    /// Hidden truth used by the daily and fluid files.
    effort: f64,
    sweat_l: f64,
}

impl Session {
    fn record(&self, athlete: &str, date: &str, decimal: bool) -> [String; 15] {
        let duration = if decimal {
            f1(self.duration)
        } else {
            format!("{}", self.duration.round() as i64)
        };
        let (before, after) = match self.mass {
            Some((b, a)) => (f1(b), f1(a)),
            None => (String::new(), String::new()),
        };
        [
            athlete.to_string(),
            stamp(date, self.start),
            self.sport.as_str().to_string(),
            duration,
            self.distance.map(f2).unwrap_or_default(),
            opt(self.avg_hr),
            opt(self.max_hr),
            opt(self.rpe),
            opt(self.load),
            opt(self.kcal),
            before,
            after,
            opt(self.fluid),
            opt(self.warmup),
            self.title.clone(),
        ]
    }
}

/// Which sessions happen on day `d` (at most two), in time order.
fn plan_day(
    a: &Athlete,
    plan: &WeekPlan,
    cal: &Calendar,
    d: u32,
    rng: &mut Rng,
) -> Vec<(Sport, Kind)> {
    let wd = cal.dates[d as usize].weekday().num_days_from_monday() as usize;
    let mut v = Vec::with_capacity(3);
    if let Some(camp) = cal.camp.as_ref().filter(|c| a.camp && c.contains(&d)) {
        let k = d - camp.start;
        if k == 3 {
            v.push((a.main, Kind::Easy));
        } else {
            v.push((a.main, Kind::Camp));
            if k == 1 || k == 4 {
                v.push((Sport::Yoga, Kind::Mobility));
            }
        }
        return v;
    }
    if let Some((sport, kind)) = plan.week[wd] {
        if kind == Kind::Match || !chance(rng, 0.07) {
            v.push((sport, kind));
        }
    }
    if let Some(ns) = a.new_sport {
        let first_week = d < cal.new_sport_from + 7;
        if d >= cal.new_sport_from
            && plan.new_sport_days.contains(&wd)
            && (first_week || !chance(rng, 0.1))
        {
            v.push((ns, Kind::Novice));
        }
    }
    if a.gym_extra && wd == plan.gym_day && chance(rng, 0.8) {
        v.push((Sport::Strength, Kind::Gym));
    }
    if a.yoga && wd == plan.yoga_day && chance(rng, 0.8) {
        v.push((Sport::Yoga, Kind::Mobility));
    }
    if a.walks && plan.week[wd].is_none() && chance(rng, 0.4) {
        v.push((Sport::Walk, Kind::Stroll));
    }
    if v.len() == 1 && !matches!(v[0].1, Kind::Long | Kind::Match) && chance(rng, a.doubles) {
        let extra = match a.main {
            Sport::Run | Sport::Ride | Sport::Swim => (a.main, Kind::Recovery),
            _ => (Sport::Strength, Kind::Gym),
        };
        v.push(extra);
    }
    v.truncate(2);
    // Team training and stretching belong in the evening when there are two sessions.
    if v.len() == 2 && matches!(v[0].1, Kind::Training | Kind::Mobility) {
        v.swap(0, 1);
    }
    v
}

/// Start minute of each planned session.
fn start_times(a: &Athlete, planned: &[(Sport, Kind)], ctx: &DayCtx, rng: &mut Rng) -> Vec<u32> {
    let early = ctx.hot && a.heat_early;
    let morning = |rng: &mut Rng| {
        if early {
            rng.u32(360..=435)
        } else {
            rng.u32(360..=540)
        }
    };
    let evening = |rng: &mut Rng| {
        if early {
            rng.u32(1110..=1200)
        } else {
            rng.u32(1020..=1200)
        }
    };
    if planned.len() >= 2 {
        let first = match planned[0].1 {
            Kind::Long | Kind::Camp => {
                if early {
                    rng.u32(360..=420)
                } else {
                    rng.u32(420..=510)
                }
            }
            _ => rng.u32(360..=510),
        };
        let second = rng.u32(1050..=1200);
        return vec![first, second];
    }
    let Some(&(sport, kind)) = planned.first() else {
        return Vec::new();
    };
    let t = match kind {
        Kind::Long | Kind::Camp => {
            if early {
                rng.u32(360..=420)
            } else {
                rng.u32(420..=570)
            }
        }
        Kind::Match => {
            if chance(rng, 0.35) {
                rng.u32(720..=810)
            } else {
                rng.u32(1020..=1140)
            }
        }
        Kind::Training if sport == Sport::Soccer => rng.u32(1080..=1200),
        _ if chance(rng, 0.04) => rng.u32(690..=840),
        _ => match a.slot {
            Slot::Morning => morning(rng),
            Slot::Evening => evening(rng),
            Slot::Mixed => {
                if rng.bool() {
                    morning(rng)
                } else {
                    evening(rng)
                }
            }
        },
    };
    vec![t]
}

fn duration_range(sport: Sport, kind: Kind) -> (f64, f64) {
    use Kind::*;
    use Sport::*;
    match (sport, kind) {
        (Run, Easy) => (35.0, 60.0),
        (Run, Recovery) => (25.0, 40.0),
        (Run, Tempo) => (45.0, 65.0),
        (Run, Intervals) => (50.0, 75.0),
        (Run, Long) => (95.0, 150.0),
        (Run, Novice) => (20.0, 30.0),
        (Ride, Easy) => (60.0, 100.0),
        (Ride, Recovery) => (40.0, 60.0),
        (Ride, Tempo | Intervals) => (60.0, 95.0),
        (Ride, Long) => (150.0, 230.0),
        (Ride, Camp) => (190.0, 300.0),
        (Swim, Easy) => (40.0, 60.0),
        (Swim, Recovery) => (30.0, 45.0),
        (Swim, Tempo) => (45.0, 60.0),
        (Swim, Intervals) => (50.0, 75.0),
        (Swim, Long) => (90.0, 110.0),
        (Soccer, Match) => (95.0, 110.0),
        (Soccer, Training) => (75.0, 100.0),
        (Soccer, Recovery) => (45.0, 60.0),
        (Strength, _) => (45.0, 75.0),
        (Yoga, _) => (30.0, 60.0),
        (Walk, _) => (30.0, 90.0),
        _ => (40.0, 60.0),
    }
}

/// Fraction of heart-rate reserve.
fn intensity_range(kind: Kind) -> (f64, f64) {
    match kind {
        Kind::Easy => (0.62, 0.70),
        Kind::Recovery => (0.52, 0.60),
        Kind::Tempo => (0.76, 0.83),
        Kind::Intervals => (0.78, 0.86),
        Kind::Long => (0.64, 0.72),
        Kind::Training => (0.62, 0.72),
        Kind::Match => (0.74, 0.82),
        Kind::Gym => (0.38, 0.50),
        Kind::Mobility => (0.20, 0.30),
        Kind::Stroll => (0.25, 0.35),
        Kind::Camp => (0.60, 0.70),
        Kind::Novice => (0.72, 0.80),
    }
}

/// Perceived effort (RPE 1–10) equivalent of a heart-rate-reserve fraction.
fn rpe_of(f: f64) -> f64 {
    const TABLE: [(f64, f64); 10] = [
        (0.20, 1.0),
        (0.40, 2.0),
        (0.55, 3.0),
        (0.65, 4.0),
        (0.72, 5.0),
        (0.78, 6.0),
        (0.83, 7.0),
        (0.87, 8.0),
        (0.92, 9.0),
        (0.97, 10.0),
    ];
    if f <= TABLE[0].0 {
        return 1.0;
    }
    for pair in TABLE.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if f <= x1 {
            return y0 + (y1 - y0) * (f - x0) / (x1 - x0);
        }
    }
    10.0
}

const CAMP_ROUTES: [&str; 7] = [
    "long coast loop",
    "Garbi climb x2",
    "Sierra Calderona, \"queen stage\"",
    "easy day",
    "Puerto de Chera, long",
    "hilly loop, windy",
    "last long one, tired legs",
];
const OPPONENTS: [&str; 8] = [
    "Lyn", "Skeid", "Kjelsaas", "Grorud", "Ready", "Frigg", "Stabaek", "Asker",
];

fn session_title(
    sport: Sport,
    kind: Kind,
    start: u32,
    temp: f64,
    phase_day: u32,
    distance: Option<f64>,
    rng: &mut Rng,
) -> String {
    let part = if start < 11 * 60 {
        "Morning"
    } else if start < 15 * 60 {
        "Lunch"
    } else {
        "Evening"
    };
    let hot = temp >= 28.0;
    match (sport, kind) {
        (Sport::Run, Kind::Intervals) => pick(
            rng,
            &[
                "Intervals 6x800",
                "Intervals 5x1000",
                "Track 12x400",
                "Hill repeats 8x60s",
                "Intervals 4x2km",
            ],
        )
        .to_string(),
        (Sport::Run, Kind::Tempo) => {
            pick(rng, &["Tempo 3x10min", "Threshold run", "Tempo 2x20min"]).to_string()
        }
        (Sport::Run, Kind::Long) => {
            if hot {
                "Long run, \"hot\"".to_string()
            } else {
                pick(rng, &["Long run", "Sunday long run", "Long run, easy pace"]).to_string()
            }
        }
        (Sport::Run, Kind::Novice) => {
            if phase_day < 21 {
                pick(rng, &["First runs: run/walk 6x2min", "Run/walk 8x1min"]).to_string()
            } else {
                pick(rng, &["Easy run (new!)", "Easy run, still learning"]).to_string()
            }
        }
        (Sport::Run, Kind::Recovery) => "Recovery jog".to_string(),
        (Sport::Run, _) => format!("{part} Run"),
        (Sport::Ride, Kind::Long) => {
            if hot {
                "Long ride, \"hot\"".to_string()
            } else {
                pick(
                    rng,
                    &["Long ride", "Long ride, coast road", "Saturday group ride"],
                )
                .to_string()
            }
        }
        (Sport::Ride, Kind::Camp) => {
            let k = phase_day as usize % CAMP_ROUTES.len();
            format!("Training camp day {}: {}", phase_day + 1, CAMP_ROUTES[k])
        }
        (Sport::Ride, Kind::Intervals) => {
            pick(rng, &["Sweet spot 3x15", "VO2 5x4min", "Intervals 6x5min"]).to_string()
        }
        (Sport::Ride, Kind::Tempo) => pick(rng, &["Tempo ride", "Group ride, fast"]).to_string(),
        (Sport::Ride, Kind::Recovery) => "Recovery spin".to_string(),
        (Sport::Ride, _) => {
            if chance(rng, 0.2) {
                "Coffee ride, easy".to_string()
            } else {
                format!("{part} Ride")
            }
        }
        (Sport::Swim, Kind::Intervals) => pick(
            rng,
            &["Swim: 10x100 @ CSS", "Pool 20x50", "Pool 5x200 pull"],
        )
        .to_string(),
        (Sport::Swim, Kind::Long) => pick(
            rng,
            &["Open water swim", "Open water, \"choppy\"", "Sea swim"],
        )
        .to_string(),
        (Sport::Swim, Kind::Tempo) => "Pool threshold 3x400".to_string(),
        (Sport::Swim, _) => {
            let m = (distance.unwrap_or(2.0) * 40.0).round() * 25.0;
            format!("Pool {m:.0}m")
        }
        (Sport::Soccer, Kind::Match) => {
            let opp = pick(rng, &OPPONENTS);
            format!("Match vs {opp}, {}-{}", rng.u32(0..=4), rng.u32(0..=3))
        }
        (Sport::Soccer, Kind::Recovery) => "Recovery session".to_string(),
        (Sport::Soccer, _) => pick(
            rng,
            &[
                "Team training",
                "Training: small-sided games",
                "Evening training",
            ],
        )
        .to_string(),
        (Sport::Strength, _) => pick(
            rng,
            &[
                "Gym: legs & core",
                "Strength, upper body",
                "Full body strength",
                "Gym: deadlift day",
            ],
        )
        .to_string(),
        (Sport::Yoga, _) => pick(
            rng,
            &[
                "Yoga flow",
                "Stretching",
                "Yoga, hips & hamstrings",
                "Mobility session",
            ],
        )
        .to_string(),
        (Sport::Walk, _) => pick(rng, &["Walk with the dog", "Evening walk", "Hike"]).to_string(),
    }
}

/// Turns a planned (sport, kind) at `start` into a full session.
fn realize(
    a: &Athlete,
    cal: &Calendar,
    wx: &Weather,
    ctx: &DayCtx,
    (sport, kind): (Sport, Kind),
    start: u32,
    rng: &mut Rng,
) -> Session {
    let (lo, hi) = duration_range(sport, kind);
    let mut duration = uniform(rng, lo, hi);
    let builds = matches!(
        kind,
        Kind::Easy | Kind::Recovery | Kind::Tempo | Kind::Intervals | Kind::Long
    );
    if builds {
        let week = ctx.d / 7;
        let recovery_week = if week % 4 == 3 { 0.8 } else { 1.0 };
        duration *= (0.85 + 0.3 * ctx.progress) * recovery_week;
    }
    if kind == Kind::Novice {
        let weeks = f64::from(ctx.d.saturating_sub(cal.new_sport_from)) / 7.0;
        duration += (2.0 * weeks).min(20.0);
    }
    if kind == Kind::Long {
        duration = duration.clamp(90.0, 240.0);
    }
    if ctx.hot && a.heat_early && sport.endurance() {
        duration *= 0.9;
    }
    duration = if a.duration_decimal {
        round1(duration)
    } else {
        duration.round()
    };
    let hours = duration / 60.0;
    let temp = wx.session_temp(ctx.d, start, duration);
    let heat = (temp - 20.0).max(0.0);

    let (ilo, ihi) = intensity_range(kind);
    let f = uniform(rng, ilo, ihi);
    let effort = (rpe_of(f)
        + if duration > 120.0 { 0.7 } else { 0.0 }
        + 0.06 * heat
        + match kind {
            Kind::Novice => 0.8,
            // Heart rate underrates lifting and stretching; perceived effort does not.
            Kind::Gym => 2.5,
            Kind::Mobility => 1.0,
            _ => 0.0,
        })
    .clamp(1.0, 10.0);

    let strap_off = (sport == Sport::Yoga && chance(rng, 0.7)) || chance(rng, 0.05);
    let (avg_hr, max_hr) = if a.has_hr && !strap_off {
        let (rest, max) = (f64::from(a.hr_rest), f64::from(a.hr_max));
        let swim = if sport == Sport::Swim { -10.0 } else { 0.0 };
        let drift = (0.5 * heat).min(10.0);
        let avg =
            (rest + f * (max - rest) + drift + swim + 2.0 * normal(rng)).clamp(80.0, max - 8.0);
        let (slo, shi) = match kind {
            Kind::Intervals | Kind::Novice => (15.0, 28.0),
            Kind::Match => (20.0, 32.0),
            Kind::Gym => (25.0, 40.0),
            Kind::Tempo => (10.0, 20.0),
            Kind::Stroll | Kind::Mobility => (8.0, 16.0),
            _ => (10.0, 24.0),
        };
        let peak = (avg + uniform(rng, slo, shi)).min(max).max(avg + 3.0);
        (Some(avg.round() as u32), Some(peak.round() as u32))
    } else {
        (None, None)
    };
    let rpe = (avg_hr.is_none() || a.logs_rpe)
        .then(|| (effort + 0.6 * normal(rng)).round().clamp(1.0, 10.0) as u32);
    // A device's own training load, in Banister TRIMP units like the analyser's, give or take
    // the device's algorithm.
    let load = chance(rng, a.load_rate).then(|| {
        let (k, b) = match a.sex {
            Sex::Female => (0.86, 1.67),
            Sex::Male => (0.64, 1.92),
        };
        let x = (f + 0.01 * heat).min(1.0);
        (duration * x * k * (b * x).exp() * uniform(rng, 0.9, 1.1)).round() as u32
    });

    let speed = match sport {
        Sport::Run => {
            let threshold = 11.5 + 4.5 * a.fitness;
            let k = match kind {
                Kind::Easy => 0.76,
                Kind::Recovery => 0.70,
                Kind::Tempo => 0.93,
                Kind::Intervals => 0.86,
                Kind::Long => 0.79,
                _ => 0.75,
            };
            let v = if kind == Kind::Novice {
                uniform(rng, 8.3, 9.6)
            } else {
                threshold * k
            };
            Some(v * (1.0 - 0.008 * (temp - 18.0).max(0.0)))
        }
        Sport::Ride => {
            let base = 25.0 + 8.0 * a.fitness;
            let k = match kind {
                Kind::Recovery => 0.78,
                Kind::Easy => 0.88,
                Kind::Tempo => 1.0,
                Kind::Intervals => 0.95,
                Kind::Long => 0.92,
                Kind::Camp => 0.84,
                _ => 0.85,
            };
            Some(base * k * uniform(rng, 0.95, 1.05))
        }
        Sport::Swim => {
            let base = 2.4 + 1.0 * a.fitness;
            let k = match kind {
                Kind::Intervals | Kind::Recovery => 0.85,
                Kind::Long => 0.97,
                Kind::Tempo => 0.95,
                _ => 0.9,
            };
            Some(base * k)
        }
        Sport::Walk => Some(4.4 + 1.0 * a.fitness),
        _ => None,
    };
    let distance = speed.filter(|_| sport.has_distance()).map(|v| v * hours);

    let met = match sport {
        Sport::Run => speed.unwrap_or(10.0),
        Sport::Ride => 4.0 + 8.0 * f,
        Sport::Swim => 5.0 + 6.0 * f,
        Sport::Soccer => 5.0 + 6.0 * f,
        Sport::Strength => 3.0 + 3.0 * f,
        Sport::Yoga => 1.8 + 2.0 * f,
        Sport::Walk => 2.5 + 2.0 * f,
    };
    let kcal = (!chance(rng, 0.07)).then(|| (met * a.mass * hours).round() as u32);

    let medium = match sport {
        Sport::Swim => 0.5,
        Sport::Yoga => 0.3,
        _ => 1.0,
    };
    let sweat_l =
        a.sweat_rate * hours * (1.0 + 0.035 * (temp - 18.0).max(0.0)) * (0.55 + 0.6 * f) * medium;
    let weighs = duration >= 30.0 && sport != Sport::Yoga && chance(rng, a.weigh_rate);
    let drinks_during = duration >= 45.0 && sport != Sport::Swim;
    let fluid_ml = if drinks_during {
        ((sweat_l * 1000.0 * uniform(rng, 0.15, 0.6)) / 50.0).round() * 50.0
    } else {
        0.0
    };
    let (mass, fluid) = if weighs {
        let loss = round1((sweat_l - fluid_ml / 1000.0 + 0.05).clamp(0.3, 2.5));
        let before = round1(ctx.mass + 0.3 * normal(rng));
        (Some((before, round1(before - loss))), Some(fluid_ml as u32))
    } else if duration >= 90.0 && drinks_during && chance(rng, 0.15) {
        (None, Some(fluid_ml as u32))
    } else {
        (None, None)
    };

    let warmup = ((a.logs_warmup && chance(rng, 0.6)) || chance(rng, 0.04)).then(|| match kind {
        Kind::Intervals | Kind::Tempo | Kind::Match | Kind::Training => rng.u32(10..=20),
        Kind::Gym | Kind::Novice => rng.u32(5..=15),
        Kind::Mobility | Kind::Stroll => 0,
        _ => rng.u32(0..=10),
    });
    let phase_day = match (kind, cal.camp.as_ref()) {
        (Kind::Camp, Some(c)) => ctx.d.saturating_sub(c.start),
        (Kind::Novice, _) => ctx.d.saturating_sub(cal.new_sport_from),
        _ => 0,
    };
    let title = session_title(sport, kind, start, temp, phase_day, distance, rng);

    Session {
        sport,
        kind,
        start,
        duration,
        distance,
        avg_hr,
        max_hr,
        rpe,
        load,
        kcal,
        mass,
        fluid,
        warmup,
        title,
        effort,
        sweat_l,
    }
}

// ---------------------------------------------------------------------------------------------
// Per-athlete simulation: activities, daily summaries and fluids, streamed day by day
// ---------------------------------------------------------------------------------------------

const DRINKS: [&str; 6] = [
    "water",
    "coffee",
    "sports drink",
    "electrolyte",
    "tea",
    "milk",
];

struct Drink {
    minute: u32,
    volume: u32,
    drink: &'static str,
    sodium: Option<u32>,
}

fn simulate(
    a: &Athlete,
    cal: &Calendar,
    wx: &Weather,
    acts: &mut CsvOut,
    daily: &mut CsvOut,
    fluids: &mut CsvOut,
) -> Result<Option<u32>> {
    let mut rng_act = sub_rng(cal.seed, STREAM_ACTIVITIES, a.index as u64);
    let mut rng_day = sub_rng(cal.seed, STREAM_DAILY, a.index as u64);
    let mut rng_fl = sub_rng(cal.seed, STREAM_FLUIDS, a.index as u64);
    let plan = WeekPlan::new(a);
    let typical = f64::from(a.per_week) * 60.0 * 5.0 / 7.0;
    let (mut atl, mut ctl) = (typical, typical);
    let mut drift = 0.0_f64;
    let mut first_novice = None;

    for d in 0..cal.days {
        let date = cal.date_str[d as usize].as_str();
        let weekend = cal.dates[d as usize].weekday().num_days_from_monday() >= 5;
        drift = (0.97 * drift + 0.15 * normal(&mut rng_act)).clamp(-1.5, 1.5);
        let ctx = DayCtx {
            d,
            date,
            weekend,
            hot: wx.is_hot(d),
            tmax: wx.day(d).tmax,
            progress: if cal.days > 1 {
                f64::from(d) / f64::from(cal.days - 1)
            } else {
                0.0
            },
            mass: a.mass + drift,
        };
        let planned = plan_day(a, &plan, cal, d, &mut rng_act);
        let starts = start_times(a, &planned, &ctx, &mut rng_act);
        let sessions: Vec<Session> = planned
            .iter()
            .zip(starts)
            .map(|(&p, t)| realize(a, cal, wx, &ctx, p, t, &mut rng_act))
            .collect();
        for s in &sessions {
            acts.row(s.record(&a.name, date, a.duration_decimal))?;
            if s.kind == Kind::Novice && first_novice.is_none() {
                first_novice = Some(d);
            }
        }

        let load: f64 = sessions.iter().map(|s| s.duration * s.effort).sum();
        atl += (load - atl) / 7.0;
        ctl += (load - ctl) / 42.0;
        if a.has_watch {
            if let Some(row) = daily_row(a, wx, &ctx, &sessions, atl / ctl.max(50.0), &mut rng_day)
            {
                daily.row(row)?;
            }
        }
        if a.logs_fluids {
            for drink in fluid_day(a, &ctx, &sessions, &mut rng_fl) {
                fluids.row([
                    a.name.clone(),
                    stamp(date, drink.minute),
                    drink.volume.to_string(),
                    drink.drink.to_string(),
                    opt(drink.sodium),
                ])?;
            }
        }
    }
    Ok(first_novice)
}

fn daily_row(
    a: &Athlete,
    wx: &Weather,
    ctx: &DayCtx,
    sessions: &[Session],
    fatigue: f64,
    rng: &mut Rng,
) -> Option<[String; 6]> {
    let missing = chance(rng, 0.035);
    let mut steps = a.steps_base
        * if ctx.weekend {
            uniform(rng, 0.75, 1.3)
        } else {
            uniform(rng, 0.85, 1.15)
        }
        + 1200.0 * normal(rng);
    let mut train_min = 0.0;
    for s in sessions {
        train_min += s.duration;
        let per_min = match s.sport {
            Sport::Run => uniform(rng, 155.0, 175.0),
            Sport::Walk => uniform(rng, 100.0, 120.0),
            Sport::Soccer => uniform(rng, 70.0, 95.0),
            Sport::Strength => 10.0,
            _ => 3.0,
        };
        steps += per_min * s.duration;
    }
    let steps = steps.clamp(600.0, 60_000.0).round() as u32;
    let sedentary = (a.sedentary_base - 0.5 * train_min - if ctx.weekend { 60.0 } else { 0.0 }
        + 35.0 * normal(rng))
    .clamp(150.0, 960.0)
    .round() as u32;
    let warm_night = wx.day(ctx.d).tmin >= 20.0;
    let resting = (f64::from(a.hr_rest)
        + 5.0 * (fatigue - 1.0).clamp(-0.4, 1.5)
        + if warm_night { 1.5 } else { 0.0 }
        + 1.3 * normal(rng))
    .round()
    .clamp(35.0, 100.0) as u32;
    let sleep = (a.sleep_base + if ctx.weekend { 25.0 } else { 0.0 }
        - if warm_night { 25.0 } else { 0.0 }
        - if fatigue > 1.3 { 15.0 } else { 0.0 }
        + 35.0 * normal(rng))
    .clamp(240.0, 660.0)
    .round() as u32;
    (!missing).then(|| {
        [
            a.name.clone(),
            ctx.date.to_string(),
            steps.to_string(),
            sedentary.to_string(),
            resting.to_string(),
            sleep.to_string(),
        ]
    })
}

fn round50(ml: f64) -> u32 {
    ((ml / 50.0).round() * 50.0).max(50.0) as u32
}

/// The day's logged drinks in time order; empty on an unlogged day. Totals stay in 1.2–3.5 L.
fn fluid_day(a: &Athlete, ctx: &DayCtx, sessions: &[Session], rng: &mut Rng) -> Vec<Drink> {
    if chance(rng, 0.15) {
        return Vec::new();
    }
    let sweat: f64 = sessions.iter().map(|s| s.sweat_l).sum();
    let warmth = 40.0 * (ctx.tmax - 22.0).max(0.0);
    let base = a.mass * uniform(rng, 20.0, 30.0);
    let target = if ctx.hot && a.under_drinker && chance(rng, 0.85) {
        // Under-drinking: no extra for the heat or the sweat, and less than usual.
        base * uniform(rng, 0.6, 0.85)
    } else if ctx.hot {
        base + 400.0 * sweat + warmth + uniform(rng, 200.0, 600.0)
    } else {
        base + 400.0 * sweat + warmth
    };
    let target = target.clamp(1400.0, 3400.0);

    let first_session = sessions.first().map_or(24 * 60, |s| s.start);
    let wake = (390 + rng.u32(0..=75)).min(first_session.saturating_sub(20).max(330));
    let bed = 22 * 60 + rng.u32(0..=75);
    let mut out = Vec::with_capacity(10);
    let morning = if a.coffee { "coffee" } else { "tea" };
    out.push(Drink {
        minute: wake + rng.u32(5..=30),
        volume: if a.coffee {
            round50(uniform(rng, 150.0, 250.0))
        } else {
            round50(uniform(rng, 250.0, 300.0))
        },
        drink: morning,
        sodium: None,
    });
    if chance(rng, 0.45) {
        let minute = if rng.bool() {
            rng.u32(630..=690)
        } else {
            rng.u32(930..=990)
        };
        out.push(Drink {
            minute,
            volume: round50(uniform(rng, 150.0, 250.0)),
            drink: morning,
            sodium: None,
        });
    }
    if a.milk && chance(rng, 0.5) {
        out.push(Drink {
            minute: wake + rng.u32(10..=40),
            volume: round50(uniform(rng, 200.0, 250.0)),
            drink: "milk",
            sodium: None,
        });
    }
    for s in sessions {
        let end = s.start + s.duration.round() as u32;
        if a.sports_drink && s.duration >= 60.0 && chance(rng, 0.65) {
            let volume = if rng.bool() { 500 } else { 750 };
            let sodium = chance(rng, 0.6).then(|| {
                ((f64::from(volume) * uniform(rng, 0.35, 0.5)) / 10.0).round() as u32 * 10
            });
            out.push(Drink {
                minute: end + rng.u32(5..=30),
                volume,
                drink: "sports drink",
                sodium,
            });
        }
        if a.electrolytes && (ctx.hot || s.duration >= 90.0) && chance(rng, 0.7) {
            let sodium =
                chance(rng, 0.75).then(|| (a.electrolyte_mg_per_l * 0.05).round() as u32 * 10);
            out.push(Drink {
                minute: end + rng.u32(30..=90),
                volume: 500,
                drink: "electrolyte",
                sodium,
            });
        }
    }
    let fixed: f64 = out.iter().map(|d| f64::from(d.volume)).sum();
    let mut remaining = target - fixed;
    let mut water = Vec::new();
    while remaining > 150.0 {
        let sizes: &[u32] = &[250, 330, 500, 750];
        let fitting: Vec<u32> = sizes
            .iter()
            .copied()
            .filter(|&v| f64::from(v) <= remaining)
            .collect();
        let volume = if fitting.is_empty() {
            round50(remaining)
        } else {
            *pick(rng, &fitting)
        };
        remaining -= f64::from(volume);
        water.push(volume);
    }
    let n = water.len() as f64;
    let span = f64::from(bed.saturating_sub(wake + 30));
    for (i, volume) in water.into_iter().enumerate() {
        let at = f64::from(wake + 30) + span * (i as f64 + 0.5) / n + 25.0 * normal(rng);
        out.push(Drink {
            minute: at.round() as u32,
            volume,
            drink: "water",
            sodium: None,
        });
    }
    for drink in &mut out {
        drink.minute = drink.minute.min(23 * 60 + 59);
    }
    out.sort_by_key(|d| d.minute);
    debug_assert!(out.iter().all(|d| DRINKS.contains(&d.drink)));
    out
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
