//! The per-athlete daily grid and its measures: every calendar day from an athlete's first to
//! last record, with sessions, load (ATL/CTL/TSB/ACWR), weather and heat at the hours trained,
//! fluids, sweat and sodium. Pure: canonical frames in, a LazyFrame out.

use std::cmp::Ordering;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::dates;
use crate::ingest::Frames;
use crate::measures::{heat, hydration, load};
use crate::reusable_plan::ReusablePlans;
use crate::schema as s;

mod grid;
mod session_days;
mod session_heat;
use grid::Grid;

const MS_PER_HOUR: i64 = 3_600_000;
/// `sport_gap_days` of a sport never done before.
pub const NEVER_DONE: i32 = 1_000_000;
/// Sports done indoors (no cold draught from the weather); a sport whose name contains
/// "indoor", "virtual" or "treadmill" is indoors too. Swimming is taken as pool swimming.
pub const INDOOR_SPORTS: [&str; 8] = [
    "strength",
    "yoga",
    "stretching",
    "mobility",
    "pilates",
    "basketball",
    "swim",
    "other",
];
/// Sessions that count as stretching for the warm-up factor.
pub const STRETCHING_SPORTS: [&str; 4] = ["yoga", "stretching", "mobility", "pilates"];

fn sport_in(sport: Expr, list: &[&str]) -> Expr {
    list.iter()
        .map(|name| sport.clone().eq(lit(*name)))
        .reduce(|a, b| a.or(b))
        .unwrap_or_else(|| lit(false))
}

/// Markers of an indoor variant of a sport ("treadmill run", "virtual ride", "indoor ride").
pub const INDOOR_MARKERS: [&str; 3] = ["treadmill", "virtual", "indoor"];

/// The sport without its indoor marker ("treadmill run" → "run"), for the per-sport defaults
/// (intensity, sweat rate) and for whether the sport was done before.
pub fn base_sport(sport: &str) -> &str {
    INDOOR_MARKERS
        .iter()
        .find_map(|m| sport.strip_prefix(m).and_then(|r| r.strip_prefix(' ')))
        .unwrap_or(sport)
}

/// Whether a (lowercase) sport is done outdoors.
pub fn is_outdoor(sport: &str) -> bool {
    !(INDOOR_SPORTS.contains(&sport) || INDOOR_MARKERS.iter().any(|w| sport.contains(w)))
}

const HOURS_PER_DAY: i64 = 24;

/// The canonical frames cut into groups of athletes, for computing the daily table a group at
/// a time (`compute_report`). Each athlete's rows come from their own records and the weather
/// (shared by all groups); the groups keep the athletes' order, so the parts stack up to the
/// table computed in one go.
///
/// The frames are taken, cut up and let go a kind at a time, and each group's rows are handed
/// over once (`take`): a group's input rows are freed as soon as its part of the table is
/// computed, so the inputs shrink while the table grows instead of being held to the end.
pub struct AthletePasses {
    passes: Vec<std::sync::Mutex<Option<(Frames, DataFrame)>>>,
}

impl AthletePasses {
    /// Cuts the frames by `groups`, the pass of each row of `athletes` (`pass_groups`).
    pub fn new(
        frames: Frames,
        athletes: &DataFrame,
        groups: Vec<u32>,
    ) -> PolarsResult<AthletePasses> {
        let count = pass_count(&groups);
        // Each kind's rows cut into the passes' parts in one scan (the rows of each pass, in
        // their order, then one gather per pass), the whole frame dropped when cut. A filter
        // per pass read every row once per pass: 63 times at 1,000 athletes.
        let cut =
            |df: DataFrame, rows_of_athlete: Option<&IdxCa>| -> PolarsResult<Vec<DataFrame>> {
                let mut rows: Vec<Vec<IdxSize>> = vec![Vec::new(); count];
                let by_row = |(row, pass): (usize, Option<u32>)| {
                    if let Some(pass) = pass.and_then(|g| rows.get_mut(g as usize)) {
                        pass.push(row as IdxSize);
                    }
                };
                match rows_of_athlete {
                    // Each row's pass: its athlete's (none, and in no pass, for a row whose
                    // athlete is not in `athletes`).
                    Some(athlete) => athlete
                        .iter()
                        .map(|a| a.and_then(|a| groups.get(a as usize).copied()))
                        .enumerate()
                        .for_each(by_row),
                    None => groups.iter().map(|&g| Some(g)).enumerate().for_each(by_row),
                }
                rows.into_iter()
                    .map(|rows| df.take(&IdxCa::from_vec(PlSmallStr::EMPTY, rows)))
                    .collect()
            };
        let split = |df: DataFrame| -> PolarsResult<Vec<DataFrame>> {
            let rows = grid::athlete_rows(athletes, df.column(s::ATHLETE)?.str()?)?;
            cut(df, Some(&rows))
        };
        let Frames {
            activities,
            fluids,
            daily,
            food,
            weather_hourly,
            weather_daily,
        } = frames;
        // The kinds cut side by side: the activities on one thread, the day frames on this one.
        let (activities, days) = crate::beside::beside(
            "cutting the sessions",
            || split(activities),
            || Ok::<_, PolarsError>((split(fluids)?, split(daily)?, split(food)?)),
        );
        let (activities, (fluids, daily, food)) = (activities?, days?);
        let athletes = cut(athletes.clone(), None)?;
        let passes = activities
            .into_iter()
            .zip(fluids)
            .zip(daily)
            .zip(food)
            .zip(athletes)
            .map(|((((activities, fluids), daily), food), athletes)| {
                let frames = Frames {
                    activities,
                    fluids,
                    daily,
                    food,
                    weather_hourly: weather_hourly.clone(),
                    weather_daily: weather_daily.clone(),
                };
                std::sync::Mutex::new(Some((frames, athletes)))
            })
            .collect();
        Ok(AthletePasses { passes })
    }

    /// How many passes there are.
    pub fn len(&self) -> usize {
        self.passes.len()
    }

    /// Whether there is no pass (no athletes).
    pub fn is_empty(&self) -> bool {
        self.passes.is_empty()
    }

    /// The frames and athlete rows of pass `k`, handed over once: a second call for the same
    /// pass (or a pass that does not exist) is an error.
    pub fn take(&self, k: usize) -> PolarsResult<(Frames, DataFrame)> {
        let taken = self
            .passes
            .get(k)
            .and_then(|p| p.lock().ok().and_then(|mut p| p.take()));
        taken.ok_or_else(|| polars_err!(ComputeError: "pass {k} of the daily table taken twice"))
    }
}

/// The pass of each athlete of `athletes` (one row each, in order): in order, passes of about
/// `days_per_pass` days of records each (an athlete's days from the first record to the last;
/// an athlete is never split, so one longer than that is a pass alone).
pub fn pass_groups(
    frames: &Frames,
    athletes: &DataFrame,
    days_per_pass: usize,
) -> PolarsResult<Vec<u32>> {
    let spans = record_days(frames)?;
    let mut groups: Vec<u32> = Vec::with_capacity(athletes.height());
    let (mut group, mut days) = (0u32, 0usize);
    for name in athletes.column(s::ATHLETE)?.str()?.iter() {
        let own = name.and_then(|n| spans.get(n)).copied().unwrap_or(1);
        if days > 0 && days.saturating_add(own) > days_per_pass {
            group += 1;
            days = 0;
        }
        days = days.saturating_add(own);
        groups.push(group);
    }
    Ok(groups)
}

/// How many passes `pass_groups` made.
pub fn pass_count(groups: &[u32]) -> usize {
    groups.last().map_or(0, |&g| g as usize + 1)
}

/// Each athlete's days from their first record to their last (sessions, fluids, daily
/// summaries, food), inclusive: the rows their grid will have, before `--to` extends it.
fn record_days(frames: &Frames) -> PolarsResult<PlHashMap<String, usize>> {
    Ok(Grid::of(frames, Window::default())?
        .athlete_days()
        .map(|(name, days)| (name.to_string(), days))
        .collect())
}

/// The days to report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn date_lit(d: NaiveDate) -> Expr {
    lit(dates::to_days(d)).cast(DataType::Date)
}

/// Whole hours since 1970 of a datetime column.
fn hour_index(t: Expr) -> Expr {
    t.cast(DataType::Int64).floor_div(lit(MS_PER_HOUR))
}

/// The date of an hour index.
fn hour_to_date(h: Expr) -> Expr {
    h.floor_div(lit(HOURS_PER_DAY))
        .cast(DataType::Int32)
        .cast(DataType::Date)
}

/// Per group of `keys`, `value` at the row where the `by` columns are greatest, unknowns
/// ranking lowest; ties are broken by the later `by` columns and then by `value` itself, so
/// the pick never depends on the order the rows arrive in. Returns `keys` and `alias`.
///
/// Why not `col(value).sort_by(by).last()` inside the group's aggregation: polars sorts each
/// group on its own, a few microseconds per group, and the sessions, hours and days give
/// hundreds of thousands of groups (most of the daily table's time, in the profile of
/// docs/performance.md). One sort of the whole frame by `keys`, `by`, `value` costs little,
/// and polars keeps each group's rows in frame order, so the last row of a group is the pick.
fn at_max(lf: LazyFrame, keys: &[&str], value: &str, by: &[&str], alias: &str) -> LazyFrame {
    at_max_all(lf, keys, by, &[(value, alias)])
}

/// `at_max` of several values that share one ordering: `by` then each value in turn — the
/// last row of a group sorted by `by` and the values holds, for each value, the greatest
/// among the rows greatest by `by` and the values before it. Used where every pick's own
/// ordering is that prefix (the weather of a day: heat index by temperature, WBGT by
/// temperature and heat index).
fn at_max_all(lf: LazyFrame, keys: &[&str], by: &[&str], picks: &[(&str, &str)]) -> LazyFrame {
    // A column named twice (a pick that is also the ordering) is sorted on once.
    let mut order: Vec<PlSmallStr> = Vec::new();
    for c in keys.iter().chain(by).chain(picks.iter().map(|(v, _)| v)) {
        if !order.iter().any(|o| o == c) {
            order.push(PlSmallStr::from(*c));
        }
    }
    lf.select(order.iter().map(|c| col(c.clone())).collect::<Vec<_>>())
        .sort(
            order,
            SortMultipleOptions::default()
                .with_nulls_last(false)
                .with_maintain_order(true),
        )
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg(
            picks
                .iter()
                .map(|(v, alias)| col(*v).last().alias(*alias))
                .collect::<Vec<_>>(),
        )
}

/// Unknown lowest, as the sorts with nulls first ordered them; a NaN (which checked inputs
/// cannot give) above every number, as polars sorts it. The one home of this order: the day
/// totals' picks and the team summary's highest day (`team::picked_days`) use it.
pub(crate) fn cmp_known<T: PartialOrd + Copy>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        #[allow(clippy::eq_op)]
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or_else(|| {
            // Only NaN is not equal to itself.
            let (x_nan, y_nan) = (x != x, y != y);
            x_nan.cmp(&y_nan)
        }),
    }
}

fn left(lf: LazyFrame, other: LazyFrame, on: &[&str]) -> LazyFrame {
    let on: Vec<Expr> = on.iter().map(|c| col(*c)).collect();
    lf.join(other, on.clone(), on, JoinArgs::new(JoinType::Left))
}

/// Hourly weather, one row per place and hour (of several reports in an hour, the hottest
/// with its humidity; wind averaged), with the heat index and WBGT of that hour.
fn weather_hours(frames: &Frames) -> LazyFrame {
    let reports = frames
        .weather_hourly
        .clone()
        .lazy()
        .with_column(hour_index(col(s::TIME)).alias(s::HOUR));
    let keys = [s::LOCATION, s::HOUR];
    // Several reports in one hour (NOAA LCD's routine and special reports, a 15-minutely
    // block): the hottest report stands for the hour, with its own humidity, so a later,
    // hotter report's maximum is not averaged away.
    let humidity = at_max(reports.clone(), &keys, s::RH_PCT, &[s::TEMP_C], s::RH_PCT);
    let hours = reports
        .group_by([col(s::LOCATION), col(s::HOUR)])
        .agg([col(s::TEMP_C).max(), col(s::WIND_KMH).mean()]);
    left(hours, humidity, &keys).with_columns([
        heat::heat_index_c(col(s::TEMP_C), col(s::RH_PCT)).alias("hi"),
        heat::wbgt_bom(col(s::TEMP_C), col(s::RH_PCT)).alias("wbgt"),
        // Unknown wind is taken as still air (it can only make the cold factor milder).
        heat::apparent_temperature(
            col(s::TEMP_C),
            col(s::RH_PCT),
            col(s::WIND_KMH).fill_null(lit(0.0)) / lit(3.6),
        )
        .alias("apparent"),
        hour_to_date(col(s::HOUR)).alias(s::DATE),
    ])
}

/// Day weather per place: the maximum temperature, and heat index and WBGT at the hottest
/// hour. Hourly data wins over a daily file for the same place and day; a daily file gives
/// the heat index at its maximum temperature with the day's humidity.
fn weather_days(frames: &Frames, hours: LazyFrame) -> PolarsResult<LazyFrame> {
    // The hottest hour: its temperature is the day's maximum (a maximum is exact whatever the
    // order), and its heat index and WBGT (ties: the higher heat index, then WBGT).
    let from_hours = at_max_all(
        hours,
        &[s::LOCATION, s::DATE],
        &[s::TEMP_C],
        &[
            (s::TEMP_C, s::TEMP_MAX_C),
            ("hi", "day_hi"),
            ("wbgt", "day_wbgt"),
        ],
    )
    .with_column(lit(0i32).alias("priority"));
    let from_days = frames.weather_daily.clone().lazy().select([
        col(s::LOCATION),
        col(s::DATE),
        col(s::TMAX_C).alias(s::TEMP_MAX_C),
        heat::heat_index_c(col(s::TMAX_C), col(s::RH_PCT)).alias("day_hi"),
        heat::wbgt_bom(col(s::TMAX_C), col(s::RH_PCT)).alias("day_wbgt"),
        lit(1i32).alias("priority"),
    ]);
    // The source of higher priority (lower number) first: one sort of the whole frame, then
    // each group's first row (polars keeps a group's rows in frame order).
    let first = |c: &str| col(c).first().alias(c);
    Ok(concat([from_hours, from_days], UnionArgs::default())?
        .sort(
            [s::LOCATION, s::DATE, "priority"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .group_by([col(s::LOCATION), col(s::DATE)])
        .agg([first(s::TEMP_MAX_C), first("day_hi"), first("day_wbgt")]))
}

/// Whether each sport is done outdoors, and its base sport (without an indoor marker): the
/// text rules in plain Rust, applied once to each distinct sport.
fn sport_kinds(sports: &StringChunked) -> (BooleanChunked, StringChunked) {
    let mut known: PlHashMap<&str, (bool, &str)> = PlHashMap::new();
    let kinds: Vec<Option<(bool, &str)>> = sports
        .iter()
        .map(|sport| {
            let sport = sport?;
            Some(
                *known
                    .entry(sport)
                    .or_insert_with(|| (is_outdoor(sport), base_sport(sport))),
            )
        })
        .collect();
    (
        BooleanChunked::from_iter_options("outdoor".into(), kinds.iter().map(|k| k.map(|k| k.0))),
        StringChunked::from_iter_options("base_sport".into(), kinds.iter().map(|k| k.map(|k| k.1))),
    )
}

/// The sessions with their athlete's profile, whether they are outdoors, their base sport
/// (without an indoor marker), their day's row in the grid (`day_row`), load, intensity and
/// whether they are exercise.
fn session_base(
    frames: &Frames,
    grid: &Grid,
    athletes: &DataFrame,
    plans: &ReusablePlans,
) -> PolarsResult<DataFrame> {
    let columns = load::SessionColumns {
        given: col(s::LOAD_GIVEN),
        minutes: col(s::DURATION_MIN),
        avg_hr: col(s::AVG_HR),
        hr_rest: col(s::HR_REST),
        hr_max: col(s::HR_MAX_PROFILE),
        rpe: col(s::RPE),
        sport: col("base_sport"),
        female: col(s::FEMALE),
    };
    let session_load = load::session_load(&columns);
    let activities = &frames.activities;
    // The profile of each session's athlete, taken by row (a left join on the athlete).
    let names = activities.column(s::ATHLETE)?.str()?;
    let profile = athletes
        .drop_many([s::ATHLETE])
        .take(&grid::athlete_rows(athletes, names)?)?;
    let (outdoor, bases) = sport_kinds(activities.column(s::SPORT)?.str()?);
    let mut base = activities.columns().to_vec();
    base.extend(profile.into_columns());
    base.push(outdoor.into_column());
    base.push(bases.into_column());
    base.push(grid.day_rows(activities, DAY_ROW)?.into_column());
    plans.run(DataFrame::new(activities.height(), base)?, |lf| {
        per_pass(
            lf.with_columns([
                session_load.alias("session_load"),
                load::session_intensity(&columns).alias("session_intensity"),
                load::known_session_intensity(&columns).alias("known_intensity"),
                sport_in(col("base_sport"), &STRETCHING_SPORTS)
                    .not()
                    .alias("exercise"),
            ]),
        )
    })
}

/// The column of a session's (or a day total's) row in the grid.
const DAY_ROW: &str = "day_row";

/// Sessions with their load, the heat they were done in, and their sweat and sodium loss.
fn sessions(
    frames: &Frames,
    grid: &Grid,
    athletes: &DataFrame,
    weather: &Weather,
    plans: &MeasurePlans,
) -> PolarsResult<DataFrame> {
    let base = session_base(frames, grid, athletes, &plans.session_base)?;
    // The weather hours a session covers: from its start hour to the hour of its last minute.
    let end_ms = col(s::START).cast(DataType::Int64)
        + (col(s::DURATION_MIN) * lit(60_000.0)).cast(DataType::Int64)
        - lit(1i64);
    let span = plans.session_hours.run(base.clone(), |lf| {
        per_pass(lf.select([
            hour_index(col(s::START)).alias("first_hour"),
            end_ms.floor_div(lit(MS_PER_HOUR)).alias("last_hour"),
        ]))
    })?;
    let height = base.height();
    let places = base.column(s::WEATHER_KEY)?.str()?;
    let heat = weather.hour_heat.of_sessions(
        places,
        span.column("first_hour")?.i64()?,
        span.column("last_hour")?.i64()?,
    );
    let day_weather = weather
        .days
        .drop_many([s::LOCATION, s::DATE])
        .take(&grid::place_rows(
            &weather.days,
            places
                .iter()
                .zip(base.column(s::DATE)?.date()?.physical().iter()),
        )?)?;
    let mut columns = base.into_columns();
    columns.extend(heat);
    columns.extend(day_weather.into_columns());
    let weighed = hydration::measured_sweat_rate(
        col(s::MASS_BEFORE_KG),
        col(s::MASS_AFTER_KG),
        col(s::FLUID_DURING_ML),
        col(s::DURATION_MIN),
    );
    // Outdoor heat raises the default sweat rate of outdoor sessions only.
    let rate = hydration::sweat_rate(
        col(s::SWEAT_RATE_L_PER_H),
        weighed,
        col("base_sport"),
        when(col("outdoor"))
            .then(col("session_hi"))
            .otherwise(lit(NULL).cast(DataType::Float64)),
    );
    // Days since the athlete last did the same sport (NEVER_DONE when never before).
    let previous_same_sport = col(s::DATE)
        .cast(DataType::Int32)
        .shift(lit(1))
        .over_with_options(
            Some(vec![col(s::ATHLETE), col("base_sport")]),
            Some((vec![col(s::START)], SortOptions::default())),
            WindowMapping::default(),
        );
    plans.sessions.run(DataFrame::new(height, columns)?, |lf| {
        per_pass(
            lf.with_columns([
                (col(s::DATE).cast(DataType::Int32)
                    - previous_same_sport.unwrap_or_else(|_| lit(NULL)))
                .fill_null(lit(NEVER_DONE))
                .alias("sport_gap_days"),
                ((col(s::MASS_BEFORE_KG) - col(s::MASS_AFTER_KG)) / col(s::MASS_BEFORE_KG)
                    * lit(100.0))
                .alias("mass_loss_pct"),
            ])
            .with_columns([
                // Without hourly weather for the session, the day's (hottest-hour) value
                // stands in.
                coalesce(&[col("hours_hi"), col("day_hi")]).alias("session_hi"),
                coalesce(&[col("hours_wbgt"), col("day_wbgt")]).alias("session_wbgt"),
            ])
            .with_column(rate.alias("sweat_rate_l_per_h"))
            .with_column(
                (col("sweat_rate_l_per_h") * col(s::DURATION_MIN) / lit(60.0) * lit(1000.0))
                    .alias("session_sweat_ml"),
            ),
        )
    })
}

/// Per athlete and day: the fluids logged, added up as they were read (`ingest::Fluids`). A
/// day with no entry is absent (unknown), never 0; its sodium is known only when every
/// drink's sodium is (given, or a known drink).
fn fluid_days(frames: &Frames) -> PolarsResult<DataFrame> {
    frames.fluids.select([
        s::ATHLETE,
        s::DATE,
        s::FLUID_INTAKE_ML,
        s::PLAIN_WATER_ML,
        s::SODIUM_INTAKE_MG,
    ])
}

/// Per athlete and day: the food log (nutrition summaries). A day with no meal logged is
/// absent (unknown); a nutrient is known for a day only when every meal's is.
fn food_days(frames: &Frames, plans: &ReusablePlans) -> PolarsResult<DataFrame> {
    let every_meal_known = |c: &str| {
        when(col(c).null_count().eq(lit(0)))
            .then(col(c).sum())
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    plans.run(frames.food.clone(), |lf| {
        per_pass(lf.group_by([col(s::ATHLETE), col(s::DATE)]).agg([
            len().cast(DataType::Int32).alias("food_meals"),
            every_meal_known(s::SODIUM_MG).alias(s::FOOD_SODIUM_MG),
            every_meal_known(s::POTASSIUM_MG).alias(s::POTASSIUM_INTAKE_MG),
        ]))
    })
}

/// The daily measures of every athlete: the columns of daily_risk.csv before scoring, plus
/// the intermediate values the factors need. `athletes` is the profile frame (one row per
/// athlete: female, hr_rest, hr_max, body_mass_kg, sweat rate and sodium, weather_key).
pub fn daily_measures(
    frames: &Frames,
    athletes: &DataFrame,
    window: Window,
) -> PolarsResult<DataFrame> {
    daily_measures_with(
        frames,
        athletes,
        window,
        &Weather::of(frames)?,
        &MeasurePlans::default(),
    )
}

/// The weather of every place by hour and by day, with heat index and WBGT: the same for
/// every athlete, so computed once and shared by the passes of `compute`.
pub struct Weather {
    hour_heat: session_heat::HourHeat,
    days: DataFrame,
}

impl Weather {
    pub fn of(frames: &Frames) -> PolarsResult<Weather> {
        let hours = weather_hours(frames).collect()?;
        let days = weather_days(frames, hours.clone().lazy())?.collect()?;
        Ok(Weather {
            hour_heat: session_heat::HourHeat::of(&hours)?,
            days,
        })
    }
}

/// A plan made for one pass, with the optimisations that cost it more than they save turned
/// off. The plans are made anew for each pass (some sixty at 1,000 athletes): expression
/// simplification walks their several hundred expressions each time, clustering the
/// `with_columns` steps compares them all with each other, and there is no slice to push
/// down. Without the three the table is the same (compared at 100 and 1,000 athletes) and a
/// run takes about 4 + 3 % less CPU (docs/performance.md, eleventh session). Predicate
/// pushdown and the order check stay: without them a run was 10 and 8 % slower.
pub fn per_pass(lf: LazyFrame) -> LazyFrame {
    lf.with_simplify_expr(false)
        .with_slice_pushdown(false)
        .with_cluster_with_columns(false)
}

/// The polars plans of the day measures, each made once per thread and run on every pass's
/// frames (`ReusablePlans`): the steps' expressions are the same for every pass, and making
/// their plans anew was about a tenth of the day measures' instructions. One set per step, so
/// that no step can be given another's plan.
#[derive(Default)]
pub struct MeasurePlans {
    session_base: ReusablePlans,
    session_hours: ReusablePlans,
    sessions: ReusablePlans,
    food_days: ReusablePlans,
    day_measures: ReusablePlans,
}

/// `daily_measures` with the weather computed already (`Weather::of` the same frames'
/// weather).
pub fn daily_measures_with(
    frames: &Frames,
    athletes: &DataFrame,
    window: Window,
    weather: &Weather,
    plans: &MeasurePlans,
) -> PolarsResult<DataFrame> {
    let grid = Grid::of(frames, window)?;
    // Collected here: the day totals are added up from the sessions' columns
    // (`session_days`).
    let sessions = sessions(frames, &grid, athletes, weather, plans)?;
    // The grid and the day frames beside it, by position (`Grid`): in the order a chain of
    // left joins on (athlete, date) would put their columns, already sorted by athlete and
    // date.
    let mut columns = grid.key_columns()?;
    columns.extend(grid.by_athlete(athletes)?);
    columns.extend(session_days::session_days(
        &sessions,
        DAY_ROW,
        grid.height(),
    )?);
    columns.extend(grid.by_place(&weather.days, athletes)?);
    columns.extend(grid.by_day(&fluid_days(frames)?)?);
    columns.extend(grid.by_day(&food_days(frames, &plans.food_days)?)?);
    // The drinks' sodium kept under its own name: the day's sodium intake below adds the
    // food's (docs/model.md, electrolytes).
    let drinks_sodium = columns
        .iter()
        .find(|c| c.name().as_str() == s::SODIUM_INTAKE_MG)
        .map(|c| c.clone().with_name("drink_sodium_mg".into()));
    columns.extend(drinks_sodium);
    columns.extend(grid.by_day(&frames.daily.select([
        s::ATHLETE,
        s::DATE,
        s::STEPS,
        s::SEDENTARY_MIN,
        s::RESTING_HR,
        s::SLEEP_MIN,
    ])?)?);
    let frame = DataFrame::new(grid.height(), columns)?;
    let mut measures = plans
        .day_measures
        .run(frame, |lf| per_pass(day_measures_plan(lf)))?;
    // ATL, CTL, ACWR and TSB on each athlete's slice (`load::pmc_columns`). GoldenCheetah's
    // convention for TSB: form going into the day, yesterday's CTL − ATL; the day before the
    // first, both were the same seed, so the first day's TSB is 0.
    let pmc = load::pmc_columns(&measures)?;
    measures.hstack_mut(&pmc)?;
    Ok(measures)
}

/// The day measures computed from the grid's columns: the day's sodium intake, zeros on rest
/// days, the heat while training, fluid need and balance, sodium loss.
fn day_measures_plan(lf: LazyFrame) -> LazyFrame {
    let lf = lf.with_column(
        hydration::day_sodium_intake(
            col(s::FLUID_INTAKE_ML).is_not_null(),
            col(s::SODIUM_INTAKE_MG),
            col("food_meals").is_not_null(),
            col(s::FOOD_SODIUM_MG),
        )
        .alias(s::SODIUM_INTAKE_MG),
    );
    let rest_day = col(s::SESSIONS).is_null();
    let zero_on_rest = |c: &str| {
        when(rest_day.clone())
            .then(lit(0.0))
            .otherwise(col(c))
            .alias(c)
    };
    let trained = col(s::SESSIONS).gt(lit(0));
    lf.with_columns([
        col(s::SESSIONS).fill_null(lit(0)),
        col("stretch_sessions").fill_null(lit(0)),
        col("outdoor_sessions").fill_null(lit(0)),
        col("exercise_sessions").fill_null(lit(0)),
        col("outdoor_min").fill_null(lit(0.0)),
        zero_on_rest(s::DURATION_MIN),
        zero_on_rest(s::DISTANCE_KM),
        zero_on_rest(s::LOAD),
        zero_on_rest(s::SWEAT_LOSS_ML),
    ])
    .with_columns([
        // Heat while training on training days; the hottest hour's otherwise.
        when(trained.clone().and(col("sessions_hi").is_not_null()))
            .then(col("sessions_hi"))
            .otherwise(col("day_hi"))
            .alias(s::HEAT_INDEX_C),
        when(trained.and(col("sessions_wbgt").is_not_null()))
            .then(col("sessions_wbgt"))
            .otherwise(col("day_wbgt"))
            .alias(s::WBGT_C),
        (hydration::baseline_need_ml(col(s::FEMALE)) + col(s::SWEAT_LOSS_ML))
            .alias(s::FLUID_NEED_ML),
        (col(s::SWEAT_LOSS_ML) / lit(1000.0)
            * col(s::SWEAT_SODIUM_MG_PER_L)
                .fill_null(lit(hydration::DEFAULT_SWEAT_SODIUM_MG_PER_L)))
        .alias(s::SODIUM_LOSS_MG),
    ])
    .with_column((col(s::FLUID_INTAKE_ML) - col(s::FLUID_NEED_ML)).alias(s::FLUID_BALANCE_ML))
}

/// Keeps the days of the window; applied after scoring, so that windows over earlier days
/// (loads, streaks, acclimatisation) still see the whole history.
pub fn restrict(lf: LazyFrame, window: Window) -> LazyFrame {
    let mut keep = lit(true);
    if let Some(from) = window.from {
        keep = keep.and(col(s::DATE).gt_eq(date_lit(from)));
    }
    if let Some(to) = window.to {
        keep = keep.and(col(s::DATE).lt_eq(date_lit(to)));
    }
    lf.filter(keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sports_are_told_outdoor_and_their_base_once_each() {
        let sports = StringChunked::from_iter_options(
            "sport".into(),
            [
                Some("treadmill run"),
                Some("run"),
                None,
                Some("yoga"),
                Some("run"),
            ]
            .into_iter(),
        );
        let (outdoor, bases) = sport_kinds(&sports);
        let outdoor: Vec<Option<bool>> = outdoor.iter().collect();
        assert_eq!(
            outdoor,
            vec![Some(false), Some(true), None, Some(false), Some(true)]
        );
        let bases: Vec<Option<&str>> = bases.iter().collect();
        assert_eq!(
            bases,
            vec![Some("run"), Some("run"), None, Some("yoga"), Some("run")]
        );
    }
}
