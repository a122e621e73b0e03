//! `cramprisk calibrate`: computes the daily table as `analyze` does, matches the logged
//! cramps, refits the model's coefficients (`evaluate::calibrate`) and writes the fitted model
//! file; the summary compares the model as given and the refit on the later third of the days.

use super::Outcome;
use crate::config::CalibrateConfig;
use crate::evaluate::calibrate::{self, Check};
use crate::{compute, evaluate, model, outputs};

pub fn run(cfg: &CalibrateConfig) -> anyhow::Result<Outcome> {
    let inputs = compute::gather(&cfg.inputs)?;
    anyhow::ensure!(
        !inputs.paths().contains(&cfg.out),
        "--out {} is one of the inputs: it would be replaced",
        cfg.out.display()
    );
    let source = match &cfg.inputs.model {
        Some(p) => std::fs::read_to_string(p)?,
        None => model::DEFAULT_MODEL_TOML.to_string(),
    };
    let keep = evaluate::columns();
    let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
    let analysis = compute::compute(&inputs, None, Some(&keep))?;
    let cramps = analysis.ingested.cramps_used(cfg.cramps_from_titles);
    let outcomes = evaluate::outcomes(&analysis.daily, &cramps)?;
    let cramp_days = outcomes.days.iter().filter(|d| d.cramp).count();
    // A fit of 15 coefficients needs about 10 events per coefficient (Peduzzi 1996); below
    // a floor of 30 the prior would be all there is, and the file would look fitted.
    anyhow::ensure!(
        cramp_days >= MIN_CRAMP_DAYS,
        "too few cramp days to fit anything: {cramp_days} (at least {MIN_CRAMP_DAYS}; see \
         docs/model.md, \"Checking the model on your own cramps\"){}",
        super::mentions_hint(&analysis.ingested, cfg.cramps_from_titles)
    );
    let c = calibrate::calibrate(&outcomes.days, &inputs.model).map_err(anyhow::Error::msg)?;
    let athletes = if cfg.per_athlete {
        Some(
            evaluate::athletes::per_athlete(&outcomes.days, &inputs.model, &c)
                .map_err(anyhow::Error::msg)?,
        )
    } else {
        None
    };
    let sections = athletes.as_ref().and_then(evaluate::athletes::sections);
    let text = calibrate::model_file(&source, &c, cramp_days, sections)?;
    // The file must be one `--model` takes.
    model::Model::parse(&text)?;
    outputs::write_text_atomically(&cfg.out, &text)?;
    if !cfg.quiet {
        let mut text = summary(&c, cramp_days);
        if let Some(p) = &athletes {
            text += &athlete_summary(p);
        }
        text += &format!(
            "Wrote {} (fitted on every day; use it with --model).\n",
            cfg.out.display()
        );
        super::print_result(&text)?;
    }
    Ok(Outcome::Success)
}

/// Fewer cramp days than this: no fit.
pub const MIN_CRAMP_DAYS: usize = 30;

fn summary(c: &calibrate::Calibration, cramp_days: usize) -> String {
    let f = |v: Option<f64>, d: usize| v.map_or("–".to_string(), |v| format!("{v:.d$}"));
    let line = |name: &str, k: &Check| {
        format!(
            "  {name:<9} AUC {}  Brier {}  calibration intercept {}, slope {}\n",
            f(k.auc, 3),
            f(k.brier, 4),
            f(k.intercept, 2),
            f(k.slope, 2)
        )
    };
    let mut t = format!(
        "Fitted on {cramp_days} cramp days. Prior strength chosen by time-ordered cross-validation: \
         precision {} (log loss by precision: {}).\n",
        c.precision,
        c.cv.iter()
            .map(|(l, v)| format!("{l}: {v:.4}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    t += &format!(
        "Checked on the later days (from {}: {} days, {} with cramps), fitted on the earlier {} days ({} with cramps):\n",
        c.test_from, c.test_days, c.test_cramp_days, c.train_days, c.train_cramp_days
    );
    t += &line("default", &c.default_check);
    t += &line("fitted", &c.fitted_check);
    if c.test_cramp_days < evaluate::MIN_CRAMP_DAYS {
        t += &format!(
            "Too few cramp days in the later part ({}) to tell the two apart.\n",
            c.test_cramp_days
        );
    }
    t += "Odds ratios fitted on every day (95 % interval from the penalised fit):\n";
    for (k, term) in calibrate::fitted_terms().iter().enumerate() {
        let (b, se) = (
            c.all.coef[2 + k],
            c.all.se.get(2 + k).copied().unwrap_or(f64::NAN),
        );
        t += &format!(
            "  {:<14} {:>6.2}  ({:.2}–{:.2}; model {:.2})\n",
            term.name(),
            b.exp(),
            (b - 1.96 * se).exp(),
            (b + 1.96 * se).exp(),
            c.model_or[k]
        );
    }
    t
}

/// `--per-athlete`: the precision chosen, then per athlete its own fit's check on the later
/// days beside the team's, or why there is none.
fn athlete_summary(p: &evaluate::athletes::PerAthlete) -> String {
    let f = |v: Option<f64>, d: usize| v.map_or("–".to_string(), |v| format!("{v:.d$}"));
    let mut t = match p.precision {
        Some(l) => format!(
            "Per athlete, shrunk toward the team's fit: prior precision {l} by pooled \
             time-ordered cross-validation (log loss by precision: {}).\n",
            p.cv.iter()
                .map(|(l, v)| format!("{l}: {v:.4}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "Per athlete: no athlete has {} cramp days, so none has an own fit; the team's \
             coefficients apply to all.\n",
            evaluate::athletes::MIN_ATHLETE_CRAMP_DAYS
        ),
    };
    for a in &p.athletes {
        t += &format!(
            "  {:<12} {} days, {} cramp days{}",
            a.athlete,
            a.days,
            a.cramp_days,
            if a.fit.is_some() { ", own fit" } else { "" }
        );
        if let (Some(team), Some(own)) = (&a.team_check, &a.own_check) {
            t += &format!(
                "; later {} days ({} with cramps): team AUC {} Brier {}, own AUC {} Brier {}",
                a.test_days,
                a.test_cramp_days,
                f(team.auc, 3),
                f(team.brier, 4),
                f(own.auc, 3),
                f(own.brier, 4)
            );
        }
        if !a.note.is_empty() {
            t += &format!(" — {}", a.note);
        }
        t += "\n";
    }
    t
}
