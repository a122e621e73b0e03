//! Charts and report.html: every file is written for every athlete, PNGs are real images of
//! the documented size with content, SVGs carry their titles, axes and one shape per plotted
//! value (counted against daily_risk.csv), and the report is well-formed, self-contained HTML
//! that names every athlete and escapes input text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use predicates::prelude::PredicateBooleanExt;

use crate::util::{cramprisk, fixture, read_csv};

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/team")
}

/// Decodes a PNG: (width, height, number of distinct colours).
fn png_info(path: &Path) -> (u32, u32, usize) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    let colours: BTreeSet<&[u8]> = bytes.chunks(channels).collect();
    (info.width, info.height, colours.len())
}

/// How many `<rect>` elements an SVG fills with `colour` (`#RRGGBB` as plotters writes it).
fn rects_filled(svg: &str, colour: &str) -> usize {
    let needle = format!("fill=\"{colour}\"");
    svg.split("<rect ")
        .skip(1)
        .filter(|r| {
            r.split('>')
                .next()
                .is_some_and(|attrs| attrs.contains(&needle))
        })
        .count()
}

/// The texts of an SVG's `<text>` elements.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let body = t.split_once('>')?.1;
            Some(body.split("</text>").next()?.trim().to_string())
        })
        .collect()
}

fn athletes_of(rows: &[std::collections::HashMap<String, String>]) -> Vec<String> {
    let names: BTreeSet<String> = rows.iter().map(|r| r["athlete"].clone()).collect();
    names.into_iter().collect()
}

#[test]
fn samples_get_every_chart_as_png_and_svg_with_the_documented_sizes() {
    let out = tempfile::tempdir().unwrap();
    cramprisk()
        .args(["analyze"])
        .arg(samples())
        .arg("--out")
        .arg(out.path())
        .args(["--charts", "both", "--quiet"])
        .assert()
        .success()
        .stderr("");
    let rows = read_csv(&out.path().join("daily_risk.csv"));
    let athletes = athletes_of(&rows);
    assert_eq!(athletes.len(), 6, "the sample team has 6 athletes");
    let charts = out.path().join("charts");
    // Sizes as documented in docs/charts.md: 1200 wide; risk 560, load 620, fluids 580 high.
    for a in &athletes {
        for (kind, height) in [("risk", 560), ("load", 620), ("fluids", 580)] {
            let png = charts.join(format!("{a}-{kind}.png"));
            let (w, h, colours) = png_info(&png);
            assert_eq!((w, h), (1200, height), "{}", png.display());
            // Bars, lines, text and background: far more than a blank or one-colour image.
            assert!(colours > 20, "{}: only {colours} colours", png.display());
            assert!(charts.join(format!("{a}-{kind}.svg")).is_file());
        }
    }
    // Team: 130 px of frame plus 24 px a row (heat map) and 46 px a row (ranking).
    assert_eq!(png_info(&charts.join("team-heatmap.png")).0, 1200);
    assert_eq!(png_info(&charts.join("team-heatmap.png")).1, 130 + 24 * 6);
    assert_eq!(png_info(&charts.join("team-ranking.png")).1, 130 + 46 * 6);
    assert!(png_info(&charts.join("team-ranking.png")).2 > 20);
    // Nothing else: 3 charts × 6 athletes + 2 team charts, each in two formats.
    let files = std::fs::read_dir(&charts).unwrap().count();
    assert_eq!(files, (3 * 6 + 2) * 2);
}

#[test]
fn svg_charts_have_titles_axes_legends_and_a_shape_per_value() {
    let out = tempfile::tempdir().unwrap();
    cramprisk()
        .args(["analyze"])
        .arg(samples())
        .arg("--out")
        .arg(out.path())
        .args(["--charts", "svg", "--quiet"])
        .assert()
        .success();
    let rows = read_csv(&out.path().join("daily_risk.csv"));
    let charts = out.path().join("charts");
    assert!(
        !charts.join("ana-risk.png").exists(),
        "--charts svg writes no PNG"
    );
    let read = |name: &str| std::fs::read_to_string(charts.join(name)).unwrap();

    // The report inlines the SVGs and stays well-formed HTML.
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert_well_formed(&html);
    assert_eq!(html.matches("<svg ").count(), 3 * 6 + 2);
    assert!(!html.contains("<img") && !html.contains("<?xml"));

    let svg = read("ana-risk.svg");
    assert!(svg.starts_with("<svg"), "an SVG document");
    let texts = svg_texts(&svg);
    for want in [
        "ana: daily cramp-risk score by factor",
        "risk score (points of 100)",
        "date (2025)",
        "7-day mean",
        "2 Jun", // every other Monday from 5 May, the first Monday of the period
        "predisposition",
        "heat",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "no text {want:?} in ana-risk.svg"
        );
    }
    // One rectangle per day with points for a factor, plus its legend box (the 3-decimal
    // sub-score, not the 1-decimal points: 0.001 × 15 points prints as 0.0 but is drawn). The colours are
    // the documented palette (docs/charts.md); the days are counted from daily_risk.csv.
    let ana: Vec<_> = rows.iter().filter(|r| r["athlete"] == "ana").collect();
    // (Until the charts show odds multipliers, a factor has a segment on the days its known
    // odds multiplier is above 1.)
    for (factor, colour) in [
        ("fatigue", "#882255"),
        ("dehydration", "#88CCEE"),
        ("heat", "#DDCC77"),
    ] {
        let days = ana
            .iter()
            .filter(|r| {
                r[&format!("{factor}_or")]
                    .parse::<f64>()
                    .is_ok_and(|p| p > 1.0)
            })
            .count();
        assert!(days > 0, "ana has {factor} above 1 on some day");
        assert_eq!(rects_filled(&svg, colour), days + 1, "{factor} segments");
    }
    // The 7-day line and the dashed band thresholds are drawn as polylines.
    assert!(svg.contains("<polyline"), "lines are drawn");

    let svg = read("ana-load.svg");
    let texts = svg_texts(&svg);
    for want in [
        "load (TRIMP/day)",
        "ACWR (ratio)",
        "ATL, 7-day (fatigue)",
        "CTL, 42-day (fitness)",
        "0.8–1.3 range",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "no text {want:?} in ana-load.svg"
        );
    }
    let load_days = ana
        .iter()
        .filter(|r| r["load"].parse::<f64>().is_ok_and(|l| l > 0.0))
        .count();
    // Load bars plus the legend box, in the load grey.
    assert_eq!(rects_filled(&svg, "#BBBBBB"), load_days + 1);

    let svg = read("ana-fluids.svg");
    let texts = svg_texts(&svg);
    for want in [
        "fluid (mL/day)",
        "heat index (°C)",
        "logged intake",
        "estimated need",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "no text {want:?} in ana-fluids.svg"
        );
    }
    let intake_days = ana
        .iter()
        .filter(|r| !r["fluid_intake_ml"].is_empty())
        .count();
    assert_eq!(rects_filled(&svg, "#33BBEE"), intake_days + 1);

    // Heat map: one cell per athlete-day in its band's colour, plus the legend box.
    let svg = read("team-heatmap.svg");
    let mut per_band: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *per_band.entry(r["risk_band"].as_str()).or_default() += 1;
    }
    for (band, colour) in [
        ("low", "#FEE391"),
        ("moderate", "#FB9A29"),
        ("high", "#CC4C02"),
        ("very_high", "#662506"),
    ] {
        let want = per_band.get(band).copied().unwrap_or(0);
        assert_eq!(rects_filled(&svg, colour), want + 1, "{band} cells");
    }
    let texts = svg_texts(&svg);
    for a in athletes_of(&rows) {
        assert!(texts.contains(&a), "heat map row for {a}");
        assert!(
            svg_texts(&read("team-ranking.svg")).contains(&a),
            "ranking row for {a}"
        );
    }
}

/// A small well-formedness check: every non-void element is closed, in order.
fn assert_well_formed(html: &str) {
    const VOID: [&str; 6] = ["meta", "img", "br", "hr", "link", "input"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("an unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name.trim(), "</{name}> closes <{open}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            !name.is_empty(),
            "a stray '<' before {tag:?}: text not escaped"
        );
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        stack.push(name);
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
}

#[test]
fn report_is_self_contained_well_formed_and_names_every_athlete() {
    let out = tempfile::tempdir().unwrap();
    cramprisk()
        .args(["analyze"])
        .arg(samples())
        .arg("--out")
        .arg(out.path())
        .args(["--quiet"])
        .assert()
        .success();
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_well_formed(&html);
    // Self-contained: no src/href leaves the file (internal #anchors and data: URIs only).
    for attr in ["src=\"", "href=\""] {
        for part in html.split(attr).skip(1) {
            let value = part.split('"').next().unwrap_or("");
            assert!(
                value.starts_with('#') || value.starts_with("data:image/png;base64,"),
                "{attr}{value:.60}… points outside the file"
            );
        }
    }
    assert!(!html.contains("<script"), "no script needed");
    assert!(!html.contains("url("), "no external CSS resources");
    // 3 per athlete + 2 team charts, embedded as PNG.
    assert_eq!(html.matches("<img ").count(), 3 * 6 + 2);
    let rows = read_csv(&out.path().join("daily_risk.csv"));
    for a in athletes_of(&rows) {
        assert!(html.contains(&format!("<h2>{a}</h2>")), "a section for {a}");
    }
    assert!(html.contains("Not medical advice"));
    assert!(html.contains("How to read the charts"));
    // The highest-risk day of the team, from the CSV, is listed with its reasons.
    let top = rows
        .iter()
        .max_by(|a, b| {
            let s = |r: &std::collections::HashMap<String, String>| {
                r["risk_pct"].parse::<f64>().unwrap_or(f64::MIN)
            };
            s(a).total_cmp(&s(b))
        })
        .unwrap();
    let listed = html.split("id=\"highest\"").nth(1).unwrap();
    assert!(listed.contains(&top["date"]) && listed.contains(&top["risk_pct"]));
}

#[test]
fn names_from_inputs_are_escaped_in_the_report_and_made_safe_in_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let evil = r#"<script>alert("x")</script>"#;
    let quote = r#"Zoë "Z" O'Neil/../x"#;
    let mut csv = String::from("athlete,start,sport,duration_min,rpe\n");
    for (i, name) in [evil, quote].iter().enumerate() {
        for day in 1..=3 {
            let name = name.replace('"', "\"\"");
            csv.push_str(&format!(
                "\"{name}\",2025-07-0{day} 0{}:00,run,45,6\n",
                7 + i
            ));
        }
    }
    std::fs::write(dir.path().join("activities.csv"), csv).unwrap();
    let out = dir.path().join("out");
    cramprisk()
        .args(["analyze"])
        .arg(dir.path().join("activities.csv"))
        .arg("--out")
        .arg(&out)
        .args(["--charts", "both", "--quiet"])
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_well_formed(&html);
    assert!(
        !html.contains(evil),
        "raw markup from a name reached the report"
    );
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(html.contains("Zoë &quot;Z&quot; O&#39;Neil/../x"));
    let mut files: Vec<String> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for f in &files {
        assert!(
            f.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)),
            "unsafe file name {f:?}"
        );
    }
    for stem in ["script-alert-x-script", "zo-z-o-neil-x"] {
        for kind in ["risk", "load", "fluids"] {
            assert!(
                files.contains(&format!("{stem}-{kind}.svg")),
                "{stem}-{kind}.svg in {files:?}"
            );
        }
    }
    // The SVG title carries the name escaped as XML text.
    let svg = std::fs::read_to_string(out.join("charts/script-alert-x-script-risk.svg")).unwrap();
    assert!(!svg.contains(evil) && svg.contains("&lt;script&gt;"));
}

#[test]
fn charts_none_writes_no_images_but_the_report_keeps_its_tables() {
    let out = tempfile::tempdir().unwrap();
    cramprisk()
        .args(["analyze"])
        .arg(fixture("basic"))
        .arg("--out")
        .arg(out.path())
        .args(["--charts", "none"])
        .assert()
        .success()
        // stderr is not a terminal here: no progress bar (no carriage returns or escapes).
        .stderr(predicates::str::contains("\r").not())
        .stderr(predicates::str::contains("\u{1b}[").not());
    let charts = out.path().join("charts");
    assert!(!charts.exists() || std::fs::read_dir(&charts).unwrap().count() == 0);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert_well_formed(&html);
    assert!(!html.contains("<img") && !html.contains("<svg"));
    assert!(html.contains("<h2>ana</h2>") && html.contains("<h2>ben</h2>"));
    assert!(html.contains("Highest-risk days"));
}

/// The samples' finished daily table, through the library (the charts' only input).
fn sample_days() -> Vec<cramprisk::charts::data::Day> {
    let (files, profiles) = cramprisk::ingest::discover(&[samples()]).unwrap();
    let inputs = cramprisk::compute::Inputs {
        files,
        profiles,
        read: cramprisk::ingest::ReadOptions::default(),
        model: cramprisk::model::Model::default(),
    };
    let analysis = cramprisk::compute::compute(&inputs, None, None).unwrap();
    cramprisk::charts::data::days_from_frame(&analysis.daily).unwrap()
}

#[test]
fn stacked_factor_points_reach_the_day_s_risk_score() {
    let days = sample_days();
    assert_eq!(days.len(), 720, "6 athletes × 120 days");
    let mut checked = 0;
    for (_, rows) in cramprisk::charts::data::by_athlete(&days) {
        for bar in cramprisk::charts::data::risk_bars(rows) {
            let top = bar.stack.last().map_or(0.0, |s| s.2);
            let score = bar.risk_score.expect("every sample day is scored");
            // Until the charts show odds multipliers: the day's risk shared out over the
            // known factors above 1, so the stack reaches it when there is one.
            if !bar.stack.is_empty() {
                assert!(
                    (top - score).abs() <= 1e-9,
                    "{}: stack {top} vs score {score}",
                    bar.date
                );
            }
            // Segments touch: each starts where the one below ends.
            for pair in bar.stack.windows(2) {
                assert_eq!(pair[0].2, pair[1].1);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 720);
}

#[test]
fn report_ranking_matches_means_computed_from_the_csv() {
    let out = tempfile::tempdir().unwrap();
    cramprisk()
        .args(["analyze"])
        .arg(samples())
        .arg("--out")
        .arg(out.path())
        .args(["--charts", "none", "--quiet"])
        .assert()
        .success();
    let rows = read_csv(&out.path().join("daily_risk.csv"));
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let last = rows.iter().map(|r| r["date"].clone()).max().unwrap();
    let last = chrono::NaiveDate::parse_from_str(&last, "%Y-%m-%d").unwrap();
    for a in athletes_of(&rows) {
        let mean_over = |window: i64| {
            let v: Vec<f64> = rows
                .iter()
                .filter(|r| r["athlete"] == a)
                .filter(|r| {
                    let d = chrono::NaiveDate::parse_from_str(&r["date"], "%Y-%m-%d").unwrap();
                    d <= last && (last - d).num_days() < window
                })
                .map(|r| r["risk_pct"].parse::<f64>().unwrap())
                .collect();
            (v.iter().sum::<f64>() / v.len() as f64, v.len())
        };
        let (m7, n7) = mean_over(7);
        let (m28, n28) = mean_over(28);
        let row = html
            .split("<tr>")
            .find(|r| {
                r.contains(&format!(
                    "<a href=\"#athlete-{a}\">{a}</a></td><td class=\"num\">"
                ))
            })
            .unwrap_or_else(|| panic!("no ranking row for {a}"));
        assert!(
            row.contains(&format!("{m7:.1} ({n7})")) && row.contains(&format!("{m28:.1} ({n28})")),
            "{a}: want {m7:.1} ({n7}) and {m28:.1} ({n28}) in {row}"
        );
    }
}
