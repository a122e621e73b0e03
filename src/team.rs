//! The squad view for coaches, and the one home of the team ranking: one row per athlete over
//! the reported days — days analysed, days at `high` or above in the 7 and 28 days ending on
//! `as_of`, the latest estimate (`risk_pct` with its range), the mean and maximum, the factors
//! that most often led, and how
//! complete the data was — in the order `rank_order` defines, which team_summary.csv, the team
//! charts, report.html and the terminal all read from here. Takes the finished daily table;
//! computes no estimate.

use std::cmp::Ordering;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::dates;
use crate::model::FactorId;
use crate::reusable_plan::ReusablePlans;
use crate::schema as s;
use crate::schema::Format;
use crate::view::WindowMean;

/// An athlete's place in the team ranking: the values the rule compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub athlete: String,
    /// Mean `risk_pct` over the 7 and the 28 days ending on `as_of`, with the days it rests on.
    pub last7: WindowMean,
    pub last28: WindowMean,
    /// Days at high or above in the 7 days ending on `as_of`.
    pub high_days_last_7: i64,
    /// The `risk_pct` of the athlete's last day on or before `as_of` (unknown when that day has
    /// none).
    pub latest: Option<f64>,
}

/// The ranking rule, the only one: the highest mean `risk_pct` over the last 7 days first;
/// equal means by more days at high or above in those 7 days, then by the higher latest
/// estimate, then by name (A before B, byte order). An unknown mean or latest estimate ranks
/// below every known one: an athlete with no estimate in the week comes last, never as if
/// their risk were 0.
pub fn rank_order(a: &Ranked, b: &Ranked) -> Ordering {
    fn higher_first(x: Option<f64>, y: Option<f64>) -> Ordering {
        match (x, y) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    higher_first(a.last7.mean, b.last7.mean)
        .then(b.high_days_last_7.cmp(&a.high_days_last_7))
        .then(higher_first(a.latest, b.latest))
        .then_with(|| a.athlete.cmp(&b.athlete))
}

/// The ranking as team_summary.csv holds it (built by `team_summary`), in its order.
pub fn ranking(team: &DataFrame) -> anyhow::Result<Vec<Ranked>> {
    if team.height() == 0 {
        return Ok(Vec::new());
    }
    let num = |c: &str| -> anyhow::Result<Vec<Option<f64>>> {
        Ok(team
            .column(c)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .collect())
    };
    let int = |c: &str| -> anyhow::Result<Vec<i64>> {
        Ok(team
            .column(c)?
            .cast(&DataType::Int64)?
            .i64()?
            .iter()
            .map(|v| v.unwrap_or(0))
            .collect())
    };
    let names = team.column(s::ATHLETE)?.str()?.clone();
    let (mean7, mean28, latest) = (
        num("mean_risk_pct_last_7")?,
        num("mean_risk_pct_last_28")?,
        num("latest_risk_pct")?,
    );
    let (days7, days28, high7) = (
        int("estimated_days_last_7")?,
        int("estimated_days_last_28")?,
        int("high_days_last_7")?,
    );
    Ok((0..team.height())
        .map(|i| Ranked {
            athlete: names.get(i).unwrap_or_default().to_string(),
            last7: WindowMean {
                mean: mean7[i],
                days: days7[i].max(0) as usize,
            },
            last28: WindowMean {
                mean: mean28[i],
                days: days28[i].max(0) as usize,
            },
            high_days_last_7: high7[i],
            latest: latest[i],
        })
        .collect())
}

/// The rows of an unordered team frame put in `rank_order`.
fn ranked_rows(df: DataFrame) -> anyhow::Result<DataFrame> {
    let ranked = ranking(&df)?;
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| rank_order(&ranked[a], &ranked[b]));
    let idx = IdxCa::from_vec("idx".into(), order.iter().map(|&i| i as IdxSize).collect());
    Ok(df.take(&idx)?)
}

/// How many leading factors `frequent_top_factors` names.
const FREQUENT_FACTORS: usize = 3;

/// Builds the team summary, its rows in `rank_order` (the order every view shows), from the
/// rows `team_rows` made of the daily table's parts.
///
/// `athletes` has one row per athlete with `profile_defaulted` and `location_note` (see
/// `athlete_frame`).
pub fn team_summary(parts: Vec<DataFrame>, athletes: &DataFrame) -> anyhow::Result<DataFrame> {
    let mut parts = parts.into_iter();
    let Some(mut rows) = parts.next() else {
        return Ok(DataFrame::empty());
    };
    for part in parts {
        rows.vstack_mut_owned(part)?;
    }
    let info = athletes.clone().lazy().select([
        col(s::ATHLETE),
        col("profile_defaulted"),
        col("location_note"),
    ]);
    let df = rows
        .lazy()
        .join(
            info,
            [col(s::ATHLETE)],
            [col(s::ATHLETE)],
            JoinArgs::new(JoinType::Left),
        )
        .collect()?;
    let mut df = ranked_rows(df)?;
    let rank: Vec<i64> = (1..=df.height() as i64).collect();
    df.with_column(Column::new("rank".into(), rank))?;
    Ok(df)
}

/// The team summary's rows of the athletes of `daily` (the reported daily table, or a part of
/// it that holds each of its athletes' days whole, sorted or not), unranked and without the
/// athletes' notes: the aggregations over the week ending `as_of` and over all their days,
/// the factors that most often led and the input most often missing. `analyze` makes them
/// pass by pass, so the days need not be kept for the summary, and through one `plans`, which
/// keep the aggregation's polars plan for the next parts of the run (the same `as_of` and
/// columns): making the plan was a third of what each of some sixty passes cost.
pub fn team_rows(
    daily: &DataFrame,
    as_of: NaiveDate,
    plans: &ReusablePlans,
) -> anyhow::Result<DataFrame> {
    let (aggs, most) = aggregations(as_of)?;
    // The columns the summary reads (those of its expressions the table has: `most_pts` is
    // made on the way), each in one piece: a mean's last bit depends on how polars walks a
    // column's chunks, and one piece gives the sums a single-pass table gives.
    let read: Vec<PlSmallStr> = leaf_columns(&aggs, &most)
        .into_iter()
        .filter(|name| daily.get_column_index(name).is_some())
        .collect();
    let mut whole = daily.select(read)?;
    whole.rechunk_mut_par();
    let mut df = plans.run(whole, |lf| {
        lf.with_column(most.alias("most_pts"))
            .group_by([col(s::ATHLETE)])
            .agg(aggs)
    })?;
    let frequent = frequent_factors(&df)?;
    df.with_column(Column::new("frequent_top_factors".into(), frequent))?;
    for picked in picked_days(daily, &df, as_of)? {
        df.with_column(picked)?;
    }
    let (item, days) = missing_most_often(daily, &df, as_of)?;
    df.with_column(Column::new("missing_most_often".into(), item))?;
    df.with_column(Column::new("missing_most_often_days".into(), days))?;
    Ok(df)
}

/// The athlete and the columns the aggregations and the day's largest multiplier read, each
/// once, in the order first read.
fn leaf_columns(aggs: &[Expr], most: &Expr) -> Vec<PlSmallStr> {
    let mut read: Vec<PlSmallStr> = vec![s::ATHLETE.into()];
    for e in aggs.iter().chain([most]) {
        for name in polars_plan::utils::expr_to_leaf_column_names(e) {
            if !read.contains(&name) {
                read.push(name);
            }
        }
    }
    read
}

/// The summary's per-athlete aggregations for the week ending `as_of`, and the day's largest
/// odds multiplier among the day-to-day factors (`most_pts` in the aggregations).
fn aggregations(as_of: NaiveDate) -> anyhow::Result<(Vec<Expr>, Expr)> {
    let day = |d: NaiveDate| lit(dates::to_days(d)).cast(DataType::Date);
    let within = |n: i64| {
        col(s::DATE)
            .gt_eq(day(as_of - chrono::Duration::days(n - 1)))
            .and(col(s::DATE).lt_eq(day(as_of)))
    };
    let high = col(s::RISK_BAND)
        .eq(lit("high"))
        .or(col(s::RISK_BAND).eq(lit("very_high")));
    // The largest odds multiplier of the day among the day-to-day factors; one "leads" a day
    // when it has it (ties all lead) and it is above 1. Predisposition and sex are left out:
    // they are the same every day for an athlete, so they would lead every day and say
    // nothing about why.
    // One n-ary maximum (unknowns ignored, null only when all are): folding a pairwise
    // `max_known` over ten columns would copy each operand three times per step, a plan of
    // 3^9 nodes that took seconds to run.
    let most = polars::lazy::dsl::max_horizontal(
        day_to_day().map(|f| col(f.or_col())).collect::<Vec<_>>(),
    )?;
    let count = |e: Expr| e.cast(DataType::Int64).sum();
    // The mean estimate of the days kept, to the tenth of a per cent it is shown, ranked and
    // banded in: added up in whole tenths (the estimates' precision) and rounded half away
    // from zero as each estimate is, in integers. Exact, so it does not depend on how the
    // table's rows lie in chunks, as a float mean's last bit does; a mean halfway between two
    // tenths (28.15) prints 28.2 in every run, not as its nearest double falls (28.1), and the
    // ranking and the band of the mean compare what the reader sees. Estimates are never
    // negative, so floor division rounds half up.
    let mean_pct = |keep: Option<Expr>| {
        let mut tenths = (col(s::RISK_PCT) * lit(10.0))
            .round(0, RoundMode::HalfAwayFromZero)
            .cast(DataType::Int64);
        if let Some(keep) = keep {
            tenths = tenths.filter(keep);
        }
        let days = tenths.clone().count().cast(DataType::Int64);
        let rounded = (tenths.sum() * lit(2i64) + days.clone()).floor_div(days.clone() * lit(2i64));
        when(days.gt(lit(0i64)))
            // The division by ten may be planned as a product with 0.1 (489 × 0.1 =
            // 48.900000000000006): rounding to the tenth gives the double nearest it.
            .then(
                (rounded.cast(DataType::Float64) / lit(10.0)).round(1, RoundMode::HalfAwayFromZero),
            )
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let share = |e: Expr| e.cast(DataType::Float64).mean();
    let mut aggs = vec![
        col(s::DATE)
            .count()
            .cast(DataType::Int64)
            .alias("days_analysed"),
        col(s::DATE).min().alias("first_day"),
        col(s::DATE).max().alias("last_day"),
        count(high.clone().and(within(7))).alias("high_days_last_7"),
        count(high.and(within(28))).alias("high_days_last_28"),
        mean_pct(Some(within(7))).alias("mean_risk_pct_last_7"),
        mean_pct(Some(within(28))).alias("mean_risk_pct_last_28"),
        count(col(s::RISK_PCT).is_not_null().and(within(7))).alias("estimated_days_last_7"),
        count(col(s::RISK_PCT).is_not_null().and(within(28))).alias("estimated_days_last_28"),
        mean_pct(None).alias("mean_risk_pct"),
        col(s::RISK_PCT).max().alias("max_risk_pct"),
        col("confidence").mean().alias("mean_confidence"),
        col("confidence")
            .filter(within(7))
            .mean()
            .alias("mean_confidence_last_7"),
        share(col(s::FLUID_INTAKE_ML).is_not_null()).alias("share_days_fluids"),
        share(col(s::TEMP_MAX_C).is_not_null()).alias("share_days_weather"),
        share(
            col(s::STEPS)
                .is_not_null()
                .or(col(s::SEDENTARY_MIN).is_not_null()),
        )
        .alias("share_days_summaries"),
    ];
    for f in day_to_day() {
        let leads = col(f.or_col())
            .eq(col("most_pts"))
            .and(col(f.or_col()).gt(lit(1.0)));
        aggs.push(count(leads).alias(lead_col(f)));
    }
    Ok((aggs, most))
}

/// The factors that change from day to day (all but the profile factors).
fn day_to_day() -> impl Iterator<Item = FactorId> {
    FactorId::ALL.into_iter().filter(|f| !f.day_invariant())
}

fn lead_col(f: FactorId) -> String {
    format!("{}_led_days", f.name())
}

/// `heat 12 d, fatigue 8 d` — the day-to-day factors that led most days, most often first.
fn frequent_factors(df: &DataFrame) -> PolarsResult<Vec<String>> {
    let factors: Vec<FactorId> = day_to_day().collect();
    let mut counts: Vec<Vec<Option<i64>>> = Vec::new();
    for f in &factors {
        counts.push(df.column(&lead_col(*f))?.i64()?.iter().collect());
    }
    Ok((0..df.height())
        .map(|row| {
            let mut led: Vec<(i64, usize)> = (0..factors.len())
                .filter_map(|i| counts[i][row].filter(|&n| n > 0).map(|n| (n, i)))
                .collect();
            // Most days first; equal counts in the model's factor order.
            led.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            led.iter()
                .take(FREQUENT_FACTORS)
                .map(|(n, i)| format!("{} {n} d", factors[*i].name()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect())
}

/// Per athlete of `team` (in its rows' order), the values of two of their days:
/// - their latest day on or before `as_of`: `latest_day`, `latest_risk_pct` with its range,
///   `latest_band` (all unknown when there is no such day);
/// - their day of highest `risk_pct` (`max_risk_day`): the later of equal ones, and when no
///   day has an estimate, their last day.
///
/// One walk over the days, in any order. In the aggregation, the sort of each athlete's days
/// by estimate and date that picked the highest day was a fifth of the team summary's cost.
/// A daily table has one row per athlete and day; were a day there twice, the later row wins.
fn picked_days(daily: &DataFrame, team: &DataFrame, as_of: NaiveDate) -> PolarsResult<Vec<Column>> {
    let names = daily.column(s::ATHLETE)?.str()?;
    let days = daily.column(s::DATE)?.cast(&DataType::Int32)?;
    let days = days.i32()?;
    let pct = daily.column(s::RISK_PCT)?.f64()?;
    let upto = dates::to_days(as_of);
    /// An athlete's picked rows so far: (day, row) of the latest on or before `as_of`, and
    /// (estimate, day, row) of the highest.
    #[derive(Default)]
    struct Picked {
        latest: Option<(i32, usize)>,
        highest: Option<(Option<f64>, i32, usize)>,
    }
    let mut picked: PlHashMap<&str, Picked> = PlHashMap::new();
    for (row, ((name, day), pct)) in names.iter().zip(days.iter()).zip(pct.iter()).enumerate() {
        let (Some(name), Some(day)) = (name, day) else {
            continue;
        };
        let p = picked.entry(name).or_default();
        if day <= upto && p.latest.is_none_or(|(d, _)| day >= d) {
            p.latest = Some((day, row));
        }
        // Unknown below every estimate, then the later day: the order of a sort by estimate
        // (unknowns first) and date, whose last row this is.
        let higher = |(best, best_day, _): (Option<f64>, i32, usize)| {
            crate::daily::cmp_known(pct, best).then(day.cmp(&best_day)) != Ordering::Less
        };
        if p.highest.is_none_or(higher) {
            p.highest = Some((pct, day, row));
        }
    }
    let rows: Vec<Option<&Picked>> = team
        .column(s::ATHLETE)?
        .str()?
        .iter()
        .map(|name| name.and_then(|n| picked.get(n)))
        .collect();
    let latest: Vec<Option<(i32, usize)>> = rows.iter().map(|p| p.and_then(|p| p.latest)).collect();
    let date = |values: Vec<Option<i32>>, name: &str| {
        Int32Chunked::from_iter(values)
            .into_date()
            .into_column()
            .with_name(name.into())
    };
    let mut out = vec![
        date(
            latest.iter().map(|l| l.map(|(day, _)| day)).collect(),
            "latest_day",
        ),
        date(
            rows.iter()
                .map(|p| p.and_then(|p| p.highest).map(|(_, day, _)| day))
                .collect(),
            "max_risk_day",
        ),
    ];
    for (from, name) in [
        (s::RISK_PCT, "latest_risk_pct"),
        (s::RISK_LOW_PCT, "latest_risk_low_pct"),
        (s::RISK_HIGH_PCT, "latest_risk_high_pct"),
    ] {
        let values = daily.column(from)?.f64()?;
        let values: Float64Chunked = latest
            .iter()
            .map(|l| l.and_then(|(_, row)| values.get(row)))
            .collect();
        out.push(values.into_column().with_name(name.into()));
    }
    let bands = daily.column(s::RISK_BAND)?.str()?;
    let bands: StringChunked = latest
        .iter()
        .map(|l| l.and_then(|(_, row)| bands.get(row)))
        .collect();
    out.push(bands.into_column().with_name("latest_band".into()));
    Ok(out)
}

/// Per ranked athlete (the rows of `team`), the input most often listed in `missing_inputs`
/// over the 7 days ending `as_of`, and on how many of those days it was missing; ties go to
/// the name first in alphabetical order. Empty and 0 when nothing was missing.
fn missing_most_often(
    daily: &DataFrame,
    team: &DataFrame,
    as_of: NaiveDate,
) -> PolarsResult<(Vec<String>, Vec<i64>)> {
    let names = daily.column(s::ATHLETE)?.str()?.clone();
    let days = daily.column(s::DATE)?.cast(&DataType::Int32)?;
    let days = days.i32()?;
    let missing = daily.column("missing_inputs")?.str()?.clone();
    let (hi, lo) = (dates::to_days(as_of), dates::to_days(as_of) - 6);
    let mut counts: std::collections::HashMap<&str, Vec<(&str, i64)>> = Default::default();
    for i in 0..daily.height() {
        let (Some(name), Some(day)) = (names.get(i), days.get(i)) else {
            continue;
        };
        if day < lo || day > hi {
            continue;
        }
        let per = counts.entry(name).or_default();
        for item in missing.get(i).unwrap_or("").split("; ").map(str::trim) {
            if item.is_empty() {
                continue;
            }
            match per.iter_mut().find(|(it, _)| *it == item) {
                Some((_, n)) => *n += 1,
                None => per.push((item, 1)),
            }
        }
    }
    let ranked = team.column(s::ATHLETE)?.str()?.clone();
    let (mut items, mut ns) = (Vec::new(), Vec::new());
    for name in ranked.iter() {
        let best = counts
            .get(name.unwrap_or(""))
            .and_then(|per| per.iter().min_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0))));
        items.push(best.map_or(String::new(), |(it, _)| it.to_string()));
        ns.push(best.map_or(0, |(_, n)| *n));
    }
    Ok((items, ns))
}

/// The columns of team_summary.csv, in order, with their format.
pub fn summary_columns() -> Vec<(String, Format)> {
    use Format::*;
    [
        ("rank", Int),
        (s::ATHLETE, Text),
        ("days_analysed", Int),
        ("first_day", Date),
        ("last_day", Date),
        ("high_days_last_7", Int),
        ("high_days_last_28", Int),
        ("latest_day", Date),
        ("latest_risk_pct", Decimals(1)),
        ("latest_risk_low_pct", Decimals(1)),
        ("latest_risk_high_pct", Decimals(1)),
        ("latest_band", Text),
        ("mean_risk_pct_last_7", Decimals(1)),
        ("mean_risk_pct_last_28", Decimals(1)),
        ("mean_risk_pct", Decimals(1)),
        ("max_risk_pct", Decimals(1)),
        ("max_risk_day", Date),
        ("frequent_top_factors", Text),
        ("mean_confidence", Decimals(2)),
        ("mean_confidence_last_7", Decimals(2)),
        ("missing_most_often", Text),
        ("missing_most_often_days", Int),
        ("share_days_fluids", Decimals(2)),
        ("share_days_weather", Decimals(2)),
        ("share_days_summaries", Decimals(2)),
        ("profile_defaulted", Text),
        ("location_note", Text),
    ]
    .iter()
    .map(|(n, f)| (n.to_string(), *f))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A hand-made daily table: athlete `a` over 10 days (2025-07-01..10) and `b` over 3.
    fn daily() -> DataFrame {
        let days: Vec<i32> = (1..=10)
            .map(|i| dates::to_days(d(&format!("2025-07-{i:02}"))))
            .chain((8..=10).map(|i| dates::to_days(d(&format!("2025-07-{i:02}")))))
            .collect();
        let athlete: Vec<&str> = std::iter::repeat_n("a", 10)
            .chain(std::iter::repeat_n("b", 3))
            .collect();
        let score = [
            10.0, 20.0, 55.0, 30.0, 62.0, 40.0, 50.0, 70.0, 35.0, 45.0, 5.0, 80.0, 20.0,
        ];
        let band = [
            "low",
            "low",
            "high",
            "moderate",
            "high",
            "moderate",
            "high",
            "high",
            "moderate",
            "moderate",
            "low",
            "very_high",
            "low",
        ];
        let fluid = [
            Some(1.0),
            None,
            Some(1.0),
            None,
            None,
            Some(1.0),
            Some(1.0),
            Some(1.0),
            None,
            Some(1.0),
            None,
            None,
            None,
        ];
        let temp: Vec<Option<f64>> = (0..13).map(|i| (i < 10).then_some(20.0)).collect();
        let steps: Vec<Option<f64>> = (0..13).map(|i| (i % 2 == 0).then_some(5.0)).collect();
        let sedentary: Vec<Option<f64>> = (0..13).map(|i| (i == 1).then_some(5.0)).collect();
        let mut cols = vec![
            Column::new(s::ATHLETE.into(), athlete),
            Series::new(s::DATE.into(), days)
                .cast(&DataType::Date)
                .unwrap()
                .into(),
            Column::new(s::RISK_PCT.into(), score.to_vec()),
            // Each day's range: 5 points either side of its estimate.
            Column::new(
                s::RISK_LOW_PCT.into(),
                score.iter().map(|v| v - 5.0).collect::<Vec<_>>(),
            ),
            Column::new(
                s::RISK_HIGH_PCT.into(),
                score.iter().map(|v| v + 5.0).collect::<Vec<_>>(),
            ),
            Column::new(s::RISK_BAND.into(), band.to_vec()),
            Column::new("confidence".into(), vec![0.5; 13]),
            Column::new(
                "missing_inputs".into(),
                (0..13)
                    .map(|i| match i {
                        0..=3 | 11 => "fluids log",
                        4 | 12 => "fluids log; weather log",
                        5..=9 => "weather log",
                        _ => "",
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new(s::FLUID_INTAKE_ML.into(), fluid.to_vec()),
            Column::new(s::TEMP_MAX_C.into(), temp),
            Column::new(s::STEPS.into(), steps),
            Column::new(s::SEDENTARY_MIN.into(), sedentary),
        ];
        // Odds multipliers: heat leads days 3, 5, 8 of `a`; fatigue leads days 1, 2, 5 (tie
        // with heat on day 5), 7; on day 4 only predisposition is above 1, and it never counts
        // as leading; nothing leads days 6, 9, 10 (all 1, no effect). On `b` only cold leads, on its second day;
        // its other days are all zero. Warm-up is unknown throughout.
        for f in FactorId::ALL {
            let pts: Vec<Option<f64>> = (0..13)
                .map(|i| {
                    let led = match f {
                        FactorId::Heat => [2, 4, 7].contains(&i),
                        FactorId::Fatigue => [0, 1, 4, 6].contains(&i),
                        FactorId::Predisposition => i == 3,
                        FactorId::Cold => i == 11,
                        _ => false,
                    };
                    if f == FactorId::Warmup {
                        None
                    } else if led {
                        Some(2.0)
                    } else if [3, 5, 8, 9, 10, 12].contains(&i) {
                        Some(1.0)
                    } else {
                        Some(1.1)
                    }
                })
                .collect();
            cols.push(Column::new(f.or_col().into(), pts));
        }
        DataFrame::new_infer_height(cols).unwrap()
    }

    fn athletes() -> DataFrame {
        DataFrame::new_infer_height(vec![
            Column::new(s::ATHLETE.into(), ["a", "b"]),
            Column::new("profile_defaulted".into(), ["", "hr_max"]),
            Column::new("location_note".into(), ["", "no weather for location x"]),
        ])
        .unwrap()
    }

    #[test]
    fn the_input_missing_most_often_over_the_last_7_days() {
        let t = team_summary(
            vec![team_rows(&daily(), d("2025-07-09"), &ReusablePlans::default()).unwrap()],
            &athletes(),
        )
        .unwrap();
        let text = |c: &str| -> Vec<String> {
            let col = t.column(c).unwrap().str().unwrap().clone();
            col.iter().map(|v| v.unwrap_or("").to_string()).collect()
        };
        let int =
            |c: &str| -> Vec<Option<i64>> { t.column(c).unwrap().i64().unwrap().iter().collect() };
        // Rows in rank order: a, b. a's window 07-03..07-09 is rows 2..=8: "fluids log" on
        // rows 2, 3, 4 (3 days), "weather log" on rows 4..=8 (5 days) -> weather log, 5.
        // b's window holds 07-08 (nothing missing) and 07-09 ("fluids log"); 07-10, which
        // also lacks weather, is after the window -> fluids log, 1.
        assert_eq!(text("missing_most_often"), ["weather log", "fluids log"]);
        assert_eq!(int("missing_most_often_days"), [Some(5), Some(1)]);
        // Every day's confidence is 0.5, so the mean over any window is 0.5.
        let conf: Vec<Option<f64>> = t
            .column("mean_confidence_last_7")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(conf, [Some(0.5), Some(0.5)]);
    }

    /// The means add the estimates up in whole tenths and round to the tenth in integers:
    /// exact, whatever the order of the additions or the table's chunks. Float additions of
    /// 0.1 … 0.7 in order give 2.8000000000000003, and / 7 gives 0.4000000000000001; the mean
    /// is 2.8 / 7 = 0.4. The whole period's mean is 43.5 / 10 = 4.35, a half: 4.4 (half up, as
    /// each estimate is rounded), where the float mean prints 4.3 (Python: f"{43.5 / 10:.1f}").
    #[test]
    fn means_are_exact_in_tenths() {
        let mut df = daily();
        let mut pct: Vec<f64> = df
            .column(s::RISK_PCT)
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .map(|v| v.unwrap())
            .collect();
        // a's 07-03..07-09 (rows 2..=8).
        for (k, v) in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7].into_iter().enumerate() {
            pct[2 + k] = v;
        }
        // a's 07-10, after the week.
        pct[9] = 10.7;
        df.with_column(Column::new(s::RISK_PCT.into(), pct))
            .unwrap();
        let whole = team_rows(&df, d("2025-07-09"), &ReusablePlans::default()).unwrap();
        let split = team_rows(
            &df.slice(0, 5)
                .vstack(&df.slice(5, df.height() - 5))
                .unwrap(),
            d("2025-07-09"),
            &ReusablePlans::default(),
        )
        .unwrap();
        for t in [whole, split] {
            let names = t.column(s::ATHLETE).unwrap().str().unwrap().clone();
            let a = (0..t.height())
                .find(|&i| names.get(i) == Some("a"))
                .unwrap();
            let get = |c: &str| t.column(c).unwrap().f64().unwrap().get(a);
            assert_eq!(get("mean_risk_pct_last_7"), Some(0.4));
            // All ten days: 10 + 20 + 2.8 + 10.7 = 43.5, / 10 = 4.35.
            assert_eq!(get("mean_risk_pct"), Some(4.4));
        }
    }

    /// One set of plans serves the parts of a run: each part's rows through the plan made for
    /// the first are the rows a plan made for that part gives.
    #[test]
    fn a_reused_plan_gives_each_parts_own_rows() {
        let df = daily();
        let parts = [df.slice(0, 10), df.slice(10, df.height() - 10), df.clone()];
        let plans = ReusablePlans::default();
        for part in &parts {
            // The groups come in no set order (the summary ranks them later).
            let by_athlete = |t: DataFrame| {
                t.sort([s::ATHLETE], SortMultipleOptions::default())
                    .unwrap()
            };
            let own =
                by_athlete(team_rows(part, d("2025-07-09"), &ReusablePlans::default()).unwrap());
            let reused = by_athlete(team_rows(part, d("2025-07-09"), &plans).unwrap());
            assert!(own.height() > 0);
            assert!(own.equals_missing(&reused), "{own}\n{reused}");
        }
    }

    /// The days picked by one walk, on rows in no order: ties of the highest estimate go to
    /// the later day, an athlete with no estimate at all gets their last day, and one with no
    /// day on or before `as_of` has no latest day (unknown, not a made-up day).
    #[test]
    fn picked_days_of_rows_in_any_order() {
        let day = |i: u32| dates::to_days(d(&format!("2025-07-{i:02}")));
        // c: 07-05 and 07-02 tie at 50 (listed later day first); 07-07 is after as_of.
        // e: no estimate on any day. f: only days after as_of.
        let rows: [(&str, i32, Option<f64>, &str); 7] = [
            ("c", day(5), Some(50.0), "high"),
            ("e", day(3), None, "unknown"),
            ("c", day(7), Some(20.0), "low"),
            ("c", day(2), Some(50.0), "high"),
            ("f", day(9), Some(10.0), "low"),
            ("e", day(6), None, "unknown"),
            ("c", day(4), Some(30.0), "moderate"),
        ];
        let df = DataFrame::new_infer_height(vec![
            Column::new(s::ATHLETE.into(), rows.map(|r| r.0).to_vec()),
            Column::new(s::DATE.into(), rows.map(|r| r.1).to_vec())
                .cast(&DataType::Date)
                .unwrap(),
            Column::new(s::RISK_PCT.into(), rows.map(|r| r.2).to_vec()),
            Column::new(
                s::RISK_LOW_PCT.into(),
                rows.map(|r| r.2.map(|v| v - 5.0)).to_vec(),
            ),
            Column::new(
                s::RISK_HIGH_PCT.into(),
                rows.map(|r| r.2.map(|v| v + 5.0)).to_vec(),
            ),
            Column::new(s::RISK_BAND.into(), rows.map(|r| r.3).to_vec()),
        ])
        .unwrap();
        let team =
            DataFrame::new_infer_height(vec![Column::new(s::ATHLETE.into(), ["f", "c", "e"])])
                .unwrap();
        let picked = picked_days(&df, &team, d("2025-07-06")).unwrap();
        let col = |name: &str| picked.iter().find(|c| c.name() == name).unwrap().clone();
        let days = |name: &str| -> Vec<Option<i32>> {
            col(name)
                .cast(&DataType::Int32)
                .unwrap()
                .i32()
                .unwrap()
                .iter()
                .collect()
        };
        // f, c, e: f has no day up to 07-06; c's latest is 07-05; e's is 07-06.
        assert_eq!(days("latest_day"), [None, Some(day(5)), Some(day(6))]);
        // f's highest is its one day; c's tie 50/50 goes to 07-05; e has no estimate: 07-06.
        assert_eq!(
            days("max_risk_day"),
            [Some(day(9)), Some(day(5)), Some(day(6))]
        );
        let nums = |name: &str| -> Vec<Option<f64>> { col(name).f64().unwrap().iter().collect() };
        assert_eq!(nums("latest_risk_pct"), [None, Some(50.0), None]);
        assert_eq!(nums("latest_risk_low_pct"), [None, Some(45.0), None]);
        assert_eq!(nums("latest_risk_high_pct"), [None, Some(55.0), None]);
        let bands = col("latest_band");
        let bands: Vec<Option<&str>> = bands.str().unwrap().iter().collect();
        assert_eq!(bands, [None, Some("high"), Some("unknown")]);
    }

    #[test]
    fn hand_computed_summary() {
        let t = team_summary(
            vec![team_rows(&daily(), d("2025-07-09"), &ReusablePlans::default()).unwrap()],
            &athletes(),
        )
        .unwrap();
        let get = |c: &str| t.column(c).unwrap().clone();
        // Rank: a's mean over 07-03..07-09 is 342/7 = 48.9, b's (07-08, 07-09) (5+80)/2 = 42.5.
        // a has 4 high days in that week (03, 05, 07, 08), b has 1 (09).
        assert_eq!(get("athlete").str().unwrap().get(0), Some("a"));
        assert_eq!(get("rank").i64().unwrap().get(0), Some(1));
        let a = 0;
        let b = 1;
        assert_eq!(get("days_analysed").i64().unwrap().get(a), Some(10));
        assert_eq!(get("high_days_last_7").i64().unwrap().get(a), Some(4));
        // 28 days back from 07-09 covers 07-01..07-09: highs 03, 05, 07, 08 → 4 (10th is after).
        assert_eq!(get("high_days_last_28").i64().unwrap().get(a), Some(4));
        // Latest on or before as_of (07-09): 35.0, moderate.
        assert_eq!(get("latest_risk_pct").f64().unwrap().get(a), Some(35.0));
        assert_eq!(get("latest_band").str().unwrap().get(a), Some("moderate"));
        assert_eq!(get("latest_risk_low_pct").f64().unwrap().get(a), Some(30.0));
        assert_eq!(
            get("latest_risk_high_pct").f64().unwrap().get(a),
            Some(40.0)
        );
        // Mean of 07-03..07-09: (55+30+62+40+50+70+35)/7 = 342/7 = 48.857…, to the tenth.
        assert_eq!(
            get("mean_risk_pct_last_7").f64().unwrap().get(a),
            Some(48.9)
        );
        // Over the whole window (10 days): 417/10; max 70 on 07-08.
        let m = get("mean_risk_pct").f64().unwrap().get(a).unwrap();
        assert!((m - 41.7).abs() < 1e-9, "{m}");
        assert_eq!(get("max_risk_pct").f64().unwrap().get(a), Some(70.0));
        let max_day = get("max_risk_day").cast(&DataType::Int32).unwrap();
        assert_eq!(
            max_day.i32().unwrap().get(a),
            Some(dates::to_days(d("2025-07-08")))
        );
        // Fluids known on 6 of 10 days, weather on all 10, summaries on days 1,2,3,5,7,9 → 6.
        assert_eq!(get("share_days_fluids").f64().unwrap().get(a), Some(0.6));
        assert_eq!(get("share_days_weather").f64().unwrap().get(a), Some(1.0));
        assert_eq!(get("share_days_summaries").f64().unwrap().get(a), Some(0.6));
        // Leading factors: fatigue 4 d (1, 2, 5, 7), heat 3 d (3, 5, 8); not predisposition.
        assert_eq!(
            get("frequent_top_factors").str().unwrap().get(a),
            Some("fatigue 4 d, heat 3 d")
        );
        // b: 3 days; latest on or before 07-09 is 07-09 (80, very_high); 1 high day.
        assert_eq!(get("athlete").str().unwrap().get(b), Some("b"));
        assert_eq!(get("high_days_last_7").i64().unwrap().get(b), Some(1));
        assert_eq!(get("latest_risk_pct").f64().unwrap().get(b), Some(80.0));
        assert_eq!(get("share_days_weather").f64().unwrap().get(b), Some(0.0));
        assert_eq!(
            get("frequent_top_factors").str().unwrap().get(b),
            Some("cold 1 d")
        );
        assert_eq!(
            get("location_note").str().unwrap().get(b),
            Some("no weather for location x")
        );
    }

    fn ranked(name: &str, mean7: Option<f64>, high: i64, latest: Option<f64>) -> Ranked {
        Ranked {
            athlete: name.to_string(),
            last7: WindowMean {
                mean: mean7,
                days: 7,
            },
            last28: WindowMean {
                mean: None,
                days: 0,
            },
            high_days_last_7: high,
            latest,
        }
    }

    #[test]
    fn rank_order_compares_mean_then_high_days_then_latest_then_name() {
        let mut v = [
            ranked("eve", None, 3, Some(90.0)), // no mean this week: last, whatever else
            ranked("dan", Some(40.0), 1, Some(10.0)),
            ranked("cat", Some(40.0), 2, Some(5.0)), // dan's mean, more high days: before dan
            ranked("bea", Some(40.0), 1, Some(30.0)), // dan's mean and high days, higher latest
            ranked("abe", Some(40.0), 1, Some(10.0)), // a full tie with dan: by name, abe first
            ranked("fay", Some(40.5), 0, None),      // the highest mean leads
            ranked("gus", Some(40.0), 1, None),      // dan's keys but latest unknown: after dan
        ];
        v.sort_by(rank_order);
        let names: Vec<&str> = v.iter().map(|r| r.athlete.as_str()).collect();
        assert_eq!(names, ["fay", "cat", "bea", "abe", "dan", "gus", "eve"]);
    }

    /// `analyze` makes the rows pass by pass, each athlete's days in one part: the summary is
    /// the one made from the whole table, whichever part comes first.
    #[test]
    fn rows_made_in_parts_give_the_summary_of_the_whole() {
        let whole = daily();
        let of = |name: &str| {
            whole
                .clone()
                .lazy()
                .filter(col(s::ATHLETE).eq(lit(name)))
                .collect()
                .unwrap()
        };
        let day = d("2025-07-09");
        let one = team_summary(
            vec![team_rows(&whole, day, &ReusablePlans::default()).unwrap()],
            &athletes(),
        )
        .unwrap();
        let parts = vec![
            team_rows(&of("b"), day, &ReusablePlans::default()).unwrap(),
            team_rows(&of("a"), day, &ReusablePlans::default()).unwrap(),
        ];
        let parted = team_summary(parts, &athletes()).unwrap();
        assert_eq!(one.shape(), parted.shape());
        assert!(one.equals_missing(&parted));
        assert_eq!(team_summary(Vec::new(), &athletes()).unwrap().height(), 0);
    }

    #[test]
    fn the_summary_rows_are_the_ranking_and_read_back_as_it() {
        // Athlete `c` is `a` under another name: a full tie, so `a` ranks before `c`; `b`
        // (42.5, see hand_computed_summary) comes after both (48.9).
        let one = daily();
        let twin = one
            .clone()
            .lazy()
            .filter(col(s::ATHLETE).eq(lit("a")))
            .with_column(lit("c").alias(s::ATHLETE))
            .collect()
            .unwrap();
        let both = one.vstack(&twin).unwrap();
        let t = team_summary(
            vec![team_rows(&both, d("2025-07-09"), &ReusablePlans::default()).unwrap()],
            &athletes(),
        )
        .unwrap();
        let r = ranking(&t).unwrap();
        let names: Vec<&str> = r.iter().map(|r| r.athlete.as_str()).collect();
        assert_eq!(names, ["a", "c", "b"]);
        assert_eq!(r[0].last7, r[1].last7);
        // a's week 07-03..07-09 has 7 estimated days, its 28 days 07-01..07-09 nine.
        assert_eq!(r[0].last7.days, 7);
        assert_eq!(r[0].last28.days, 9);
        // b: 07-08 and 07-09 in both windows.
        assert_eq!(r[2].last28.days, 2);
        let ranks: Vec<Option<i64>> = t.column("rank").unwrap().i64().unwrap().iter().collect();
        assert_eq!(ranks, [Some(1), Some(2), Some(3)]);
    }
}
