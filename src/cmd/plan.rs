//! `cramprisk plan`: reads the history and the forecast like `analyze`, the planned sessions
//! (plan CSVs, `--session`), checks them, plans each (`plan`), and writes plan.csv,
//! plan_hours.csv and rejected_rows.csv, then a short summary.

use crate::config::PlanConfig;
use crate::ingest::plan::{parse_session, read_plan_csv};
use crate::ingest::Rejection;
use crate::plan::{self, PlanInputs};
use crate::{compute, ingest, outputs, report, Outcome};

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
    if !cfg.quiet {
        let mut t = plan::write::summary(&plans);
        for r in &rejected {
            let line = r.line.map(|l| format!(":{l}")).unwrap_or_default();
            t.push_str(&format!("refused  {}{line}: {}\n", r.file, r.reason));
        }
        t.push_str(&format!(
            "Planned {} session(s), {} refused; wrote {}, {} and {} ({} input rows rejected). \
             Not medical advice.\n",
            plans.len(),
            rejected.len(),
            out.path(outputs::PLAN).display(),
            out.path(outputs::PLAN_HOURS).display(),
            out.path(outputs::REJECTED_ROWS).display(),
            ingested.rejections.len()
        ));
        eprint!("{t}");
    }
    if plans.is_empty() {
        anyhow::bail!(
            "nothing planned: every planned session was refused (see {})",
            out.path(outputs::REJECTED_ROWS).display()
        );
    }
    Ok(Outcome::Success)
}
