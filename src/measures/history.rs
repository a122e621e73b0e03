//! What each athlete's earlier days say about a day: how long their history is, the run of
//! training days up to it, and counts and means over the days before it (hot training days,
//! stretching, sessions a week, usual intensity, typical unreplaced sweat share). Pure: the
//! daily table's columns in, new columns out.
//!
//! Why not polars' window expressions (`over(athlete)`): they were ten windows per pass, each
//! grouping the rows by athlete again; the table is already each athlete's consecutive days in
//! order, so each athlete is a slice. The arithmetic is polars' own where order matters: the
//! rolling sums are polars' `rolling_sum` on each athlete's slice, the running sums add in row
//! order as `cum_sum` does. A test compares every column with the window expressions it
//! replaced.

use polars::prelude::*;

use super::{days_since_first, float_values as floats, kleene_and as and};
use crate::schema as s;

/// The model's parameters the windows use.
#[derive(Debug, Clone, Copy)]
pub struct HistoryParams {
    /// A day counts for the streak with an exercise session at least this hard.
    pub streak_min_intensity: f64,
    /// An outdoor training day at least this hot (WBGT, °C) counts for acclimatisation.
    pub hot_day_wbgt_c: f64,
    pub acclimatisation_window_days: u32,
    pub stretch_window_days: u32,
    pub usual_window_days: u32,
    pub usual_min_days: u32,
}

/// polars' `rolling_sum` (at least one known value) of an athlete's values, taken over the
/// `days` days before each day when `before`, else over the `days` days up to and including it;
/// with nothing known in the window, 0.
fn rolling(values: &[Option<f64>], days: u32, before: bool) -> PolarsResult<Vec<f64>> {
    let series =
        Float64Chunked::from_iter_options(PlSmallStr::EMPTY, values.iter().copied()).into_series();
    let series = if before { series.shift(1) } else { series };
    let summed = series.rolling_sum(RollingOptionsFixedWindow {
        window_size: days.max(1) as usize,
        min_periods: 1,
        ..Default::default()
    })?;
    Ok(summed.f64()?.iter().map(|x| x.unwrap_or(0.0)).collect())
}

/// The columns, in order: `history_days` (days since the athlete's first, 1 on it),
/// `rest_run` (days so far that did not count for the streak: a streak's number),
/// `hot_days_before`, `stretch_before`, `sessions_per_week`, `usual_intensity`,
/// `own_unreplaced_share` and `streak_days`. The rows must be each athlete's consecutive days
/// in order (the daily grid), with `exercise_sessions` and `stretch_sessions` known (0 on rest
/// days).
pub fn history_columns(df: &DataFrame, p: &HistoryParams) -> PolarsResult<Vec<Column>> {
    let n = df.height();
    let names = df.column(s::ATHLETE)?.str()?;
    let days: Vec<Option<i32>> = df.column(s::DATE)?.date()?.physical().iter().collect();
    let exercise_sessions: Vec<Option<i32>> =
        df.column("exercise_sessions")?.i32()?.iter().collect();
    let stretch_sessions: Vec<Option<i32>> = df.column("stretch_sessions")?.i32()?.iter().collect();
    let hardest = floats(df, "hardest_intensity")?;
    let hardest_known = floats(df, "hardest_known_intensity")?;
    let outdoor_wbgt = floats(df, "outdoor_wbgt")?;
    let need = floats(df, s::FLUID_NEED_ML)?;
    let balance = floats(df, s::FLUID_BALANCE_ML)?;

    let mut history_days: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut rest_run: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut streak_days: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut hot_days: Vec<f64> = Vec::with_capacity(n);
    let mut stretch_before: Vec<f64> = Vec::with_capacity(n);
    let mut per_week: Vec<f64> = Vec::with_capacity(n);
    let mut usual: Vec<Option<f64>> = Vec::with_capacity(n);
    let mut own_share: Vec<Option<f64>> = Vec::with_capacity(n);
    for (start, end) in super::athlete_runs(names) {
        let rows = start..end;
        let exercise: Vec<Option<bool>> = exercise_sessions[rows.clone()]
            .iter()
            .map(|x| x.map(|x| x > 0))
            .collect();
        // history_days: the days since the athlete's first, 1 on it.
        history_days.extend(
            days_since_first(&days[rows.clone()])
                .into_iter()
                .map(|d| d.map(|d| d + 1)),
        );
        // The streak: days that count — an exercise session of at least moderate intensity
        // (stretching, yoga, mobility or an easy walk alone do not make overuse) — the running
        // number of days that did not (null where the day's intensity leaves it unknown), and
        // the count within each number.
        let streak_day: Vec<Option<bool>> = rows
            .clone()
            .zip(&exercise)
            .map(|(i, &e)| and(e, hardest[i].map(|h| h >= p.streak_min_intensity)))
            .collect();
        let mut run = 0i32;
        let mut in_streak: Option<(i32, i32)> = None;
        for &counts in &streak_day {
            let Some(counts) = counts else {
                rest_run.push(None);
                streak_days.push(None);
                continue;
            };
            run += i32::from(!counts);
            rest_run.push(Some(run));
            let so_far = match in_streak {
                Some((r, k)) if r == run => k,
                _ => 0,
            } + i32::from(counts);
            in_streak = Some((run, so_far));
            streak_days.push(Some(so_far));
        }
        let as_float = |b: Option<bool>| b.map(|b| f64::from(u8::from(b)));
        let hot: Vec<Option<f64>> = rows
            .clone()
            .zip(&exercise)
            .map(|(i, &e)| as_float(and(e, outdoor_wbgt[i].map(|w| w >= p.hot_day_wbgt_c))))
            .collect();
        hot_days.extend(rolling(&hot, p.acclimatisation_window_days, true)?);
        let stretch: Vec<Option<f64>> = stretch_sessions[rows.clone()]
            .iter()
            .map(|x| x.map(f64::from))
            .collect();
        stretch_before.extend(rolling(&stretch, p.stretch_window_days, true)?);
        let sessions: Vec<Option<f64>> = exercise_sessions[rows.clone()]
            .iter()
            .map(|x| x.map(f64::from))
            .collect();
        per_week.extend(rolling(&sessions, 28, false)?.into_iter().map(|x| x / 4.0));
        // The athlete's usual intensity: the mean hardest known intensity of the training
        // days before, over enough of them.
        let usual_day: Vec<Option<f64>> = rows
            .clone()
            .zip(&exercise)
            .map(|(i, &e)| as_float(and(e, Some(hardest_known[i].is_some()))))
            .collect();
        let usual_sum_of: Vec<Option<f64>> = rows
            .clone()
            .zip(&exercise)
            .map(|(i, &e)| {
                Some(if e == Some(true) {
                    hardest_known[i].unwrap_or(0.0)
                } else {
                    0.0
                })
            })
            .collect();
        let usual_days = rolling(&usual_day, p.usual_window_days, true)?;
        let usual_sum = rolling(&usual_sum_of, p.usual_window_days, true)?;
        usual.extend(
            usual_days
                .iter()
                .zip(&usual_sum)
                .map(|(&d, &sum)| (d >= f64::from(p.usual_min_days)).then(|| sum / d)),
        );
        // The athlete's own typical share of the day's fluid need not drunk on training days,
        // from at least 5 such days *before* this one (a running sum in row order): an
        // expanding mean of the previous days only, so a day's risk never depends on what
        // happened after it (the daily table is causal; evaluation relies on it).
        let (mut count, mut sum) = (0.0f64, 0.0f64);
        for (i, &e) in rows.clone().zip(&exercise) {
            let before = (i > start).then_some((count, sum));
            own_share.push(before.and_then(|(c, s)| (c >= 5.0).then(|| s / c)));
            let share = match (e, need[i]) {
                (Some(true), Some(need)) if need > 0.0 => {
                    balance[i].map(|b| (-b / need).clamp(0.0, 1.0))
                }
                _ => None,
            };
            count += f64::from(u8::from(share.is_some()));
            sum += share.unwrap_or(0.0);
        }
    }
    Ok(vec![
        Column::new("history_days".into(), history_days),
        Column::new("rest_run".into(), rest_run),
        Column::new("hot_days_before".into(), hot_days),
        Column::new("stretch_before".into(), stretch_before),
        Column::new("sessions_per_week".into(), per_week),
        Column::new("usual_intensity".into(), usual),
        Column::new("own_unreplaced_share".into(), own_share),
        Column::new("streak_days".into(), streak_days),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::testing::assert_same_column;

    /// The window expressions the loop replaced (docs/performance.md, sixteenth session).
    fn by_expressions(p: &HistoryParams) -> Vec<Expr> {
        let over = |e: Expr| e.over([col(s::ATHLETE)]).unwrap();
        let previous_days_sum = |x: Expr, days: u32| {
            over(
                x.cast(DataType::Float64)
                    .shift(lit(1))
                    .rolling_sum(RollingOptionsFixedWindow {
                        window_size: days.max(1) as usize,
                        min_periods: 1,
                        ..Default::default()
                    })
                    .fill_null(lit(0.0)),
            )
        };
        let null_f64 = || lit(NULL).cast(DataType::Float64);
        let day_int = col(s::DATE).cast(DataType::Int32);
        let exercise = col("exercise_sessions").gt(lit(0));
        let streak_day = exercise
            .clone()
            .and(col("hardest_intensity").gt_eq(lit(p.streak_min_intensity)));
        let rest_run = streak_day
            .clone()
            .not()
            .cast(DataType::Int32)
            .cum_sum(false);
        let hot_training = exercise
            .clone()
            .and(col("outdoor_wbgt").gt_eq(lit(p.hot_day_wbgt_c)));
        let known_intensity = col("hardest_known_intensity");
        let usual_days = previous_days_sum(
            exercise.clone().and(known_intensity.clone().is_not_null()),
            p.usual_window_days,
        );
        let usual_sum = previous_days_sum(
            when(exercise.clone())
                .then(known_intensity.fill_null(lit(0.0)))
                .otherwise(lit(0.0)),
            p.usual_window_days,
        );
        let share = when(exercise.clone().and(col(s::FLUID_NEED_ML).gt(lit(0.0))))
            .then(((-col(s::FLUID_BALANCE_ML)) / col(s::FLUID_NEED_ML)).clip(lit(0.0), lit(1.0)))
            .otherwise(null_f64());
        let known_before = || {
            over(
                share
                    .clone()
                    .is_not_null()
                    .cast(DataType::Float64)
                    .cum_sum(false)
                    .shift(lit(1)),
            )
        };
        vec![
            (over(day_int.clone() - day_int.min()) + lit(1)).alias("history_days"),
            over(rest_run).alias("rest_run"),
            previous_days_sum(hot_training, p.acclimatisation_window_days).alias("hot_days_before"),
            previous_days_sum(col("stretch_sessions"), p.stretch_window_days)
                .alias("stretch_before"),
            (over(
                col("exercise_sessions")
                    .cast(DataType::Float64)
                    .rolling_sum(RollingOptionsFixedWindow {
                        window_size: 28,
                        min_periods: 1,
                        ..Default::default()
                    }),
            ) / lit(4.0))
            .alias("sessions_per_week"),
            when(usual_days.clone().gt_eq(lit(p.usual_min_days as f64)))
                .then(usual_sum / usual_days)
                .otherwise(null_f64())
                .alias("usual_intensity"),
            when(known_before().gt_eq(lit(5.0)))
                .then(
                    over(
                        share
                            .clone()
                            .fill_null(lit(0.0))
                            .cum_sum(false)
                            .shift(lit(1)),
                    ) / known_before(),
                )
                .otherwise(null_f64())
                .alias("own_unreplaced_share"),
        ]
    }

    fn streak_by_expression(p: &HistoryParams) -> Expr {
        col("exercise_sessions")
            .gt(lit(0))
            .and(col("hardest_intensity").gt_eq(lit(p.streak_min_intensity)))
            .cast(DataType::Int32)
            .cum_sum(false)
            .over([col(s::ATHLETE), col("rest_run")])
            .unwrap()
            .alias("streak_days")
    }

    /// Athletes of different lengths (one of a single day), days drawn from few values so that
    /// streaks, unknown intensities, unknown fluids and hot days are common: every column the
    /// loop gives is the expressions', bit for bit and type for type.
    #[test]
    fn the_loop_gives_the_window_expressions_columns() {
        let p = HistoryParams {
            streak_min_intensity: 0.5,
            hot_day_wbgt_c: 23.0,
            acclimatisation_window_days: 14,
            stretch_window_days: 7,
            usual_window_days: 28,
            usual_min_days: 3,
        };
        let mut draws = fastrand::Rng::with_seed(0x2545_f491_4f6c_dd1d);
        let mut next = |n: u64| draws.u64(..n);
        let lengths = [90usize, 1, 40, 200, 7];
        let (mut names, mut days) = (Vec::new(), Vec::new());
        for (k, &len) in lengths.iter().enumerate() {
            for d in 0..len {
                names.push(format!("athlete {k}"));
                days.push(19_000 + 3 * k as i32 + d as i32);
            }
        }
        let n = names.len();
        let mut draw_f = |values: &[f64], nulls: u64| -> Vec<Option<f64>> {
            (0..n)
                .map(|_| (next(100) >= nulls).then(|| values[next(values.len() as u64) as usize]))
                .collect()
        };
        let hardest = draw_f(&[0.3, 0.5, 0.55, 0.9], 15);
        let known = draw_f(&[0.31, 0.47, 0.6123, 0.9], 40);
        let wbgt = draw_f(&[18.0, 23.0, 27.5], 50);
        let need = draw_f(&[0.0, 2500.0, 3333.3], 10);
        let balance = draw_f(&[-900.0, -0.0, 0.0, 120.0, -3400.7, -333.33], 30);
        let exercise: Vec<i32> = (0..n).map(|_| next(3) as i32).collect();
        let stretch: Vec<i32> = (0..n).map(|_| (next(5) == 0) as i32).collect();
        let df = DataFrame::new_infer_height(vec![
            Column::new(s::ATHLETE.into(), names),
            Column::new(s::DATE.into(), days)
                .cast(&DataType::Date)
                .unwrap(),
            Column::new("exercise_sessions".into(), exercise),
            Column::new("stretch_sessions".into(), stretch),
            Column::new("hardest_intensity".into(), hardest),
            Column::new("hardest_known_intensity".into(), known),
            Column::new("outdoor_wbgt".into(), wbgt),
            Column::new(s::FLUID_NEED_ML.into(), need),
            Column::new(s::FLUID_BALANCE_ML.into(), balance),
        ])
        .unwrap();
        let expected = df
            .clone()
            .lazy()
            .with_columns(by_expressions(&p))
            .with_column(streak_by_expression(&p))
            .collect()
            .unwrap();
        let got = history_columns(&df, &p).unwrap();
        assert_eq!(got.len(), 8);
        let streaks = got[7]
            .i32()
            .unwrap()
            .iter()
            .flatten()
            .filter(|&k| k >= 3)
            .count();
        assert!(streaks > 20, "{streaks} days 3 or more into a streak");
        let own = got[6].f64().unwrap().iter().flatten().count();
        assert!(own > 100, "{own} days with an own share");
        let usual = got[5].f64().unwrap().iter().flatten().count();
        assert!(usual > 100, "{usual} days with a usual intensity");
        for g in &got {
            assert_same_column(g, expected.column(g.name()).unwrap());
        }
    }
}
