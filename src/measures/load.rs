//! Training load: each session's load in Banister TRIMP units, and the daily load's
//! exponentially weighted averages (ATL, CTL, TSB and the EWMA ACWR).
//! Formulas and test values: ../shared/reference/science.md §B.

use polars::prelude::*;

/// Banister TRIMP coefficients (Morton, Fitz-Clarke & Banister 1990): TRIMP = min·x·a·e^(b·x).
pub const TRIMP_MEN: (f64, f64) = (0.64, 1.92);
/// Women's coefficients; GoldenCheetah and Elevate keep a = 0.64 for both, we follow the paper.
pub const TRIMP_WOMEN: (f64, f64) = (0.86, 1.67);

/// Heart-rate-reserve fraction assumed per sport when a session has neither a given load,
/// nor heart rate, nor RPE (a moderate session of that sport). A documented heuristic.
pub const SPORT_INTENSITY: [(&str, f64); 10] = [
    ("run", 0.70),
    ("ride", 0.65),
    ("swim", 0.65),
    ("soccer", 0.70),
    ("basketball", 0.70),
    ("strength", 0.55),
    ("walk", 0.40),
    ("yoga", 0.30),
    ("stretching", 0.25),
    ("mobility", 0.25),
];
/// Intensity of a sport missing from [`SPORT_INTENSITY`].
pub const OTHER_SPORT_INTENSITY: f64 = 0.60;

/// x = (HR_avg − HR_rest) / (HR_max − HR_rest), clamped to [0, 1] (an average below rest
/// scores 0, as in GoldenCheetah).
pub fn hrr_fraction(avg_hr: Expr, hr_rest: Expr, hr_max: Expr) -> Expr {
    ((avg_hr - hr_rest.clone()) / (hr_max - hr_rest)).clip(lit(0.0), lit(1.0))
}

/// Banister TRIMP = minutes · x · a · e^(b·x); the women's coefficients where `female` is true,
/// the men's otherwise (also when sex is unknown, GoldenCheetah's default).
pub fn banister_trimp(minutes: Expr, x: Expr, female: Expr) -> Expr {
    let is_female = female.fill_null(lit(false));
    let a = when(is_female.clone())
        .then(lit(TRIMP_WOMEN.0))
        .otherwise(lit(TRIMP_MEN.0));
    let b = when(is_female)
        .then(lit(TRIMP_WOMEN.1))
        .otherwise(lit(TRIMP_MEN.1));
    minutes * x.clone() * a * (b * x).exp()
}

/// The per-sport intensity of [`SPORT_INTENSITY`] for a lowercase sport name.
pub fn sport_intensity(sport: Expr) -> Expr {
    super::lookup(sport, &SPORT_INTENSITY, OTHER_SPORT_INTENSITY)
}

/// Session RPE mapped to a heart-rate-reserve fraction: x = RPE/10 (the CR-10 scale read as a
/// share of effort), so RPE-only sessions go through the same Banister formula and stay in
/// TRIMP units.
pub fn rpe_fraction(rpe: Expr) -> Expr {
    (rpe / lit(10.0)).clip(lit(0.0), lit(1.0))
}

/// The session columns the load is computed from.
#[derive(Clone)]
pub struct SessionColumns {
    pub given: Expr,
    pub minutes: Expr,
    pub avg_hr: Expr,
    pub hr_rest: Expr,
    pub hr_max: Expr,
    pub rpe: Expr,
    pub sport: Expr,
    pub female: Expr,
}

/// A session's intensity as a heart-rate-reserve fraction: from heart rate, else RPE/10, else
/// the sport's default.
pub fn session_intensity(c: &SessionColumns) -> Expr {
    coalesce(&[
        hrr_fraction(c.avg_hr.clone(), c.hr_rest.clone(), c.hr_max.clone()),
        rpe_fraction(c.rpe.clone()),
        sport_intensity(c.sport.clone()),
    ])
}

/// One session's load: the given `load`; else TRIMP from average heart rate (needs hr_rest
/// and hr_max); else TRIMP from RPE; else TRIMP from the sport's default intensity.
pub fn session_load(c: &SessionColumns) -> Expr {
    let SessionColumns {
        given,
        minutes,
        avg_hr,
        hr_rest,
        hr_max,
        rpe,
        sport,
        female,
    } = c.clone();
    let from_hr = banister_trimp(
        minutes.clone(),
        hrr_fraction(avg_hr, hr_rest, hr_max),
        female.clone(),
    );
    let from_rpe = banister_trimp(minutes.clone(), rpe_fraction(rpe), female.clone());
    let from_sport = banister_trimp(minutes, sport_intensity(sport), female);
    coalesce(&[given, from_hr, from_rpe, from_sport])
}

fn ewma(x: Expr, alpha: f64) -> Expr {
    x.ewm_mean(EWMOptions {
        alpha,
        adjust: false,
        bias: false,
        min_periods: 1,
        ignore_nulls: false,
    })
}

/// The GoldenCheetah PMC average: x_t = x_(t−1) + k·(load_t − x_(t−1)), k = 1 − e^(−1/τ),
/// starting from `seed` the day before the first day (GoldenCheetah starts from 0).
///
/// polars' recursive EWMA starts at the first value (y_0 = load_0) instead; the two differ
/// by d_t = (1−k)^(t+1)·(load_0 − seed) (d_0 = (1−k)·(load_0 − seed) and both recurrences
/// shrink it by (1−k) a day), which is subtracted. `day` is the 0-based day index,
/// `first_load` the first day's load; the rows must be consecutive calendar days in order.
pub fn pmc_average(load: Expr, tau_days: f64, day: Expr, first_load: Expr, seed: Expr) -> Expr {
    let k = 1.0 - (-1.0 / tau_days).exp();
    let decay = lit(1.0 - k).pow(day.cast(DataType::Float64) + lit(1.0));
    ewma(load, k) - decay * (first_load - seed)
}

/// Days whose mean daily load seeds CTL and ATL (`pmc_seed`).
pub const PMC_SEED_DAYS: i32 = 28;

/// The PMC's starting value: the mean daily load (rest days as 0) of the first
/// `PMC_SEED_DAYS` days, up to the last day with a session (`last_session_day`; days a
/// `--to` adds after it do not dilute it). Starting from 0, as GoldenCheetah does, would make
/// every export open with weeks of "fatigue" (ATL rises 6× faster than CTL) that is only the
/// chart warming up; intervals.icu lets users set the starting fitness for the same reason.
pub fn pmc_seed(load: Expr, day: Expr, last_session_day: Expr) -> Expr {
    load.filter(
        day.clone()
            .lt(lit(PMC_SEED_DAYS))
            .and(day.lt_eq(last_session_day)),
    )
    .mean()
    .fill_null(lit(0.0))
}

/// A session's intensity when it is measured (heart rate, else RPE/10); null when only the
/// sport's default is known.
pub fn known_session_intensity(c: &SessionColumns) -> Expr {
    coalesce(&[
        hrr_fraction(c.avg_hr.clone(), c.hr_rest.clone(), c.hr_max.clone()),
        rpe_fraction(c.rpe.clone()),
    ])
}

/// The EWMA of Williams et al. 2017: λ = 2/(N+1), started at the first day's load.
pub fn williams_ewma(load: Expr, span_days: f64) -> Expr {
    ewma(load, 2.0 / (span_days + 1.0))
}

/// ACWR = EWMA(7) / EWMA(28); null before the 28th day (`day` < 27) and when chronic is 0.
pub fn acwr(acute: Expr, chronic: Expr, day: Expr) -> Expr {
    when(day.gt_eq(lit(27)).and(chronic.clone().gt(lit(0.0))))
        .then(acute / chronic)
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// polars' recursive EWMA (`ewm_mean`, not adjusted, started at the first value) of an
/// athlete's daily loads.
fn ewm(loads: &Series, alpha: f64) -> PolarsResult<Vec<Option<f64>>> {
    let out = ewm_mean(
        loads,
        EWMOptions {
            alpha,
            adjust: false,
            bias: false,
            min_periods: 1,
            ignore_nulls: false,
        },
    )?;
    Ok(out.f64()?.iter().collect())
}

/// ATL and CTL (the seeded GoldenCheetah PMC, `pmc_average`), the EWMA ACWR and TSB (form going
/// into the day, yesterday's CTL − ATL; 0 on the first day) of each athlete's daily load, on
/// the athlete's slice of the daily grid (`athlete`, `date`, `load` with rest days 0,
/// `sessions`): the formulas of `pmc_average`, `pmc_seed`, `williams_ewma` and `acwr`, with
/// polars' EWMA kernel, so the values are the expressions' (a test compares them bit for bit).
pub fn pmc_columns(df: &DataFrame) -> PolarsResult<Vec<Column>> {
    use crate::schema as s;
    let names = df.column(s::ATHLETE)?.str()?;
    let dates: Vec<Option<i32>> = df.column(s::DATE)?.date()?.physical().iter().collect();
    let loads = df.column(s::LOAD)?.f64()?;
    let sessions: Vec<Option<i32>> = df.column(s::SESSIONS)?.i32()?.iter().collect();
    let n = df.height();
    let (mut atl, mut ctl, mut acwr, mut tsb) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (start, end) in super::athlete_runs(names) {
        let rows = start..end;
        let day = super::days_since_first(&dates[rows.clone()]);
        let load = loads.slice(start as i64, end - start).into_series();
        let values: Vec<Option<f64>> = load.f64()?.iter().collect();
        let last_session_day = rows
            .clone()
            .zip(&day)
            .filter(|(i, _)| sessions[*i].is_some_and(|k| k > 0))
            .filter_map(|(_, d)| *d)
            .max();
        // The seed: the mean of the first days' loads, as polars' group mean adds them.
        let mut seed_days = super::GroupSum::default();
        for (v, d) in values.iter().zip(&day) {
            let in_seed = d
                .zip(last_session_day)
                .is_some_and(|(d, last)| d < PMC_SEED_DAYS && d <= last);
            if let (true, Some(v)) = (in_seed, v) {
                seed_days.add(Some(*v));
            }
        }
        let seed = seed_days.mean().unwrap_or(0.0);
        let first_load = values.first().copied().flatten();
        let pmc = |tau_days: f64| -> PolarsResult<Vec<Option<f64>>> {
            let k = 1.0 - (-1.0 / tau_days).exp();
            Ok(ewm(&load, k)?
                .into_iter()
                .zip(&day)
                .map(|(e, d)| {
                    let decay = (1.0 - k).powf(f64::from((*d)?) + 1.0);
                    Some(e? - decay * (first_load? - seed))
                })
                .collect())
        };
        let (a, c) = (pmc(7.0)?, pmc(42.0)?);
        let acute = ewm(&load, 2.0 / (7.0 + 1.0))?;
        let chronic = ewm(&load, 2.0 / (28.0 + 1.0))?;
        acwr.extend(acute.iter().zip(&chronic).zip(&day).map(|((a, c), d)| {
            let (a, c, d) = ((*a)?, (*c)?, (*d)?);
            (d >= 27 && c > 0.0).then(|| a / c)
        }));
        tsb.push(0.0);
        tsb.extend(
            c.iter()
                .zip(&a)
                .take(end - start - 1)
                .map(|(c, a)| c.zip(*a).map_or(0.0, |(c, a)| c - a)),
        );
        atl.extend(a);
        ctl.extend(c);
    }
    Ok(vec![
        Column::new(s::ATL.into(), atl),
        Column::new(s::CTL.into(), ctl),
        Column::new(s::ACWR.into(), acwr),
        Column::new(s::TSB.into(), tsb),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::testing::{close, eval};

    #[test]
    fn trimp_matches_hand_computed_values() {
        // science.md §B.5: 60 min, HR 150, rest 60, max 190 → men 100.44, women 113.52;
        // 30 min, HR 120, rest 50, max 200 → men 21.95, women 26.25.
        let df = df!(
            "min" => [60.0, 60.0, 30.0, 30.0],
            "hr" => [150.0, 150.0, 120.0, 120.0],
            "rest" => [60.0, 60.0, 50.0, 50.0],
            "max" => [190.0, 190.0, 200.0, 200.0],
            "female" => [Some(false), Some(true), None, Some(true)],
        )
        .unwrap();
        let x = hrr_fraction(col("hr"), col("rest"), col("max"));
        let got = eval(df, banister_trimp(col("min"), x, col("female")));
        close(got[0], 100.44, 0.01);
        close(got[1], 113.52, 0.01);
        close(got[2], 21.95, 0.01);
        close(got[3], 26.25, 0.01);
    }

    #[test]
    fn load_falls_back_in_order() {
        let df = df!(
            "given" => [Some(80.0), None, None, None],
            "min" => [60.0, 60.0, 60.0, 60.0],
            "hr" => [Some(150.0), Some(150.0), None, None],
            "rpe" => [None, Some(7.0), Some(7.0), None],
            "sport" => ["run", "run", "run", "yoga"],
        )
        .unwrap();
        let load = session_load(&SessionColumns {
            given: col("given"),
            minutes: col("min"),
            avg_hr: col("hr"),
            hr_rest: lit(60.0),
            hr_max: lit(190.0),
            rpe: col("rpe"),
            sport: col("sport"),
            female: lit(false),
        });
        let got = eval(df, load);
        close(got[0], 80.0, 1e-9);
        close(got[1], 100.44, 0.01);
        // RPE 7 → x 0.7: 60·0.7·0.64·e^(1.344) = 26.88·3.8347 = 103.07
        close(got[2], 103.07, 0.01);
        // yoga, x 0.3: 60·0.3·0.64·e^(0.576) = 20.49
        close(got[3], 20.49, 0.01);
    }

    fn pmc(loads: &[f64], tau: f64) -> Vec<Option<f64>> {
        let day: Vec<i32> = (0..loads.len() as i32).collect();
        let df = df!("load" => loads, "day" => day).unwrap();
        eval(
            df,
            pmc_average(col("load"), tau, col("day"), col("load").first(), lit(0.0)),
        )
    }

    #[test]
    fn seeded_pmc_starts_from_the_seed() {
        // Seed 50, then loads 0, 0: ATL (τ 7) = 50·0.866878 = 43.3439, then 37.5738;
        // CTL (τ 42) = 50·0.976472 = 48.8236, then 47.6749. Constant 100 seeded at 100 stays
        // at 100.
        let day: Vec<i32> = vec![0, 1];
        let df = df!("load" => [0.0, 0.0], "day" => day.clone()).unwrap();
        let seeded = |tau| {
            eval(
                df.clone(),
                pmc_average(col("load"), tau, col("day"), col("load").first(), lit(50.0)),
            )
        };
        let atl = seeded(7.0);
        close(atl[0], 43.3439, 1e-4);
        close(atl[1], 37.5738, 1e-4);
        let ctl = seeded(42.0);
        close(ctl[0], 48.8236, 1e-4);
        close(ctl[1], 47.6749, 1e-4);
        let flat = df!("load" => [100.0, 100.0], "day" => day).unwrap();
        let got = eval(
            flat,
            pmc_average(
                col("load"),
                42.0,
                col("day"),
                col("load").first(),
                lit(100.0),
            ),
        );
        close(got[1], 100.0, 1e-9);
    }

    #[test]
    fn pmc_seed_is_the_mean_of_the_first_days_up_to_the_last_session() {
        // Days 0..4: loads 90, 0, 30, 0, 0 with the last session on day 2 → (90+0+30)/3 = 40.
        let df = df!("load" => [90.0, 0.0, 30.0, 0.0, 0.0], "day" => [0, 1, 2, 3, 4]).unwrap();
        let got = eval(df, pmc_seed(col("load"), col("day"), lit(2)));
        close(got[0], 40.0, 1e-9);
    }

    #[test]
    fn pmc_matches_goldencheetah_worked_examples() {
        // science.md §B.3: 100/day → day 1 CTL 2.3528, ATL 13.3122; day 7 CTL 15.3518,
        // ATL 63.2121; day 42 CTL 63.2121, ATL 99.7521.
        let constant = vec![100.0; 42];
        let ctl = pmc(&constant, 42.0);
        let atl = pmc(&constant, 7.0);
        close(ctl[0], 2.3528, 1e-4);
        close(atl[0], 13.3122, 1e-4);
        close(ctl[6], 15.3518, 1e-4);
        close(atl[6], 63.2121, 1e-4);
        close(ctl[41], 63.2121, 1e-4);
        close(atl[41], 99.7521, 1e-4);
        // single 100 then six zeros: day 7 CTL 2.0396, ATL 5.6493
        let single = [100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        close(pmc(&single, 42.0)[6], 2.0396, 1e-4);
        close(pmc(&single, 7.0)[6], 5.6493, 1e-4);
        // [50,80,0,120,60,0,150,90,40,0] day 10: CTL 12.4301, ATL 42.5533
        let seq = [50.0, 80.0, 0.0, 120.0, 60.0, 0.0, 150.0, 90.0, 40.0, 0.0];
        close(pmc(&seq, 42.0)[9], 12.4301, 1e-4);
        close(pmc(&seq, 7.0)[9], 42.5533, 1e-4);
    }

    #[test]
    fn acwr_matches_worked_example() {
        // science.md §B.4: 21 days at 300, then 3 × 300, then 4 × 600 → ACWR 1.348 on day 28
        // (acute 505.08, chronic 374.58).
        let mut loads = vec![300.0; 24];
        loads.extend([600.0; 4]);
        let day: Vec<i32> = (0..28).collect();
        let df = df!("load" => loads, "day" => day).unwrap();
        let acute = eval(df.clone(), williams_ewma(col("load"), 7.0));
        let chronic = eval(df.clone(), williams_ewma(col("load"), 28.0));
        close(acute[27], 505.08, 0.01);
        close(chronic[27], 374.58, 0.01);
        let ratio = eval(
            df,
            acwr(
                williams_ewma(col("load"), 7.0),
                williams_ewma(col("load"), 28.0),
                col("day"),
            ),
        );
        close(ratio[27], 1.348, 0.001);
        assert_eq!(ratio[26], None, "empty before the 28th day");
    }

    /// The PMC of the expressions the loop replaced (daily's window expressions over the
    /// athlete), and TSB as yesterday's CTL − ATL.
    fn pmc_by_expressions() -> Vec<Expr> {
        use crate::schema as s;
        let day_int = col(s::DATE).cast(DataType::Int32);
        let day = day_int.clone() - day_int.min();
        let last_session_day = day.clone().filter(col(s::SESSIONS).gt(lit(0))).max();
        let pmc = |tau: f64| {
            pmc_average(
                col(s::LOAD),
                tau,
                day.clone(),
                col(s::LOAD).first(),
                pmc_seed(col(s::LOAD), day.clone(), last_session_day.clone()),
            )
            .over([col(s::ATHLETE)])
            .unwrap()
        };
        vec![
            pmc(7.0).alias(s::ATL),
            pmc(42.0).alias(s::CTL),
            acwr(
                williams_ewma(col(s::LOAD), 7.0),
                williams_ewma(col(s::LOAD), 28.0),
                day,
            )
            .over([col(s::ATHLETE)])
            .unwrap()
            .alias(s::ACWR),
        ]
    }

    /// Athletes of many lengths (one of a single day, one without a session, one whose
    /// sessions start after the seed's 28 days), loads drawn with fractions: the loop's ATL,
    /// CTL, ACWR and TSB are the expressions', bit for bit.
    #[test]
    fn pmc_columns_are_the_expressions() {
        use crate::measures::testing::assert_same_column;
        use crate::schema as s;
        let mut draws = fastrand::Rng::with_seed(0x51_7cc1_b727_220a);
        let lengths = [120usize, 1, 45, 400, 2, 60];
        let (mut names, mut days, mut loads, mut sessions) = (vec![], vec![], vec![], vec![]);
        for (k, &len) in lengths.iter().enumerate() {
            for d in 0..len {
                names.push(format!("athlete {k}"));
                days.push(19_000 + 5 * k as i32 + d as i32);
                let trains = match k {
                    2 => false,
                    5 => d >= 30 && draws.u64(..2) == 0,
                    _ => draws.u64(..3) > 0,
                };
                sessions.push(i32::from(trains));
                loads.push(if trains {
                    [17.3, 55.55, 120.0, 333.333, 0.1][draws.u64(..5) as usize]
                } else {
                    0.0
                });
            }
        }
        let df = DataFrame::new_infer_height(vec![
            Column::new(s::ATHLETE.into(), names),
            Column::new(s::DATE.into(), days)
                .cast(&DataType::Date)
                .unwrap(),
            Column::new(s::LOAD.into(), loads),
            Column::new(s::SESSIONS.into(), sessions),
        ])
        .unwrap();
        let expected = df
            .clone()
            .lazy()
            .with_columns(pmc_by_expressions())
            .with_column(
                (col(s::CTL) - col(s::ATL))
                    .shift(lit(1))
                    .fill_null(lit(0.0))
                    .over([col(s::ATHLETE)])
                    .unwrap()
                    .alias(s::TSB),
            )
            .collect()
            .unwrap();
        let got = pmc_columns(&df).unwrap();
        assert_eq!(got.len(), 4);
        let ratios = got[2].f64().unwrap().iter().flatten().count();
        assert!(ratios > 300, "{ratios} days with an ACWR");
        for g in &got {
            assert_same_column(g, expected.column(g.name()).unwrap());
        }
    }
}
