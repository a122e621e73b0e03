//! report.html's cramp parts, shown when cramps were read: the evaluation section (how well the
//! risk tracked them: AUC with its interval, Brier score, calibration, the number of cramp days,
//! and plainly when they are too few to conclude anything) and, in each athlete's section, the
//! athlete's cramps beside that day's risk. Takes finished data; input text is escaped.

use std::fmt::Write as _;

use super::markup::{band_chip, cell, escape, fmt_num, risk_text};
use crate::evaluate::{Evaluation, MIN_CRAMP_DAYS};
use crate::ingest::cramplog::{Cramp, CrampSource};
use crate::measures::load::PMC_SEED_DAYS;
use crate::view::Day;

/// What the report shows about cramps.
pub struct CrampFacts {
    /// The cramps used (logged, and mentioned with `--cramps-from-titles`), names as shown.
    pub cramps: Vec<Cramp>,
    /// The evaluation over the days reported (each athlete's first `PMC_SEED_DAYS` left out).
    pub evaluation: Evaluation,
    /// Cramps in an athlete's first days, matched but not evaluated.
    pub in_warmup: usize,
    /// Cramps that match no day with data (listed in rejected_rows.csv).
    pub rejected: usize,
    /// Cramps mentioned in titles and not counted (no `--cramps-from-titles`).
    pub mentions_unused: usize,
}

fn source_text(s: CrampSource) -> &'static str {
    match s {
        CrampSource::Log => "cramp log",
        CrampSource::Mention => "session title",
    }
}

/// The evaluation section: one row for the team and one per athlete with cramps.
pub fn evaluation_section(h: &mut String, f: &CrampFacts) {
    h.push_str("<section id=\"evaluation\">\n<h2>The risk against the logged cramps</h2>\n");
    let Some(team) = f.evaluation.groups.first() else {
        h.push_str("<p>No days to evaluate.</p>\n</section>\n");
        return;
    };
    let logs = f
        .cramps
        .iter()
        .filter(|c| c.source == CrampSource::Log)
        .count();
    let _ = writeln!(
        h,
        "<p>{} cramp(s) read ({logs} from cramp logs, {} mentioned in session titles); over the {} days reported after each athlete's first {PMC_SEED_DAYS} (whose load is seeded, so not evaluated: {} cramp(s) there), {} day(s) had a cramp. {} cramp(s) match no day with data (see rejected_rows.csv).</p>",
        f.cramps.len(),
        f.cramps.len() - logs,
        team.days,
        f.in_warmup,
        team.cramp_days,
        f.rejected
    );
    if f.mentions_unused > 0 {
        let _ = writeln!(
            h,
            "<p>{} session title(s) mention a cramp and were not counted: run with <code>--cramps-from-titles</code> to count them.</p>",
            f.mentions_unused
        );
    }
    if team.cramp_days < MIN_CRAMP_DAYS {
        let _ = writeln!(
            h,
            "<p><strong>Too few cramps to conclude anything:</strong> {} cramp day(s); at least {MIN_CRAMP_DAYS} are needed before an AUC or a calibration line means something. The Brier score below is shown, but says little on its own.</p>",
            team.cramp_days
        );
    }
    h.push_str("<table class=\"cards\"><thead><tr><th>Group</th><th>Days</th><th>Cramp days</th><th>Predicted (mean)</th><th>Observed</th><th>AUC (95 % CI)</th><th>Brier</th><th>Calibration intercept, slope</th><th>Note</th></tr></thead><tbody>\n");
    for g in &f.evaluation.groups {
        h.push_str("<tr>");
        cell(h, "Group", "head", &escape(&g.group));
        cell(h, "Days", "num", &g.days.to_string());
        cell(h, "Cramp days", "num", &g.cramp_days.to_string());
        cell(
            h,
            "Predicted (mean)",
            "num",
            &format!("{:.1} %", 100.0 * g.mean_predicted),
        );
        cell(
            h,
            "Observed",
            "num",
            &format!("{:.1} %", 100.0 * g.observed_rate),
        );
        let auc = match (g.auc, g.auc_ci) {
            (Some(a), Some((lo, hi))) => format!("{a:.2} ({lo:.2}–{hi:.2})"),
            (Some(a), None) => format!("{a:.2}"),
            _ => "–".to_string(),
        };
        cell(h, "AUC (95 % CI)", "num", &auc);
        cell(h, "Brier", "num", &fmt_num(g.brier, 4));
        let line = match (g.intercept, g.slope) {
            (Some(a), Some(b)) => format!("{a:.2}, {b:.2}"),
            _ => "–".to_string(),
        };
        cell(h, "Calibration intercept, slope", "num", &line);
        cell(h, "Note", "long", &escape(&g.note));
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    h.push_str("<p>AUC: the chance that a cramp day got a higher risk than a day without one (0.5 is a coin toss). Brier: the mean squared gap between the risk and what happened (lower is better). Calibration: intercept 0 and slope 1 mean the percentages can be taken at their word. <code>cramprisk evaluate</code> writes the reliability table, each factor's observed odds ratio and the charts; docs/model.md, \"Checking the model on your own cramps\", says what the numbers mean and their limits (cramps noted more on memorable days; titles mention only days with a session).</p>\n</section>\n");
}

/// An athlete's cramps in the days reported, each beside that day's risk.
pub fn athlete_cramps(h: &mut String, name: &str, rows: &[Day], cramps: &[Cramp]) {
    let mut mine: Vec<&Cramp> = cramps
        .iter()
        .filter(|c| c.athlete == name)
        .filter(|c| rows.iter().any(|d| d.date == c.date))
        .collect();
    if mine.is_empty() {
        return;
    }
    mine.sort_by_key(|c| c.date);
    let _ = writeln!(h, "<h3>Cramps of {} ({})</h3>", escape(name), mine.len());
    h.push_str("<table class=\"cards\"><thead><tr><th>Date</th><th>Muscle</th><th>Severity</th><th>When</th><th>Source</th><th>Risk that day (range)</th><th>Band</th><th>Note</th></tr></thead><tbody>\n");
    for c in mine {
        let day = rows.iter().find(|d| d.date == c.date);
        h.push_str("<tr>");
        cell(h, "Date", "num", &c.date.to_string());
        cell(h, "Muscle", "", &escape(c.muscle.as_deref().unwrap_or("–")));
        cell(h, "Severity", "", c.severity.map_or("–", |s| s.name()));
        cell(h, "When", "", c.when.map_or("–", |w| w.name()));
        cell(h, "Source", "", source_text(c.source));
        cell(
            h,
            "Risk that day (range)",
            "num",
            &day.map_or("–".into(), risk_text),
        );
        cell(h, "Band", "", &band_chip(day.and_then(|d| d.band)));
        cell(h, "Note", "long", &escape(c.note.as_deref().unwrap_or("")));
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
}
