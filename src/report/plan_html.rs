//! `plan.html`: the plan as one self-contained page shaped like report.html (same styles and
//! band chips, charts embedded, nothing fetched): the squad table of athletes × planned days,
//! every session with its risk, reasons, best start, suggested what-if and drink plan, each
//! athlete's risk across start hours, and the sessions refused. Takes finished plan results;
//! every text from an input is escaped.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use super::html::{bands_css, css, embed, escape};
use crate::charts::theme::band_label;
use crate::charts::Written;
use crate::ingest::Rejection;
use crate::model::Band;
use crate::plan::{start_text, DayResult, SessionPlan};

/// What the page is made from.
pub struct PlanPage<'a> {
    pub plans: &'a [SessionPlan],
    pub refused: &'a [Rejection],
    /// Per athlete, the hours chart (when charts were drawn).
    pub hours: &'a [(String, Written)],
    pub squad: Option<&'a Written>,
}

fn chip(r: &DayResult) -> String {
    match r.band.as_deref().and_then(Band::parse) {
        Some(b) => format!(
            r#"<span class="band band-{}">{}</span>"#,
            b.name(),
            band_label(b)
        ),
        None => r#"<span class="band">unknown</span>"#.to_string(),
    }
}

fn risk(r: &DayResult) -> String {
    match (r.risk_pct, r.risk_low_pct, r.risk_high_pct) {
        (Some(x), Some(lo), Some(hi)) => format!("{x:.1} % <small>({lo:.1}–{hi:.1})</small>"),
        (Some(x), _, _) => format!("{x:.1} %"),
        _ => "–".to_string(),
    }
}

/// Renders the page.
pub fn render(page: &PlanPage<'_>) -> anyhow::Result<String> {
    let plans = page.plans;
    let mut h = String::new();
    push_head(&mut h);
    let days: BTreeSet<chrono::NaiveDate> = plans.iter().map(|p| p.session.date()).collect();
    let athletes: BTreeSet<&str> = plans.iter().map(|p| p.athlete.as_str()).collect();
    let _ = writeln!(h, "<h1>Cramp risk of the planned sessions</h1>");
    let period = match (days.first(), days.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no days".to_string(),
    };
    let _ = writeln!(
        h,
        "<p>{} planned session(s) of {} athlete(s), {period}. Written by cramprisk {}.</p>",
        plans.len(),
        athletes.len(),
        env!("CARGO_PKG_VERSION")
    );
    h.push_str(
        "<p class=\"note\"><strong>Not medical advice.</strong> Each planned day is computed as \
         the daily report would compute it had it happened as planned, with the forecast as its \
         weather: an estimate from published single-factor effect sizes, not validated against \
         recorded cramps. The forecast's own error is not in the range. See docs/planning.md.</p>\n",
    );
    h.push_str("<nav><a href=\"#squad\">Squad</a><a href=\"#sessions\">Sessions</a>");
    for a in &athletes {
        let _ = write!(h, "<a href=\"#a-{}\">{}</a>", escape(a), escape(a));
    }
    h.push_str("<a href=\"#refused\">Refused</a></nav>\n");

    // The squad table: athletes × days, the day's highest planned session.
    push_squad(&mut h, page, &days, &athletes)?;

    push_sessions(&mut h, plans);

    for a in &athletes {
        let _ = writeln!(h, "<h2 id=\"a-{}\">{}</h2>", escape(a), escape(a));
        if let Some((_, w)) = page.hours.iter().find(|(n, _)| n == a) {
            h.push_str(&embed(w)?);
            h.push_str(
                "<p><small>Each line is one planned day: the predicted risk if the session \
                 started at that hour (the shade is the range unknown inputs could move it \
                 over; the circle is the start as planned). Hours the forecast does not cover \
                 are left out.</small></p>\n",
            );
        }
    }

    push_refused(&mut h, page.refused);
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

/// The document head and styles, up to the opening `<body>`.
fn push_head(h: &mut String) {
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>cramprisk plan</title>\n<style>\n");
    h.push_str(&css(&bands_css()));
    // On a phone each session is a card: its cells stacked, each with its heading.
    h.push_str(
        ".scroll{overflow-x:auto} nav{display:flex;flex-wrap:wrap;gap:4px 0}\n\
         @media (max-width:700px){table.cards,table.cards tbody,table.cards tr,table.cards td\
         {display:block}table.cards thead{display:none}table.cards tr{border:1px solid #ddd;\
         margin:10px 0;padding:4px}table.cards td{border:none;padding:2px 4px;text-align:left}\
         table.cards td::before{content:attr(data-label);display:block;font-size:.8em;\
         color:#666}}\n</style>\n</head>\n<body>\n",
    );
}

/// The squad table: one row per athlete, one column per planned day, each cell the day's
/// highest-risk planned session.
fn push_squad(
    h: &mut String,
    page: &PlanPage<'_>,
    days: &BTreeSet<chrono::NaiveDate>,
    athletes: &BTreeSet<&str>,
) -> anyhow::Result<()> {
    let plans = page.plans;
    let _ = writeln!(h, "<h2 id=\"squad\">Squad: athletes × days</h2>");
    if let Some(w) = page.squad {
        h.push_str(&embed(w)?);
    }
    h.push_str("<div class=\"scroll\"><table><thead><tr><th>Athlete</th>");
    for d in days {
        let _ = write!(h, "<th>{}</th>", d.format("%a %d %b"));
    }
    h.push_str("</tr></thead><tbody>\n");
    for a in athletes {
        let _ = write!(h, "<tr><td>{}</td>", escape(a));
        for d in days {
            let best = plans
                .iter()
                .filter(|p| p.athlete == *a && p.session.date() == *d)
                .max_by(|x, y| {
                    x.result
                        .risk_pct
                        .partial_cmp(&y.result.risk_pct)
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
            match best {
                Some(p) => {
                    let _ = write!(
                        h,
                        "<td class=\"num\">{} {:.1} %</td>",
                        chip(&p.result),
                        p.result.risk_pct.unwrap_or(f64::NAN)
                    );
                }
                None => h.push_str("<td></td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    Ok(())
}

/// The sessions table: one card per planned session with its risk, reasons, best start,
/// suggested what-if and drink plan.
fn push_sessions(h: &mut String, plans: &[SessionPlan]) {
    let _ = writeln!(h, "<h2 id=\"sessions\">Sessions</h2>");
    h.push_str(
        "<table class=\"cards\"><thead><tr><th>Athlete</th><th>Day</th><th>Session</th>\
         <th>Risk (range)</th><th>Band</th><th>Why (top factors)</th><th>Best start</th>\
         <th>What-if</th><th>Drink and sodium</th></tr></thead><tbody>\n",
    );
    for p in plans {
        let s = &p.session;
        let best = p
            .best
            .as_ref()
            .map(|(t, r)| format!("{} — {} {}", start_text(*t), risk(r), chip(r)))
            .unwrap_or_else(|| "–".to_string());
        let d = &p.drinks;
        let before = d
            .before_ml
            .map(|b| format!("{b:.0} ml 2–4 h before; "))
            .unwrap_or_default();
        let drink = format!(
            "{before}{:.0} ml/h with {:.0} mg sodium/h during; {:.0} ml after. Sweat {:.0} ml/h; \
             sodium: {}{}",
            d.during_ml_per_h,
            d.sodium_during_mg_per_h,
            d.after_ml,
            d.sweat_ml_per_h,
            d.sodium_source,
            if d.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.note)
            }
        );
        let _ = writeln!(
            h,
            "<tr><td data-label=\"Athlete\">{}</td><td data-label=\"Day\">{}</td>\
             <td data-label=\"Session\">{} {} {:.0} min</td><td data-label=\"Risk (range)\">{}</td>\
             <td data-label=\"Band\">{}</td><td data-label=\"Why\">{}</td>\
             <td data-label=\"Best start\">{}</td><td data-label=\"What-if\">{}</td>\
             <td data-label=\"Drink and sodium\">{}</td></tr>",
            escape(&p.athlete),
            s.date(),
            start_text(s.start),
            escape(&s.sport),
            s.duration_min,
            risk(&p.result),
            chip(&p.result),
            escape(&p.result.top_factors),
            best,
            escape(p.suggestion.as_deref().unwrap_or("–")),
            escape(&drink),
        );
    }
    h.push_str("</tbody></table>\n");
}

/// The refused sessions, each with its file, line and reason.
fn push_refused(h: &mut String, refused: &[Rejection]) {
    let _ = writeln!(h, "<h2 id=\"refused\">Sessions refused</h2>");
    if refused.is_empty() {
        h.push_str("<p>None: every planned session was used.</p>\n");
    } else {
        h.push_str("<ul>\n");
        for r in refused {
            let line = r.line.map(|l| format!(":{l}")).unwrap_or_default();
            let _ = writeln!(
                h,
                "<li>{}{line}: {}</li>",
                escape(&r.file),
                escape(&r.reason)
            );
        }
        h.push_str("</ul>\n");
    }
}

/// Writes plan.html into `out`, a run's staging folder (`outputs::Outputs::staging`).
pub fn write(page: &PlanPage<'_>, out: &Path) -> anyhow::Result<std::path::PathBuf> {
    let text = render(page)?;
    let path = out.join(crate::outputs::PLAN_HTML);
    crate::outputs::write_staged(&path, text.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::plan::parse_session;
    use crate::plan::drinks::{drink_plan, DrinkInputs};

    #[test]
    fn the_page_escapes_input_text_and_lists_refusals() {
        let session = parse_session("2025-09-01 07:00 run 60min rpe5", "<b>x</b>").unwrap();
        let result = DayResult {
            risk_pct: Some(12.0),
            risk_low_pct: Some(8.0),
            risk_high_pct: Some(30.0),
            band: Some("moderate".into()),
            top_factors: "heat ×1.2 <hot>".into(),
            ..DayResult::default()
        };
        let plan = SessionPlan {
            athlete: "<b>x</b>".into(),
            session,
            result: result.clone(),
            by_start: vec![],
            best: None,
            what_ifs: vec![],
            suggestion: None,
            drinks: drink_plan(&DrinkInputs {
                sweat_ml: 1000.0,
                duration_min: 60.0,
                body_mass_kg: None,
                sweat_sodium_mg_per_l: None,
            }),
            sweat_ml: 1000.0,
        };
        let refused = [Rejection {
            file: "plan.csv".into(),
            line: Some(4),
            reason: "unknown athlete \"zed\"".into(),
        }];
        let html = render(&PlanPage {
            plans: &[plan],
            refused: &refused,
            hours: &[],
            squad: None,
        })
        .unwrap();
        assert!(!html.contains("<b>x</b>"));
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(html.contains("heat ×1.2 &lt;hot&gt;"));
        assert!(html.contains("plan.csv:4: unknown athlete &quot;zed&quot;"));
        assert!(html.contains(r#"<span class="band band-moderate">moderate</span>"#));
        assert!(html.contains("Not medical advice."));
    }
}
