//! One athlete's charts: the daily risk score stacked by factor with its band and 7-day mean;
//! load with ATL, CTL and the ACWR against its 0.8–1.3 range; fluid intake against need with
//! the heat index. Each draws into any plotters backend, so PNG and SVG share one code path.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{date_label, TickedAxis};
use super::data::{self, Day, FluidPoint, LoadPoint, RiskBar};
use super::draw::{self, axis_top, broken_line, legend, steps_for, Drawn, Mark};
use super::{factor_colour, factor_label, series, size, Band, Chart, INK};
use crate::dates;
use crate::model::Bands;

/// The ACWR range read as "neither too little nor too much" (Gabbett 2016).
pub const ACWR_RANGE: (f64, f64) = (0.8, 1.3);
/// Risk axis: scores 0–100, then the band strip above.
const RISK_MAX: f64 = 100.0;
const STRIP: (f64, f64) = (102.0, 108.0);
const RISK_AXIS_TOP: f64 = 109.0;
/// Half the width of a day's bar, in days.
const BAR_HALF: f64 = 0.38;

fn x(d: NaiveDate) -> f64 {
    dates::to_days(d) as f64
}

/// The time axis and its labels for a period.
struct TimeAxis {
    first: NaiveDate,
    last: NaiveDate,
}

impl TimeAxis {
    /// The period of `dates`, widened to at least `MIN_DAYS` around its middle so a short
    /// period does not draw a day as a bar half the chart wide.
    fn of(dates: impl IntoIterator<Item = NaiveDate>) -> Option<TimeAxis> {
        const MIN_DAYS: i64 = 14;
        let all: Vec<NaiveDate> = dates.into_iter().collect();
        let (mut first, mut last) = (*all.iter().min()?, *all.iter().max()?);
        let missing = MIN_DAYS - ((last - first).num_days() + 1);
        if missing > 0 {
            first -= chrono::Duration::days(missing / 2);
            last += chrono::Duration::days(missing - missing / 2);
        }
        Some(TimeAxis { first, last })
    }

    fn axis(&self) -> TickedAxis {
        TickedAxis::days(self.first, self.last)
    }

    fn multi_year(&self) -> bool {
        self.first.year() != self.last.year()
    }

    fn desc(&self) -> String {
        if self.multi_year() {
            "date".to_string()
        } else {
            format!("date ({})", self.first.year())
        }
    }

    fn range(&self) -> (f64, f64) {
        (x(self.first) - 0.5, x(self.last) + 0.5)
    }
}

/// Writes a centred note across a panel that has nothing to show, so an empty panel does not
/// read as a drawing failure.
fn note<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<TickedAxis, TickedAxis>>,
    time: &TimeAxis,
    y: f64,
    text: &str,
) -> anyhow::Result<()> {
    let (x0, x1) = time.range();
    let style = draw::text(size::AXIS_DESC + 2).pos(Pos::new(HPos::Center, VPos::Center));
    chart
        .draw_series(std::iter::once(Text::new(
            text.to_string(),
            ((x0 + x1) / 2.0, y),
            style,
        )))
        .drawn()?;
    Ok(())
}

/// Splits a chart into its plot (left) and legend column (right), under a title.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> anyhow::Result<(DrawingArea<DB, Shift>, DrawingArea<DB, Shift>)> {
    root.fill(&WHITE).drawn()?;
    let body = root.titled(title, draw::title_style()).drawn()?;
    let width = body.dim_in_pixel().0;
    Ok(body.split_horizontally(width.saturating_sub(size::LEGEND_WIDTH)))
}

/// The daily risk chart.
pub struct RiskChart {
    pub title: String,
    pub bars: Vec<RiskBar>,
    pub bands: Bands,
}

impl RiskChart {
    fn height(&self) -> u32 {
        size::RISK_HEIGHT
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let (plot, side) = frame(root, &self.title)?;
        let Some(time) = TimeAxis::of(self.bars.iter().map(|b| b.date)) else {
            return Ok(());
        };
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(
                time.axis(),
                // Steps of 25 put a grid line on each band threshold of the built-in model.
                TickedAxis::linear(0.0..RISK_AXIS_TOP, &[50.0, 25.0, 10.0]),
            )
            .drawn()?;
        let multi_year = time.multi_year();
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(6)
            .x_label_formatter(&|v| date_label(*v, multi_year))
            .y_label_formatter(&|v| {
                if *v <= RISK_MAX {
                    format!("{v:.0}")
                } else {
                    String::new()
                }
            })
            .x_desc(time.desc())
            .y_desc("risk score (points of 100)")
            .label_style(draw::text(size::LABEL))
            .axis_desc_style(draw::text(size::AXIS_DESC))
            .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
            .light_line_style(TRANSPARENT)
            .draw()
            .drawn()?;
        chart
            .draw_series(self.bars.iter().flat_map(|b| {
                let c = x(b.date);
                b.stack.iter().map(move |&(id, lo, hi)| {
                    Rectangle::new(
                        [(c - BAR_HALF, lo), (c + BAR_HALF, hi)],
                        factor_colour(id).filled(),
                    )
                })
            }))
            .drawn()?;
        chart
            .draw_series(self.bars.iter().filter_map(|b| {
                let c = x(b.date);
                b.band.map(|band| {
                    Rectangle::new(
                        [(c - 0.5, STRIP.0), (c + 0.5, STRIP.1)],
                        band.colour().filled(),
                    )
                })
            }))
            .drawn()?;
        let (x0, x1) = time.range();
        for band in [Band::Moderate, Band::High, Band::VeryHigh] {
            let t = band.lower_bound(&self.bands);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x0, t), (x1, t)],
                    6,
                    4,
                    INK.mix(0.55).stroke_width(1),
                ))
                .drawn()?;
        }
        broken_line(
            &mut chart,
            self.bars.iter().map(|b| (x(b.date), b.mean7)),
            INK,
            2,
        )?;

        let mut entries: Vec<(String, Mark)> =
            vec![("Factor points (stacked)".to_string(), Mark::Heading)];
        for id in data::STACK_ORDER.iter().rev() {
            entries.push((factor_label(*id).to_string(), Mark::Box(factor_colour(*id))));
        }
        entries.push(("7-day mean".to_string(), Mark::Line(INK, 2)));
        entries.push((
            format!(
                "bands at {:.0} / {:.0} / {:.0}",
                self.bands.moderate, self.bands.high, self.bands.very_high
            ),
            Mark::Dashed(INK),
        ));
        entries.push(("Band of the day (top strip)".to_string(), Mark::Heading));
        for band in Band::ALL {
            entries.push((band.label().to_string(), Mark::Box(band.colour())));
        }
        legend(&side, 20, &entries)
    }
}

/// The load chart: daily load with ATL and CTL above, ACWR with its range below.
pub struct LoadChart {
    pub title: String,
    pub points: Vec<LoadPoint>,
}

impl LoadChart {
    fn height(&self) -> u32 {
        size::LOAD_HEIGHT
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let (plot, side) = frame(root, &self.title)?;
        let Some(time) = TimeAxis::of(self.points.iter().map(|p| p.date)) else {
            return Ok(());
        };
        let height = plot.dim_in_pixel().1;
        let (upper, lower) = plot.split_vertically(height * 58 / 100);
        let multi_year = time.multi_year();
        let label_date = |v: &f64| date_label(*v, multi_year);

        let top = axis_top(
            self.points.iter().flat_map(|p| [p.load, p.atl, p.ctl]),
            10.0,
        );
        let mut chart = ChartBuilder::on(&upper)
            .margin(10)
            .x_label_area_size(8)
            .y_label_area_size(64)
            .build_cartesian_2d(time.axis(), TickedAxis::linear(0.0..top, &steps_for(top)))
            .drawn()?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(6)
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&|v| format!("{v:.0}"))
            .y_desc("load (TRIMP/day)")
            .label_style(draw::text(size::LABEL))
            .axis_desc_style(draw::text(size::AXIS_DESC))
            .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
            .light_line_style(TRANSPARENT)
            .draw()
            .drawn()?;
        chart
            .draw_series(self.points.iter().filter_map(|p| {
                let c = x(p.date);
                p.load.filter(|l| *l > 0.0).map(|l| {
                    Rectangle::new(
                        [(c - BAR_HALF, 0.0), (c + BAR_HALF, l)],
                        series::LOAD.filled(),
                    )
                })
            }))
            .drawn()?;
        broken_line(
            &mut chart,
            self.points.iter().map(|p| (x(p.date), p.ctl)),
            series::CTL,
            2,
        )?;
        broken_line(
            &mut chart,
            self.points.iter().map(|p| (x(p.date), p.atl)),
            series::ATL,
            2,
        )?;

        let acwr_top = axis_top(self.points.iter().map(|p| p.acwr), 2.0).min(3.0);
        let mut chart = ChartBuilder::on(&lower)
            .margin(10)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(
                time.axis(),
                TickedAxis::linear(0.0..acwr_top, &[1.0, 0.5, 0.25]),
            )
            .drawn()?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(7)
            .x_label_formatter(&label_date)
            .y_label_formatter(&|v| format!("{v:.1}"))
            .x_desc(time.desc())
            .y_desc("ACWR (ratio)")
            .label_style(draw::text(size::LABEL))
            .axis_desc_style(draw::text(size::AXIS_DESC))
            .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
            .light_line_style(TRANSPARENT)
            .draw()
            .drawn()?;
        let (x0, x1) = time.range();
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x0, ACWR_RANGE.0), (x1, ACWR_RANGE.1)],
                series::ACWR_BAND.filled(),
            )))
            .drawn()?;
        broken_line(
            &mut chart,
            self.points
                .iter()
                .map(|p| (x(p.date), p.acwr.map(|a| a.min(acwr_top)))),
            series::ACWR,
            2,
        )?;
        if self.points.iter().all(|p| p.acwr.is_none()) {
            note(
                &mut chart,
                &time,
                (ACWR_RANGE.0 + ACWR_RANGE.1) / 2.0,
                "No ACWR yet: it needs 28 days of training history",
            )?;
        }

        let entries = vec![
            ("Load (upper panel)".to_string(), Mark::Heading),
            ("day's load".to_string(), Mark::Box(series::LOAD)),
            (
                "ATL, 7-day (fatigue)".to_string(),
                Mark::Line(series::ATL, 2),
            ),
            (
                "CTL, 42-day (fitness)".to_string(),
                Mark::Line(series::CTL, 2),
            ),
            ("ACWR (lower panel)".to_string(), Mark::Heading),
            (
                "acute:chronic ratio".to_string(),
                Mark::Line(series::ACWR, 2),
            ),
            (
                format!("{:.1}–{:.1} range", ACWR_RANGE.0, ACWR_RANGE.1),
                Mark::OutlinedBox(series::ACWR_BAND),
            ),
        ];
        legend(&side, 20, &entries)
    }
}

/// The fluids chart: intake against need above, the day's heat index below.
pub struct FluidsChart {
    pub title: String,
    pub points: Vec<FluidPoint>,
}

impl FluidsChart {
    fn height(&self) -> u32 {
        size::FLUIDS_HEIGHT
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let (plot, side) = frame(root, &self.title)?;
        let Some(time) = TimeAxis::of(self.points.iter().map(|p| p.date)) else {
            return Ok(());
        };
        let height = plot.dim_in_pixel().1;
        let (upper, lower) = plot.split_vertically(height * 62 / 100);
        let multi_year = time.multi_year();
        let label_date = |v: &f64| date_label(*v, multi_year);

        let top = axis_top(
            self.points.iter().flat_map(|p| [p.intake_ml, p.need_ml]),
            1000.0,
        );
        let mut chart = ChartBuilder::on(&upper)
            .margin(10)
            .x_label_area_size(8)
            .y_label_area_size(64)
            .build_cartesian_2d(time.axis(), TickedAxis::linear(0.0..top, &steps_for(top)))
            .drawn()?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(6)
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&|v| format!("{v:.0}"))
            .y_desc("fluid (mL/day)")
            .label_style(draw::text(size::LABEL))
            .axis_desc_style(draw::text(size::AXIS_DESC))
            .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
            .light_line_style(TRANSPARENT)
            .draw()
            .drawn()?;
        chart
            .draw_series(self.points.iter().filter_map(|p| {
                let c = x(p.date);
                p.intake_ml.map(|v| {
                    Rectangle::new(
                        [(c - BAR_HALF, 0.0), (c + BAR_HALF, v)],
                        series::INTAKE.filled(),
                    )
                })
            }))
            .drawn()?;
        broken_line(
            &mut chart,
            self.points.iter().map(|p| (x(p.date), p.need_ml)),
            series::NEED,
            2,
        )?;
        if self.points.iter().all(|p| p.intake_ml.is_none()) {
            note(
                &mut chart,
                &time,
                top / 2.0,
                "No fluid intake logged in this period",
            )?;
        }

        let (lo, hi) = self
            .points
            .iter()
            .filter_map(|p| p.heat_index_c)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        let lo_known = lo.is_finite();
        let (lo, hi) = if lo_known {
            (
                (lo / 5.0).floor() * 5.0 - 2.0,
                (hi / 5.0).ceil() * 5.0 + 2.0,
            )
        } else {
            (0.0, 40.0)
        };
        let mut chart = ChartBuilder::on(&lower)
            .margin(10)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(time.axis(), TickedAxis::linear(lo..hi, &[10.0, 5.0, 2.0]))
            .drawn()?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(5)
            .x_label_formatter(&label_date)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_desc(time.desc())
            .y_desc("heat index (°C)")
            .label_style(draw::text(size::LABEL))
            .axis_desc_style(draw::text(size::AXIS_DESC))
            .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
            .light_line_style(TRANSPARENT)
            .draw()
            .drawn()?;
        broken_line(
            &mut chart,
            self.points.iter().map(|p| (x(p.date), p.heat_index_c)),
            series::HEAT_INDEX,
            2,
        )?;
        if !lo_known {
            note(
                &mut chart,
                &time,
                (lo + hi) / 2.0,
                "No weather for this period",
            )?;
        }

        let entries = vec![
            ("Fluids (upper panel)".to_string(), Mark::Heading),
            ("logged intake".to_string(), Mark::Box(series::INTAKE)),
            ("estimated need".to_string(), Mark::Line(series::NEED, 2)),
            ("Weather (lower panel)".to_string(), Mark::Heading),
            (
                "day's heat index".to_string(),
                Mark::Line(series::HEAT_INDEX, 2),
            ),
            ("No bar: nothing logged".to_string(), Mark::Heading),
        ];
        legend(&side, 20, &entries)
    }
}

macro_rules! impl_chart {
    ($t:ty) => {
        impl Chart for $t {
            fn size(&self) -> (u32, u32) {
                (size::WIDTH, self.height())
            }
            fn draw_png(&self, root: &DrawingArea<BitMapBackend<'_>, Shift>) -> anyhow::Result<()> {
                self.draw(root)
            }
            fn draw_svg(&self, root: &DrawingArea<SVGBackend<'_>, Shift>) -> anyhow::Result<()> {
                self.draw(root)
            }
        }
    };
}
pub(crate) use impl_chart;

impl_chart!(RiskChart);
impl_chart!(LoadChart);
impl_chart!(FluidsChart);

/// Characters of a name shown in a chart title.
const TITLE_NAME_CHARS: usize = 40;

/// An athlete's charts: (file suffix, title, chart).
pub fn charts(
    name: &str,
    days: &[Day],
    bands: &Bands,
) -> Vec<(&'static str, String, Box<dyn Chart>)> {
    let shown = draw::short_name(name, TITLE_NAME_CHARS);
    let risk = format!("{shown}: daily cramp-risk score by factor");
    let load = format!("{shown}: training load, ATL, CTL and ACWR");
    let fluids = format!("{shown}: fluid intake against need, and heat index");
    vec![
        (
            "risk",
            risk.clone(),
            Box::new(RiskChart {
                title: risk,
                bars: data::risk_bars(days),
                bands: bands.clone(),
            }) as Box<dyn Chart>,
        ),
        (
            "load",
            load.clone(),
            Box::new(LoadChart {
                title: load,
                points: data::load_points(days),
            }),
        ),
        (
            "fluids",
            fluids.clone(),
            Box::new(FluidsChart {
                title: fluids,
                points: data::fluid_points(days),
            }),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{factor_colour, to_png, to_svg};
    use crate::model::FactorId;

    fn day(date: &str, points: &[(FactorId, f64)], acwr: Option<f64>) -> Day {
        let mut p = [None; FactorId::ALL.len()];
        for (id, v) in points {
            let k = FactorId::ALL.iter().position(|f| f == id).unwrap();
            p[k] = Some(*v);
        }
        let score: f64 = points.iter().map(|(_, v)| v).sum();
        Day {
            athlete: "ana".to_string(),
            date: dates::parse_date(date).unwrap(),
            risk_score: Some(score),
            band: Some(Band::Moderate),
            points: p,
            load: Some(100.0),
            atl: Some(80.0),
            ctl: Some(60.0),
            acwr,
            fluid_intake_ml: None,
            fluid_need_ml: Some(2500.0),
            heat_index_c: Some(30.0),
            confidence: Some(1.0),
            top_factors: None,
            recommendation: None,
        }
    }

    fn bands() -> Bands {
        Bands {
            moderate: 25.0,
            high: 50.0,
            very_high: 75.0,
        }
    }

    fn three_days() -> Vec<Day> {
        vec![
            day(
                "2025-06-01",
                &[(FactorId::Heat, 5.0), (FactorId::Predisposition, 20.0)],
                None,
            ),
            day("2025-06-02", &[(FactorId::Predisposition, 20.0)], Some(1.1)),
            day(
                "2025-06-03",
                &[(FactorId::Heat, 7.0), (FactorId::Exertion, 3.0)],
                Some(1.4),
            ),
        ]
    }

    fn rects_filled(svg: &str, colour: RGBColor) -> usize {
        let needle = format!("fill=\"#{:02X}{:02X}{:02X}\"", colour.0, colour.1, colour.2);
        svg.split("<rect ")
            .skip(1)
            .filter(|r| r.split('>').next().is_some_and(|a| a.contains(&needle)))
            .count()
    }

    #[test]
    fn risk_svg_has_title_axes_and_one_rect_per_segment() {
        crate::charts::register_font().unwrap();
        let charts = charts("ana", &three_days(), &bands());
        let svg = to_svg(charts[0].2.as_ref()).unwrap();
        for text in [
            ">\nana: daily cramp-risk score by factor\n<",
            ">\nrisk score (points of 100)\n<",
            ">\ndate (2025)\n<",
            ">\n7-day mean\n<",
        ] {
            assert!(svg.contains(text), "missing {text:?}");
        }
        // Heat on 2 days, predisposition on 2, exertion on 1; plus one legend box each.
        assert_eq!(rects_filled(&svg, factor_colour(FactorId::Heat)), 2 + 1);
        assert_eq!(
            rects_filled(&svg, factor_colour(FactorId::Predisposition)),
            2 + 1
        );
        assert_eq!(rects_filled(&svg, factor_colour(FactorId::Exertion)), 1 + 1);
        assert_eq!(
            rects_filled(&svg, factor_colour(FactorId::Cold)),
            1,
            "legend only"
        );
        // Three days of band strip in the moderate colour, plus its legend box.
        assert_eq!(rects_filled(&svg, Band::Moderate.colour()), 3 + 1);
    }

    #[test]
    fn load_and_fluid_svgs_draw_their_series_and_say_what_is_missing() {
        crate::charts::register_font().unwrap();
        let charts = charts("ana", &three_days(), &bands());
        let load = to_svg(charts[1].2.as_ref()).unwrap();
        assert!(load.contains(">\nACWR (ratio)\n<") && load.contains(">\nload (TRIMP/day)\n<"));
        // 3 load bars + the legend box.
        assert_eq!(rects_filled(&load, series::LOAD), 3 + 1);
        // ATL, CTL and ACWR lines, each a polyline in its colour.
        for c in [series::ATL, series::CTL, series::ACWR] {
            let stroke = format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
            assert!(
                load.split("<polyline").skip(1).any(|p| p.contains(&stroke)),
                "no line in {stroke}"
            );
        }
        let fluids = to_svg(charts[2].2.as_ref()).unwrap();
        assert!(fluids.contains("No fluid intake logged in this period"));
        assert_eq!(
            rects_filled(&fluids, series::INTAKE),
            1,
            "legend only: intake unknown"
        );
    }

    #[test]
    fn png_is_the_documented_size_and_not_blank() {
        crate::charts::register_font().unwrap();
        let charts = charts("ana", &three_days(), &bands());
        let bytes = to_png(charts[0].2.as_ref()).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (size::WIDTH, size::RISK_HEIGHT));
        let pixels: std::collections::BTreeSet<&[u8]> =
            buf[..info.buffer_size()].chunks(3).collect();
        assert!(pixels.len() > 20, "{} colours", pixels.len());
        // The heat colour is painted somewhere (a bar or the legend).
        let heat = factor_colour(FactorId::Heat);
        assert!(pixels.contains(&[heat.0, heat.1, heat.2][..]));
    }
}
