//! `evaluate`'s charts: the reliability diagram (mean predicted risk against the observed cramp
//! rate, by decile, with the diagonal a calibrated model follows) and the ROC curve (with the
//! AUC in the title). Finished numbers in (`evaluate::metrics`), pictures out.

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

fn draw_reliability<DB: DrawingBackend>(
    c: &ReliabilityChart,
    root: &DrawingArea<DB, Shift>,
) -> anyhow::Result<()> {
    root.fill(&WHITE).drawn()?;
    let top = c
        .points
        .iter()
        .flat_map(|p| [p.0, p.1])
        .fold(5.0f64, f64::max)
        .min(100.0)
        * 1.1;
    let mut chart = ChartBuilder::on(root)
        .caption(&c.title, title_style())
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..top, 0.0..top)
        .drawn()?;
    chart
        .configure_mesh()
        .x_desc("mean predicted risk (%)")
        .y_desc("observed cramp days (%)")
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
    root.fill(&WHITE).drawn()?;
    let mut chart = ChartBuilder::on(root)
        .caption(&c.title, title_style())
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .drawn()?;
    chart
        .configure_mesh()
        .x_desc("share of days without a cramp flagged (false-positive rate)")
        .y_desc("share of cramp days flagged (true-positive rate)")
        .label_style(text(14))
        .axis_desc_style(text(15))
        .light_line_style(WHITE)
        .draw()
        .drawn()?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            FURNITURE.stroke_width(2),
        ))
        .drawn()?;
    chart
        .draw_series(LineSeries::new(c.points.clone(), INK.stroke_width(2)))
        .drawn()?;
    Ok(())
}

impl Chart for ReliabilityChart {
    fn size(&self) -> (u32, u32) {
        (SIDE, SIDE)
    }
    fn draw_png(&self, root: &DrawingArea<BitMapBackend<'_>, Shift>) -> anyhow::Result<()> {
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
    fn draw_png(&self, root: &DrawingArea<BitMapBackend<'_>, Shift>) -> anyhow::Result<()> {
        draw_roc(self, root)
    }
    fn draw_svg(&self, root: &DrawingArea<SVGBackend<'_>, Shift>) -> anyhow::Result<()> {
        draw_roc(self, root)
    }
}
