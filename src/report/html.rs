//! `report.html`: one self-contained page (charts embedded as data URIs or inline SVG, styles
//! inline, no script, nothing fetched) with the team overview, the highest-risk days with their
//! reasons and advice, a section per athlete, how to read the charts, and the inputs read.
//! Takes finished data; every text that came from an input is escaped.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use base64::Engine;
use chrono::NaiveDate;

use crate::charts::data::{self, Day};
use crate::charts::{factor_colour, factor_label, hex, Band, Rendered, Written};
use crate::ingest::{FileReport, Rejection};
use crate::model::Bands;

/// How many of the team's highest-risk days are listed.
const TEAM_TOP_DAYS: usize = 15;
/// How many of each athlete's highest-risk days are listed.
const ATHLETE_TOP_DAYS: usize = 5;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Bidi overrides and control characters are shown escaped first (`safe_text`).
    for c in crate::safe_text::html_text(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What the report is made from.
pub struct ReportInput<'a> {
    pub days: &'a [Day],
    pub bands: &'a Bands,
    /// The last day of the ranking's windows.
    pub as_of: NaiveDate,
    pub rendered: &'a Rendered,
    pub files: &'a [FileReport],
    pub rejections: &'a [Rejection],
    /// From team_summary.csv: per athlete, the factors that most often led and the notes
    /// (missing weather, profile values taken from defaults).
    pub team_facts: &'a [TeamFacts],
}

/// What the team summary adds to the report's team table, per athlete.
#[derive(Debug, Clone, Default)]
pub struct TeamFacts {
    pub athlete: String,
    pub leading: String,
    pub notes: String,
}

fn fmt_num(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| format!("{x:.decimals$}"))
        .unwrap_or_else(|| "–".to_string())
}

fn band_chip(band: Option<Band>) -> String {
    match band {
        Some(b) => format!(r#"<span class="band band-{}">{}</span>"#, b.id(), b.label()),
        None => r#"<span class="band">unknown</span>"#.to_string(),
    }
}

fn css(bands_css: &str) -> String {
    format!(
        r#"body{{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#222;margin:0 auto;max-width:1240px;padding:0 16px 48px;line-height:1.45}}
h1{{margin-top:24px}} h2{{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:40px}}
nav a{{margin-right:10px;white-space:nowrap}}
.note{{background:#f4f4f4;border-left:4px solid #888;padding:8px 12px}}
figure{{margin:16px 0}} figure img,figure svg{{max-width:100%;height:auto;display:block;border:1px solid #eee}}
figcaption{{font-size:.9em;color:#555}}
table{{border-collapse:collapse;margin:12px 0;font-size:.92em}}
th,td{{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}}
th{{background:#f4f4f4}} td.num{{text-align:right;white-space:nowrap}}
.band{{display:inline-block;padding:1px 8px;border-radius:3px;white-space:nowrap;border:1px solid #bbb}}
.swatch{{display:inline-block;width:14px;height:14px;border:1px solid #999;vertical-align:middle;margin-right:6px}}
ul.legend{{list-style:none;padding-left:0;columns:2}}
{bands_css}"#
    )
}

fn bands_css() -> String {
    let mut out = String::new();
    for b in Band::ALL {
        let c = b.colour();
        // Light text on the two dark bands, dark text on the light ones.
        let ink = if matches!(b, Band::High | Band::VeryHigh) {
            "#fff"
        } else {
            "#222"
        };
        let _ = writeln!(out, ".band-{}{{background:{};color:{ink}}}", b.id(), hex(c));
    }
    out
}

/// A chart as embedded HTML: the PNG as a data URI when there is one, else the SVG inline.
fn embed(chart: &Written) -> anyhow::Result<String> {
    let alt = escape(&chart.title);
    if let Some(png) = &chart.png {
        let bytes = std::fs::read(png).with_context(|| format!("reading {}", png.display()))?;
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        return Ok(format!(
            r#"<figure><img alt="{alt}" src="data:image/png;base64,{b64}"></figure>"#
        ));
    }
    if let Some(svg) = &chart.svg {
        let text =
            std::fs::read_to_string(svg).with_context(|| format!("reading {}", svg.display()))?;
        // An XML declaration is not allowed inside HTML.
        let body = match text.find("<svg") {
            Some(i) => &text[i..],
            None => text.as_str(),
        };
        return Ok(format!(
            r#"<figure role="img" aria-label="{alt}">{body}</figure>"#
        ));
    }
    Ok(String::new())
}

fn days_table(out: &mut String, days: &[&Day], with_athlete: bool, anchors: &[(String, String)]) {
    out.push_str("<table><thead><tr>");
    if with_athlete {
        out.push_str("<th>Athlete</th>");
    }
    out.push_str(
        "<th>Date</th><th>Score</th><th>Band</th><th>Confidence</th><th>Why (top factors)</th><th>What to do</th></tr></thead><tbody>\n",
    );
    for d in days {
        out.push_str("<tr>");
        if with_athlete {
            let link = anchors
                .iter()
                .find(|(name, _)| *name == d.athlete)
                .map(|(_, stem)| stem.as_str())
                .unwrap_or("");
            let _ = write!(
                out,
                r##"<td><a href="#athlete-{}">{}</a></td>"##,
                escape(link),
                escape(&d.athlete)
            );
        }
        let _ = write!(
            out,
            r#"<td class="num">{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td></tr>"#,
            d.date,
            fmt_num(d.risk_score, 1),
            band_chip(d.band),
            d.confidence
                .map(|c| format!("{:.0} %", c * 100.0))
                .unwrap_or_else(|| "–".to_string()),
            escape(d.top_factors.as_deref().unwrap_or("")),
            escape(d.recommendation.as_deref().unwrap_or("")),
        );
        out.push('\n');
    }
    out.push_str("</tbody></table>\n");
}

/// Renders the whole page.
pub fn render(input: &ReportInput<'_>) -> anyhow::Result<String> {
    let days = input.days;
    let groups = data::by_athlete(days);
    // Anchors: the chart stems when charts were drawn, else stems made the same way.
    let names: Vec<String> = groups.iter().map(|(n, _)| n.to_string()).collect();
    let stems = crate::outputs::unique_stems(&names);
    let anchors: Vec<(String, String)> = names.iter().cloned().zip(stems.iter().cloned()).collect();
    let first = days.iter().map(|d| d.date).min();
    let last = data::last_date(days);

    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>cramprisk report</title>\n<style>\n");
    h.push_str(&css(&bands_css()));
    h.push_str("</style>\n</head>\n<body>\n");
    let _ = writeln!(h, "<h1>Cramp-risk report</h1>");
    let period = match (first, last) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no days".to_string(),
    };
    let _ = writeln!(
        h,
        "<p>{} athletes, {period}, {} athlete-days. Written by cramprisk {}.</p>",
        groups.len(),
        days.len(),
        env!("CARGO_PKG_VERSION")
    );
    h.push_str(
        "<p class=\"note\"><strong>Not medical advice.</strong> These scores are an evidence-informed \
         heuristic built from training, weather and fluid logs, not a diagnosis. A high score means \
         several known risk factors for exercise-associated muscle cramps came together; it does not \
         mean a cramp will happen, and a low score does not rule one out. See a doctor for cramps that \
         are frequent, severe, or come with weakness, swelling or dark urine.</p>\n",
    );

    h.push_str("<nav><strong>Contents:</strong> <a href=\"#team\">Team</a> <a href=\"#highest\">Highest-risk days</a> ");
    for (name, stem) in &anchors {
        let _ = write!(
            h,
            r##"<a href="#athlete-{}">{}</a> "##,
            escape(stem),
            escape(name)
        );
    }
    h.push_str("<a href=\"#read\">How to read</a> <a href=\"#inputs\">Inputs</a></nav>\n");

    // Team overview.
    h.push_str("<section id=\"team\">\n<h2>Team overview</h2>\n");
    for chart in &input.rendered.team {
        h.push_str(&embed(chart)?);
        h.push('\n');
    }
    let _ = writeln!(
        h,
        "<p>Ranking by mean risk score over the 7 and the 28 days to {} (days with a score in each window in brackets).</p>",
        input.as_of
    );
    h.push_str("<table><thead><tr><th>#</th><th>Athlete</th><th>Last 7 days</th><th>Last 28 days</th><th>Band (7 days)</th>");
    for b in Band::ALL {
        let _ = write!(h, "<th>Days {}</th>", b.label());
    }
    h.push_str("<th>Highest</th><th>Most often leading</th><th>Notes</th></tr></thead><tbody>\n");
    for (i, r) in data::ranking(days, input.as_of).iter().enumerate() {
        let rows = groups
            .iter()
            .find(|(n, _)| *n == r.athlete)
            .map(|(_, rows)| *rows)
            .unwrap_or(&[]);
        let stem = anchors
            .iter()
            .find(|(n, _)| *n == r.athlete)
            .map(|(_, s)| s.as_str())
            .unwrap_or("");
        let _ = write!(
            h,
            r##"<tr><td class="num">{}</td><td><a href="#athlete-{}">{}</a></td><td class="num">{} ({})</td><td class="num">{} ({})</td><td>{}</td>"##,
            i + 1,
            escape(stem),
            escape(&r.athlete),
            fmt_num(r.last7.mean, 1),
            r.last7.days,
            fmt_num(r.last28.mean, 1),
            r.last28.days,
            band_chip(data::band_of(r.last7.mean, input.bands)),
        );
        for c in data::band_counts(rows) {
            let _ = write!(h, r#"<td class="num">{c}</td>"#);
        }
        let max = rows
            .iter()
            .filter_map(|d| d.risk_score)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        let facts = input.team_facts.iter().find(|f| f.athlete == r.athlete);
        let _ = writeln!(
            h,
            r#"<td class="num">{}</td><td>{}</td><td>{}</td></tr>"#,
            fmt_num(max, 1),
            escape(facts.map_or("", |f| f.leading.as_str())),
            escape(facts.map_or("", |f| f.notes.as_str()))
        );
    }
    h.push_str("</tbody></table>\n</section>\n");

    // Highest-risk days.
    let _ = writeln!(
        h,
        "<section id=\"highest\">\n<h2>Highest-risk days</h2>\n<p>The team's {TEAM_TOP_DAYS} highest scores, with the factors that gave most points and the advice for the day.</p>"
    );
    days_table(
        &mut h,
        &data::highest_days(days, TEAM_TOP_DAYS),
        true,
        &anchors,
    );
    h.push_str("</section>\n");

    // One section per athlete.
    for ((name, rows), (_, stem)) in groups.iter().zip(&anchors) {
        let _ = writeln!(
            h,
            "<section id=\"athlete-{}\">\n<h2>{}</h2>",
            escape(stem),
            escape(name)
        );
        let scores: Vec<f64> = rows.iter().filter_map(|d| d.risk_score).collect();
        let mean = (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
        let counts = data::band_counts(rows);
        let mut band_text = Vec::new();
        for (b, c) in Band::ALL.iter().zip(counts) {
            band_text.push(format!("{c} {}", b.label()));
        }
        let _ = writeln!(
            h,
            "<p>{} days from {} to {}; mean score {}; days per band: {}.</p>",
            rows.len(),
            rows.first().map(|d| d.date.to_string()).unwrap_or_default(),
            rows.last().map(|d| d.date.to_string()).unwrap_or_default(),
            fmt_num(mean, 1),
            band_text.join(", ")
        );
        if let Some(charts) = input.rendered.athletes.iter().find(|a| a.athlete == *name) {
            for chart in &charts.charts {
                h.push_str(&embed(chart)?);
                h.push('\n');
            }
        }
        let _ = writeln!(h, "<h3>Highest-risk days of {}</h3>", escape(name));
        days_table(
            &mut h,
            &data::highest_days(rows, ATHLETE_TOP_DAYS),
            false,
            &anchors,
        );
        h.push_str("</section>\n");
    }

    how_to_read(&mut h, input.bands);
    inputs_section(&mut h, input.files, input.rejections);
    h.push_str(
        "<footer><p class=\"note\">cramprisk: an evidence-informed heuristic, not a diagnosis or medical advice.</p></footer>\n</body>\n</html>\n",
    );
    Ok(h)
}

fn how_to_read(h: &mut String, bands: &Bands) {
    h.push_str("<section id=\"read\">\n<h2>How to read the charts</h2>\n");
    let _ = writeln!(
        h,
        "<p><strong>Risk score</strong> (0–100 points): each bar is one day, split into the points each \
         factor gave; a factor whose inputs were unknown gives no segment (it lowers the day's confidence \
         instead). The black line is the mean of the last 7 days (drawn when at least 4 of them have a score). \
         Dashed lines mark the band thresholds ({:.0}, {:.0}, {:.0}); the strip along the top shows each day's band.</p>",
        bands.moderate, bands.high, bands.very_high
    );
    h.push_str(
        "<p>Bands (light to dark; the same in every chart and table):</p>\n<ul class=\"legend\">\n",
    );
    for b in Band::ALL {
        let upper = match b {
            Band::Low => format!("below {:.0}", bands.moderate),
            Band::Moderate => format!("{:.0} to below {:.0}", bands.moderate, bands.high),
            Band::High => format!("{:.0} to below {:.0}", bands.high, bands.very_high),
            Band::VeryHigh => format!("{:.0} and above", bands.very_high),
        };
        let _ = writeln!(
            h,
            r#"<li><span class="swatch" style="background:{}"></span>{} ({upper})</li>"#,
            hex(b.colour()),
            b.label()
        );
    }
    h.push_str("</ul>\n<p>Factors (one colour each, in every chart):</p>\n<ul class=\"legend\">\n");
    for id in data::STACK_ORDER {
        let _ = writeln!(
            h,
            r#"<li><span class="swatch" style="background:{}"></span>{}</li>"#,
            hex(factor_colour(id)),
            factor_label(id)
        );
    }
    h.push_str("</ul>\n");
    h.push_str(
        "<p><strong>Load</strong>: grey bars are each day's training load (TRIMP); the orange line is ATL \
         (7-day exponentially weighted load, recent fatigue), the blue line CTL (42-day, fitness). Below, \
         the acute:chronic workload ratio (ACWR) against its 0.8–1.3 range (shaded): above 1.3 the last \
         week was much harder than the athlete is used to. ACWR is blank for the first 28 days.</p>\n\
         <p><strong>Fluids</strong>: blue bars are the logged intake, the black line the estimated need \
         (the EFSA adequate intake from drinks plus the day's sweat loss); a day without a bar had nothing \
         logged, which is unknown, not zero. Below, the heat index (°C): while training on training days, \
         the day's hottest hour on rest days.</p>\n\
         <p><strong>Team</strong>: the heat map shows every athlete's band day by day (white: no data), \
         athletes in ranking order; the ranking compares the mean score over the last 7 days (thick bar) \
         and the last 28 days (thin bar), each coloured by the band its mean falls in.</p>\n\
         <p>The colours are Paul Tol's colour-blind-safe schemes: bands on a light-to-dark scale that keeps \
         its order in greyscale, factors from the \"muted\" qualitative scheme.</p>\n</section>\n",
    );
}

fn inputs_section(h: &mut String, files: &[FileReport], rejections: &[Rejection]) {
    h.push_str("<section id=\"inputs\">\n<h2>Inputs</h2>\n<table><thead><tr><th>File</th><th>Kind</th><th>Rows read</th><th>Used</th><th>Rejected</th><th>Note</th></tr></thead><tbody>\n");
    for f in files {
        let _ = writeln!(
            h,
            r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>"#,
            escape(&f.path.display().to_string()),
            f.kind.map(|k| k.to_string()).unwrap_or_default(),
            f.rows_read,
            f.rows_used,
            f.rows_rejected,
            escape(
                f.skipped
                    .as_deref()
                    .map(|s| format!("skipped: {s}"))
                    .as_deref()
                    .unwrap_or("")
            ),
        );
    }
    h.push_str("</tbody></table>\n");
    let _ = writeln!(
        h,
        "<p>{} row(s) or file(s) rejected; each is listed with its reason in rejected_rows.csv.</p>\n</section>",
        rejections.len()
    );
}

/// Writes `report.html` into `out`.
pub fn write(input: &ReportInput<'_>, out: &Path) -> anyhow::Result<std::path::PathBuf> {
    let html = render(input)?;
    let path = out.join(crate::outputs::REPORT);
    crate::outputs::write_atomically(&path, |w| {
        w.write_all(html.as_bytes())?;
        Ok(())
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape("Zoë"), "Zoë");
    }
}
