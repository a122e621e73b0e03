//! Charts of the finished daily table: the theme every chart and report.html share (one colour
//! per band and per factor, sizes, the bundled font), and rendering each athlete's and the
//! team's charts to PNG and/or SVG files. Computes no score: `data` turns the daily frame into
//! plain series, `athlete` and `team` draw them into any plotters backend.

pub mod athlete;
pub mod axis;
pub mod data;
mod draw;
pub mod team;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::Context;
use plotters::prelude::*;
use plotters::style::RGBColor;
use rayon::prelude::*;

use crate::model::{Bands, FactorId};

/// The font family every chart text uses. Registered under this exact name with the bundled
/// DejaVu Sans, so PNGs look the same everywhere; SVG viewers read it as a CSS font list
/// ("DejaVu Sans", then any sans-serif).
pub const FONT: &str = "DejaVu Sans, sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the bundled font (once per process); no system font is ever looked up.
pub fn register_font() -> anyhow::Result<()> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        // "sans-serif" too: plotters' default label styles ask for it by that name.
        for name in [FONT, "sans-serif"] {
            plotters::style::register_font(name, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the bundled font assets/fonts/DejaVuSans.ttf is unreadable")?;
        }
        Ok(())
    })
    .clone()
    .map_err(anyhow::Error::msg)
}

/// The risk bands, low to high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    Low,
    Moderate,
    High,
    VeryHigh,
}

impl Band {
    pub const ALL: [Band; 4] = [Band::Low, Band::Moderate, Band::High, Band::VeryHigh];

    /// The band as spelled in the `risk_band` column.
    pub fn parse(text: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.id() == text)
    }

    pub fn id(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Moderate => "moderate",
            Band::High => "high",
            Band::VeryHigh => "very_high",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Moderate => "moderate",
            Band::High => "high",
            Band::VeryHigh => "very high",
        }
    }

    /// The band a score falls in; the same rule as `risk_band` (lower bounds inclusive).
    pub fn of_score(score: f64, bands: &Bands) -> Band {
        if score < bands.moderate {
            Band::Low
        } else if score < bands.high {
            Band::Moderate
        } else if score < bands.very_high {
            Band::High
        } else {
            Band::VeryHigh
        }
    }

    /// The band's lowest score (0 for low).
    pub fn lower_bound(self, bands: &Bands) -> f64 {
        match self {
            Band::Low => 0.0,
            Band::Moderate => bands.moderate,
            Band::High => bands.high,
            Band::VeryHigh => bands.very_high,
        }
    }

    /// Sequential light → dark (Paul Tol's YlOrBr): the bands differ in lightness, so they
    /// stay in order for every colour vision and in greyscale print.
    pub fn colour(self) -> RGBColor {
        match self {
            Band::Low => RGBColor(0xFE, 0xE3, 0x91),
            Band::Moderate => RGBColor(0xFB, 0x9A, 0x29),
            Band::High => RGBColor(0xCC, 0x4C, 0x02),
            Band::VeryHigh => RGBColor(0x66, 0x25, 0x06),
        }
    }
}

/// A day with no score (no row for that athlete and day).
pub const NO_DATA: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
/// Outline of no-data cells and light chart furniture.
pub const FURNITURE: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
/// Text and the 7-day line.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);

/// One colour per factor: Paul Tol's "muted" qualitative scheme (designed to stay distinct for
/// the common colour-vision deficiencies), plus Tol's light blue for cold and pale grey for
/// predisposition, which is a constant per athlete — a baseline, not a day's event.
pub fn factor_colour(id: FactorId) -> RGBColor {
    match id {
        FactorId::Exertion => RGBColor(0xCC, 0x66, 0x77),
        FactorId::Fatigue => RGBColor(0x88, 0x22, 0x55),
        FactorId::Dehydration => RGBColor(0x88, 0xCC, 0xEE),
        FactorId::Electrolytes => RGBColor(0x44, 0xAA, 0x99),
        FactorId::Heat => RGBColor(0xDD, 0xCC, 0x77),
        FactorId::Conditioning => RGBColor(0x11, 0x77, 0x33),
        FactorId::NewActivity => RGBColor(0x33, 0x22, 0x88),
        FactorId::Warmup => RGBColor(0xAA, 0x44, 0x99),
        FactorId::StaticPosture => RGBColor(0x99, 0x99, 0x33),
        FactorId::Cold => RGBColor(0x66, 0x99, 0xCC),
        FactorId::Predisposition => RGBColor(0xBB, 0xBB, 0xBB),
        FactorId::Sex => RGBColor(0xDD, 0xDD, 0xDD),
    }
}

/// A factor's name as a reader says it.
pub fn factor_label(id: FactorId) -> &'static str {
    match id {
        FactorId::Exertion => "exertion",
        FactorId::Fatigue => "fatigue",
        FactorId::Dehydration => "dehydration",
        FactorId::Electrolytes => "electrolytes",
        FactorId::Heat => "heat",
        FactorId::Conditioning => "conditioning",
        FactorId::NewActivity => "new activity",
        FactorId::Warmup => "warm-up",
        FactorId::StaticPosture => "static posture",
        FactorId::Cold => "cold",
        FactorId::Predisposition => "predisposition",
        FactorId::Sex => "sex",
    }
}

/// Colours of the non-factor series (Paul Tol's "vibrant" scheme).
pub mod series {
    use plotters::style::RGBColor;
    pub const LOAD: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
    pub const ATL: RGBColor = RGBColor(0xEE, 0x77, 0x33);
    pub const CTL: RGBColor = RGBColor(0x00, 0x77, 0xBB);
    pub const ACWR: RGBColor = RGBColor(0x22, 0x22, 0x22);
    pub const ACWR_BAND: RGBColor = RGBColor(0xDD, 0xEE, 0xDD);
    pub const INTAKE: RGBColor = RGBColor(0x33, 0xBB, 0xEE);
    pub const NEED: RGBColor = RGBColor(0x22, 0x22, 0x22);
    pub const HEAT_INDEX: RGBColor = RGBColor(0xCC, 0x33, 0x11);
}

/// `#rrggbb`, for the report's CSS.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Sizes that read well on a laptop screen (pixels; SVGs use the same user units).
pub mod size {
    pub const WIDTH: u32 = 1200;
    pub const RISK_HEIGHT: u32 = 560;
    pub const LOAD_HEIGHT: u32 = 620;
    pub const FLUIDS_HEIGHT: u32 = 580;
    /// Room for the legend, right of every plot.
    pub const LEGEND_WIDTH: u32 = 210;
    pub const TITLE: u32 = 24;
    pub const LABEL: u32 = 15;
    pub const AXIS_DESC: u32 = 16;
    pub const LEGEND: u32 = 15;
    /// Team charts: a fixed frame plus a row per athlete.
    pub const HEATMAP_ROW: u32 = 24;
    pub const RANKING_ROW: u32 = 46;
    pub const TEAM_FRAME: u32 = 130;
    /// Team charts show at most this many athletes (the highest-risk ones), so they stay
    /// readable; report.html lists everyone.
    pub const TEAM_MAX_ATHLETES: usize = 50;
}

/// Which image formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub png: bool,
    pub svg: bool,
}

impl Formats {
    pub fn any(self) -> bool {
        self.png || self.svg
    }
}

/// A chart drawn into a backend of the given size.
pub trait Chart: Sync {
    fn size(&self) -> (u32, u32);
    fn draw_png(
        &self,
        root: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    ) -> anyhow::Result<()>;
    fn draw_svg(
        &self,
        root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    ) -> anyhow::Result<()>;
}

/// Renders a chart to PNG bytes.
pub fn to_png(chart: &dyn Chart) -> anyhow::Result<Vec<u8>> {
    let (w, h) = chart.size();
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        chart.draw_png(&root)?;
        root.present()
            .map_err(|e| anyhow::anyhow!("drawing a PNG chart: {e}"))?;
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Default, not Best: the same size within 5 %, in half the time.
    encoder.set_compression(png::Compression::Default);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

/// Renders a chart to an SVG document.
pub fn to_svg(chart: &dyn Chart) -> anyhow::Result<String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, chart.size()).into_drawing_area();
        chart.draw_svg(&root)?;
        root.present()
            .map_err(|e| anyhow::anyhow!("drawing an SVG chart: {e}"))?;
    }
    Ok(text)
}

/// One chart written to disk, in one or two formats.
#[derive(Debug, Clone)]
pub struct Written {
    /// What it shows, for the report's alt text.
    pub title: String,
    pub png: Option<PathBuf>,
    pub svg: Option<PathBuf>,
}

/// The charts of one athlete.
#[derive(Debug, Clone)]
pub struct AthleteCharts {
    pub athlete: String,
    pub stem: String,
    pub charts: Vec<Written>,
}

/// Everything `write_all` wrote.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub athletes: Vec<AthleteCharts>,
    pub team: Vec<Written>,
}

impl Rendered {
    pub fn file_count(&self) -> usize {
        self.athletes
            .iter()
            .flat_map(|a| &a.charts)
            .chain(&self.team)
            .map(|w| usize::from(w.png.is_some()) + usize::from(w.svg.is_some()))
            .sum()
    }
}

fn write_chart(
    dir: &Path,
    stem: &str,
    title: &str,
    chart: &dyn Chart,
    formats: Formats,
) -> anyhow::Result<Written> {
    let mut written = Written {
        title: title.to_string(),
        png: None,
        svg: None,
    };
    if formats.png {
        let bytes = to_png(chart).with_context(|| format!("rendering {stem}.png"))?;
        let path = dir.join(format!("{stem}.png"));
        crate::outputs::write_atomically(&path, |w| {
            std::io::Write::write_all(w, &bytes)?;
            Ok(())
        })?;
        written.png = Some(path);
    }
    if formats.svg {
        let text = to_svg(chart).with_context(|| format!("rendering {stem}.svg"))?;
        let path = dir.join(format!("{stem}.svg"));
        crate::outputs::write_atomically(&path, |w| {
            std::io::Write::write_all(w, text.as_bytes())?;
            Ok(())
        })?;
        written.svg = Some(path);
    }
    Ok(written)
}

/// Writes every athlete's charts (in parallel) and the team's into `out/charts/`.
/// `as_of` is the last day of the team ranking's windows.
pub fn write_all(
    days: &[data::Day],
    bands: &Bands,
    as_of: chrono::NaiveDate,
    out: &Path,
    formats: Formats,
    progress: bool,
) -> anyhow::Result<Rendered> {
    if !formats.any() {
        return Ok(Rendered::default());
    }
    register_font()?;
    let dir = out.join(crate::outputs::CHARTS);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let groups = data::by_athlete(days);
    let names: Vec<String> = groups.iter().map(|(n, _)| n.to_string()).collect();
    let stems = crate::outputs::unique_stems(&names);

    let bar = if progress {
        indicatif::ProgressBar::new(groups.len() as u64 + 1)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("charts {bar:30} {pos}/{len} {msg} ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let athletes: Vec<AthleteCharts> = groups
        .par_iter()
        .zip(stems.par_iter())
        .map(|((name, rows), stem)| {
            let charts = athlete::charts(name, rows, bands)
                .into_iter()
                .map(|(suffix, title, chart)| {
                    write_chart(
                        &dir,
                        &format!("{stem}-{suffix}"),
                        &title,
                        chart.as_ref(),
                        formats,
                    )
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            bar.inc(1);
            Ok(AthleteCharts {
                athlete: name.to_string(),
                stem: stem.clone(),
                charts,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    bar.set_message("team");
    let team = team::charts(days, bands, as_of)
        .into_iter()
        .map(|(stem, title, chart)| write_chart(&dir, stem, &title, chart.as_ref(), formats))
        .collect::<anyhow::Result<Vec<_>>>()?;
    bar.inc(1);
    bar.finish_and_clear();
    Ok(Rendered { athletes, team })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_get_lighter_to_darker() {
        // Relative luminance (Rec. 709 weights) must fall strictly from low to very high, so
        // the order reads without hue.
        let lum = |c: RGBColor| 0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64;
        let l: Vec<f64> = Band::ALL.iter().map(|b| lum(b.colour())).collect();
        assert!(l.windows(2).all(|w| w[0] > w[1] + 20.0), "{l:?}");
    }

    #[test]
    fn every_factor_has_its_own_colour() {
        let mut seen: Vec<String> = FactorId::ALL
            .iter()
            .map(|&f| hex(factor_colour(f)))
            .collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), FactorId::ALL.len());
    }

    #[test]
    fn band_of_score_uses_inclusive_lower_bounds() {
        let b = Bands {
            moderate: 25.0,
            high: 50.0,
            very_high: 75.0,
        };
        assert_eq!(Band::of_score(24.9, &b), Band::Low);
        assert_eq!(Band::of_score(25.0, &b), Band::Moderate);
        assert_eq!(Band::of_score(74.99, &b), Band::High);
        assert_eq!(Band::of_score(75.0, &b), Band::VeryHigh);
        assert_eq!(Band::parse("very_high"), Some(Band::VeryHigh));
        assert_eq!(Band::parse("extreme"), None);
    }

    #[test]
    fn hex_is_css() {
        assert_eq!(hex(RGBColor(0xCC, 0x4C, 0x02)), "#cc4c02");
    }
}
