//! Owns the checking of the model against recorded cramps (`cramprisk evaluate`): the cramps
//! matched to the scored days (rows for unknown athletes or days without data rejected with a
//! reason), and per athlete and team the AUC with its bootstrap interval, the Brier score, the
//! calibration line, reliability deciles and each factor's observed odds ratio beside the
//! model's. Pure: finished tables in, numbers and CSV text out.

pub mod athletes;
pub mod calibrate;
pub mod logged;
pub mod metrics;
pub mod truth;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::ingest::cramplog::Cramp;
use crate::ingest::Rejection;
use crate::measures::load::PMC_SEED_DAYS;
use crate::model::{FactorId, TermId};
use crate::schema as s;

/// Below this many cramp days, no AUC or calibration line is given: the interval of an AUC
/// on fewer spans most of 0.5–1, and a logistic fit needs about 10 events per coefficient
/// (Peduzzi et al. 1996, J Clin Epidemiol 49:1373).
pub const MIN_CRAMP_DAYS: usize = 10;

/// Bootstrap resamples for the AUC's interval, and their fixed seed.
pub const BOOTSTRAP_REPS: usize = 1000;
pub const BOOTSTRAP_SEED: u64 = 13;

/// The daily-table columns `analyze` adds to its own for the report's evaluation: the
/// unrounded log-odds (the calibration line); the rest (`_or` columns) it writes anyway.
pub const REPORT_COLUMNS: [&str; 1] = ["logit"];

/// The daily-table columns `outcomes` reads to score the days (without the exposures
/// `calibrate` refits).
pub fn outcome_columns() -> Vec<String> {
    let mut c: Vec<String> = [s::ATHLETE, s::DATE, s::RISK_PCT, "logit"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    c.extend(FactorId::ALL.iter().map(|f| f.or_col()));
    c
}

/// The daily-table columns an evaluation reads (`compute`'s `keep`).
pub fn columns() -> Vec<String> {
    let mut c: Vec<String> = [
        s::ATHLETE,
        s::DATE,
        s::RISK_PCT,
        "logit",
        "exercise_sessions",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    c.extend(FactorId::ALL.iter().map(|f| f.or_col()));
    c.extend(TermId::ALL.iter().map(|t| t.u_col()));
    c
}

/// One scored day and whether a cramp was logged on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub athlete: String,
    pub date: NaiveDate,
    /// `risk_pct` / 100.
    pub p: f64,
    /// The unrounded log-odds `risk_pct` comes from.
    pub logit: f64,
    pub cramp: bool,
    /// Each factor's odds multiplier that day (`FactorId::ALL` order; None = unknown).
    pub factor_or: Vec<Option<f64>>,
    /// A day with an exercise session (the training-day intercept applies).
    pub trained: bool,
    /// Each term's exposure as the estimate used it (`TermId::ALL` order, `u_<term>`); empty
    /// when the table was computed without them (`analyze`: only the scores are needed).
    pub u: Vec<f64>,
}

impl Day {
    /// The unrounded probability, 1/(1 + e^−logit).
    pub fn p_exact(&self) -> f64 {
        1.0 / (1.0 + (-self.logit).exp())
    }
}

/// The days evaluated and what happened to the cramps.
#[derive(Debug, Default)]
pub struct Outcomes {
    pub days: Vec<Day>,
    /// Cramp rows that match no scored day, with why.
    pub rejections: Vec<Rejection>,
    /// Cramps in an athlete's first `PMC_SEED_DAYS` days: matched, but those days are not
    /// evaluated (their load is seeded from the period's mean, which looks ahead).
    pub in_warmup: usize,
    /// Cramp rows matched to an evaluated day (several on one day make one cramp day).
    pub matched: usize,
}

/// Matches the cramps to the daily table. A day is evaluated from the athlete's
/// `PMC_SEED_DAYS + 1`-th day on: before it, the fitness/fatigue seed uses the loads of the
/// first four weeks, so the risk there is not computed only from what was known that day.
pub fn outcomes(daily: &DataFrame, cramps: &[Cramp]) -> anyhow::Result<Outcomes> {
    let athlete = daily.column(s::ATHLETE)?.str()?.clone();
    let date = daily.column(s::DATE)?.date()?.physical().clone();
    let risk = daily.column(s::RISK_PCT)?.f64()?.clone();
    let logit = daily.column("logit")?.f64()?.clone();
    let ors: Vec<Float64Chunked> = FactorId::ALL
        .iter()
        .map(|f| Ok(daily.column(&f.or_col())?.f64()?.clone()))
        .collect::<anyhow::Result<_>>()?;
    // The exposures and the day's kind are what `calibrate` refits; `analyze`'s report only
    // scores the days and keeps neither (then `u` is empty and `trained` false).
    let fitting = daily.column("exercise_sessions").is_ok();
    let us: Vec<Float64Chunked> = if fitting {
        TermId::ALL
            .iter()
            .map(|t| {
                Ok(daily
                    .column(&t.u_col())?
                    .cast(&DataType::Float64)?
                    .f64()?
                    .clone())
            })
            .collect::<anyhow::Result<_>>()?
    } else {
        Vec::new()
    };
    let trained = match daily.column("exercise_sessions") {
        Ok(c) => Some(c.cast(&DataType::Int64)?.i64()?.clone()),
        Err(_) => None,
    };
    let span = logged::spans(daily)?;
    let mut out = Outcomes::default();
    let mut cramp_days: BTreeSet<(String, i32)> = BTreeSet::new();
    for c in cramps {
        let d = crate::dates::to_days(c.date);
        if let Some(r) = logged::unmatched(c, &span) {
            out.rejections.push(r);
        } else if span
            .get(&c.athlete)
            .is_some_and(|&(first, _)| d < first + PMC_SEED_DAYS)
        {
            out.in_warmup += 1;
        } else {
            out.matched += 1;
            cramp_days.insert((c.athlete.clone(), d));
        }
    }
    for i in 0..daily.height() {
        let (Some(a), Some(d), Some(r), Some(l)) =
            (athlete.get(i), date.get(i), risk.get(i), logit.get(i))
        else {
            continue;
        };
        if span
            .get(a)
            .is_some_and(|&(first, _)| d < first + PMC_SEED_DAYS)
        {
            continue;
        }
        out.days.push(Day {
            athlete: a.to_string(),
            date: crate::dates::from_days(d),
            p: r / 100.0,
            logit: l,
            cramp: cramp_days.contains(&(a.to_string(), d)),
            factor_or: ors.iter().map(|c| c.get(i)).collect(),
            trained: trained.as_ref().is_some_and(|t| t.get(i).unwrap_or(0) > 0),
            u: us.iter().map(|c| c.get(i).unwrap_or(0.0)).collect(),
        });
    }
    Ok(out)
}

/// The scores of one group of days (an athlete, or the team).
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub group: String,
    pub days: usize,
    pub cramp_days: usize,
    pub mean_predicted: f64,
    pub observed_rate: f64,
    pub brier: Option<f64>,
    pub auc: Option<f64>,
    pub auc_ci: Option<(f64, f64)>,
    pub intercept: Option<f64>,
    pub slope: Option<f64>,
    pub reliability: Vec<metrics::Bin>,
    /// Why a number is missing, in words ("" when none is).
    pub note: String,
}

/// Scores a group of days.
pub fn score(group: &str, days: &[&Day]) -> Scores {
    let p: Vec<f64> = days.iter().map(|d| d.p).collect();
    let y: Vec<bool> = days.iter().map(|d| d.cramp).collect();
    let l: Vec<f64> = days.iter().map(|d| d.logit).collect();
    let n = days.len();
    let k = y.iter().filter(|&&c| c).count();
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let enough = k >= MIN_CRAMP_DAYS && n > k;
    let (mut intercept, mut slope) = (None, None);
    let mut note = String::new();
    if enough {
        match metrics::calibration_line(&l, &y) {
            Ok((a, b)) => (intercept, slope) = (Some(a), Some(b)),
            Err(e) => note = format!("no calibration line: {e}"),
        }
    } else {
        note = format!(
            "too few cramp days to conclude anything ({k}; at least {MIN_CRAMP_DAYS} needed)"
        );
    }
    Scores {
        group: group.to_string(),
        days: n,
        cramp_days: k,
        mean_predicted: mean(&p),
        observed_rate: if n == 0 { 0.0 } else { k as f64 / n as f64 },
        brier: metrics::brier(&p, &y),
        auc: if enough { metrics::auc(&p, &y) } else { None },
        auc_ci: if enough {
            metrics::auc_interval(&p, &y, BOOTSTRAP_REPS, BOOTSTRAP_SEED)
        } else {
            None
        },
        intercept,
        slope,
        reliability: metrics::reliability(&p, &y, 10),
        note,
    }
}

/// One factor's observed odds ratio of a cramp day on days with the factor's exposure (its
/// multiplier above 1) against days without (multiplier 1), beside the model's: the ratio of
/// the mean multipliers of the two groups. Days where the factor is unknown are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorCheck {
    pub factor: FactorId,
    pub exposed_days: usize,
    pub exposed_cramps: usize,
    pub other_days: usize,
    pub other_cramps: usize,
    /// (a·d)/(b·c), with ½ added to every cell when one is 0 (Haldane); None when a group
    /// has no days.
    pub observed_or: Option<f64>,
    /// Woolf's 95 % interval of the observed odds ratio.
    pub observed_ci: Option<(f64, f64)>,
    /// exp(mean ln multiplier, exposed) / exp(mean ln multiplier, others).
    pub model_or: Option<f64>,
}

pub fn factor_checks(days: &[&Day]) -> Vec<FactorCheck> {
    FactorId::ALL
        .iter()
        .enumerate()
        .map(|(j, &factor)| {
            let (mut a, mut b, mut c, mut d) = (0usize, 0usize, 0usize, 0usize);
            let (mut log_exposed, mut log_other) = (0.0, 0.0);
            for day in days {
                let Some(or) = day.factor_or[j] else {
                    continue;
                };
                if or > 1.0 + 1e-9 {
                    log_exposed += or.ln();
                    if day.cramp {
                        a += 1
                    } else {
                        b += 1
                    }
                } else {
                    log_other += or.ln();
                    if day.cramp {
                        c += 1
                    } else {
                        d += 1
                    }
                }
            }
            let (ne, no) = (a + b, c + d);
            let both = ne > 0 && no > 0;
            let cells = if [a, b, c, d].contains(&0) {
                [a, b, c, d].map(|v| v as f64 + 0.5)
            } else {
                [a, b, c, d].map(|v| v as f64)
            };
            let or = cells[0] * cells[3] / (cells[1] * cells[2]);
            let se = cells.iter().map(|v| 1.0 / v).sum::<f64>().sqrt();
            FactorCheck {
                factor,
                exposed_days: ne,
                exposed_cramps: a,
                other_days: no,
                other_cramps: c,
                observed_or: both.then_some(or),
                observed_ci: both
                    .then(|| ((or.ln() - 1.96 * se).exp(), (or.ln() + 1.96 * se).exp())),
                model_or: both.then(|| (log_exposed / ne as f64 - log_other / no as f64).exp()),
            }
        })
        .collect()
}

/// The whole evaluation: the team first, then each athlete with at least one cramp day.
pub struct Evaluation {
    pub groups: Vec<Scores>,
    pub factors: Vec<FactorCheck>,
}

pub fn evaluate(days: &[Day]) -> Evaluation {
    let all: Vec<&Day> = days.iter().collect();
    let mut groups = vec![score("team", &all)];
    let mut by_athlete: BTreeMap<&str, Vec<&Day>> = BTreeMap::new();
    for d in days {
        by_athlete.entry(d.athlete.as_str()).or_default().push(d);
    }
    for (a, ds) in by_athlete {
        if ds.iter().any(|d| d.cramp) {
            groups.push(score(a, &ds));
        }
    }
    Evaluation {
        groups,
        factors: factor_checks(&all),
    }
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}")).unwrap_or_default()
}

/// `evaluation.csv`: one row for the team, then one per athlete with cramps.
pub fn write_evaluation<W: Write>(e: &Evaluation, out: W) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group",
        "days",
        "cramp_days",
        "mean_predicted_pct",
        "observed_pct",
        "auc",
        "auc_low",
        "auc_high",
        "brier",
        "calibration_intercept",
        "calibration_slope",
        "note",
    ])?;
    for g in &e.groups {
        w.write_record([
            crate::safe_text::csv_cell(&g.group).as_ref(),
            &g.days.to_string(),
            &g.cramp_days.to_string(),
            &format!("{:.2}", 100.0 * g.mean_predicted),
            &format!("{:.2}", 100.0 * g.observed_rate),
            &num(g.auc, 3),
            &num(g.auc_ci.map(|c| c.0), 3),
            &num(g.auc_ci.map(|c| c.1), 3),
            &num(g.brier, 4),
            &num(g.intercept, 3),
            &num(g.slope, 3),
            &g.note,
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// `calibration.csv`: the reliability deciles of each group.
pub fn write_calibration<W: Write>(e: &Evaluation, out: W) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group",
        "decile",
        "days",
        "cramp_days",
        "mean_predicted_pct",
        "observed_pct",
    ])?;
    for g in &e.groups {
        for (i, b) in g.reliability.iter().enumerate() {
            w.write_record([
                crate::safe_text::csv_cell(&g.group).as_ref(),
                &(i + 1).to_string(),
                &b.n.to_string(),
                &b.cramps.to_string(),
                &format!("{:.2}", 100.0 * b.mean_predicted),
                &format!("{:.2}", 100.0 * b.observed_rate),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// `factor_check.csv`: each factor's observed odds ratio beside the model's.
pub fn write_factors<W: Write>(e: &Evaluation, out: W) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "factor",
        "exposed_days",
        "exposed_cramp_days",
        "other_days",
        "other_cramp_days",
        "observed_or",
        "observed_or_low",
        "observed_or_high",
        "model_or",
    ])?;
    for f in &e.factors {
        w.write_record([
            f.factor.name(),
            &f.exposed_days.to_string(),
            &f.exposed_cramps.to_string(),
            &f.other_days.to_string(),
            &f.other_cramps.to_string(),
            &num(f.observed_or, 2),
            &num(f.observed_ci.map(|c| c.0), 2),
            &num(f.observed_ci.map(|c| c.1), 2),
            &num(f.model_or, 2),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The terminal summary: the team's numbers in words, each athlete's line, and plainly when
/// there are too few cramps to conclude anything.
pub fn summary(e: &Evaluation, o: &Outcomes) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let Some(team) = e.groups.first() else {
        return "No days to evaluate.\n".to_string();
    };
    let _ = writeln!(
        t,
        "Evaluated {} days with {} cramp day(s) ({} cramp row(s) matched; {} in the first {} days \
         of an athlete, not evaluated; {} rejected).",
        team.days,
        team.cramp_days,
        o.matched,
        o.in_warmup,
        PMC_SEED_DAYS,
        o.rejections.len()
    );
    let _ = writeln!(
        t,
        "Predicted {:.2} % of days on average; cramps came on {:.2} %.",
        100.0 * team.mean_predicted,
        100.0 * team.observed_rate
    );
    for g in &e.groups {
        let _ = write!(t, "  {:<12}", g.group);
        match (g.auc, g.auc_ci) {
            (Some(a), Some((lo, hi))) => {
                let _ = write!(t, " AUC {a:.2} (95 % CI {lo:.2}–{hi:.2})");
            }
            (Some(a), None) => {
                let _ = write!(t, " AUC {a:.2}");
            }
            _ => {}
        }
        if let Some(b) = g.brier {
            let _ = write!(t, "  Brier {b:.4}");
        }
        if let (Some(a), Some(b)) = (g.intercept, g.slope) {
            let _ = write!(t, "  calibration intercept {a:.2}, slope {b:.2}");
        }
        if !g.note.is_empty() {
            let _ = write!(t, "  — {}", g.note);
        }
        let _ = writeln!(t);
    }
    if team.cramp_days < MIN_CRAMP_DAYS {
        let _ = writeln!(
            t,
            "Too few cramps to conclude anything: {} cramp day(s); at least {MIN_CRAMP_DAYS} are \
             needed before an AUC or a calibration line means something.",
            team.cramp_days
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(athlete: &str, p: f64, cramp: bool) -> Day {
        Day {
            athlete: athlete.to_string(),
            date: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default(),
            p,
            logit: (p / (1.0 - p)).ln(),
            cramp,
            factor_or: vec![None; FactorId::ALL.len()],
            trained: true,
            u: vec![0.0; TermId::ALL.len()],
        }
    }

    #[test]
    fn too_few_cramps_give_no_auc_and_say_so() {
        let days: Vec<Day> = (0..50)
            .map(|i| day("ana", 0.01 * (i % 10) as f64 + 0.01, i % 17 == 0))
            .collect();
        let e = evaluate(&days);
        let team = &e.groups[0];
        assert_eq!(team.cramp_days, 3); // i = 0, 17, 34
        assert_eq!(team.auc, None);
        assert_eq!(team.slope, None);
        assert!(team.brier.is_some());
        assert!(team.note.contains("too few cramp days"), "{}", team.note);
        let o = Outcomes::default();
        assert!(summary(&e, &o).contains("Too few cramps to conclude anything: 3 cramp day(s)"));
    }

    #[test]
    fn observed_odds_ratio_by_hand() {
        // Exposed (multiplier 2): 10 days, 4 cramps; others (1): 20 days, 2 cramps.
        // OR = (4·18)/(6·2) = 72/12 = 6; Woolf SE = √(1/4 + 1/6 + 1/2 + 1/18) = √0.9722 = 0.9860.
        let mut days = Vec::new();
        for i in 0..30 {
            let mut d = day("ana", 0.1, if i < 10 { i < 4 } else { i < 12 });
            d.factor_or[4] = Some(if i < 10 { 2.0 } else { 1.0 });
            days.push(d);
        }
        let refs: Vec<&Day> = days.iter().collect();
        let heat = &factor_checks(&refs)[4];
        assert_eq!(heat.factor, FactorId::Heat);
        assert!((heat.observed_or.unwrap() - 6.0).abs() < 1e-12);
        let (lo, hi) = heat.observed_ci.unwrap();
        // exp(ln 6 ∓ 1.96·0.9860) = exp(1.7918 ∓ 1.9326) = 0.869, 41.4
        assert!(
            (lo - 0.869).abs() < 0.002 && (hi - 41.4).abs() < 0.1,
            "{lo} {hi}"
        );
        assert!((heat.model_or.unwrap() - 2.0).abs() < 1e-12);
        // Unknown everywhere: no numbers.
        assert_eq!(factor_checks(&refs)[0].observed_or, None);
    }
}
