//! `cramprisk calibrate`'s fit: the model's own coefficients (the two intercepts and the
//! day-level terms) refitted to the logged cramps by penalised maximum likelihood, with a
//! Gaussian prior centred on the model's values whose strength is chosen by time-ordered
//! cross-validation; the fitted model written as a model file `--model` takes. The profile
//! terms (predisposition, sex) are held at the model's values: they are constant within an
//! athlete, so a squad's cramps cannot tell them apart from the athlete, and the history and
//! medication exposures are defined relative to their own odds ratios.

use chrono::NaiveDate;

use super::metrics::{self, Prior};
use super::Day;
use crate::model::{FactorId, Model, TermId, ODDS_RATIO_RANGE};

/// The prior precisions tried (1/variance of each coefficient around the model's value): from
/// nearly free (sd 2 in log-odds) to nearly fixed (sd 0.06).
pub const PRECISIONS: [f64; 6] = [0.25, 1.0, 4.0, 16.0, 64.0, 256.0];
/// The intercepts' prior precision: weak (sd 3), as incidence differs most between squads.
const INTERCEPT_PRECISION: f64 = 0.1;

/// The terms fitted: every term that is not a profile term.
pub fn fitted_terms() -> Vec<TermId> {
    TermId::ALL
        .into_iter()
        .filter(|t| !matches!(t.factor(), FactorId::Predisposition | FactorId::Sex))
        .collect()
}

/// One day's design row: [training day, rest day, u of each fitted term], and the offset of
/// the held terms.
fn row(day: &Day, m: &Model, fitted: &[TermId]) -> (Vec<f64>, f64) {
    let mut x = vec![
        if day.trained { 1.0 } else { 0.0 },
        if day.trained { 0.0 } else { 1.0 },
    ];
    let mut offset = 0.0;
    for (j, &t) in TermId::ALL.iter().enumerate() {
        let u = day.u.get(j).copied().unwrap_or(0.0);
        if fitted.contains(&t) {
            x.push(u);
        } else {
            offset += m.term(t).coef() * u;
        }
    }
    (x, offset)
}

/// The model's coefficients as the prior's mean, in the design's order.
fn prior(m: &Model, fitted: &[TermId], precision: f64) -> Prior {
    let (bt, br) = m.intercepts();
    let mut mean = vec![bt, br];
    mean.extend(fitted.iter().map(|&t| m.term(t).coef()));
    let mut prec = vec![INTERCEPT_PRECISION, INTERCEPT_PRECISION];
    prec.extend(fitted.iter().map(|_| precision));
    Prior {
        mean,
        precision: prec,
    }
}

pub(super) fn bounds(fitted: &[TermId]) -> (Vec<f64>, Vec<f64>) {
    // Intercepts within 0.001 %–50 %; odds ratios within the model file's range.
    let (mut lo, mut hi) = (vec![-11.5, -11.5], vec![0.0, 0.0]);
    for _ in fitted {
        lo.push(ODDS_RATIO_RANGE.0.ln());
        hi.push(ODDS_RATIO_RANGE.1.ln());
    }
    (lo, hi)
}

/// A fit on some days.
pub struct Fitted {
    pub coef: Vec<f64>,
    pub se: Vec<f64>,
    pub precision: f64,
}

fn fit(days: &[&Day], m: &Model, precision: f64) -> Result<Fitted, String> {
    fit_with(days, m, &prior(m, &fitted_terms(), precision), precision)
}

/// The penalised fit of the days around any prior (the model's, or the team's fit for one
/// athlete).
pub(super) fn fit_with(
    days: &[&Day],
    m: &Model,
    prior: &Prior,
    precision: f64,
) -> Result<Fitted, String> {
    let fitted = fitted_terms();
    let (x, off): (Vec<Vec<f64>>, Vec<f64>) = days.iter().map(|d| row(d, m, &fitted)).unzip();
    let y: Vec<bool> = days.iter().map(|d| d.cramp).collect();
    let (lo, hi) = bounds(&fitted);
    let f = metrics::logistic_fit(&x, &y, Some(&off), Some(prior), Some((&lo, &hi)))?;
    Ok(Fitted {
        coef: f.coef,
        se: f.se,
        precision,
    })
}

/// The predicted probability of each day under coefficients `coef`.
pub fn predict(days: &[&Day], m: &Model, coef: &[f64]) -> Vec<f64> {
    let fitted = fitted_terms();
    days.iter()
        .map(|d| {
            let (x, off) = row(d, m, &fitted);
            let eta: f64 = off + x.iter().zip(coef).map(|(a, b)| a * b).sum::<f64>();
            1.0 / (1.0 + (-eta).exp())
        })
        .collect()
}

pub(super) fn log_loss(p: &[f64], y: &[bool]) -> f64 {
    p.iter()
        .zip(y)
        .map(|(&p, &c)| -(if c { p } else { 1.0 - p }).clamp(1e-12, 1.0).ln())
        .sum::<f64>()
        / p.len().max(1) as f64
}

/// Splits days in time: those before the date at `share` of the days, and the rest.
pub(super) fn split<'a>(days: &[&'a Day], share: f64) -> (Vec<&'a Day>, Vec<&'a Day>, NaiveDate) {
    let mut dates: Vec<NaiveDate> = days.iter().map(|d| d.date).collect();
    dates.sort();
    let cut = dates[((dates.len() as f64 * share) as usize).min(dates.len() - 1)];
    let (early, late) = days.iter().partition(|d| d.date < cut);
    (early, late, cut)
}

/// The held-out check of one model on the later days.
#[derive(Debug, Clone)]
pub struct Check {
    pub auc: Option<f64>,
    pub brier: Option<f64>,
    pub intercept: Option<f64>,
    pub slope: Option<f64>,
}

pub(super) fn check(p: &[f64], y: &[bool]) -> Check {
    let logit: Vec<f64> = p.iter().map(|&p| (p / (1.0 - p)).ln()).collect();
    let line = metrics::calibration_line(&logit, y).ok();
    Check {
        auc: metrics::auc(p, y),
        brier: metrics::brier(p, y),
        intercept: line.map(|l| l.0),
        slope: line.map(|l| l.1),
    }
}

/// What `calibrate` found.
pub struct Calibration {
    /// The precision chosen by the time-ordered cross-validation on the earlier part.
    pub precision: f64,
    /// (precision, held-out log loss) of each candidate.
    pub cv: Vec<(f64, f64)>,
    /// The first day of the later (test) part.
    pub test_from: NaiveDate,
    pub train_days: usize,
    pub train_cramp_days: usize,
    pub test_days: usize,
    pub test_cramp_days: usize,
    /// On the later part: the model as given, and refitted on the earlier part.
    pub default_check: Check,
    pub fitted_check: Check,
    /// The fit on every day with the chosen precision: what the model file gets.
    pub all: Fitted,
    /// The fit on the earlier days only (the prior of the athletes' held-out checks).
    pub train: Fitted,
    /// The model's odds ratio of each fitted term (the prior's centre).
    pub model_or: Vec<f64>,
}

/// Fits the model to the days: the precision by forward validation within the earlier two
/// thirds (fit on its first two thirds, score the rest), checked on the last third, and
/// refitted on every day for the file.
pub fn calibrate(days: &[Day], m: &Model) -> Result<Calibration, String> {
    let all: Vec<&Day> = days.iter().collect();
    if all.iter().any(|d| d.u.len() != TermId::ALL.len()) {
        return Err("the days were computed without their exposures (u_<term>)".to_string());
    }
    if all.len() < 30 {
        return Err(format!("{} days are too few to fit", all.len()));
    }
    let (train, test, test_from) = split(&all, 2.0 / 3.0);
    let (inner_fit, inner_val, _) = split(&train, 2.0 / 3.0);
    let y_val: Vec<bool> = inner_val.iter().map(|d| d.cramp).collect();
    let mut cv = Vec::new();
    for &lambda in &PRECISIONS {
        if let Ok(f) = fit(&inner_fit, m, lambda) {
            cv.push((lambda, log_loss(&predict(&inner_val, m, &f.coef), &y_val)));
        }
    }
    let precision = cv
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|c| c.0)
        .ok_or("no fit converged on the earlier days")?;
    let on_train = fit(&train, m, precision)?;
    let y_test: Vec<bool> = test.iter().map(|d| d.cramp).collect();
    let default_p: Vec<f64> = test.iter().map(|d| d.p_exact()).collect();
    let fitted_p = predict(&test, m, &on_train.coef);
    let default_check = check(&default_p, &y_test);
    let fitted_check = check(&fitted_p, &y_test);
    let count = |ds: &[&Day]| ds.iter().filter(|d| d.cramp).count();
    Ok(Calibration {
        precision,
        cv,
        test_from,
        train_days: train.len(),
        train_cramp_days: count(&train),
        test_days: test.len(),
        test_cramp_days: count(&test),
        default_check,
        fitted_check,
        all: fit(&all, m, precision)?,
        train: on_train,
        model_or: fitted_terms()
            .iter()
            .map(|&t| m.term(t).odds_ratio)
            .collect(),
    })
}

/// The model file with the fitted coefficients: the given model's text with the intercepts'
/// probabilities and the fitted terms' odds ratios replaced (each term's `source` says it was
/// fitted, from what), everything else as it was.
pub fn model_file(
    source_toml: &str,
    c: &Calibration,
    cramp_days: usize,
    athletes: Option<toml::Table>,
) -> anyhow::Result<String> {
    let mut doc: toml::Table = toml::from_str(source_toml)?;
    // Athletes' sections of the given model were fitted around its team values, now replaced
    // (by the `[athletes]` table of `athletes::sections`, when given).
    doc.remove("athletes");
    if let Some(section) = athletes {
        doc.insert("athletes".into(), toml::Value::Table(section));
    }
    let pct = |b: f64| (100.0 / (1.0 + (-b).exp()) * 10_000.0).round() / 10_000.0;
    let note = format!(
        "fitted by cramprisk calibrate to {cramp_days} cramp days (prior precision {})",
        c.precision
    );
    if let Some(toml::Value::Table(i)) = doc.get_mut("intercept") {
        i.insert(
            "training_day_pct".into(),
            toml::Value::Float(pct(c.all.coef[0])),
        );
        i.insert(
            "rest_day_pct".into(),
            toml::Value::Float(pct(c.all.coef[1])),
        );
        let was = i
            .get("source")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        i.insert(
            "source".into(),
            toml::Value::String(format!("{note}; was: {was}")),
        );
    }
    let terms = doc
        .get_mut("terms")
        .and_then(|t| t.as_table_mut())
        .ok_or_else(|| anyhow::anyhow!("the model has no [terms]"))?;
    for (k, t) in fitted_terms().iter().enumerate() {
        let Some(toml::Value::Table(term)) = terms.get_mut(t.name()) else {
            anyhow::bail!("[terms.{}] is missing", t.name());
        };
        let (lo, hi) = ODDS_RATIO_RANGE;
        let or = (c.all.coef[2 + k].exp() * 10_000.0).round() / 10_000.0;
        let was = term
            .get("odds_ratio")
            .and_then(|v| v.as_float())
            .unwrap_or(0.0);
        term.insert("odds_ratio".into(), toml::Value::Float(or.clamp(lo, hi)));
        let src = term
            .get("source")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        term.insert(
            "source".into(),
            toml::Value::String(format!("{note}, was {was}: {src}")),
        );
    }
    Ok(format!(
        "# A cramprisk model fitted to logged cramps (`cramprisk calibrate`): the intercepts and the\n\
         # day-level terms' odds ratios were refitted, shrunk toward the model below by a Gaussian\n\
         # prior; the profile terms are the model's. [athletes.NAME] sections (--per-athlete) hold\n\
         # an athlete's own values, shrunk toward the team's. Use it with `--model FILE`.\n\n{}",
        toml::to_string(&doc)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_model_round_trips_through_model_file() {
        let m = Model::default();
        let fitted = fitted_terms();
        let (bt, br) = m.intercepts();
        let mut coef = vec![bt, br];
        coef.extend(fitted.iter().map(|&t| m.term(t).coef()));
        let c = Calibration {
            precision: 4.0,
            cv: vec![],
            test_from: NaiveDate::default(),
            train_days: 0,
            train_cramp_days: 0,
            test_days: 0,
            test_cramp_days: 0,
            default_check: check(&[0.5], &[true]),
            fitted_check: check(&[0.5], &[true]),
            all: Fitted {
                coef: coef.clone(),
                se: vec![],
                precision: 4.0,
            },
            train: Fitted {
                coef,
                se: vec![],
                precision: 4.0,
            },
            model_or: vec![],
        };
        let text = model_file(crate::model::DEFAULT_MODEL_TOML, &c, 12, None).unwrap();
        let back = Model::parse(&text).unwrap();
        for t in TermId::ALL {
            assert!(
                (back.term(t).odds_ratio - m.term(t).odds_ratio).abs() < 1e-4,
                "{}",
                t.name()
            );
        }
        assert!((back.intercept.training_day_pct - 1.0).abs() < 1e-9);
        assert!(back.term(TermId::Wbgt).source.starts_with("fitted by"));
    }
}
