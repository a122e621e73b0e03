//! Rendering the charts of the finished daily table to PNG and/or SVG files, each athlete's in
//! parallel and the team's. Computes no score: `data` turns the athlete-days of `view` into
//! plain series, `athlete` and `team` draw them into any plotters backend in the look of
//! `theme`.

pub mod athlete;
pub mod axis;
pub mod data;
mod draw;
pub mod evaluation;
pub mod glyphs;
pub mod plan;
pub mod team;
pub mod theme;

use std::path::{Path, PathBuf};

use anyhow::Context;
use plotters::prelude::*;
use rayon::prelude::*;

use crate::team::Ranked;
use crate::view;
use theme::register_font;

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
        root: &DrawingArea<glyphs::Png<'_>, plotters::coord::Shift>,
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
        let root =
            glyphs::GlyphText(BitMapBackend::with_buffer(&mut rgb, (w, h))).into_drawing_area();
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

/// Writes one chart into `dir`, a folder inside a run's staging folder (`write_staged`).
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
        crate::outputs::write_staged(&path, &bytes)?;
        written.png = Some(path);
    }
    if formats.svg {
        let text = to_svg(chart).with_context(|| format!("rendering {stem}.svg"))?;
        let path = dir.join(format!("{stem}.svg"));
        crate::outputs::write_staged(&path, text.as_bytes())?;
        written.svg = Some(path);
    }
    Ok(written)
}

/// Writes every athlete's charts (in parallel) and the team's into `out/charts/`, `out` a run's
/// staging folder.
/// `ranked` is the team ranking (`team::ranking`), whose windows end on `as_of`.
pub fn write_all(
    days: &view::TeamDays,
    ranked: &[Ranked],
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
    let names: Vec<String> = days.names().map(str::to_string).collect();
    let stems = crate::outputs::unique_stems(&names);

    let bar = if progress {
        indicatif::ProgressBar::new(names.len() as u64 + 1)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("charts {bar:30} {pos}/{len} {msg} ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Each athlete's days are read when their charts are drawn, and let go after.
    let athletes: Vec<AthleteCharts> = names
        .par_iter()
        .zip(stems.par_iter())
        .enumerate()
        .map(|(k, (name, stem))| {
            let rows = days.days_of(k);
            let charts = athlete::charts(name, &rows)
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
    let team = team::charts(days, ranked, as_of)
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
    fn png_and_svg_are_rendered_from_one_chart() {
        // A chart that fills its area with one colour: the PNG holds that colour at every
        // pixel, the SVG one rect of that fill.
        struct Fill;
        impl Chart for Fill {
            fn size(&self) -> (u32, u32) {
                (4, 3)
            }
            fn draw_png(
                &self,
                root: &DrawingArea<glyphs::Png<'_>, plotters::coord::Shift>,
            ) -> anyhow::Result<()> {
                root.fill(&RGBColor(1, 2, 3))
                    .map_err(|e| anyhow::anyhow!("{e}"))
            }
            fn draw_svg(
                &self,
                root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
            ) -> anyhow::Result<()> {
                root.fill(&RGBColor(1, 2, 3))
                    .map_err(|e| anyhow::anyhow!("{e}"))
            }
        }
        let png = to_png(&Fill).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (4, 3));
        assert!(buf[..info.buffer_size()].chunks(3).all(|p| p == [1, 2, 3]));
        assert_eq!(
            to_svg(&Fill).unwrap().matches("fill=\"#010203\"").count(),
            1
        );
    }
}
