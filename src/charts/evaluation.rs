//! `evaluate`'s charts: the reliability diagram (mean predicted risk against the observed cramp
//! rate, by decile, with the diagonal a calibrated model follows) and the ROC curve (with the
//! AUC in the title). Finished numbers in (`evaluate::metrics`), pictures out.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{text, title_style, Drawn};
use super::theme::{series, FURNITURE, INK};
use super::Chart;

const SIDE: u32 = 640;

/// Reliability: one point per decile (mean predicted %, observed %), sized by nothing: the
/// deciles hold equal numbers of days.
pub struct ReliabilityChart {
    pub title: String,
    /// (mean predicted %, observed %).
    pub points: Vec<(f64, f64)>,
}

/// ROC: (false-positive rate, true-positive rate) from (0, 0) to (1, 1).
pub struct RocChart {
    pub title: String,
    pub points: Vec<(f64, f64)>,
}

/// The square both charts share: white ground, 0..top on both axes with their descriptions,
/// and the diagonal (a calibrated model's line; a coin's ROC).
fn square_plot<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    top: f64,
    x_desc: &str,
    y_desc: &str,
) -> anyhow::Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
    root.fill(&WHITE).drawn()?;
    let mut chart = ChartBuilder::on(root)
        .caption(title, title_style())
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..top, 0.0..top)
        .drawn()?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(text(14))
        .axis_desc_style(text(15))
        .light_line_style(WHITE)
        .draw()
        .drawn()?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (top, top)],
            FURNITURE.stroke_width(2),
        ))
        .drawn()?;
    Ok(chart)
}

fn draw_reliability<DB: DrawingBackend>(
    c: &ReliabilityChart,
    root: &DrawingArea<DB, Shift>,
) -> anyhow::Result<()> {
    let top = c
        .points
        .iter()
        .flat_map(|p| [p.0, p.1])
        .fold(5.0f64, f64::max)
        .min(100.0)
        * 1.1;
    let mut chart = square_plot(
        root,
        &c.title,
        top,
        "mean predicted risk (%)",
        "observed cramp days (%)",
    )?;
    chart
        .draw_series(LineSeries::new(
            c.points.clone(),
            series::CTL.stroke_width(2),
        ))
        .drawn()?;
    chart
        .draw_series(
            c.points
                .iter()
                .map(|&p| Circle::new(p, 5, series::CTL.filled())),
        )
        .drawn()?;
    Ok(())
}

fn draw_roc<DB: DrawingBackend>(c: &RocChart, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
    let mut chart = square_plot(
        root,
        &c.title,
        1.0,
        "share of days without a cramp flagged (false-positive rate)",
        "share of cramp days flagged (true-positive rate)",
    )?;
    chart
        .draw_series(LineSeries::new(c.points.clone(), INK.stroke_width(2)))
        .drawn()?;
    Ok(())
}

impl Chart for ReliabilityChart {
    fn size(&self) -> (u32, u32) {
        (SIDE, SIDE)
    }
    fn draw_png(
        &self,
        root: &DrawingArea<crate::charts::glyphs::Png<'_>, Shift>,
    ) -> anyhow::Result<()> {
        draw_reliability(self, root)
    }
    fn draw_svg(&self, root: &DrawingArea<SVGBackend<'_>, Shift>) -> anyhow::Result<()> {
        draw_reliability(self, root)
    }
}

impl Chart for RocChart {
    fn size(&self) -> (u32, u32) {
        (SIDE, SIDE)
    }
    fn draw_png(
        &self,
        root: &DrawingArea<crate::charts::glyphs::Png<'_>, Shift>,
    ) -> anyhow::Result<()> {
        draw_roc(self, root)
    }
    fn draw_svg(&self, root: &DrawingArea<SVGBackend<'_>, Shift>) -> anyhow::Result<()> {
        draw_roc(self, root)
    }
}
