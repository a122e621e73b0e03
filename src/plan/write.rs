//! The plan's writers, from finished `SessionPlan`s: `plan.csv` (one row per planned
//! session), `plan_hours.csv` (the risk at every start hour tried) and the terminal summary.
//! Unknown values are empty cells, never 0.

use std::io::Write;

use super::{start_text, DayResult, SessionPlan};
use crate::safe_text::csv_cell as safe_cell;

/// The columns of plan.csv, in order.
pub const PLAN_COLUMNS: [&str; 38] = [
    "athlete",
    "date",
    "start",
    "sport",
    "duration_min",
    "rpe",
    "avg_hr",
    "load",
    "indoor",
    "location",
    "risk_pct",
    "risk_low_pct",
    "risk_high_pct",
    "risk_band",
    "confidence",
    "top_factors",
    "missing_inputs",
    "heat_index_c",
    "wbgt_c",
    "best_start",
    "best_start_risk_pct",
    "best_start_band",
    "starts_tried",
    "shorter_risk_pct",
    "easier_risk_pct",
    "earlier_risk_pct",
    "indoor_risk_pct",
    "suggestion",
    "sweat_loss_ml",
    "sweat_ml_per_h",
    "drink_before_ml",
    "drink_during_ml_per_h",
    "sodium_during_mg_per_h",
    "drink_after_ml",
    "sodium_after_mg",
    "sodium_source",
    "drink_note",
    "source",
];

fn num(x: Option<f64>, decimals: usize) -> String {
    x.filter(|v| v.is_finite())
        .map(|v| format!("{v:.decimals$}"))
        .unwrap_or_default()
}

fn what_if(p: &SessionPlan, name: &str) -> Option<f64> {
    p.what_ifs
        .iter()
        .find(|w| w.name == name)
        .and_then(|w| w.result.risk_pct)
}

/// Writes plan.csv.
pub fn write_plan<W: Write>(plans: &[SessionPlan], out: W) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(PLAN_COLUMNS)?;
    for p in plans {
        let s = &p.session;
        let r = &p.result;
        let d = &p.drinks;
        let best = p.best.as_ref();
        let row: Vec<String> = vec![
            p.athlete.clone(),
            s.date().to_string(),
            start_text(s.start),
            s.sport.clone(),
            num(Some(s.duration_min), 0),
            num(s.rpe, 1),
            num(s.avg_hr, 0),
            num(s.load, 0),
            s.indoor.to_string(),
            s.location.clone().unwrap_or_default(),
            num(r.risk_pct, 2),
            num(r.risk_low_pct, 2),
            num(r.risk_high_pct, 2),
            r.band.clone().unwrap_or_default(),
            num(r.confidence, 2),
            r.top_factors.clone(),
            r.missing_inputs.clone(),
            num(r.heat_index_c, 1),
            num(r.wbgt_c, 1),
            best.map(|b| start_text(b.0)).unwrap_or_default(),
            num(best.and_then(|b| b.1.risk_pct), 2),
            best.and_then(|b| b.1.band.clone()).unwrap_or_default(),
            p.by_start.len().to_string(),
            num(what_if(p, "shorter"), 2),
            num(what_if(p, "easier"), 2),
            num(what_if(p, "earlier"), 2),
            num(what_if(p, "indoor"), 2),
            p.suggestion.clone().unwrap_or_default(),
            num(Some(p.sweat_ml), 0),
            num(Some(d.sweat_ml_per_h), 0),
            num(d.before_ml, 0),
            num(Some(d.during_ml_per_h), 0),
            num(Some(d.sodium_during_mg_per_h), 0),
            num(Some(d.after_ml), 0),
            num(Some(d.sodium_after_mg), 0),
            d.sodium_source.clone(),
            d.note.clone(),
            s.source.clone(),
        ];
        w.write_record(row.iter().map(|c| safe_cell(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// Writes plan_hours.csv: athlete, date, the planned start, and each start hour tried with
/// its risk, range and band.
pub fn write_hours<W: Write>(plans: &[SessionPlan], out: W) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "athlete",
        "date",
        "planned_start",
        "start",
        "risk_pct",
        "risk_low_pct",
        "risk_high_pct",
        "risk_band",
        "heat_index_c",
    ])?;
    for p in plans {
        for (st, r) in &p.by_start {
            w.write_record([
                safe_cell(&p.athlete).as_ref(),
                &p.session.date().to_string(),
                &start_text(p.session.start),
                &start_text(*st),
                &num(r.risk_pct, 2),
                &num(r.risk_low_pct, 2),
                &num(r.risk_high_pct, 2),
                r.band.as_deref().unwrap_or(""),
                &num(r.heat_index_c, 1),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn risk_text(r: &DayResult) -> String {
    match r.risk_pct {
        Some(x) => format!(
            "{x:.1} % ({}, {:.1}–{:.1})",
            r.band.as_deref().unwrap_or("?"),
            r.risk_low_pct.unwrap_or(f64::NAN),
            r.risk_high_pct.unwrap_or(f64::NAN)
        ),
        None => "unknown".to_string(),
    }
}

/// The short terminal summary: one block per session.
pub fn summary(plans: &[SessionPlan]) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    for p in plans {
        let s = &p.session;
        let _ = writeln!(
            t,
            "{} {} {} {} {:.0} min: risk {}",
            p.athlete,
            s.date(),
            start_text(s.start),
            s.sport,
            s.duration_min,
            risk_text(&p.result)
        );
        if !p.result.top_factors.is_empty() {
            let _ = writeln!(t, "    because  {}", p.result.top_factors);
        }
        if let Some((st, r)) = &p.best {
            let _ = writeln!(
                t,
                "    best     start {}: {}",
                start_text(*st),
                risk_text(r)
            );
        }
        if let Some(sugg) = &p.suggestion {
            let _ = writeln!(t, "    what-if  {sugg}");
        }
        let d = &p.drinks;
        let before = d
            .before_ml
            .map(|b| format!("{b:.0} ml 2–4 h before, "))
            .unwrap_or_default();
        let _ = writeln!(
            t,
            "    drink    {before}{:.0} ml/h with {:.0} mg sodium/h during, {:.0} ml after \
             (sweat {:.0} ml/h; sodium: {})",
            d.during_ml_per_h,
            d.sodium_during_mg_per_h,
            d.after_ml,
            d.sweat_ml_per_h,
            d.sodium_source
        );
    }
    t
}
