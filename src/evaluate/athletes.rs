//! `calibrate --per-athlete`: each athlete's own coefficients, fitted by penalised maximum
//! likelihood with the team's fit as the prior's centre — a two-level model fitted in two
//! steps (the team around the model, then each athlete around the team), so an athlete with
//! few cramps stays close to the team. The prior's strength is chosen once, for every athlete,
//! by pooled time-ordered cross-validation on the earlier days; each athlete gets the same
//! later-period check as the team; the fits become `[athletes.NAME]` sections of the model
//! file, which `--model` applies to that athlete's days.

use std::collections::BTreeMap;

use super::calibrate::{
    check, fit_with, fitted_terms, log_loss, predict, split, Calibration, Check, Fitted, PRECISIONS,
};
use super::metrics::Prior;
use super::{Day, MIN_CRAMP_DAYS};
use crate::model::{Model, ODDS_RATIO_RANGE};

/// Fewer cramp days than this: no own fit (the team's coefficients apply to the athlete).
pub const MIN_ATHLETE_CRAMP_DAYS: usize = 10;

/// The prior precision of an athlete's intercepts around the team's (sd 1 in log-odds, a
/// factor of e in the odds): athletes differ most in how often they cramp at all.
const ATHLETE_INTERCEPT_PRECISION: f64 = 1.0;

/// One athlete's fit and its later-period check.
pub struct AthleteFit {
    pub athlete: String,
    pub days: usize,
    pub cramp_days: usize,
    /// On every day of the athlete; None when the cramp days are too few (see `note`).
    pub fit: Option<Fitted>,
    /// The athlete's days from the team's cut on, and their cramp days.
    pub test_days: usize,
    pub test_cramp_days: usize,
    /// On those later days: the team's fit and the athlete's own, both fitted on the earlier
    /// days only. None when the later days hold too few cramp days to tell them apart.
    pub team_check: Option<Check>,
    pub own_check: Option<Check>,
    /// What is missing and why, in words ("" when nothing is).
    pub note: String,
}

/// Every athlete's fit, with the precision chosen.
pub struct PerAthlete {
    /// None when no athlete has enough cramp days for an own fit.
    pub precision: Option<f64>,
    /// (precision, pooled held-out log loss per day).
    pub cv: Vec<(f64, f64)>,
    pub athletes: Vec<AthleteFit>,
}

/// A prior centred on `mean` (the team's coefficients): `precision` for the terms, a looser
/// one for the intercepts.
fn prior_around(mean: &[f64], precision: f64) -> Prior {
    let mut prec = vec![ATHLETE_INTERCEPT_PRECISION; 2];
    prec.resize(mean.len(), precision);
    Prior {
        mean: mean.to_vec(),
        precision: prec,
    }
}

fn cramps(days: &[&Day]) -> usize {
    days.iter().filter(|d| d.cramp).count()
}

/// The pooled held-out log loss per day of `precision`: each eligible athlete's earlier days
/// split in time (fit on the first two thirds around the team's earlier fit, score the rest).
fn pooled_loss(
    groups: &[(&str, Vec<&Day>)],
    m: &Model,
    team: &Calibration,
    precision: f64,
) -> Option<f64> {
    let (mut loss, mut n) = (0.0, 0usize);
    for (_, ds) in groups {
        let early: Vec<&Day> = ds
            .iter()
            .copied()
            .filter(|d| d.date < team.test_from)
            .collect();
        if early.len() < 3 {
            continue;
        }
        let (fit_days, val, _) = split(&early, 2.0 / 3.0);
        if fit_days.is_empty() || val.is_empty() {
            continue;
        }
        let prior = prior_around(&team.train.coef, precision);
        let Ok(f) = fit_with(&fit_days, m, &prior, precision) else {
            continue;
        };
        let y: Vec<bool> = val.iter().map(|d| d.cramp).collect();
        loss += log_loss(&predict(&val, m, &f.coef), &y) * val.len() as f64;
        n += val.len();
    }
    (n > 0).then(|| loss / n as f64)
}

/// Fits every athlete with at least `MIN_ATHLETE_CRAMP_DAYS` cramp days around the team's fit.
pub fn per_athlete(days: &[Day], m: &Model, team: &Calibration) -> Result<PerAthlete, String> {
    let mut by: BTreeMap<&str, Vec<&Day>> = BTreeMap::new();
    for d in days {
        by.entry(d.athlete.as_str()).or_default().push(d);
    }
    let eligible: Vec<(&str, Vec<&Day>)> = by
        .iter()
        .filter(|(_, ds)| cramps(ds) >= MIN_ATHLETE_CRAMP_DAYS)
        .map(|(a, ds)| (*a, ds.clone()))
        .collect();
    let cv: Vec<(f64, f64)> = PRECISIONS
        .iter()
        .filter_map(|&l| pooled_loss(&eligible, m, team, l).map(|v| (l, v)))
        .collect();
    let precision = cv.iter().min_by(|a, b| a.1.total_cmp(&b.1)).map(|c| c.0);
    let mut athletes = Vec::new();
    for (a, ds) in &by {
        let k = cramps(ds);
        let (early, late): (Vec<&Day>, Vec<&Day>) =
            ds.iter().copied().partition(|d| d.date < team.test_from);
        let mut out = AthleteFit {
            athlete: a.to_string(),
            days: ds.len(),
            cramp_days: k,
            fit: None,
            test_days: late.len(),
            test_cramp_days: cramps(&late),
            team_check: None,
            own_check: None,
            note: String::new(),
        };
        let Some(lambda) = precision.filter(|_| k >= MIN_ATHLETE_CRAMP_DAYS) else {
            out.note = format!(
                "{k} cramp day(s): too few for an own fit (at least {MIN_ATHLETE_CRAMP_DAYS}); \
                 the team's coefficients apply"
            );
            athletes.push(out);
            continue;
        };
        out.fit = Some(fit_with(
            ds,
            m,
            &prior_around(&team.all.coef, lambda),
            lambda,
        )?);
        if out.test_cramp_days < MIN_CRAMP_DAYS || cramps(&early) == 0 {
            out.note = format!(
                "too few cramp days in the later part ({}; at least {MIN_CRAMP_DAYS}) to compare \
                 the own fit with the team's",
                out.test_cramp_days
            );
        } else {
            let own = fit_with(&early, m, &prior_around(&team.train.coef, lambda), lambda)?;
            let y: Vec<bool> = late.iter().map(|d| d.cramp).collect();
            out.team_check = Some(check(&predict(&late, m, &team.train.coef), &y));
            out.own_check = Some(check(&predict(&late, m, &own.coef), &y));
        }
        athletes.push(out);
    }
    Ok(PerAthlete {
        precision,
        cv,
        athletes,
    })
}

/// The `[athletes]` table of a model file: an `[athletes.NAME]` section per athlete with an
/// own fit, the intercepts as percentages and the fitted terms' odds ratios (within the
/// model's range); `None` when no athlete has one.
pub fn sections(p: &PerAthlete) -> Option<toml::Table> {
    let pct = |b: f64| (100.0 / (1.0 + (-b).exp()) * 10_000.0).round() / 10_000.0;
    let mut section = toml::Table::new();
    for a in &p.athletes {
        let Some(f) = &a.fit else {
            continue;
        };
        let mut t = toml::Table::new();
        t.insert(
            "training_day_pct".into(),
            toml::Value::Float(pct(f.coef[0])),
        );
        t.insert("rest_day_pct".into(), toml::Value::Float(pct(f.coef[1])));
        let mut ors = toml::Table::new();
        let (lo, hi) = ODDS_RATIO_RANGE;
        for (k, term) in fitted_terms().iter().enumerate() {
            let or = (f.coef[2 + k].exp() * 10_000.0).round() / 10_000.0;
            ors.insert(term.name().into(), toml::Value::Float(or.clamp(lo, hi)));
        }
        t.insert("odds_ratios".into(), toml::Value::Table(ors));
        t.insert(
            "source".into(),
            toml::Value::String(format!(
                "fitted by cramprisk calibrate --per-athlete to {} cramp days of {} days, shrunk \
                 toward the team's fit (prior precision {})",
                a.cramp_days, a.days, f.precision
            )),
        );
        section.insert(a.athlete.clone(), toml::Value::Table(t));
    }
    (!section.is_empty()).then_some(section)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TermId;

    /// With a prior that holds every coefficient (precision 10⁸ everywhere), an athlete's fit
    /// is the team's; the section written for it parses back to the same coefficients.
    #[test]
    fn a_rigid_prior_gives_the_teams_coefficients_and_the_section_round_trips() {
        let m = Model::default();
        let (bt, br) = m.intercepts();
        let mut team = vec![bt + 0.3, br];
        team.extend(fitted_terms().iter().map(|&t| m.term(t).coef() + 0.1));
        let days: Vec<Day> = (0..60)
            .map(|i| Day {
                athlete: "ana".into(),
                date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap() + chrono::Days::new(i),
                p: 0.1,
                logit: -2.2,
                cramp: i % 5 == 0,
                factor_or: vec![None; crate::model::FactorId::ALL.len()],
                trained: i % 2 == 0,
                u: (0..TermId::ALL.len())
                    .map(|j| ((i as usize * 7 + j * 3) % 5) as f64 / 4.0)
                    .collect(),
            })
            .collect();
        let refs: Vec<&Day> = days.iter().collect();
        let mut prior = prior_around(&team, 1e8);
        prior.precision = vec![1e8; team.len()];
        let f = fit_with(&refs, &m, &prior, 1e8).unwrap();
        for (a, b) in f.coef.iter().zip(&team) {
            assert!((a - b).abs() < 1e-4, "{a} vs {b}");
        }
        let p = PerAthlete {
            precision: Some(1e8),
            cv: vec![],
            athletes: vec![AthleteFit {
                athlete: "ana".into(),
                days: 60,
                cramp_days: 12,
                fit: Some(f),
                test_days: 0,
                test_cramp_days: 0,
                team_check: None,
                own_check: None,
                note: String::new(),
            }],
        };
        let mut doc: toml::Table = toml::from_str(crate::model::DEFAULT_MODEL_TOML).unwrap();
        doc.insert(
            "athletes".into(),
            toml::Value::Table(sections(&p).expect("ana has a fit")),
        );
        let back = Model::parse(&toml::to_string(&doc).unwrap()).unwrap();
        let own = &back.athletes["ana"];
        // Intercepts go through a percentage with 4 decimals: logit(1.3 %) moves by at most
        // 0.00005/0.013 ≈ 0.004.
        assert!((own.b_train - team[0]).abs() < 0.005, "{}", own.b_train);
        for (k, t) in fitted_terms().iter().enumerate() {
            let j = TermId::ALL.iter().position(|x| x == t).unwrap();
            let b = own.terms[j].unwrap();
            // Odds ratios kept to 4 decimals: ln moves by at most 0.00005/OR.
            assert!((b - team[2 + k]).abs() < 1e-4, "{}", t.name());
        }
        // Profile terms are not in the section: the model's apply.
        assert_eq!(
            own.terms[TermId::ALL
                .iter()
                .position(|t| *t == TermId::History)
                .unwrap()],
            None
        );
    }
}
