//! `report.html`: one self-contained page (charts embedded as data URIs or inline SVG, styles
//! inline, no script, nothing fetched) with the team overview, the highest-risk days with their
//! reasons and advice, a section per athlete, how to read the charts, and the inputs read.
//! Takes finished data; every text that came from an input is escaped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use base64::Engine;
use chrono::NaiveDate;

use crate::charts::data;
use crate::charts::theme::{band_colour, band_label, factor_colour, factor_label, hex};
use crate::charts::{Rendered, Written};
use crate::ingest::{FileReport, Rejection};
use crate::model::{Band, FactorId};
use crate::team::Ranked;
use crate::view::{self, AthleteSummaries, AthleteSummary, Day, TeamDays};

pub use super::markup::escape;
use super::markup::{band_chip, cell, fmt_num, risk_text};

/// How many of the team's highest-risk days are listed.
const TEAM_TOP_DAYS: usize = 15;
/// How many of each athlete's highest-risk days are listed.
const ATHLETE_TOP_DAYS: usize = 5;
// `analyze` keeps the reasons and advice of the highest days only: as many as the lists show.
const _: () = assert!(
    TEAM_TOP_DAYS <= crate::view::TEAM_DAYS_LISTED
        && ATHLETE_TOP_DAYS <= crate::view::ATHLETE_DAYS_LISTED
);

/// What the report is made from.
pub struct ReportInput<'a> {
    /// What the report shows of each athlete's days taken together, in name order.
    pub athletes: &'a AthleteSummaries,
    /// The days kept for the views (all of them, or only those some view lists), read one
    /// athlete at a time.
    pub days: &'a TeamDays<'a>,
    /// The team ranking (`team::ranking`) and the last day of its windows.
    pub ranked: &'a [Ranked],
    pub as_of: NaiveDate,
    pub rendered: &'a Rendered,
    pub files: &'a [FileReport],
    pub rejections: &'a [Rejection],
    /// From team_summary.csv: per athlete, the factors that most often led and the notes
    /// (missing weather, profile values taken from defaults).
    pub team_facts: &'a [TeamFacts],
    /// The cramps read and how the risk tracked them (None: no cramps were read).
    pub cramps: Option<&'a super::cramps_html::CrampFacts>,
}

/// What the team summary adds to the report's team table, per athlete.
#[derive(Debug, Clone, Default)]
pub struct TeamFacts {
    pub athlete: String,
    pub leading: String,
    pub notes: String,
}

/// The page's styles (report.html and plan.html). Readable from a 360 px phone to a wide
/// screen without the page ever scrolling sideways: below 760 px the tables turn into one card
/// per row (each value under its column's name), and a chart keeps at least 760 px of width
/// and scrolls sideways inside its own box, so its labels stay legible instead of shrinking
/// to a third.
pub fn css(bands_css: &str) -> String {
    format!(
        r#"*,*::before,*::after{{box-sizing:border-box}}
body{{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;color:#222;margin:0 auto;max-width:1240px;padding:0 16px 48px;line-height:1.45;overflow-wrap:break-word}}
h1{{margin-top:24px}} h2{{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:40px}}
nav{{line-height:1.9}} nav a{{margin-right:10px;white-space:nowrap}}
.note{{background:#f4f4f4;border-left:4px solid #888;padding:8px 12px}}
figure{{margin:16px 0;overflow-x:auto;border:1px solid #eee}}
figure img,figure svg{{display:block;width:100%;max-width:1200px;min-width:760px;height:auto}}
figcaption{{font-size:.9em;color:#555}}
td.path{{overflow-wrap:anywhere}}
table{{border-collapse:collapse;margin:12px 0;font-size:.92em}}
th,td{{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}}
th{{background:#f4f4f4}} td.num{{text-align:right;white-space:nowrap}}
.band{{display:inline-block;padding:1px 8px;border-radius:3px;white-space:nowrap;border:1px solid #bbb}}
.swatch{{display:inline-block;width:14px;height:14px;border:1px solid #999;vertical-align:middle;margin-right:6px}}
ul.legend{{list-style:none;padding-left:0;columns:2}}
.scroll{{overflow-x:auto;max-width:100%}}
@media (max-width:760px){{
body{{padding:0 10px 32px}}
ul.legend{{columns:1}}
table.cards,table.cards tbody,table.cards tr,table.cards td{{display:block;width:100%}}
table.cards thead{{display:none}}
table.cards tr{{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:0 12px;border:1px solid #ccc;border-radius:6px;margin:0 0 10px;padding:6px 10px}}
table.cards td.head,table.cards td.long{{grid-column:1/-1}} table.cards td:empty{{display:none}}
table.cards td{{border:0;padding:2px 0;text-align:left;white-space:normal}}
table.cards td::before{{content:attr(data-label) ": ";color:#555;font-size:.9em}}
table.cards td.head{{font-weight:bold;font-size:1.05em}} table.cards td.head::before{{content:none}}
table.cards td.long::before{{display:block}}
figure::after{{content:"Scroll sideways to see the whole chart.";display:block;font-size:.85em;color:#555;padding:2px 6px}}
}}
{bands_css}"#
    )
}

/// The band chips' colours.
pub fn bands_css() -> String {
    let mut out = String::new();
    for b in Band::ALL {
        let c = band_colour(b);
        // Light text on the two dark bands, dark text on the light ones.
        let ink = if matches!(b, Band::High | Band::VeryHigh) {
            "#fff"
        } else {
            "#222"
        };
        let _ = writeln!(
            out,
            ".band-{}{{background:{};color:{ink}}}",
            b.name(),
            hex(c)
        );
    }
    out
}

/// A chart as embedded HTML: the PNG as a data URI when there is one, else the SVG inline.
pub fn embed(chart: &Written) -> anyhow::Result<String> {
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

/// Where each athlete's section is: on the one page, or on a page of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Everything in report.html, charts embedded: one file to mail or open offline.
    OnePage,
    /// report.html is an index (team charts, ranking, highest days, inputs); each athlete has
    /// `athletes/<stem>.html`; charts are loaded from `charts/` instead of embedded.
    Split,
}

/// Teams up to this size get one page; larger ones the index and a page per athlete. Each
/// athlete adds about 0.3 MB of embedded PNG charts, so one page stays under about 6 MB.
pub const ONE_PAGE_MAX_ATHLETES: usize = 20;

impl Layout {
    pub fn for_team(athletes: usize) -> Layout {
        if athletes <= ONE_PAGE_MAX_ATHLETES {
            Layout::OnePage
        } else {
            Layout::Split
        }
    }
}

/// The athletes' file stems and where a page links to each.
struct Links {
    layout: Layout,
    stems: HashMap<String, String>,
}

impl Links {
    fn stem(&self, athlete: &str) -> &str {
        self.stems.get(athlete).map_or("", String::as_str)
    }

    /// The link from report.html to an athlete's section.
    fn athlete(&self, athlete: &str) -> String {
        let stem = escape(self.stem(athlete));
        match self.layout {
            Layout::OnePage => format!("#athlete-{stem}"),
            Layout::Split => format!("athletes/{stem}.html"),
        }
    }
}

fn days_table(out: &mut String, days: &[&Day], with_athlete: bool, links: &Links) {
    out.push_str("<table class=\"cards\"><thead><tr>");
    if with_athlete {
        out.push_str("<th>Athlete</th>");
    }
    out.push_str(
        "<th>Date</th><th>Risk (range)</th><th>Band</th><th>Confidence</th><th>Why (top factors)</th><th>What to do</th><th>Missing inputs</th></tr></thead><tbody>\n",
    );
    for d in days {
        out.push_str("<tr>");
        if with_athlete {
            let link = format!(
                r#"<a href="{}">{}</a>"#,
                links.athlete(d.athlete),
                escape(d.athlete)
            );
            cell(out, "Athlete", "head", &link);
        }
        cell(out, "Date", "num", &d.date.to_string());
        cell(out, "Risk (range)", "num", &risk_text(d));
        cell(out, "Band", "", &band_chip(d.band));
        let confidence = d
            .confidence
            .map(|c| format!("{:.0} %", c * 100.0))
            .unwrap_or_else(|| "–".to_string());
        cell(out, "Confidence", "num", &confidence);
        let why = escape(d.top_factors.unwrap_or(""));
        cell(out, "Why (top factors)", "long", &why);
        let advice = escape(d.recommendation.unwrap_or(""));
        cell(out, "What to do", "long", &advice);
        let missing = escape(d.missing_inputs.unwrap_or(""));
        cell(out, "Missing inputs", "long", &missing);
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// The top of every page: styles, title and the not-medical-advice note.
fn page_head(h: &mut String, title: &str) {
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>{}</title>\n<style>", escape(title));
    h.push_str(&css(&bands_css()));
    h.push_str("</style>\n</head>\n<body>\n");
}

const NOT_ADVICE: &str =
    "<p class=\"note\"><strong>Not medical advice.</strong> These are evidence-informed estimates \
     of the chance of an exercise-associated muscle cramp, built from training, weather and fluid \
     logs and published effect sizes, not a diagnosis. A high estimate means known risk factors came \
     together; it does not mean a cramp will happen, and a low one does not rule one out. See a \
     doctor for cramps that are frequent, severe, or come with weakness, swelling or dark urine.</p>\n";

const FOOTER: &str = "<footer><p class=\"note\">cramprisk: an evidence-informed heuristic, not a diagnosis or medical advice.</p></footer>\n</body>\n</html>\n";

/// A chart for a page: embedded on the one page; on split pages loaded from its file (PNG,
/// else SVG) by a path relative to the page, which lives `depth` folders below the output.
fn chart_html(chart: &Written, layout: Layout, depth: usize) -> anyhow::Result<String> {
    if layout == Layout::OnePage {
        return embed(chart);
    }
    let Some(file) = chart.png.as_ref().or(chart.svg.as_ref()) else {
        return Ok(String::new());
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(format!(
        r#"<figure><img alt="{}" loading="lazy" src="{}charts/{}"></figure>"#,
        escape(&chart.title),
        "../".repeat(depth),
        escape(&name)
    ))
}

/// The pages of the report: `report.html`, and with `Layout::Split` one page per athlete
/// (file stem, HTML) for `athletes/`.
pub struct Pages {
    pub index: String,
    pub athletes: Vec<(String, String)>,
}

/// Renders the report in the given layout.
pub fn render(input: &ReportInput<'_>, layout: Layout) -> anyhow::Result<Pages> {
    let (days, athletes) = (input.days, input.athletes);
    // Stems: the charts' when charts were drawn, else made the same way from the same names.
    let names: Vec<String> = athletes.all().iter().map(|a| a.athlete.clone()).collect();
    let stems = crate::outputs::unique_stems(&names);
    let links = Links {
        layout,
        stems: names.iter().cloned().zip(stems.iter().cloned()).collect(),
    };
    let (first, last) = (athletes.first_date(), athletes.last_date());

    let mut h = String::new();
    page_head(&mut h, "cramprisk report");
    let _ = writeln!(h, "<h1>Cramp-risk report</h1>");
    let period = match (first, last) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no days".to_string(),
    };
    let _ = writeln!(
        h,
        "<p>{} athletes, {period}, {} athlete-days. Written by cramprisk {}.</p>",
        athletes.all().len(),
        athletes.day_count(),
        env!("CARGO_PKG_VERSION")
    );
    h.push_str(NOT_ADVICE);

    // The athletes' sections are made side by side (a squad of 10,000 has 10,000 of them) and
    // put together in the athletes' order; each reads the days kept of its athlete once.
    let made: Vec<(String, anyhow::Result<String>)> = {
        use rayon::prelude::*;
        athletes
            .all()
            .par_iter()
            .map(|summary| {
                let name = summary.athlete.as_str();
                let rows = days
                    .index_of(name)
                    .map_or_else(Vec::new, |k| days.days_of(k));
                let section = |p: &mut String, depth| {
                    athlete_section(p, input, summary, &rows, &links, depth)
                };
                let stem = links.stem(name).to_string();
                let mut p = String::new();
                let html = match layout {
                    Layout::OnePage => section(&mut p, 0),
                    Layout::Split => {
                        page_head(&mut p, &format!("cramprisk report: {name}"));
                        p.push_str("<nav><a href=\"../report.html\">← Team report</a> <a href=\"../report.html#team\">Ranking</a></nav>\n");
                        p.push_str(NOT_ADVICE);
                        section(&mut p, 1).map(|()| {
                            p.push_str(FOOTER);
                        })
                    }
                };
                (stem, html.map(|()| p))
            })
            .collect()
    };
    let mut sections = String::new();
    let mut pages = Vec::new();
    for (stem, html) in made {
        match layout {
            Layout::OnePage => sections.push_str(&html?),
            Layout::Split => pages.push((stem, html?)),
        }
    }

    h.push_str("<nav><strong>Contents:</strong> <a href=\"#team\">Team</a> <a href=\"#highest\">Highest-risk days</a> ");
    if layout == Layout::OnePage {
        for name in &names {
            let _ = write!(
                h,
                r#"<a href="{}">{}</a> "#,
                links.athlete(name),
                escape(name)
            );
        }
    }
    if input.cramps.is_some() {
        h.push_str("<a href=\"#evaluation\">Cramps</a> ");
    }
    h.push_str("<a href=\"#read\">How to read</a> <a href=\"#inputs\">Inputs</a></nav>\n");

    team_section(&mut h, input, &links)?;

    let _ = writeln!(
        h,
        "<section id=\"highest\">\n<h2>Highest-risk days</h2>\n<p>The team's {TEAM_TOP_DAYS} highest estimates, with the factors that raised the odds most, the advice for the day and the inputs that were missing (the range shows how far they could move the estimate).</p>"
    );
    let highest = days.highest_days(TEAM_TOP_DAYS)?;
    days_table(&mut h, &highest.iter().collect::<Vec<_>>(), true, &links);
    h.push_str("</section>\n");
    if let Some(c) = input.cramps {
        super::cramps_html::evaluation_section(&mut h, c);
    }

    h.push_str(&sections);

    how_to_read(&mut h);
    inputs_section(&mut h, input.files, input.rejections);
    h.push_str(FOOTER);
    Ok(Pages {
        index: h,
        athletes: pages,
    })
}

/// The team overview: the team charts and the ranking table, in `input.ranked`'s order.
fn team_section(h: &mut String, input: &ReportInput<'_>, links: &Links) -> anyhow::Result<()> {
    h.push_str("<section id=\"team\">\n<h2>Team overview</h2>\n");
    for chart in &input.rendered.team {
        h.push_str(&chart_html(chart, links.layout, 0)?);
        h.push('\n');
    }
    let _ = writeln!(
        h,
        "<p>Ranking by the mean risk of a cramp over the 7 and the 28 days to {} (days with an estimate in each window in brackets).</p>",
        input.as_of
    );
    let facts_of: HashMap<&str, &TeamFacts> = input
        .team_facts
        .iter()
        .map(|f| (f.athlete.as_str(), f))
        .collect();
    h.push_str("<table class=\"cards\"><thead><tr><th>#</th><th>Athlete</th><th>Last 7 days</th><th>Last 28 days</th><th>Band (7 days)</th>");
    for b in Band::ALL {
        let _ = write!(h, "<th>Days {}</th>", band_label(b));
    }
    h.push_str("<th>Highest</th><th>Most often leading</th><th>Notes</th></tr></thead><tbody>\n");
    for (i, r) in input.ranked.iter().enumerate() {
        let own = input.athletes.get(&r.athlete);
        h.push_str("<tr>");
        cell(h, "Rank", "num", &(i + 1).to_string());
        let link = format!(
            r#"<a href="{}">{}</a>"#,
            links.athlete(&r.athlete),
            escape(&r.athlete)
        );
        cell(h, "Athlete", "head", &link);
        let window = |m: &crate::view::WindowMean| format!("{} % ({})", fmt_num(m.mean, 1), m.days);
        cell(h, "Last 7 days", "num", &window(&r.last7));
        cell(h, "Last 28 days", "num", &window(&r.last28));
        cell(
            h,
            "Band (7 days)",
            "",
            &band_chip(data::band_of(r.last7.mean)),
        );
        let bands = own.map_or([0; 4], |a| a.bands);
        for (b, c) in Band::ALL.iter().zip(bands) {
            cell(
                h,
                &format!("Days {}", band_label(*b)),
                "num",
                &c.to_string(),
            );
        }
        let max = own.and_then(|a| a.highest);
        cell(h, "Highest", "num", &format!("{} %", fmt_num(max, 1)));
        let facts = facts_of.get(r.athlete.as_str());
        cell(
            h,
            "Most often leading",
            "long",
            &escape(facts.map_or("", |f| f.leading.as_str())),
        );
        cell(
            h,
            "Notes",
            "long",
            &escape(facts.map_or("", |f| f.notes.as_str())),
        );
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n</section>\n");
    Ok(())
}

/// One athlete's section: the period and bands, the charts and the highest-risk days.
/// `rows` are the athlete's days kept for the views (all, or only those listed).
fn athlete_section(
    h: &mut String,
    input: &ReportInput<'_>,
    summary: &AthleteSummary,
    rows: &[Day],
    links: &Links,
    depth: usize,
) -> anyhow::Result<()> {
    let name = summary.athlete.as_str();
    let stem = links.stem(name);
    let _ = writeln!(
        h,
        "<section id=\"athlete-{}\">\n<h2>{}</h2>",
        escape(stem),
        escape(name)
    );
    let band_text: Vec<String> = Band::ALL
        .iter()
        .zip(summary.bands)
        .map(|(b, c)| format!("{c} {}", band_label(*b)))
        .collect();
    let _ = writeln!(
        h,
        "<p>{} days from {} to {}; mean risk of a cramp {} % (mean range {}–{} %); mean confidence {}; days per band: {}.</p>",
        summary.days,
        summary.first.map(|d| d.to_string()).unwrap_or_default(),
        summary.last.map(|d| d.to_string()).unwrap_or_default(),
        fmt_num(summary.mean_risk_pct, 1),
        fmt_num(summary.mean_risk_low_pct, 1),
        fmt_num(summary.mean_risk_high_pct, 1),
        fmt_num(summary.mean_confidence, 2),
        band_text.join(", ")
    );
    let profile: Vec<String> = summary
        .profile
        .iter()
        .map(|&(f, odds)| match odds {
            Some(o) => format!("{} ×{o:.2}", factor_label(f)),
            None => format!("{} unknown (imputed)", factor_label(f)),
        })
        .collect();
    let _ = writeln!(
        h,
        "<p><strong>Profile</strong> (the same every day, so not among a day's reasons): {}.</p>",
        profile.join("; ")
    );
    let missing = missing_summary(summary);
    if !missing.is_empty() {
        h.push_str("<p><strong>Missing inputs</strong> (each widens the range; adding it would narrow it):</p>\n<ul class=\"missing\">\n");
        for item in &missing {
            let _ = writeln!(h, "<li>{}</li>", escape(item));
        }
        h.push_str("</ul>\n");
    }
    if let Some(charts) = input.rendered.athletes.iter().find(|a| a.athlete == name) {
        for chart in &charts.charts {
            h.push_str(&chart_html(chart, links.layout, depth)?);
            h.push('\n');
        }
    }
    if let Some(c) = input.cramps {
        super::cramps_html::athlete_cramps(h, name, rows, &c.cramps);
    }
    let _ = writeln!(h, "<h3>Highest-risk days of {}</h3>", escape(name));
    days_table(h, &view::highest_days(rows, ATHLETE_TOP_DAYS), false, links);
    h.push_str("</section>\n");
    Ok(())
}

/// The missing inputs of an athlete's days, most often missing first: "fluids log (on 40 of
/// 120 days)".
fn missing_summary(summary: &AthleteSummary) -> Vec<String> {
    summary
        .missing
        .iter()
        .map(|(item, n)| format!("{item} (on {n} of {} days)", summary.days))
        .collect()
}

fn how_to_read(h: &mut String) {
    h.push_str("<section id=\"read\">\n<h2>How to read the charts</h2>\n");
    let _ = writeln!(
        h,
        "<p><strong>Risk</strong>: the top panel's bars are each day's estimated probability of a cramp (%), \
         in the colour of its band; the thin vertical line is the range the unknown inputs could move it over \
         (from their plausible low to their plausible high; no line when nothing was unknown). The black line is \
         the mean of the last 7 days (drawn when at least 4 of them have an estimate). Dashed lines mark the band \
         thresholds ({:.0}, {:.0}, {:.0} %). The bottom panel shows what moved the day's odds: each factor's odds \
         multiplier on a log scale, stacked (log-odds add up), above the line when it raised the odds and below \
         when it lowered them; a factor whose inputs were unknown has no segment (it was imputed and widens the \
         range). The profile factors (cramp history, medication, sex) are the same every day: they are stated \
         once, in the legend and the athlete's section.</p>",
        Band::Moderate.lower_pct(),
        Band::High.lower_pct(),
        Band::VeryHigh.lower_pct()
    );
    h.push_str(
        "<p>Bands (light to dark; the same in every chart and table; docs/model.md says what they mean):</p>\n<ul class=\"legend\">\n",
    );
    for b in Band::ALL {
        let range = match b {
            Band::Low => format!("below {:.0} %", Band::Moderate.lower_pct()),
            Band::VeryHigh => format!("{:.0} % and above", b.lower_pct()),
            _ => {
                let next = Band::ALL[b as usize + 1].lower_pct();
                format!("{:.0} to below {next:.0} %", b.lower_pct())
            }
        };
        let _ = writeln!(
            h,
            r#"<li><span class="swatch" style="background:{}"></span>{} ({range})</li>"#,
            hex(band_colour(b)),
            band_label(b)
        );
    }
    h.push_str("</ul>\n<p>Factors (one colour each, in every chart):</p>\n<ul class=\"legend\">\n");
    for id in FactorId::ALL {
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
         (7-day exponentially weighted load, recent fatigue), the blue line CTL (42-day, fitness). In the \
         middle, form (TSB): above 0 the athlete is fresher than their fitness, below 0 fatigued. At the \
         bottom, the acute:chronic workload ratio (ACWR) against its 0.8–1.3 range (shaded): above 1.3 the last \
         week was much harder than the athlete is used to. ACWR is blank for the first 28 days.</p>\n\
         <p><strong>Fluids</strong>: blue bars are the logged intake, the black line the estimated need \
         (the EFSA adequate intake from drinks plus the day's sweat loss); a day without a bar had nothing \
         logged, which is unknown, not zero. Below, the heat index (°C): while training on training days, \
         the day's hottest hour on rest days.</p>\n\
         <p><strong>Team</strong>: the heat map shows every athlete's band day by day (white: no data), \
         athletes in ranking order; the ranking compares the mean risk over the last 7 days (thick bar) \
         and the last 28 days (thin bar), each coloured by the band its mean falls in.</p>\n\
         <p>The colours are Paul Tol's colour-blind-safe schemes: bands on a light-to-dark scale that keeps \
         its order in greyscale, factors from the \"muted\" qualitative scheme.</p>\n</section>\n",
    );
}

fn inputs_section(h: &mut String, files: &[FileReport], rejections: &[Rejection]) {
    h.push_str("<section id=\"inputs\">\n<h2>Inputs</h2>\n<table class=\"cards\"><thead><tr><th>File</th><th>Kind</th><th>Rows read</th><th>Used</th><th>Rejected</th><th>Note</th></tr></thead><tbody>\n");
    for f in files {
        h.push_str("<tr>");
        cell(
            h,
            "File",
            "head path",
            &escape(&f.path.display().to_string()),
        );
        let kind = f.kind.map(|k| k.to_string()).unwrap_or_default();
        cell(h, "Kind", "", &escape(&kind));
        cell(h, "Rows read", "num", &f.rows_read.to_string());
        cell(h, "Used", "num", &f.rows_used.to_string());
        cell(h, "Rejected", "num", &f.rows_rejected.to_string());
        let note = f
            .skipped
            .as_deref()
            .map(|s| format!("skipped: {s}"))
            .unwrap_or_default();
        cell(h, "Note", "long", &escape(&note));
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    let _ = writeln!(
        h,
        "<p>{} row(s) or file(s) rejected; each is listed with its reason in rejected_rows.csv.</p>\n</section>",
        rejections.len()
    );
}

/// Writes `report.html` into `out`, a run's staging folder (`outputs::Outputs::staging`), and,
/// for a large team, `athletes/<stem>.html` beside it; returns the path of report.html.
pub fn write(
    input: &ReportInput<'_>,
    out: &Path,
    ahead: Option<crate::outputs::FilesAhead>,
) -> anyhow::Result<std::path::PathBuf> {
    // Every reported athlete, whether or not any of their days were kept (`input.days` holds
    // only the listed days without charts).
    let athletes = input.athletes.all().len();
    let pages = render(input, Layout::for_team(athletes))?;
    let write_pages = || -> anyhow::Result<Vec<std::path::PathBuf>> {
        let mut written = Vec::with_capacity(pages.athletes.len());
        if !pages.athletes.is_empty() {
            let dir = out.join(crate::outputs::ATHLETE_PAGES);
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            // One after the other: written side by side, the pages' files (10,000 in one
            // folder) took twice the system time and no less time (the kernel serialises the
            // folder).
            for (stem, html) in &pages.athletes {
                let path = page_path(out, stem);
                crate::outputs::write_staged(&path, html.as_bytes())?;
                written.push(path);
            }
        }
        Ok(written)
    };
    match ahead {
        Some(ahead) => ahead.around(write_pages)?,
        None => {
            write_pages()?;
        }
    }
    let path = out.join(crate::outputs::REPORT);
    crate::outputs::write_staged(&path, pages.index.as_bytes())?;
    Ok(path)
}

/// Where an athlete's page goes in the output folder `out`.
fn page_path(out: &Path, stem: &str) -> std::path::PathBuf {
    out.join(crate::outputs::ATHLETE_PAGES)
        .join(format!("{stem}.html"))
}

/// Files for the athletes' pages made before the athletes are known (`FilesAhead::unnamed`),
/// when `expected` athletes (a guess: 0 for none) would get a page each; `pages_ahead` names
/// them. Dropped unnamed, they go.
pub fn pages_early(expected: usize, out: &Path) -> Option<crate::outputs::FilesAhead> {
    (Layout::for_team(expected) == Layout::Split).then(|| {
        crate::outputs::FilesAhead::unnamed(&out.join(crate::outputs::ATHLETE_PAGES), expected)
    })
}

/// The athletes' pages' files, made ahead (`outputs::FilesAhead`) for the athletes expected
/// in the report (their names as the outputs show them), when it will have a page per athlete;
/// `write` writes into them. A name not reported after all leaves no file. The files of
/// `pages_early` are named first; those left over go.
pub fn pages_ahead(
    mut names: Vec<String>,
    out: &Path,
    early: Option<crate::outputs::FilesAhead>,
) -> Option<crate::outputs::FilesAhead> {
    if Layout::for_team(names.len()) != Layout::Split {
        return None;
    }
    // In the report's order (`view::AthleteSummaries`): the stems of names alike depend on it.
    names.sort();
    let paths = crate::outputs::unique_stems(&names)
        .iter()
        .map(|stem| page_path(out, stem))
        .collect();
    Some(crate::outputs::FilesAhead::make_after(early, paths))
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

    #[test]
    fn missing_inputs_are_counted_per_item_most_often_first() {
        let day = |m: &'static str| Day {
            missing_inputs: (!m.is_empty()).then_some(m),
            ..Day::new("ana", chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())
        };
        let rows = [day("weather; fluid log"), day("fluid log"), day("")];
        // fluid log on 2 of the 3 days, weather on 1.
        assert_eq!(
            missing_summary(&AthleteSummary::of("ana", &rows)),
            ["fluid log (on 2 of 3 days)", "weather (on 1 of 3 days)"]
        );
    }
}
