//! The plan's charts, from finished plan results: per athlete, the predicted risk across the
//! start hours of each planned day (with its range and the bands behind it); for the squad, a
//! table of athletes × planned days coloured by band with the risk written in. Same theme,
//! font and legend column as the other charts.

use std::path::Path;

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::athlete::impl_chart;
use super::axis::TickedAxis;
use super::draw::{self, legend, short_name, Drawn, Mark};
use super::theme::{band_colour, band_label, factor_colour, size, INK, NO_DATA};
use super::{write_chart, Chart, Formats, Written};
use crate::model::{Band, Bands, FactorId};

/// One planned session's curve: the risk (with its range) at each start hour tried.
#[derive(Debug, Clone)]
pub struct HourCurve {
    pub label: String,
    /// (start hour, risk, low, high) in %.
    pub points: Vec<(f64, f64, f64, f64)>,
    /// The planned start hour and its risk.
    pub planned: Option<(f64, f64)>,
}

/// An athlete's risk across start hours, one line per planned session.
pub struct HoursChart {
    pub title: String,
    pub curves: Vec<HourCurve>,
    pub bands: Bands,
}

/// Line colours of successive sessions (Paul Tol's muted scheme, as the factors).
const CURVE_COLOURS: [FactorId; 7] = [
    FactorId::NewActivity,
    FactorId::Exertion,
    FactorId::Conditioning,
    FactorId::Cold,
    FactorId::Fatigue,
    FactorId::StaticPosture,
    FactorId::Warmup,
];

/// A band colour a quarter strong on white, for the stripes behind the lines.
fn pale(c: RGBColor) -> RGBColor {
    let m = |x: u8| (255.0 - (255.0 - f64::from(x)) * 0.25).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

impl HoursChart {
    fn height(&self) -> u32 {
        size::RISK_HEIGHT
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        root.fill(&WHITE).drawn()?;
        let body = root.titled(&self.title, draw::title_style()).drawn()?;
        let width = body.dim_in_pixel().0;
        let (plot, side) = body.split_horizontally(width.saturating_sub(size::LEGEND_WIDTH));
        let top = draw::axis_top(
            self.curves
                .iter()
                .flat_map(|c| c.points.iter().map(|p| Some(p.3))),
            10.0,
        );
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .x_label_area_size(48)
            .y_label_area_size(60)
            .build_cartesian_2d(
                TickedAxis::linear(0.0..24.0, &[6.0, 3.0, 1.0]),
                TickedAxis::linear(0.0..top, &draw::steps_for(top)),
            )
            .drawn()?;
        // The bands as pale stripes behind the lines.
        for b in Band::ALL {
            let lo = b.lower_pct();
            let hi = Band::ALL
                .iter()
                .find(|n| n.lower_pct() > lo)
                .map(|n| n.lower_pct())
                .unwrap_or(top)
                .min(top);
            if lo < top {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, lo), (24.0, hi)],
                        pale(band_colour(b)).filled(),
                    )))
                    .drawn()?;
            }
        }
        chart
            .configure_mesh()
            .x_labels(9)
            .y_labels(8)
            .x_label_formatter(&|v| format!("{:02}:00", *v as i64))
            .y_label_formatter(&|v| format!("{v:.0} %"))
            .x_desc("start of the session")
            .y_desc("predicted risk that day")
            .label_style(draw::text(size::LABEL))
            .axis_desc_style(draw::text(size::AXIS_DESC))
            .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
            .light_line_style(TRANSPARENT)
            .draw()
            .drawn()?;
        let mut entries = vec![("Planned day".to_string(), Mark::Heading)];
        for (i, c) in self.curves.iter().enumerate() {
            let colour = factor_colour(CURVE_COLOURS[i % CURVE_COLOURS.len()]);
            // The range the unknown inputs could move the risk over.
            let mut area: Vec<(f64, f64)> = c.points.iter().map(|p| (p.0, p.3)).collect();
            area.extend(c.points.iter().rev().map(|p| (p.0, p.2)));
            if area.len() >= 4 {
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        area,
                        colour.mix(0.07).filled(),
                    )))
                    .drawn()?;
            }
            chart
                .draw_series(LineSeries::new(
                    c.points.iter().map(|p| (p.0, p.1)),
                    colour.stroke_width(3),
                ))
                .drawn()?;
            chart
                .draw_series(
                    c.points
                        .iter()
                        .map(|p| Circle::new((p.0, p.1), 3, colour.filled())),
                )
                .drawn()?;
            if let Some((h, r)) = c.planned {
                chart
                    .draw_series(std::iter::once(Circle::new((h, r), 7, INK.stroke_width(2))))
                    .drawn()?;
            }
            entries.push((short_name(&c.label, 24), Mark::Line(colour, 3)));
        }
        entries.push(("○ as planned".to_string(), Mark::Heading));
        entries.push(("shade: the range".to_string(), Mark::Heading));
        entries.push(("Band".to_string(), Mark::Heading));
        for b in Band::ALL {
            entries.push((band_label(b).to_string(), Mark::Box(pale(band_colour(b)))));
        }
        legend(&side, 20, &entries)
    }
}

/// The squad table: athletes × planned days, each cell the day's band and risk.
pub struct SquadChart {
    pub title: String,
    pub athletes: Vec<String>,
    pub days: Vec<NaiveDate>,
    /// (athlete row, day column, risk %, band); a missing cell is a day with nothing planned.
    pub cells: Vec<(usize, usize, f64, Option<Band>)>,
}

impl SquadChart {
    fn height(&self) -> u32 {
        size::TEAM_FRAME + 40 * self.athletes.len().max(3) as u32
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        root.fill(&WHITE).drawn()?;
        let body = root.titled(&self.title, draw::title_style()).drawn()?;
        let width = body.dim_in_pixel().0;
        let (plot, side) = body.split_horizontally(width.saturating_sub(size::LEGEND_WIDTH));
        let n = self.athletes.len();
        let m = self.days.len();
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .x_label_area_size(48)
            .y_label_area_size(150)
            .build_cartesian_2d(TickedAxis::rows(m), TickedAxis::rows(n))
            .drawn()?;
        let days = self.days.clone();
        let names = self.athletes.clone();
        chart
            .configure_mesh()
            .x_labels(m + 1)
            .y_labels(n + 1)
            .x_label_formatter(&|v| {
                let i = v.round() as i64;
                days.get(i.max(0) as usize)
                    .filter(|_| i >= 0)
                    .map(|d| d.format("%a %d %b").to_string())
                    .unwrap_or_default()
            })
            .y_label_formatter(&|v| {
                let r = v.round() as i64;
                if r < 0 || r as usize >= n {
                    return String::new();
                }
                short_name(&names[n - 1 - r as usize], 18)
            })
            .label_style(draw::text(size::LABEL))
            .disable_mesh()
            .draw()
            .drawn()?;
        let y = |row: usize| (n - 1 - row) as f64;
        chart
            .draw_series(
                (0..n)
                    .flat_map(|r| (0..m).map(move |c| (r, c)))
                    .map(|(r, c)| {
                        Rectangle::new(
                            [
                                (c as f64 - 0.47, y(r) - 0.44),
                                (c as f64 + 0.47, y(r) + 0.44),
                            ],
                            RGBColor(0xDD, 0xDD, 0xDD).stroke_width(1),
                        )
                    }),
            )
            .drawn()?;
        chart
            .draw_series(self.cells.iter().map(|&(r, c, _, band)| {
                let colour = band.map(band_colour).unwrap_or(NO_DATA);
                Rectangle::new(
                    [
                        (c as f64 - 0.47, y(r) - 0.44),
                        (c as f64 + 0.47, y(r) + 0.44),
                    ],
                    colour.filled(),
                )
            }))
            .drawn()?;
        chart
            .draw_series(self.cells.iter().map(|&(r, c, risk, band)| {
                let style = draw::text(size::LABEL + 1).pos(Pos::new(HPos::Center, VPos::Center));
                // Light text on the two dark bands, as report.html's chips.
                let style = if matches!(band, Some(Band::High | Band::VeryHigh)) {
                    style.color(&WHITE)
                } else {
                    style
                };
                Text::new(format!("{risk:.1} %"), (c as f64, y(r)), style)
            }))
            .drawn()?;
        let mut entries = vec![("Band of the day".to_string(), Mark::Heading)];
        for band in Band::ALL {
            entries.push((band_label(band).to_string(), Mark::Box(band_colour(band))));
        }
        entries.push(("nothing planned".to_string(), Mark::OutlinedBox(NO_DATA)));
        entries.push(("the day's highest".to_string(), Mark::Heading));
        entries.push(("planned session".to_string(), Mark::Heading));
        legend(&side, 20, &entries)
    }
}

impl_chart!(HoursChart);
impl_chart!(SquadChart);

/// The plan's charts written: per athlete the hours chart, and the squad chart.
pub type PlanCharts = (Vec<(String, Written)>, Option<Written>);

/// Writes `<stem>-plan-hours` per athlete and `squad-plan` into `dir` (the charts folder).
pub fn write(
    dir: &Path,
    athletes: &[(String, HoursChart)],
    squad: &SquadChart,
    formats: Formats,
) -> anyhow::Result<PlanCharts> {
    if !formats.any() {
        return Ok((Vec::new(), None));
    }
    super::register_font()?;
    std::fs::create_dir_all(dir)?;
    let names: Vec<String> = athletes.iter().map(|(n, _)| n.clone()).collect();
    let stems = crate::outputs::unique_stems(&names);
    let mut out = Vec::new();
    for ((name, chart), stem) in athletes.iter().zip(stems) {
        let w = write_chart(
            dir,
            &format!("{stem}-plan-hours"),
            &chart.title,
            chart as &dyn Chart,
            formats,
        )?;
        out.push((name.clone(), w));
    }
    let squad = write_chart(dir, "squad-plan", &squad.title, squad, formats)?;
    Ok((out, Some(squad)))
}
