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
    // Sizes as documented in docs/charts.md: 1200 wide; risk 700, load 760, fluids 580 high.
    for a in &athletes {
        for (kind, height) in [("risk", 700), ("load", 760), ("fluids", 580)] {
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
        "ana: risk of a cramp per day, and what moved it",
        "risk of a cramp (%)",
        "odds multiplier",
        "date (2025)",
        "7-day mean",
        "2 Jun", // every other Monday from 5 May, the first Monday of the period
        "Profile, every day:",
        "heat",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "no text {want:?} in ana-risk.svg"
        );
    }
    // One rectangle per day on which a day factor changed the odds (its `<factor>_or` known
    // and not 1.000), plus its legend box. The colours are the documented palette
    // (docs/charts.md); the days are counted from daily_risk.csv.
    let ana: Vec<_> = rows.iter().filter(|r| r["athlete"] == "ana").collect();
    for (factor, colour) in [
        ("fatigue", "#882255"),
        ("dehydration", "#88CCEE"),
        ("heat", "#DDCC77"),
        ("exertion", "#CC6677"),
    ] {
        let days = ana
            .iter()
            .filter(|r| {
                r[&format!("{factor}_or")]
                    .parse::<f64>()
                    .is_ok_and(|p| p != 1.0)
            })
            .count();
        assert!(days > 0, "ana has {factor} ≠ 1 on some day");
        assert_eq!(rects_filled(&svg, colour), days + 1, "{factor} segments");
    }
    // Profile factors are never stacked: no rectangle in their greys.
    assert_eq!(rects_filled(&svg, "#DDDDDD"), 0, "sex");
    // A bar per day in its band's colour (the legend shows the high colour once).
    let high_days = ana.iter().filter(|r| r["risk_band"] == "high").count();
    assert!(high_days > 0);
    assert_eq!(rects_filled(&svg, "#CC4C02"), high_days + 1, "high bars");
    // A range whisker on each day whose range is more than a point, plus the legend's line.
    let ranged = ana
        .iter()
        .filter(|r| {
            let (lo, hi) = (&r["risk_low_pct"], &r["risk_high_pct"]);
            lo.parse::<f64>().unwrap() < hi.parse::<f64>().unwrap()
        })
        .count();
    assert!(ranged > 0);
    assert_eq!(svg.matches("stroke=\"#444444\"").count(), ranged + 1);
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

/// The samples' finished daily table, through the library (the charts read its days).
fn sample_daily() -> polars::prelude::DataFrame {
    let inputs = cramprisk::compute::Inputs::of_folder(&samples()).unwrap();
    cramprisk::compute::compute(&inputs, None, None)
        .unwrap()
        .daily
}

#[test]
fn effect_stacks_add_up_the_day_factors_log_odds() {
    let daily = sample_daily();
    let team = cramprisk::view::TeamDays::of(&daily).unwrap();
    assert_eq!(team.day_count(), 720, "6 athletes × 120 days");
    let day_factors: Vec<usize> = cramprisk::model::FactorId::ALL
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.day_invariant())
        .map(|(k, _)| k)
        .collect();
    let mut checked = 0;
    for k in 0..team.athlete_count() {
        let rows = team.days_of(k);
        for (day, chart) in rows.iter().zip(cramprisk::charts::data::risk_days(&rows)) {
            // The sums of ln(OR) of the day factors above and below 1 (those printed as 1.000
            // are no effect), recomputed here.
            let (mut up, mut down) = (0.0, 0.0);
            for &k in &day_factors {
                if let Some(o) = day.odds[k].filter(|o| (o - 1.0).abs() >= 5e-4) {
                    if o > 1.0 {
                        up += o.ln();
                    } else {
                        down += o.ln();
                    }
                }
            }
            let top = chart.effects.iter().map(|e| e.2).fold(0.0, f64::max);
            let bottom = chart.effects.iter().map(|e| e.2).fold(0.0, f64::min);
            assert!((top - up).abs() < 1e-9, "{}: {top} vs {up}", day.date);
            assert!(
                (bottom - down).abs() < 1e-9,
                "{}: {bottom} vs {down}",
                day.date
            );
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
                    "<a href=\"#athlete-{a}\">{a}</a></td><td data-label=\"Last 7 days\""
                ))
            })
            .unwrap_or_else(|| panic!("no ranking row for {a}"));
        // The CSV holds risk_pct to 1 decimal, so a mean of it is within 0.05 of the mean
        // of the exact values, which the report prints to 1 decimal (another 0.05).
        let cell = |label: &str| -> (f64, usize) {
            let text = row
                .split(&format!("data-label=\"{label}\" class=\"num\">"))
                .nth(1)
                .unwrap()
                .split("</td>")
                .next()
                .unwrap();
            let (mean, days) = text.split_once(" % (").unwrap();
            (
                mean.parse().unwrap(),
                days.trim_end_matches(')').parse().unwrap(),
            )
        };
        for (label, m, n) in [("Last 7 days", m7, n7), ("Last 28 days", m28, n28)] {
            let (got, days) = cell(label);
            assert!((got - m).abs() <= 0.1 + 1e-9, "{a} {label}: {got} vs {m}");
            assert_eq!(days, n, "{a} {label}");
        }
    }
}

/// The samples plus `aaron`, a copy of `ben` (every row and the profile, without the aliases):
/// two athletes with identical days, so their means tie exactly.
fn samples_with_a_twin(dir: &Path) {
    for name in ["activities.csv", "daily.csv", "fluids.csv"] {
        let text = std::fs::read_to_string(samples().join(name)).unwrap();
        let mut out = text.clone();
        for line in text.lines().filter(|l| l.starts_with("ben,")) {
            out.push_str(&line.replacen("ben,", "aaron,", 1));
            out.push('\n');
        }
        std::fs::write(dir.join(name), out).unwrap();
    }
    std::fs::copy(samples().join("weather.csv"), dir.join("weather.csv")).unwrap();
    let toml = std::fs::read_to_string(samples().join("athletes.toml")).unwrap();
    let ben = toml.split("[athletes.ben]").nth(1).unwrap();
    let ben = ben.split("\n[").next().unwrap();
    let twin: String = ben
        .lines()
        .filter(|l| !l.starts_with("aliases") && !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(
        dir.join("athletes.toml"),
        format!("{toml}\n[athletes.aaron]{twin}"),
    )
    .unwrap();
}

/// The athlete names of an SVG's axis labels, top to bottom.
fn svg_names_top_down(svg: &str, names: &BTreeSet<String>) -> Vec<String> {
    let mut found: Vec<(f64, String)> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| {
            let (attrs, rest) = t.split_once('>')?;
            let label = rest.split("</text>").next()?.trim();
            let y: f64 = attrs
                .split(" y=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            names.contains(label).then(|| (y, label.to_string()))
        })
        .collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found.into_iter().map(|(_, n)| n).collect()
}

#[test]
fn csv_report_charts_and_terminal_rank_the_same_athletes_in_the_same_order_ties_included() {
    let input = tempfile::tempdir().unwrap();
    samples_with_a_twin(input.path());
    let out = tempfile::tempdir().unwrap();
    let output = cramprisk()
        .args(["analyze"])
        .arg(input.path())
        .arg("--out")
        .arg(out.path())
        .args(["--charts", "svg"])
        .output()
        .unwrap();
    // The summary is the run's result, on stdout.
    let terminal = String::from_utf8_lossy(&output.stdout).to_string();
    let messages = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{messages}");

    let team = read_csv(&out.path().join("team_summary.csv"));
    let csv_order: Vec<String> = team.iter().map(|r| r["athlete"].clone()).collect();
    let names: BTreeSet<String> = csv_order.iter().cloned().collect();
    assert_eq!(names.len(), 7);
    // The constructed tie: same 7-day mean, high days and latest estimate, so the name decides.
    let row = |n: &str| team.iter().find(|r| r["athlete"] == n).unwrap();
    for col in [
        "mean_risk_pct_last_7",
        "high_days_last_7",
        "latest_risk_pct",
    ] {
        assert_eq!(row("aaron")[col], row("ben")[col], "{col}");
    }
    let pos = |n: &str| csv_order.iter().position(|a| a == n).unwrap();
    assert_eq!(pos("aaron") + 1, pos("ben"), "{csv_order:?}");
    // And the CSV is in its own documented order: the 7-day mean never rises down the table.
    let means: Vec<f64> = team
        .iter()
        .map(|r| r["mean_risk_pct_last_7"].parse().unwrap())
        .collect();
    assert!(means.windows(2).all(|w| w[0] >= w[1]), "{means:?}");

    // report.html: the team table's athlete links, in row order.
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let team_section = html
        .split("<section id=\"team\">")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    let report_order: Vec<String> = team_section
        .split("<a href=\"#athlete-")
        .skip(1)
        .filter_map(|a| Some(a.split_once("\">")?.1.split("</a>").next()?.to_string()))
        .collect();
    assert_eq!(report_order, csv_order, "report");

    // The team charts: the ranking's and the heat map's row labels, top to bottom.
    for chart in ["team-ranking.svg", "team-heatmap.svg"] {
        let svg = std::fs::read_to_string(out.path().join("charts").join(chart)).unwrap();
        assert_eq!(svg_names_top_down(&svg, &names), csv_order, "{chart}");
    }

    // The terminal's team table: the first word of each row after its heading.
    let table = terminal.split("most often leading\n").nth(1).unwrap();
    let terminal_order: Vec<String> = table
        .lines()
        .take(csv_order.len())
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(terminal_order, csv_order, "terminal");
}

/// A Chromium (or Chrome) on the PATH, for the layout tests.
fn chromium() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Opens `page` (in `dir`) in headless Chromium inside a frame `width` CSS pixels wide and
/// returns the page's (scroll width, client width) as the frame's document reports them. A
/// frame, not the window: headless Chromium will not make a window narrower than 500 px.
fn page_widths(browser: &Path, dir: &Path, page: &str, width: u32) -> (u32, u32) {
    let probe = dir.join(format!("probe-{width}.html"));
    std::fs::write(
        &probe,
        format!(
            r#"<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{page}" style="border:0;width:{width}px;height:900px"></iframe>
<script>document.getElementById("f").addEventListener("load",()=>{{const d=document.getElementById("f").contentDocument.documentElement;document.body.setAttribute("data-widths",d.scrollWidth+" "+d.clientWidth)}})</script></body></html>"#
        ),
    )
    .unwrap();
    let output = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--allow-file-access-from-files",
            "--window-size=1400,1000",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", probe.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    let widths = dom
        .split("data-widths=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .unwrap_or_else(|| panic!("no widths in the DOM of {page} at {width}px: {dom}"));
    let (scroll, client) = widths.split_once(' ').unwrap();
    (scroll.parse().unwrap(), client.parse().unwrap())
}

#[test]
fn the_report_fits_a_phone_and_a_laptop_without_sideways_scrolling() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED the_report_fits_a_phone_and_a_laptop_without_sideways_scrolling: no chromium, \
             chromium-browser or google-chrome on PATH (apt-get install -y chromium)"
        );
        return;
    };
    let out = tempfile::tempdir().unwrap();
    cramprisk()
        .args(["analyze"])
        .arg(samples())
        .arg("--out")
        .arg(out.path())
        .arg("--quiet")
        .assert()
        .success();
    // The measurement can fail: a page with a 2000 px wide block overflows at both widths.
    std::fs::write(
        out.path().join("wide.html"),
        "<!DOCTYPE html><html><body><div style=\"width:2000px\">x</div></body></html>",
    )
    .unwrap();
    for width in [390, 1280] {
        let (scroll, client) = page_widths(&browser, out.path(), "wide.html", width);
        assert!(scroll >= 2000 && client <= width, "{scroll} {client}");
        let (scroll, client) = page_widths(&browser, out.path(), "report.html", width);
        // The client width is the frame's, less a vertical scroll bar of at most 20 px.
        assert!(
            client <= width && client + 20 >= width,
            "{width}: client {client}"
        );
        assert!(
            scroll <= client,
            "report.html at {width} px scrolls sideways: {scroll} > {client}"
        );
    }
}

/// A generated team of 21 athletes × 14 days in `team/`: one athlete more than one page holds
/// (docs/charts.md), so the report has a page per athlete.
fn big_team() -> crate::util::Workdir {
    let wrk = crate::util::Workdir::new();
    wrk.command("generate")
        .args(["--athletes", "21", "--days", "14", "--out", "team"])
        .assert()
        .success();
    wrk
}

#[test]
fn a_big_team_gets_an_index_and_a_page_per_athlete_that_link_each_other() {
    let wrk = big_team();
    wrk.analyze("team", "out").arg("--quiet").assert().success();
    let team = wrk.read_csv("out/team_summary.csv");
    assert_eq!(team.len(), 21);
    let index = wrk.read("out/report.html");
    // Nothing embedded: the team charts come from charts/.
    assert!(!index.contains("data:image/png"), "charts embedded");
    for chart in ["team-heatmap.png", "team-ranking.png"] {
        assert!(
            index.contains(&format!("src=\"charts/{chart}\"")),
            "{chart}"
        );
        assert!(wrk.path("out/charts").join(chart).is_file());
    }
    let pages: BTreeSet<String> = std::fs::read_dir(wrk.path("out/athletes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages.len(), 21, "{pages:?}");
    // Every page is linked from the index's ranking, and links back and to its own charts,
    // which exist.
    for page in &pages {
        assert!(
            index.contains(&format!("href=\"athletes/{page}\"")),
            "{page}"
        );
        let html = wrk.read(&format!("out/athletes/{page}"));
        assert!(html.contains("href=\"../report.html\""), "{page}");
        let stem = page.trim_end_matches(".html");
        for kind in ["risk", "load", "fluids"] {
            let chart = format!("{stem}-{kind}.png");
            assert!(
                html.contains(&format!("src=\"../charts/{chart}\"")),
                "{page}: {kind}"
            );
            assert!(wrk.path("out/charts").join(&chart).is_file(), "{chart}");
        }
    }
    // The athletes in the index's ranking are those of team_summary.csv, in its order.
    let linked: Vec<String> = index
        .split("<section id=\"team\">")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap()
        .split("href=\"athletes/")
        .skip(1)
        .filter_map(|a| Some(a.split_once("\">")?.1.split("</a>").next()?.to_string()))
        .collect();
    let csv_order: Vec<String> = team.iter().map(|r| r["athlete"].clone()).collect();
    assert_eq!(linked, csv_order);
    // An athlete page fits a phone too.
    if let Some(browser) = chromium() {
        let first = pages.iter().next().unwrap();
        let (scroll, client) = page_widths(
            &browser,
            &wrk.path("out"),
            &format!("athletes/{first}"),
            390,
        );
        assert!(scroll <= client && client + 20 >= 390, "{scroll} {client}");
    }
}

/// The pages' files are made while the daily table is computed, for the athletes expected in
/// the report (`outputs::FilesAhead`). An athlete with no day in the days asked for gets no
/// page, and no empty file is left for them; the pages written are whole.
#[test]
fn an_athlete_without_days_in_the_report_leaves_no_page_behind() {
    let wrk = big_team();
    // Zed trained on the first day only: outside --from.
    let activities = wrk.path("team/activities.csv");
    let mut rows = std::fs::read_to_string(&activities).unwrap();
    rows.push_str("zed,2025-05-01 07:00,run,40,8.0,150,170,,,,,,,10,Easy run\n");
    std::fs::write(&activities, rows).unwrap();
    wrk.analyze("team", "out")
        .args(["--from", "2025-05-10", "--charts", "none", "--quiet"])
        .assert()
        .success();
    let team = wrk.read_csv("out/team_summary.csv");
    let mut reported: Vec<String> = team
        .iter()
        .map(|r| format!("{}.html", r["athlete"]))
        .collect();
    reported.sort();
    assert_eq!(reported.len(), 21);
    assert!(!reported.contains(&"zed.html".to_string()));
    let mut pages: Vec<String> = std::fs::read_dir(wrk.path("out/athletes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert_eq!(pages, reported);
    // No page is an empty file made ahead and left unwritten.
    for name in &pages {
        let html = wrk.read(&format!("out/athletes/{name}"));
        assert!(
            html.trim_end().ends_with("</html>"),
            "{name}: not a whole page"
        );
    }
    // Nothing else was left in the folder or its staging.
    assert!(!wrk.path("out/.cramprisk-staging").exists());
}

#[test]
fn a_team_of_twenty_stays_on_one_page() {
    use cramprisk::report::html::Layout;
    assert_eq!(Layout::for_team(20), Layout::OnePage);
    assert_eq!(Layout::for_team(21), Layout::Split);
}

/// With charts `analyze` keeps every day for them; without, only the days its views list (each
/// athlete's highest and the cramp days), the rest summarised as each pass ends. The report
/// (its charts left out), the tables and the terminal summary say the same either way.
#[test]
fn the_report_says_the_same_whether_every_day_is_kept_or_only_the_listed_ones() {
    let run = |charts: &str| {
        let out = tempfile::tempdir().unwrap();
        let done = cramprisk()
            .args(["analyze"])
            .arg(samples())
            .arg("--out")
            .arg(out.path())
            .args(["--charts", charts])
            .output()
            .unwrap();
        assert!(done.status.success());
        let terminal = String::from_utf8(done.stdout)
            .unwrap()
            .replace(&out.path().display().to_string(), "OUT");
        (out, terminal)
    };
    let ((every, every_says), (listed, listed_says)) = (run("svg"), run("none"));
    let read = |dir: &tempfile::TempDir, name: &str| {
        std::fs::read_to_string(dir.path().join(name)).unwrap()
    };
    // The report without its figures (the charts are inlined as SVG in <figure>s).
    let text = |html: String| -> String {
        let mut rest = html.as_str();
        let mut kept = String::new();
        while let Some(start) = rest.find("<figure") {
            kept.push_str(&rest[..start]);
            let end = rest[start..].find("</figure>").unwrap() + start + "</figure>".len();
            // Each chart is on a line of its own.
            rest = rest[end..].strip_prefix('\n').unwrap_or(&rest[end..]);
        }
        kept.push_str(rest);
        kept
    };
    let (with, without) = (read(&every, "report.html"), read(&listed, "report.html"));
    assert!(with.contains("<figure") && !without.contains("<figure"));
    // The sample team's cramps are listed with their day's estimate.
    assert!(without.contains("Cramps of femi"));
    assert_eq!(text(with), text(without));
    for table in ["daily_risk.csv", "team_summary.csv", "rejected_rows.csv"] {
        assert_eq!(read(&every, table), read(&listed, table), "{table}");
    }
    let without_charts_line = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with("Wrote OUT/report.html"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        without_charts_line(&every_says),
        without_charts_line(&listed_says)
    );
}
