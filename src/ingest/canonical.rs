//! The canonical tables every format is read into: column builders filled row by row by the
//! format readers, then turned into polars frames with fixed names (`schema`) and dtypes.

use std::sync::Arc;

use polars::prelude::*;

use super::checks::{self, limits};
use crate::schema as s;

/// Sessions, one per activity row. Held lean, because a squad's history has hundreds of
/// thousands of them: athletes and sports by number, optional numbers and texts in columns of
/// their own (`MaybeNumbers`, `MaybeTexts`) instead of an `Option` and a `String` per cell.
#[derive(Default)]
pub struct Activities {
    /// `Canonical::athlete_ids` numbers.
    pub athlete: Vec<u32>,
    pub start_ms: Vec<i64>,
    pub date: Vec<i32>,
    /// `sports` numbers.
    pub sport: Vec<u32>,
    pub sports: Texts,
    pub duration_min: Vec<f64>,
    pub distance_km: MaybeNumbers,
    pub avg_hr: MaybeNumbers,
    pub max_hr: MaybeNumbers,
    pub rpe: MaybeNumbers,
    pub load: MaybeNumbers,
    pub calories_kcal: MaybeNumbers,
    pub mass_before_kg: MaybeNumbers,
    pub mass_after_kg: MaybeNumbers,
    pub fluid_during_ml: MaybeNumbers,
    pub warmup_min: MaybeNumbers,
    pub title: MaybeTexts,
    /// The session's description (Strava): read for cramp mentions only, not a frame column.
    pub description: MaybeTexts,
}

impl Activities {
    /// The optional number columns, for what is done to each alike (reserve, retain).
    fn numbers_mut(&mut self) -> [&mut MaybeNumbers; 10] {
        [
            &mut self.distance_km,
            &mut self.avg_hr,
            &mut self.max_hr,
            &mut self.rpe,
            &mut self.load,
            &mut self.calories_kcal,
            &mut self.mass_before_kg,
            &mut self.mass_after_kg,
            &mut self.fluid_during_ml,
            &mut self.warmup_min,
        ]
    }
}

/// Daily summaries, one per athlete and day.
#[derive(Default)]
pub struct Daily {
    /// `Canonical::athlete_ids` numbers.
    pub athlete: Vec<u32>,
    pub date: Vec<i32>,
    pub steps: MaybeNumbers,
    pub sedentary_min: MaybeNumbers,
    pub resting_hr: MaybeNumbers,
    pub sleep_min: MaybeNumbers,
}

/// Whether `retain_activities` keeps row `i`: as `keep` says, and rows past its end.
fn kept(keep: &[bool], i: usize) -> bool {
    keep.get(i).copied().unwrap_or(true)
}

/// A column of optional numbers: each row's value and whether it is known. Nine bytes a row
/// where `Vec<Option<f64>>` takes sixteen; an unknown value is a null in the frame, never a 0
/// (its slot holds NaN, which no reader sees).
#[derive(Default)]
pub struct MaybeNumbers {
    values: Vec<f64>,
    known: polars_arrow::bitmap::MutableBitmap,
}

impl MaybeNumbers {
    pub fn push(&mut self, x: Option<f64>) {
        self.values.push(x.unwrap_or(f64::NAN));
        self.known.push(x.is_some());
    }

    /// Row `i`'s value; `None` when unknown or past the end.
    pub fn get(&self, i: usize) -> Option<f64> {
        (i < self.values.len() && self.known.get(i)).then(|| self.values[i])
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn reserve(&mut self, rows: usize) {
        self.values.reserve(rows);
        self.known.reserve(rows);
    }

    /// Gives row `i` the value `x` when it has none (a second source completing a row).
    fn fill(&mut self, i: usize, x: Option<f64>) {
        if let Some(x) = x {
            if i < self.values.len() && !self.known.get(i) {
                self.values[i] = x;
                self.known.set(i, true);
            }
        }
    }

    /// Keeps the rows `keep` keeps (`kept`).
    fn retain(&mut self, keep: &[bool]) {
        let old = std::mem::take(self);
        for i in (0..old.len()).filter(|&i| kept(keep, i)) {
            self.push(old.get(i));
        }
    }

    fn into_column(self, name: &str) -> Column {
        Float64Chunked::from_vec_validity(name.into(), self.values, Some(self.known.freeze()))
            .into_column()
    }
}

/// A column of optional texts, end to end in one buffer: a row costs its bytes and an end
/// offset, not a `String` (24 bytes and an allocation) of its own.
#[derive(Default)]
pub struct MaybeTexts {
    bytes: String,
    ends: Vec<usize>,
    known: polars_arrow::bitmap::MutableBitmap,
}

impl MaybeTexts {
    pub fn push(&mut self, text: Option<&str>) {
        if let Some(t) = text {
            self.bytes.push_str(t);
        }
        self.ends.push(self.bytes.len());
        self.known.push(text.is_some());
    }

    /// Row `i`'s text; `None` when there is none or past the end.
    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.ends.len() || !self.known.get(i) {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.bytes.get(start..self.ends[i])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn reserve(&mut self, rows: usize) {
        self.ends.reserve(rows);
        self.known.reserve(rows);
    }

    /// Keeps the rows `keep` keeps (`kept`).
    fn retain(&mut self, keep: &[bool]) {
        let old = std::mem::take(self);
        for i in (0..old.len()).filter(|&i| kept(keep, i)) {
            self.push(old.get(i));
        }
    }

    fn into_column(self, name: &str) -> Column {
        StringChunked::from_iter_options(name.into(), (0..self.len()).map(|i| self.get(i)))
            .into_column()
    }
}

/// Hourly weather, one per place and hour.
#[derive(Default)]
pub struct WeatherHourly {
    pub location: Vec<String>,
    pub time_ms: Vec<i64>,
    pub temp_c: Vec<f64>,
    pub rh_pct: Vec<Option<f64>>,
    pub wind_kmh: Vec<Option<f64>>,
}

/// Daily weather, one per place and day.
#[derive(Default)]
pub struct WeatherDaily {
    pub location: Vec<String>,
    pub date: Vec<i32>,
    pub tmax_c: Vec<f64>,
    pub tmin_c: Vec<Option<f64>>,
    pub rh_pct: Vec<Option<f64>>,
}

/// Fluid intake, one row per athlete and day: the drinks are added up as they are read. A
/// fluid log has millions of rows, and the measures use only each day's totals; keeping every
/// drink until the daily table is built cost a quarter of a gigabyte at 1,000 athletes.
/// Athletes are `Canonical::athlete_ids` numbers.
#[derive(Default)]
pub struct Fluids {
    pub athlete: Vec<u32>,
    pub date: Vec<i32>,
    /// The day's drinks, added up.
    pub volume_ml: Vec<Sum>,
    /// Of which plain water: drinks of at most `PLAIN_WATER_MAX_MG_PER_L` sodium (a drink of
    /// unknown sodium is not counted as plain water).
    pub plain_water_ml: Vec<Sum>,
    /// The day's sodium from drinks; unknown (`None`) as soon as one drink's sodium is unknown
    /// (neither given nor a known drink), never counted as 0.
    pub sodium_mg: Vec<Option<Sum>>,
    /// How many drinks the day's totals add up.
    pub drinks: Vec<u32>,
    /// The sodium of the drinks the vendor readers add (`Canonical::add_fluid`).
    sodium_of: DrinkSodium,
    /// Each athlete's days → their row.
    rows: ByAthlete<i32, usize>,
    /// The day and row of the last drink: a log's drinks of one athlete and day follow each
    /// other, so most drinks find their row here, without hashing.
    last_row: Option<((u32, i32), usize)>,
}

/// A drink's sodium and whether it counts as plain water: one home for the rule, used where
/// the drink is read (a native log's parsing thread has its own, `native::parse`).
#[derive(Default)]
pub struct DrinkSodium {
    /// The drinks' names (lower-case), each numbered once…
    names: Texts,
    /// …and each one's usual sodium (mg/L), by its number, looked up once per name.
    per_litre: Vec<Option<f64>>,
    /// The last few drinks as the log wrote them, with their usual sodium: a day's drinks are
    /// a handful of kinds in turn (water, coffee, water…), which the one name `Texts` keeps
    /// missed on most rows, hashing the name instead (a fifth of a large fluid log's parsing
    /// thread: `Texts::id` and this lookup, perf at 1,000 athletes).
    recent: [Option<(Box<str>, Option<f64>)>; RECENT_DRINKS],
    /// The slot of `recent` the next new drink takes (the oldest).
    next_recent: usize,
}

const RECENT_DRINKS: usize = 4;

/// A drink's sodium (mg; `None`: unknown) and whether it is plain water.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrinkContent {
    pub sodium_mg: Option<f64>,
    pub plain_water: bool,
}

impl DrinkSodium {
    /// The sodium of `volume_ml` of `drink`: as given (`sodium_mg`), else its volume at the
    /// drink's usual content; plain water when that is at most `PLAIN_WATER_MAX_MG_PER_L` (a
    /// drink of unknown sodium is not).
    pub fn of(
        &mut self,
        drink: Option<&str>,
        volume_ml: f64,
        sodium_mg: Option<f64>,
    ) -> DrinkContent {
        use crate::measures::hydration::{drink_sodium_mg_per_l, PLAIN_WATER_MAX_MG_PER_L};
        // Drinks are kept lower-case; most logs write them so in ASCII, and then no copy is
        // made (any non-ASCII text goes through `to_lowercase`, titlecase letters included).
        let per_litre = drink.and_then(|d| {
            if let Some((_, mg)) = self.recent.iter().flatten().find(|(r, _)| **r == *d) {
                return *mg;
            }
            let id = if d.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                self.names.id(&d.to_lowercase())
            } else {
                self.names.id(d)
            } as usize;
            if id == self.per_litre.len() {
                let name = self.names.get(id as u32);
                self.per_litre.push(drink_sodium_mg_per_l(name));
            }
            let mg = self.per_litre.get(id).copied().flatten();
            self.recent[self.next_recent] = Some((d.into(), mg));
            self.next_recent = (self.next_recent + 1) % RECENT_DRINKS;
            mg
        });
        let sodium = sodium_mg.or(per_litre.map(|mg| volume_ml / 1000.0 * mg));
        DrinkContent {
            sodium_mg: sodium,
            plain_water: sodium
                .is_some_and(|mg| mg / (volume_ml / 1000.0) <= PLAIN_WATER_MAX_MG_PER_L),
        }
    }
}

/// A map for each athlete (by their `Canonical::athlete_ids` number) of the keys of their
/// rows: days, sessions. Why not one map keyed by athlete and all: a file's rows of one
/// athlete follow each other, so the one athlete's map being probed is small and in the
/// cache; a single map of a million keys (1,000 athletes × 730 days) missed the cache on
/// nearly every new key, most of `add_fluid`'s own time in the profile (docs/performance.md,
/// thirteenth session).
pub struct ByAthlete<K, V> {
    maps: Vec<PlHashMap<K, V>>,
}

impl<K, V> Default for ByAthlete<K, V> {
    fn default() -> Self {
        ByAthlete { maps: Vec::new() }
    }
}

impl<K: std::hash::Hash + Eq, V> ByAthlete<K, V> {
    /// The athlete's map (empty when they have no key yet).
    pub fn of(&mut self, athlete: u32) -> &mut PlHashMap<K, V> {
        let i = athlete as usize;
        if self.maps.len() <= i {
            self.maps.resize_with(i + 1, PlHashMap::default);
        }
        &mut self.maps[i]
    }
}

impl Fluids {
    /// Room for `days` more days in each of the day columns.
    fn reserve_days(&mut self, days: usize) {
        self.athlete.reserve(days);
        self.date.reserve(days);
        self.volume_ml.reserve(days);
        self.plain_water_ml.reserve(days);
        self.sodium_mg.reserve(days);
        self.drinks.reserve(days);
    }

    /// Adds one checked drink to its athlete's day (`athlete`: its number).
    fn add(&mut self, athlete: u32, date: i32, volume_ml: f64, content: DrinkContent) {
        let key = (athlete, date);
        let row = match self.last_row {
            Some((k, row)) if k == key => row,
            _ => {
                let next = self.date.len();
                let row = *self.rows.of(athlete).entry(date).or_insert(next);
                if row == next {
                    self.athlete.push(athlete);
                    self.date.push(date);
                    self.volume_ml.push(Sum::default());
                    self.plain_water_ml.push(Sum::default());
                    self.sodium_mg.push(Some(Sum::default()));
                    self.drinks.push(0);
                }
                row
            }
        };
        self.last_row = Some((key, row));
        self.volume_ml[row].add(volume_ml);
        if content.plain_water {
            self.plain_water_ml[row].add(volume_ml);
        }
        match (content.sodium_mg, &mut self.sodium_mg[row]) {
            (Some(mg), Some(sum)) => sum.add(mg),
            // Unknown once, unknown for the day.
            (None, day) => *day = None,
            (Some(_), None) => {}
        }
        self.drinks[row] += 1;
    }
}

/// A sum of floats with its rounding error carried (Neumaier's compensated summation): a
/// day's drinks such as 5 × 0.33 l of water at 10 mg/L add up to 22.5 mg of sodium, not the
/// 22.500000000000004 a plain running sum gives, which would print as 23.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    total: f64,
    error: f64,
}

impl Sum {
    pub fn add(&mut self, x: f64) {
        let t = self.total + x;
        self.error += if self.total.abs() >= x.abs() {
            (self.total - t) + x
        } else {
            (x - t) + self.total
        };
        self.total = t;
    }

    pub fn value(self) -> f64 {
        self.total + self.error
    }
}

/// Distinct texts, each numbered once.
#[derive(Default)]
pub struct Texts {
    ids: polars::prelude::PlHashMap<String, u32>,
    texts: Vec<String>,
    /// The number given last: a file's rows of one athlete follow each other, so most rows
    /// find theirs here, without hashing the name.
    last: Option<u32>,
}

impl Texts {
    /// The number of a text, adding it when new.
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(last) = self.last.filter(|&l| self.get(l) == text) {
            return last;
        }
        if let Some(&id) = self.ids.get(text) {
            self.last = Some(id);
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.to_string());
        self.ids.insert(text.to_string(), id);
        self.last = Some(id);
        id
    }

    /// The text of a number `id` gave.
    pub fn get(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", String::as_str)
    }
}

/// Food intake, one per athlete, day and meal (nutrition logs such as MyFitnessPal's).
#[derive(Default)]
pub struct Food {
    pub athlete: Vec<String>,
    pub date: Vec<i32>,
    pub meal: Vec<String>,
    pub sodium_mg: Vec<Option<f64>>,
    pub potassium_mg: Vec<Option<f64>>,
}

/// All builders, plus the keys already seen so an exact repeat is rejected as a duplicate
/// (naming where the first copy was) instead of being counted twice.
#[derive(Default)]
pub struct Canonical {
    pub activities: Activities,
    pub daily: Daily,
    pub weather_hourly: WeatherHourly,
    pub weather_daily: WeatherDaily,
    pub fluids: Fluids,
    pub food: Food,
    /// Cramps from cramp logs: few rows, kept as records (not a frame) beside the frames.
    pub cramps: Vec<super::cramplog::Cramp>,
    // Looked up for every row: polars' fast hasher (the keys come from the files being read).
    // Athletes are keyed by their number in `athlete_ids` and files shared (`Arc`), not copied
    // into every key: at 1,000 athletes these maps hold a million rows.
    /// (athlete, start, whether the start is a UTC instant) → the file and line it was first
    /// read from. A source in UTC is keyed on the instant, a local one on the local clock.
    pub seen_sessions: ByAthlete<(i64, bool), (Arc<str>, u64)>,
    /// (athlete, day) → where it was first read and its row in `daily`.
    pub seen_days: ByAthlete<i32, (FirstRead, usize)>,
    /// The athletes of the keys above, each numbered once.
    pub athlete_ids: Texts,
    /// The file of the last session added, shared by its rows' `Origin`s.
    last_file: Option<Arc<str>>,
    /// (place, hour, whether the hour is a UTC instant) → where it was first read.
    pub seen_hours: PlHashMap<(String, i64, bool), String>,
    pub seen_weather_days: PlHashMap<(String, i32), String>,
    /// (athlete, day, meal) → where it was first read: a meal exported twice (overlapping
    /// export ranges) is not counted twice.
    pub seen_meals: PlHashMap<(String, i32, String), String>,
    /// The place of weather rows that name none, from the file's name (`weather-oslo.csv`).
    pub file_location: Option<String>,
    /// The name keys of the weather places seen (a place's spelling → its key): an hourly file
    /// names its place on every row, and the Unicode folding of `name_key` costs thousands of
    /// instructions, twice per row (docs/performance.md, sixteenth session).
    place_keys: PlHashMap<String, String>,
    /// Where each activity row came from (`file:line`) and its other duration, if the file
    /// gives two (elapsed vs moving): the cross-export duplicate check needs both.
    pub activity_origin: Vec<Origin>,
    /// The run's "today" for the future-date check (`None`: no check; the commands give one).
    pub today: Option<chrono::NaiveDate>,
    /// Conditions recorded with sessions (Strava's weather, the device's temperature), turned
    /// into weather rows once every file is read (`conditions::apply`).
    pub session_weather: Vec<SessionWeather>,
    /// Files an export's own rows name as theirs (Strava's `Filename` column: the FIT file of
    /// that activity), with the row (`file`, line): the same session, counted once.
    pub linked_files: Vec<(std::path::PathBuf, String, u64)>,
    /// The people files name (athlete the rows went to, the name, file): two names for one
    /// athlete are two people's exports in one folder (`coverage::mixed_athletes`).
    pub person_names: Vec<(String, String, String)>,
}

/// Where a row was read, as a reader gives it: a file (its display name) and line, or a text
/// the reader wrote itself.
#[derive(Debug, Clone)]
pub enum Src<'a> {
    Line(&'a str, u64),
    Named(String),
}

/// Where a row was first read, kept for the message that rejects a later copy of it: the
/// file shared by the file's rows, not a `file:line` text per row.
#[derive(Debug, Clone)]
pub enum FirstRead {
    Line(Arc<str>, u64),
    Named(String),
}

impl std::fmt::Display for FirstRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FirstRead::Line(file, line) => write!(f, "{file}:{line}"),
            FirstRead::Named(text) => f.write_str(text),
        }
    }
}

/// One hourly weather reading's values.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    pub temp_c: f64,
    pub rh_pct: Option<f64>,
    pub wind_kmh: Option<f64>,
}

/// The source of one activity row, kept beside the frames for the duplicate check.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// Shared by the file's rows.
    pub file: Arc<str>,
    pub line: u64,
    pub alt_duration_min: Option<f64>,
    /// The start as a UTC instant (ms), when the source gave one.
    pub utc_ms: Option<i64>,
}

/// One session as a vendor reader found it, ready for the builders.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub athlete: String,
    pub start: chrono::NaiveDateTime,
    /// The start as a UTC instant, when the source writes one (Strava): duplicates and
    /// overlaps are judged on it, since two instants an hour apart read the same on the
    /// local clock the night clocks fall back.
    pub utc: Option<chrono::NaiveDateTime>,
    pub sport: String,
    pub duration_min: f64,
    pub alt_duration_min: Option<f64>,
    pub distance_km: Option<f64>,
    pub avg_hr: Option<f64>,
    pub max_hr: Option<f64>,
    pub calories_kcal: Option<f64>,
    pub title: Option<String>,
    /// A longer text than the title (Strava's `Activity Description`), for cramp mentions.
    pub description: Option<String>,
    // Columns of the native format only (vendor exports have none of them).
    pub rpe: Option<f64>,
    pub load: Option<f64>,
    pub mass_before_kg: Option<f64>,
    pub mass_after_kg: Option<f64>,
    pub fluid_during_ml: Option<f64>,
    pub warmup_min: Option<f64>,
}

/// The canonical frames handed to the measures.
#[derive(Clone, Default)]
pub struct Frames {
    pub activities: DataFrame,
    pub daily: DataFrame,
    pub weather_hourly: DataFrame,
    pub weather_daily: DataFrame,
    /// One row per athlete and day: the day's drinks added up (`Fluids`).
    pub fluids: DataFrame,
    pub food: DataFrame,
}

impl Frames {
    /// The frames with an athlete's records, each with `athlete` and `date`: sessions,
    /// fluids, daily summaries, food. An athlete's days run from the first of them to the last.
    pub fn records(&self) -> [&DataFrame; 4] {
        [&self.activities, &self.fluids, &self.daily, &self.food]
    }
}

fn date_col(name: &str, days: Vec<i32>) -> PolarsResult<Column> {
    Ok(Series::new(name.into(), days).cast(&DataType::Date)?.into())
}

fn datetime_col<T>(name: &str, ms: Vec<T>) -> PolarsResult<Column>
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Ok(Series::new(name.into(), ms)
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?
        .into())
}

fn col_of<T>(name: &str, v: Vec<T>) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Series::new(name.into(), v).into()
}

impl Canonical {
    /// Empty builders for a run whose "today" is `today` (rows dated after it are refused).
    pub fn with_today(today: Option<chrono::NaiveDate>) -> Canonical {
        Canonical {
            today,
            ..Canonical::default()
        }
    }

    /// The weather place of a row: its own `location` cell (as a name key), else the file's.
    pub fn weather_location(&mut self, cell: Option<&str>) -> String {
        match cell {
            Some(place) => {
                if let Some(key) = self.place_keys.get(place) {
                    return key.clone();
                }
                let key = crate::profiles::name_key(place);
                self.place_keys.insert(place.to_string(), key.clone());
                key
            }
            None => self.file_location.clone().unwrap_or_default(),
        }
    }

    /// Room for about `rows` more rows of a `kind` (a native file's estimate): the large
    /// builders and duplicate keys are sized once instead of doubling as they fill. At most a
    /// million rows: a wrong estimate reserves a few hundred megabytes at worst (address space,
    /// mostly never touched), and a larger file grows from there as before.
    pub fn reserve(&mut self, kind: super::types::Kind, rows: usize) {
        use super::types::Kind;
        let rows = rows.min(1_000_000);
        match kind {
            Kind::Activities => {
                let a = &mut self.activities;
                a.athlete.reserve(rows);
                a.start_ms.reserve(rows);
                a.date.reserve(rows);
                a.sport.reserve(rows);
                a.duration_min.reserve(rows);
                for v in a.numbers_mut() {
                    v.reserve(rows);
                }
                a.title.reserve(rows);
                a.description.reserve(rows);
                self.activity_origin.reserve(rows);
            }
            Kind::Daily => {
                let d = &mut self.daily;
                d.athlete.reserve(rows);
                d.date.reserve(rows);
                for v in [
                    &mut d.steps,
                    &mut d.sedentary_min,
                    &mut d.resting_hr,
                    &mut d.sleep_min,
                ] {
                    v.reserve(rows);
                }
            }
            // A day per drink at most: room a log of one drink a day fills; a log of several
            // a day leaves the rest unwritten, and pages never written take no memory.
            Kind::Fluids => self.fluids.reserve_days(rows),
            _ => {}
        }
    }

    /// Adds a session (every format's, native included); an exact repeat (same athlete and start) is rejected naming the
    /// first copy.
    pub fn add_session(&mut self, x: Session, file: &str, line: u64) -> Result<(), String> {
        checks::time("start", x.start, self.today)?;
        checks::duration("duration", x.duration_min)?;
        checks::optional("distance (km)", x.distance_km, limits::DISTANCE_KM)?;
        checks::speed(&x.sport, x.distance_km, x.duration_min)?;
        checks::heart_rates(x.avg_hr, x.max_hr)?;
        checks::optional("calories (kcal)", x.calories_kcal, limits::CALORIES)?;
        let ms = crate::dates::to_millis(x.start);
        let utc_ms = x.utc.map(crate::dates::to_millis);
        let athlete = self.athlete_ids.id(&x.athlete);
        let key = (utc_ms.unwrap_or(ms), utc_ms.is_some());
        if let Some((first, first_line)) = self.seen_sessions.of(athlete).get(&key) {
            return Err(format!("duplicate of {first}:{first_line}"));
        }
        let file = self.shared_file(file);
        self.seen_sessions
            .of(athlete)
            .insert(key, (file.clone(), line));
        self.activity_origin.push(Origin {
            file,
            line,
            alt_duration_min: x.alt_duration_min,
            utc_ms,
        });
        let a = &mut self.activities;
        a.athlete.push(athlete);
        a.start_ms.push(ms);
        a.date.push(crate::dates::to_days(x.start.date()));
        let sport = a.sports.id(&x.sport);
        a.sport.push(sport);
        a.duration_min.push(x.duration_min);
        a.distance_km.push(x.distance_km);
        a.avg_hr.push(x.avg_hr);
        a.max_hr.push(x.max_hr);
        a.rpe.push(x.rpe);
        a.load.push(x.load);
        a.calories_kcal.push(x.calories_kcal);
        a.mass_before_kg.push(x.mass_before_kg);
        a.mass_after_kg.push(x.mass_after_kg);
        a.fluid_during_ml.push(x.fluid_during_ml);
        a.warmup_min.push(x.warmup_min);
        a.title.push(x.title.as_deref());
        a.description.push(x.description.as_deref());
        Ok(())
    }

    /// The file a row came from, shared with the rows read before it from the same file.
    fn shared_file(&mut self, file: &str) -> Arc<str> {
        let file = match &self.last_file {
            Some(last) if **last == *file => last.clone(),
            _ => Arc::from(file),
        };
        self.last_file = Some(file.clone());
        file
    }

    /// Adds an hourly weather reading; a repeated place and hour is rejected.
    pub fn add_hour(
        &mut self,
        location: &str,
        time: chrono::NaiveDateTime,
        temp_c: f64,
        rh_pct: Option<f64>,
        wind_kmh: Option<f64>,
        src: String,
    ) -> Result<(), String> {
        let reading = Reading {
            temp_c,
            rh_pct,
            wind_kmh,
        };
        self.add_hour_at(location, time, None, reading, src)
    }

    /// Adds an hourly weather reading at local `time` whose UTC instant, when the source
    /// writes one, is `utc`: a repeat is judged on the instant (the night clocks fall back,
    /// two UTC hours share a local hour and both are kept), else on the local hour.
    pub fn add_hour_at(
        &mut self,
        location: &str,
        time: chrono::NaiveDateTime,
        utc: Option<chrono::NaiveDateTime>,
        reading: Reading,
        src: String,
    ) -> Result<(), String> {
        let Reading {
            temp_c,
            rh_pct,
            wind_kmh,
        } = reading;
        // A vendor file names no place: the file's name may (`weather-oslo.csv`).
        let place = self.weather_location((!location.is_empty()).then_some(location));
        let location = place.as_str();
        checks::past_shown("time", time.date(), || {
            time.format("%Y-%m-%d %H:%M").to_string()
        })?;
        checks::value("temperature (°C)", temp_c, limits::TEMP_C)?;
        checks::optional("relative humidity (%)", rh_pct, limits::RH_PCT)?;
        checks::optional("wind (km/h)", wind_kmh, limits::WIND_KMH)?;
        let ms = crate::dates::to_millis(time);
        let utc_ms = utc.map(crate::dates::to_millis);
        let key = (location.to_string(), utc_ms.unwrap_or(ms), utc_ms.is_some());
        if let Some(first) = self.seen_hours.get(&key) {
            return Err(format!("duplicate of {first}"));
        }
        self.seen_hours.insert(key, src);
        let w = &mut self.weather_hourly;
        w.location.push(location.to_string());
        w.time_ms.push(ms);
        w.temp_c.push(temp_c);
        w.rh_pct.push(rh_pct);
        w.wind_kmh.push(wind_kmh);
        Ok(())
    }

    /// Adds a day of weather; a repeated place and day is rejected.
    pub fn add_weather_day(
        &mut self,
        location: &str,
        date: chrono::NaiveDate,
        tmax_c: f64,
        tmin_c: Option<f64>,
        rh_pct: Option<f64>,
        src: String,
    ) -> Result<(), String> {
        // A vendor file names no place: the file's name may (`weather-oslo.csv`).
        let place = self.weather_location((!location.is_empty()).then_some(location));
        let location = place.as_str();
        checks::past_shown("date", date, || date.to_string())?;
        checks::value("maximum temperature (°C)", tmax_c, limits::TEMP_C)?;
        checks::optional("minimum temperature (°C)", tmin_c, limits::TEMP_C)?;
        checks::optional("relative humidity (%)", rh_pct, limits::RH_PCT)?;
        if tmin_c.is_some_and(|t| t > tmax_c) {
            return Err(format!(
                "minimum temperature is above the maximum ({tmax_c} °C)"
            ));
        }
        let days = crate::dates::to_days(date);
        if let Some(first) = self.seen_weather_days.get(&(location.to_string(), days)) {
            return Err(format!("duplicate of {first}"));
        }
        self.seen_weather_days
            .insert((location.to_string(), days), src);
        let w = &mut self.weather_daily;
        w.location.push(location.to_string());
        w.date.push(days);
        w.tmax_c.push(tmax_c);
        w.tmin_c.push(tmin_c);
        w.rh_pct.push(rh_pct);
        Ok(())
    }

    /// Adds a daily summary. A day already given by another file (or row) is completed with
    /// the measures it lacked (WHOOP's resting heart rate beside Fitbit's steps: different
    /// measures, one day); a measure given twice rejects the row as a duplicate.
    #[allow(clippy::too_many_arguments)]
    pub fn add_day(
        &mut self,
        athlete: &str,
        date: chrono::NaiveDate,
        steps: Option<f64>,
        sedentary_min: Option<f64>,
        resting_hr: Option<f64>,
        sleep_min: Option<f64>,
        src: Src<'_>,
    ) -> Result<(), String> {
        checks::date("date", date, self.today)?;
        checks::optional("steps", steps, limits::STEPS)?;
        checks::optional("sedentary minutes", sedentary_min, limits::MINUTES_OF_DAY)?;
        checks::optional("resting heart rate", resting_hr, limits::RESTING_HR)?;
        checks::optional("sleep minutes", sleep_min, limits::MINUTES_OF_DAY)?;
        let days = crate::dates::to_days(date);
        let athlete = self.athlete_ids.id(athlete);
        if let Some((first, row)) = self.seen_days.of(athlete).get(&days) {
            let (first, row) = (first.to_string(), *row);
            return self
                .complete_day(row, [steps, sedentary_min, resting_hr, sleep_min])
                .map_err(|()| format!("duplicate of {first}"));
        }
        let src = match src {
            Src::Line(file, line) => FirstRead::Line(self.shared_file(file), line),
            Src::Named(text) => FirstRead::Named(text),
        };
        let row = self.daily.date.len();
        self.seen_days.of(athlete).insert(days, (src, row));
        let d = &mut self.daily;
        d.athlete.push(athlete);
        d.date.push(days);
        d.steps.push(steps);
        d.sedentary_min.push(sedentary_min);
        d.resting_hr.push(resting_hr);
        d.sleep_min.push(sleep_min);
        Ok(())
    }

    /// Fills an already-read day's missing measures (steps, sedentary, resting HR, sleep)
    /// from a second source; `Err` when any measure is given by both (a duplicate).
    fn complete_day(&mut self, i: usize, new: [Option<f64>; 4]) -> Result<(), ()> {
        let d = &mut self.daily;
        let old = [
            d.steps.get(i),
            d.sedentary_min.get(i),
            d.resting_hr.get(i),
            d.sleep_min.get(i),
        ];
        if old
            .iter()
            .zip(&new)
            .any(|(o, n)| o.is_some() && n.is_some())
            || new.iter().all(Option::is_none)
        {
            return Err(());
        }
        d.steps.fill(i, new[0]);
        d.sedentary_min.fill(i, new[1]);
        d.resting_hr.fill(i, new[2]);
        d.sleep_min.fill(i, new[3]);
        Ok(())
    }

    /// Adds one drink (a time of day when known).
    pub fn add_fluid(
        &mut self,
        athlete: &str,
        stamp: crate::dates::Stamp,
        volume_ml: f64,
        drink: Option<&str>,
        sodium_mg: Option<f64>,
    ) -> Result<(), String> {
        match stamp {
            crate::dates::Stamp::At(dt) => checks::time("time", dt, self.today)?,
            crate::dates::Stamp::Day(d) => checks::date("date", d, self.today)?,
        }
        checks::volume("volume", volume_ml)?;
        checks::optional("sodium (mg)", sodium_mg, limits::SODIUM_MG)?;
        let content = self.fluids.sodium_of.of(drink, volume_ml, sodium_mg);
        self.add_checked_fluid(athlete, stamp.date(), volume_ml, content);
        Ok(())
    }

    /// Adds one drink whose day, volume and sodium were checked where it was read, and its
    /// content found there (`DrinkSodium`): a native log's, on its parsing thread.
    pub fn add_checked_fluid(
        &mut self,
        athlete: &str,
        date: chrono::NaiveDate,
        volume_ml: f64,
        content: DrinkContent,
    ) {
        let athlete = self.athlete_ids.id(athlete);
        self.fluids
            .add(athlete, crate::dates::to_days(date), volume_ml, content);
    }

    /// Adds one meal of a food log; the same athlete, day and meal again is rejected naming
    /// the first copy. `meal` is the key as the log writes it (with its time, if any).
    pub fn add_meal(
        &mut self,
        athlete: String,
        date: chrono::NaiveDate,
        meal: String,
        sodium_mg: Option<f64>,
        potassium_mg: Option<f64>,
        src: String,
    ) -> Result<(), String> {
        checks::date("date", date, self.today)?;
        let days = crate::dates::to_days(date);
        let key = (athlete.clone(), days, meal.to_lowercase());
        if let Some(first) = self.seen_meals.get(&key) {
            return Err(format!("duplicate of {first}"));
        }
        self.seen_meals.insert(key, src);
        let f = &mut self.food;
        f.athlete.push(athlete);
        f.date.push(days);
        f.meal.push(meal);
        f.sodium_mg.push(sodium_mg);
        f.potassium_mg.push(potassium_mg);
        Ok(())
    }

    /// Drops the activity rows whose `keep` is false (the cross-export duplicates).
    pub fn retain_activities(&mut self, keep: &[bool]) {
        fn filter<T>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                kept(keep, i - 1)
            });
        }
        let a = &mut self.activities;
        filter(&mut a.athlete, keep);
        filter(&mut a.start_ms, keep);
        filter(&mut a.date, keep);
        filter(&mut a.sport, keep);
        filter(&mut a.duration_min, keep);
        for v in a.numbers_mut() {
            v.retain(keep);
        }
        a.title.retain(keep);
        a.description.retain(keep);
        filter(&mut self.activity_origin, keep);
    }

    /// Turns the builders into frames.
    pub fn into_frames(self) -> PolarsResult<Frames> {
        // The checks' keys and the rows' origins first: they are not in any frame, and at
        // 1,000 athletes (half a million sessions, as many days) they are tens of MB that
        // would otherwise be held while the frames are made beside the builders.
        drop(self.seen_sessions);
        drop(self.seen_days);
        drop(self.seen_hours);
        drop(self.seen_weather_days);
        drop(self.seen_meals);
        drop(self.activity_origin);
        drop(self.session_weather);
        drop(self.person_names);
        let names = &self.athlete_ids;
        // The sessions' frame, the widest, made on a thread of its own beside the others;
        // each kind's builder is let go as soon as its frame is made.
        let a = self.activities;
        let (activities, frames) = crate::beside::beside(
            "making the sessions' frame",
            move || activities_frame(a, names),
            || {
                Self::day_frames(
                    names,
                    self.daily,
                    self.weather_hourly,
                    self.weather_daily,
                    self.fluids,
                    self.food,
                )
            },
        );
        let mut frames = frames?;
        frames.activities = activities?;
        Ok(frames)
    }

    /// The frames of every kind but the sessions (left empty).
    fn day_frames(
        names: &Texts,
        d: Daily,
        weather_hourly: WeatherHourly,
        weather_daily: WeatherDaily,
        fluids: Fluids,
        food: Food,
    ) -> PolarsResult<Frames> {
        let daily = DataFrame::new_infer_height(vec![
            named(s::ATHLETE, &d.athlete, names),
            date_col(s::DATE, d.date)?,
            d.steps.into_column(s::STEPS),
            d.sedentary_min.into_column(s::SEDENTARY_MIN),
            d.resting_hr.into_column(s::RESTING_HR),
            d.sleep_min.into_column(s::SLEEP_MIN),
        ])?;
        let w = weather_hourly;
        let weather_hourly = DataFrame::new_infer_height(vec![
            col_of(s::LOCATION, w.location),
            datetime_col(s::TIME, w.time_ms)?,
            col_of(s::TEMP_C, w.temp_c),
            col_of(s::RH_PCT, w.rh_pct),
            col_of(s::WIND_KMH, w.wind_kmh),
        ])?;
        let w = weather_daily;
        let weather_daily = DataFrame::new_infer_height(vec![
            col_of(s::LOCATION, w.location),
            date_col(s::DATE, w.date)?,
            col_of(s::TMAX_C, w.tmax_c),
            col_of(s::TMIN_C, w.tmin_c),
            col_of(s::RH_PCT, w.rh_pct),
        ])?;
        let f = fluids;
        let sodium: Vec<Option<f64>> = f.sodium_mg.iter().map(|mg| mg.map(Sum::value)).collect();
        let values = |sums: Vec<Sum>| -> Vec<f64> { sums.into_iter().map(Sum::value).collect() };
        let fluids = DataFrame::new_infer_height(vec![
            named(s::ATHLETE, &f.athlete, names),
            date_col(s::DATE, f.date)?,
            col_of(s::FLUID_INTAKE_ML, values(f.volume_ml)),
            col_of(s::PLAIN_WATER_ML, values(f.plain_water_ml)),
            col_of(s::SODIUM_INTAKE_MG, sodium),
            col_of(s::DRINKS, f.drinks),
        ])?;
        let f = food;
        let food = DataFrame::new_infer_height(vec![
            col_of(s::ATHLETE, f.athlete),
            date_col(s::DATE, f.date)?,
            col_of(s::MEAL, f.meal),
            col_of(s::SODIUM_MG, f.sodium_mg),
            col_of(s::POTASSIUM_MG, f.potassium_mg),
        ])?;
        Ok(Frames {
            activities: DataFrame::empty(),
            daily,
            weather_hourly,
            weather_daily,
            fluids,
            food,
        })
    }
}

/// An athlete's (or a sport's) name for each row, from the builders' numbers.
fn named(name: &str, ids: &[u32], texts: &Texts) -> Column {
    StringChunked::from_iter_values(name.into(), ids.iter().map(|&i| texts.get(i))).into_column()
}

/// The sessions' frame, from their builder.
fn activities_frame(a: Activities, names: &Texts) -> PolarsResult<DataFrame> {
    let activities = DataFrame::new_infer_height(vec![
        named(s::ATHLETE, &a.athlete, names),
        datetime_col(s::START, a.start_ms)?,
        date_col(s::DATE, a.date)?,
        named(s::SPORT, &a.sport, &a.sports),
        col_of(s::DURATION_MIN, a.duration_min),
        a.distance_km.into_column(s::DISTANCE_KM),
        a.avg_hr.into_column(s::AVG_HR),
        a.max_hr.into_column(s::MAX_HR),
        a.rpe.into_column(s::RPE),
        a.load.into_column(s::LOAD_GIVEN),
        a.calories_kcal.into_column(s::CALORIES_KCAL),
        a.mass_before_kg.into_column(s::MASS_BEFORE_KG),
        a.mass_after_kg.into_column(s::MASS_AFTER_KG),
        a.fluid_during_ml.into_column(s::FLUID_DURING_ML),
        a.warmup_min.into_column(s::WARMUP_MIN),
        a.title.into_column(s::TITLE),
    ])?;
    drop((a.athlete, a.sport, a.sports, a.description));
    Ok(activities)
}

// The conditions an activity export records for a session (`conditions.rs` turns them into
// weather rows): kept here with the other canonical records so the readers and `conditions`
// both build on `canonical` and not on each other.
/// Where a session's conditions come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// Strava's weather columns (`Weather Temperature`, `Humidity` as a 0–1 fraction): a
    /// weather service's observation for the activity's place and hour.
    StravaWeather,
    /// The watch's or bike computer's own temperature sensor. It reads warm (the wrist and
    /// the sun heat it), carries no humidity, and so is recorded as the temperature of the
    /// hours but cannot give a heat index or WBGT on its own: it never raises the heat factor.
    Device,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::StravaWeather => "strava-weather",
            Source::Device => "device",
        }
    }
}

/// One session's recorded conditions, as an activity reader found them.
#[derive(Debug, Clone)]
pub struct SessionWeather {
    pub athlete: String,
    /// Local start (the same clock as the session's start).
    pub start: chrono::NaiveDateTime,
    pub duration_min: f64,
    pub temp_c: f64,
    pub rh_pct: Option<f64>,
    pub source: Source,
    /// The activity file and line it was read from.
    pub file: String,
    pub line: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A drink's content is the same whether its name was seen just before (the recent
    /// drinks) or never: each call of a long rotation of drinks, in varied case and with
    /// unknown ones, is compared with a fresh `DrinkSodium`'s answer and with the rule itself.
    #[test]
    fn recent_drinks_give_what_a_fresh_lookup_gives() {
        use crate::measures::hydration::{drink_sodium_mg_per_l, PLAIN_WATER_MAX_MG_PER_L};
        let names = [
            "water",
            "coffee",
            "Water",
            "sports drink",
            "tea",
            "juice",
            "WATER",
            "broth",
            "unknown brew",
            "coffee",
            "milk",
            "électrolyte",
            "water",
        ];
        let mut kept = DrinkSodium::default();
        for (k, name) in names.iter().cycle().take(200).enumerate() {
            let volume = 100.0 + k as f64;
            let given = (k % 7 == 0).then_some(12.5);
            let got = kept.of(Some(name), volume, given);
            assert_eq!(
                got,
                DrinkSodium::default().of(Some(name), volume, given),
                "{name}"
            );
            let per_litre = drink_sodium_mg_per_l(&name.to_lowercase());
            let sodium = given.or(per_litre.map(|mg| volume / 1000.0 * mg));
            assert_eq!(got.sodium_mg, sodium, "{name}");
            assert_eq!(
                got.plain_water,
                sodium.is_some_and(|mg| mg / (volume / 1000.0) <= PLAIN_WATER_MAX_MG_PER_L),
                "{name}"
            );
        }
        assert!(drink_sodium_mg_per_l("water").is_some());
        assert!(drink_sodium_mg_per_l("unknown brew").is_none());
    }

    /// Unknown numbers stay unknown through the column, `retain` and the frame: a null, not a
    /// 0 and not the NaN held in its slot; rows past the end read as unknown.
    #[test]
    fn maybe_numbers_keep_unknowns_through_retain_and_the_frame() {
        let mut m = MaybeNumbers::default();
        for x in [Some(1.5), None, Some(0.0), None, Some(-2.25)] {
            m.push(x);
        }
        assert_eq!(m.len(), 5);
        assert_eq!(
            (0..6).map(|i| m.get(i)).collect::<Vec<_>>(),
            [Some(1.5), None, Some(0.0), None, Some(-2.25), None]
        );
        // Drops rows 0 and 3; the row past `keep`'s end (4) is kept.
        m.retain(&[false, true, true, false]);
        assert_eq!(
            (0..3).map(|i| m.get(i)).collect::<Vec<_>>(),
            [None, Some(0.0), Some(-2.25)]
        );
        let c = m.into_column("x");
        let v: Vec<Option<f64>> = c.f64().unwrap().iter().collect();
        assert_eq!(v, [None, Some(0.0), Some(-2.25)]);
        assert_eq!(c.null_count(), 1);
    }

    /// A second source fills a row's unknown number and leaves a known one as it was; rows
    /// past the end are not made.
    #[test]
    fn maybe_numbers_fill_only_unknowns() {
        let mut m = MaybeNumbers::default();
        m.push(None);
        m.push(Some(58.0));
        m.fill(0, Some(9000.0));
        m.fill(1, Some(61.0));
        m.fill(1, None);
        m.fill(2, Some(1.0));
        assert_eq!(m.len(), 2);
        assert_eq!(
            (0..3).map(|i| m.get(i)).collect::<Vec<_>>(),
            [Some(9000.0), Some(58.0), None]
        );
    }

    /// Texts end to end in one buffer read back as they went in: an empty text is a text, not
    /// unknown; multi-byte letters keep their bytes; `retain` and the frame keep both.
    #[test]
    fn maybe_texts_read_back_each_row_and_keep_unknowns() {
        let mut t = MaybeTexts::default();
        for x in [
            Some("Løb 10 km"),
            None,
            Some(""),
            Some("krampe i læggen"),
            None,
        ] {
            t.push(x);
        }
        assert_eq!(
            (0..6).map(|i| t.get(i)).collect::<Vec<_>>(),
            [
                Some("Løb 10 km"),
                None,
                Some(""),
                Some("krampe i læggen"),
                None,
                None
            ]
        );
        t.retain(&[true, false, true, true, false]);
        assert_eq!(
            (0..3).map(|i| t.get(i)).collect::<Vec<_>>(),
            [Some("Løb 10 km"), Some(""), Some("krampe i læggen")]
        );
        let c = t.into_column("title");
        let v: Vec<Option<&str>> = c.str().unwrap().iter().collect();
        assert_eq!(v, [Some("Løb 10 km"), Some(""), Some("krampe i læggen")]);
    }

    /// A session's athlete and sport are kept as numbers and come back as their names in the
    /// frame; its unknown numbers are nulls; a daily summary read twice names its first line.
    #[test]
    fn sessions_and_days_come_back_as_written() {
        let mut c = Canonical::default();
        let start = chrono::NaiveDate::from_ymd_opt(2025, 5, 1)
            .unwrap()
            .and_hms_opt(7, 30, 0)
            .unwrap();
        for (athlete, sport, hr) in [("ana", "run", Some(150.0)), ("bo", "ride", None)] {
            let x = Session {
                athlete: athlete.to_string(),
                start,
                sport: sport.to_string(),
                duration_min: 45.0,
                avg_hr: hr,
                title: Some(format!("{athlete}'s {sport}")),
                ..Session::default()
            };
            c.add_session(x, "a.csv", 2).unwrap();
        }
        let day = start.date();
        c.add_day(
            "bo",
            day,
            Some(9000.0),
            None,
            None,
            None,
            Src::Line("d.csv", 7),
        )
        .unwrap();
        let err = c
            .add_day(
                "bo",
                day,
                Some(8000.0),
                None,
                None,
                None,
                Src::Line("e.csv", 3),
            )
            .unwrap_err();
        assert_eq!(err, "duplicate of d.csv:7");
        let f = c.into_frames().unwrap();
        let a = &f.activities;
        let text = |df: &DataFrame, c: &str| -> Vec<Option<String>> {
            df.column(c)
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .map(|v| v.map(str::to_string))
                .collect()
        };
        assert_eq!(text(a, s::ATHLETE), [Some("ana".into()), Some("bo".into())]);
        assert_eq!(text(a, s::SPORT), [Some("run".into()), Some("ride".into())]);
        assert_eq!(
            text(a, s::TITLE),
            [Some("ana's run".into()), Some("bo's ride".into())]
        );
        let hr: Vec<Option<f64>> = a.column(s::AVG_HR).unwrap().f64().unwrap().iter().collect();
        assert_eq!(hr, [Some(150.0), None]);
        assert_eq!(text(&f.daily, s::ATHLETE), [Some("bo".into())]);
    }

    /// A day of drinks (coffee 200 ml at 5 mg/L, water 5 × 330 ml and 500 ml at 10 mg/L)
    /// carries 1 + 5 × 3.3 + 5 = 22.5 mg of sodium. Python's `math.fsum` of the same float
    /// terms gives 22.5; a plain running sum gives 22.500000000000004 (printed "23").
    #[test]
    fn compensated_sum_of_a_days_drinks() {
        let terms = [
            200.0 / 1000.0 * 5.0,
            330.0 / 1000.0 * 10.0,
            330.0 / 1000.0 * 10.0,
            500.0 / 1000.0 * 10.0,
            330.0 / 1000.0 * 10.0,
            330.0 / 1000.0 * 10.0,
            330.0 / 1000.0 * 10.0,
        ];
        let plain: f64 = terms.iter().sum();
        assert_eq!(plain, 22.500000000000004);
        let mut sum = Sum::default();
        terms.iter().for_each(|&x| sum.add(x));
        assert_eq!(sum.value(), 22.5);
    }

    /// Drinks of one athlete and day are one row; a drink of unknown sodium makes the day's
    /// sodium unknown (never 0) and is not plain water.
    #[test]
    fn drinks_are_added_up_by_day() {
        let mut f = Fluids::default();
        // As the vendor readers add them: the drink's content found, then the drink added.
        let add = |f: &mut Fluids, athlete, day, ml, drink, sodium| {
            let content = f.sodium_of.of(drink, ml, sodium);
            f.add(athlete, day, ml, content);
        };
        let (ana, ben) = (0, 1);
        add(&mut f, ana, 10, 500.0, Some("Water"), None);
        add(&mut f, ana, 10, 250.0, Some("sports drink"), None);
        add(&mut f, ben, 10, 300.0, Some("water"), Some(3.0));
        add(&mut f, ana, 11, 400.0, Some("kombucha"), None);
        // Back to ana's first day after two others: found in her own map, not a new row.
        add(&mut f, ana, 10, 100.0, None, Some(20.0));
        assert_eq!(f.date, vec![10, 10, 11]);
        let v: Vec<f64> = f.volume_ml.iter().map(|s| s.value()).collect();
        assert_eq!(v, vec![850.0, 300.0, 400.0]);
        // ana's day 10: 500 ml water (5 mg) is plain; 250 ml sports drink (112.5 mg) is not;
        // 100 ml with 20 mg given is 200 mg/L, not plain.
        let plain: Vec<f64> = f.plain_water_ml.iter().map(|s| s.value()).collect();
        assert_eq!(plain, vec![500.0, 300.0, 0.0]);
        assert_eq!(f.sodium_mg[0].map(Sum::value), Some(5.0 + 112.5 + 20.0));
        let known: Vec<bool> = f.sodium_mg.iter().map(Option::is_some).collect();
        assert_eq!(known, vec![true, true, false]);
        assert_eq!(f.drinks, vec![3, 1, 1]);
    }
}
