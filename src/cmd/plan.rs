//! `cramprisk plan`: reads the history and the forecast like `analyze`, the planned sessions
//! (plan CSVs, `--session`), checks them, plans each (`plan`), and writes plan.csv,
//! plan_hours.csv and rejected_rows.csv, then a short summary.

use super::Outcome;
use crate::charts::plan::{HourCurve, HoursChart, SquadChart};
use crate::config::PlanConfig;
use crate::ingest::plan::{parse_session, read_plan_csv};
use crate::ingest::Rejection;
use crate::model::Band;
use crate::plan::SessionPlan;
use crate::plan::{self, PlanInputs};
use crate::{compute, ingest, model, outputs, report};

pub fn run(cfg: &PlanConfig) -> anyhow::Result<Outcome> {
    let mut inputs = compute::gather(&cfg.inputs)?;
    // A plan file inside an input folder is the plan, not history.
    let plan_paths: Vec<_> = cfg
        .plans
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    inputs.files.retain(|f| {
        std::fs::canonicalize(&f.path)
            .map(|c| !plan_paths.contains(&c))
            .unwrap_or(true)
    });
    let mut out = cfg.outputs.clone();
    let mut guarded = inputs.paths();
    guarded.extend(cfg.plans.iter().cloned());
    out.prepare(&guarded)?;
    let ingested = ingest::load(&inputs.files, &inputs.profiles, &inputs.read)?;
    let mut planned = Vec::new();
    let mut rejected: Vec<Rejection> = Vec::new();
    for p in &cfg.plans {
        let (ok, bad) = read_plan_csv(p)?;
        planned.extend(ok);
        rejected.extend(bad);
    }
    for spec in &cfg.sessions {
        let athlete = cfg.athlete.as_deref().unwrap_or("");
        match parse_session(spec, athlete) {
            Ok(s) => planned.push(s),
            Err(reason) => rejected.push(Rejection {
                file: "--session".to_string(),
                line: None,
                reason,
            }),
        }
    }
    let pi = PlanInputs {
        frames: &ingested.frames,
        profiles: &ingested.profiles,
        model: &inputs.model,
        window: cfg.window,
    };
    let (kept, refused) = plan::check(planned, &pi)?;
    rejected.extend(refused);
    let plans = plan::plan(&kept, &pi)?;
    out.write(outputs::PLAN, |w| plan::write::write_plan(&plans, w))?;
    out.write(outputs::PLAN_HOURS, |w| plan::write::write_hours(&plans, w))?;
    let mut all_rejected = ingested.rejections.clone();
    all_rejected.extend(rejected.iter().cloned());
    out.write(outputs::REJECTED_ROWS, |w| {
        report::write_rejections(&all_rejected, w)
    })?;
    let page = write_charts_and_page(&plans, &rejected, &inputs.model, cfg, &out)?;
    // The set, written into the staging folder, replaces the previous one.
    out.commit()?;
    if !cfg.quiet {
        // Refusals are messages (stderr); the plan is the result (stdout).
        let mut msg = String::new();
        for r in &rejected {
            let line = r.line.map(|l| format!(":{l}")).unwrap_or_default();
            msg.push_str(&format!("refused  {}{line}: {}\n", r.file, r.reason));
        }
        super::print_message(&msg);
        let mut t = plan::write::summary(&plans);
        t.push_str(&format!(
            "Planned {} session(s), {} refused; wrote {}, {}, {} and {} ({} input rows \
             rejected). Not medical advice.\n",
            plans.len(),
            rejected.len(),
            out.path(outputs::PLAN).display(),
            out.path(outputs::PLAN_HOURS).display(),
            out.path(outputs::REJECTED_ROWS).display(),
            page.display(),
            ingested.rejections.len()
        ));
        match super::print_result(&t) {
            Err(e) if !e.is::<super::ClosedPipe>() => return Err(e),
            _ => {}
        }
    }
    if plans.is_empty() {
        anyhow::bail!(
            "nothing planned: every planned session was refused (see {})",
            out.path(outputs::REJECTED_ROWS).display()
        );
    }
    Ok(Outcome::Success)
}

/// The hour of day of a start, as a number (07:30 → 7.5).
fn hour_of(t: chrono::NaiveDateTime) -> f64 {
    use chrono::Timelike;
    f64::from(t.hour()) + f64::from(t.minute()) / 60.0
}

/// Draws the per-athlete hours charts and the squad chart into DIR/charts/ and writes
/// plan.html; returns the page's path.
fn write_charts_and_page(
    plans: &[SessionPlan],
    refused: &[Rejection],
    model: &model::Model,
    cfg: &PlanConfig,
    out: &outputs::Outputs,
) -> anyhow::Result<std::path::PathBuf> {
    let mut athletes: Vec<String> = plans.iter().map(|p| p.athlete.clone()).collect();
    athletes.sort();
    athletes.dedup();
    let mut days: Vec<chrono::NaiveDate> = plans.iter().map(|p| p.session.date()).collect();
    days.sort();
    days.dedup();
    let hours: Vec<(String, HoursChart)> = athletes
        .iter()
        .map(|a| {
            let curves = plans
                .iter()
                .filter(|p| &p.athlete == a)
                .map(|p| HourCurve {
                    label: format!(
                        "{} {} {:.0} min",
                        p.session.date().format("%a %d %b"),
                        p.session.sport,
                        p.session.duration_min
                    ),
                    points: p
                        .by_start
                        .iter()
                        .filter_map(|(t, r)| {
                            Some((hour_of(*t), r.risk_pct?, r.risk_low_pct?, r.risk_high_pct?))
                        })
                        .collect(),
                    planned: p.result.risk_pct.map(|r| (hour_of(p.session.start), r)),
                })
                .collect();
            (
                a.clone(),
                HoursChart {
                    title: format!("{a}: predicted risk by start hour"),
                    curves,
                    bands: model.bands.clone(),
                },
            )
        })
        .collect();
    // A cell is the day's highest planned session.
    let mut cells: Vec<(usize, usize, f64, Option<Band>)> = Vec::new();
    for p in plans {
        let (Some(r), Some(c)) = (
            athletes.iter().position(|a| *a == p.athlete),
            days.iter().position(|d| *d == p.session.date()),
        ) else {
            continue;
        };
        let Some(risk) = p.result.risk_pct else {
            continue;
        };
        let band = p.result.band.as_deref().and_then(Band::parse);
        match cells.iter_mut().find(|x| x.0 == r && x.1 == c) {
            Some(x) if x.2 < risk => *x = (r, c, risk, band),
            Some(_) => {}
            None => cells.push((r, c, risk, band)),
        }
    }
    let squad = SquadChart {
        title: "Squad: predicted risk of the planned days".to_string(),
        athletes,
        days,
        cells,
    };
    // Written into the staging folder; the path returned is where the page will be.
    let staging = out.staging();
    let dir = staging.join(outputs::CHARTS);
    use crate::cli::ChartFormat as F;
    let formats = crate::charts::Formats {
        png: matches!(cfg.charts, F::Png | F::Both),
        svg: matches!(cfg.charts, F::Svg | F::Both),
    };
    let (hours, squad) = crate::charts::plan::write(&dir, &hours, &squad, formats)?;
    let page = report::plan_html::write(
        &report::plan_html::PlanPage {
            plans,
            refused,
            hours: &hours,
            squad: squad.as_ref(),
        },
        &staging,
    )?;
    Ok(out.dir().join(page.strip_prefix(&staging).unwrap_or(&page)))
}
