//! One athlete's charts: the daily risk score stacked by factor with its band, 7-day mean and
//! the cramp days (logged, or mentioned in a title); load with ATL, CTL and the ACWR against its
//! 0.8–1.3 range; fluid intake against need with the heat index. Each draws into any plotters
//! backend, so PNG and SVG share one code path.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{date_label, TickedAxis};
use super::data::{self, FluidPoint, LoadPoint, RiskDay};
use super::draw::{self, axis_top, broken_line, legend, steps_for, Drawn, Mark};
use super::theme::{
    band_colour, bands_legend, factor_colour, factor_label, series, size, FURNITURE, INK,
};
use super::Chart;
use crate::dates;
use crate::ingest::cramplog::CrampSource;
use crate::model::{Band, FactorId};
use crate::view::Day;

/// The ACWR range read as "neither too little nor too much" (Gabbett 2016).
pub const ACWR_RANGE: (f64, f64) = (0.8, 1.3);
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

/// Splits a plot into panels stacked top to bottom, each given its share (percent) of the
/// height; the last takes what is left.
fn stacked<DB: DrawingBackend>(
    plot: DrawingArea<DB, Shift>,
    shares: &[u32],
) -> Vec<DrawingArea<DB, Shift>> {
    let height = plot.dim_in_pixel().1;
    let mut out = Vec::new();
    let mut rest = plot;
    for share in shares {
        let (top, below) = rest.split_vertically(height * share / 100);
        out.push(top);
        rest = below;
    }
    out.push(rest);
    out
}

/// What a panel's y axis shows.
struct YAxis<'f> {
    axis: TickedAxis,
    labels: usize,
    desc: &'f str,
    format: &'f dyn Fn(&f64) -> String,
}

/// A panel of an athlete chart: days along x, `y` up.
type Panel<'a, DB> = ChartContext<'a, DB, Cartesian2d<TickedAxis, TickedAxis>>;

/// Draws a panel's axes and grid on `area`, the skeleton every athlete chart shares. Only the
/// bottom panel labels the dates; the panels above it share its time axis.
fn panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    time: &TimeAxis,
    y: YAxis<'_>,
    bottom: bool,
) -> anyhow::Result<Panel<'a, DB>> {
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(if bottom { 48 } else { 8 })
        .y_label_area_size(64)
        .build_cartesian_2d(time.axis(), y.axis)
        .drawn()?;
    let multi_year = time.multi_year();
    let dates = |v: &f64| {
        if bottom {
            date_label(*v, multi_year)
        } else {
            String::new()
        }
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(10)
        .y_labels(y.labels)
        .x_label_formatter(&dates)
        .y_label_formatter(y.format)
        .y_desc(y.desc)
        .label_style(draw::text(size::LABEL))
        .axis_desc_style(draw::text(size::AXIS_DESC))
        .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
        .light_line_style(TRANSPARENT);
    if bottom {
        mesh.x_desc(time.desc());
    }
    mesh.draw().drawn()?;
    Ok(chart)
}

/// Bars from 0 to each known, positive value, one per day.
fn day_bars<DB: DrawingBackend>(
    chart: &mut Panel<'_, DB>,
    values: impl Iterator<Item = (NaiveDate, Option<f64>)>,
    colour: RGBColor,
) -> anyhow::Result<()> {
    chart
        .draw_series(values.filter_map(|(d, v)| {
            let c = x(d);
            v.filter(|v| *v > 0.0)
                .map(|v| Rectangle::new([(c - BAR_HALF, 0.0), (c + BAR_HALF, v)], colour.filled()))
        }))
        .drawn()?;
    Ok(())
}

fn whole(v: &f64) -> String {
    format!("{v:.0}")
}

/// The daily risk chart: the probability of a cramp with its range above, the day factors'
/// effects on the odds below.
pub struct RiskChart {
    pub title: String,
    pub days: Vec<RiskDay>,
    /// The profile factors' odds multipliers (the same every day), stated in the legend.
    pub profile: Vec<(FactorId, Option<f64>)>,
}

/// The probability axis's end: the highest value drawn (a range's top included) plus a tenth,
/// rounded up to a multiple of 5; at least 10, at most 100.
fn risk_axis_top(days: &[RiskDay]) -> f64 {
    let max = days
        .iter()
        .flat_map(|d| [d.risk_pct, d.high_pct, d.mean7])
        .flatten()
        .fold(0.0, f64::max);
    ((max * 1.1 / 5.0).ceil() * 5.0).clamp(10.0, 100.0)
}

/// Odds multipliers that label the effects axis, at their logs.
const ODDS_TICKS: [f64; 11] = [
    1.0 / 16.0,
    0.125,
    0.25,
    0.5,
    1.0,
    2.0,
    4.0,
    8.0,
    16.0,
    32.0,
    64.0,
];

/// The effects axis in log-odds: from the lowest stack to the highest, with room, never
/// narrower than ×0.5 to ×2.
fn effects_range(days: &[RiskDay]) -> (f64, f64) {
    let (lo, hi) = days
        .iter()
        .flat_map(|d| d.effects.iter().map(|e| (e.1.min(e.2), e.1.max(e.2))))
        .fold((0.0, 0.0), |(lo, hi): (f64, f64), (a, b)| {
            (lo.min(a), hi.max(b))
        });
    let ln2 = 2f64.ln();
    ((lo * 1.1).min(-ln2), (hi * 1.1).max(ln2))
}

/// "×2", "×0.5", "×1.25".
fn times(v: f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("×{text}")
}

impl RiskChart {
    fn height(&self) -> u32 {
        size::RISK_HEIGHT
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let (plot, side) = frame(root, &self.title)?;
        let Some(time) = TimeAxis::of(self.days.iter().map(|b| b.date)) else {
            return Ok(());
        };
        let panels = stacked(plot, &[56]);
        let (x0, x1) = time.range();

        let top = risk_axis_top(&self.days);
        let y = YAxis {
            axis: TickedAxis::linear(0.0..top, &steps_for(top)),
            labels: 6,
            desc: "risk of a cramp (%)",
            format: &whole,
        };
        let mut chart = panel(&panels[0], &time, y, false)?;
        for band in [Band::Moderate, Band::High, Band::VeryHigh] {
            let t = band.lower_pct();
            if t >= top {
                continue;
            }
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x0, t), (x1, t)],
                    6,
                    4,
                    INK.mix(0.55).stroke_width(1),
                ))
                .drawn()?;
        }
        chart
            .draw_series(self.days.iter().filter_map(|d| {
                let c = x(d.date);
                let colour = d.band.map(band_colour).unwrap_or(FURNITURE);
                d.risk_pct.map(|p| {
                    Rectangle::new([(c - BAR_HALF, 0.0), (c + BAR_HALF, p)], colour.filled())
                })
            }))
            .drawn()?;
        // The range: a whisker from the plausible low to the plausible high, where they differ.
        chart
            .draw_series(self.days.iter().filter_map(|d| {
                let c = x(d.date);
                match (d.low_pct, d.high_pct) {
                    (Some(lo), Some(hi)) if hi > lo => Some(PathElement::new(
                        vec![(c, lo), (c, hi.min(top))],
                        series::RANGE.stroke_width(1),
                    )),
                    _ => None,
                }
            }))
            .drawn()?;
        broken_line(
            &mut chart,
            self.days.iter().map(|b| (x(b.date), b.mean7)),
            INK,
            2,
        )?;
        // Cramp days: a row of dots along the top, above every bar (the axis has a tenth of
        // headroom): filled for a logged cramp, a ring for one only mentioned in a title.
        chart
            .draw_series(self.days.iter().filter_map(|d| {
                let filled = match d.cramp? {
                    CrampSource::Log => true,
                    CrampSource::Mention => false,
                };
                Some(Circle::new(
                    (x(d.date), top * 0.96),
                    draw::CRAMP_DOT,
                    draw::dot_style(INK, filled),
                ))
            }))
            .drawn()?;

        let (lo, hi) = effects_range(&self.days);
        let ticks: Vec<f64> = ODDS_TICKS.iter().map(|o| o.ln()).collect();
        let odds_label = |v: &f64| times(v.exp());
        let y = YAxis {
            axis: TickedAxis::at(lo..hi, &ticks),
            labels: ODDS_TICKS.len(),
            desc: "odds multiplier",
            format: &odds_label,
        };
        let mut chart = panel(&panels[1], &time, y, true)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, 0.0), (x1, 0.0)],
                INK.mix(0.55).stroke_width(1),
            )))
            .drawn()?;
        chart
            .draw_series(self.days.iter().flat_map(|d| {
                let c = x(d.date);
                d.effects.iter().map(move |&(id, from, to)| {
                    Rectangle::new(
                        [(c - BAR_HALF, from), (c + BAR_HALF, to)],
                        factor_colour(id).filled(),
                    )
                })
            }))
            .drawn()?;

        let mut entries: Vec<(String, Mark)> = vec![
            ("Risk (top panel)".to_string(), Mark::Heading),
            (
                "day's estimate, in".to_string(),
                Mark::Box(band_colour(Band::High)),
            ),
            ("  its band's colour".to_string(), Mark::Heading),
            (
                "range if unknown inputs".to_string(),
                Mark::Line(series::RANGE, 1),
            ),
            ("7-day mean".to_string(), Mark::Line(INK, 2)),
            (bands_legend(), Mark::Dashed(INK)),
        ];
        for (source, label, filled) in [
            (CrampSource::Log, "logged cramp", true),
            (CrampSource::Mention, "cramp in a title", false),
        ] {
            if self.days.iter().any(|d| d.cramp == Some(source)) {
                entries.push((label.to_string(), Mark::Dot(INK, filled)));
            }
        }
        entries.push(("Effects (bottom panel)".to_string(), Mark::Heading));
        for id in data::day_factors().iter().rev() {
            entries.push((factor_label(*id).to_string(), Mark::Box(factor_colour(*id))));
        }
        entries.push(("Profile, every day:".to_string(), Mark::Heading));
        for (id, odds) in &self.profile {
            let value = odds.map_or("unknown".to_string(), times);
            entries.push((format!("{} {value}", factor_label(*id)), Mark::Heading));
        }
        legend(&side, 20, &entries)
    }
}

/// The load chart: daily load with ATL and CTL on top, form (TSB) in the middle, the ACWR with
/// its range at the bottom.
pub struct LoadChart {
    pub title: String,
    pub points: Vec<LoadPoint>,
}

/// The form panel's axis: symmetric around 0 (fresh above, fatigued below), at least ±10.
fn form_range(values: impl IntoIterator<Item = Option<f64>>) -> f64 {
    let most = values
        .into_iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold(0.0, |m: f64, v| m.max(v.abs()));
    ((most * 1.1 / 10.0).ceil() * 10.0).max(10.0)
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
        let panels = stacked(plot, &[44, 24]);

        let top = axis_top(
            self.points.iter().flat_map(|p| [p.load, p.atl, p.ctl]),
            10.0,
        );
        let y = YAxis {
            axis: TickedAxis::linear(0.0..top, &steps_for(top)),
            labels: 5,
            desc: "load (TRIMP/day)",
            format: &whole,
        };
        let mut chart = panel(&panels[0], &time, y, false)?;
        day_bars(
            &mut chart,
            self.points.iter().map(|p| (p.date, p.load)),
            series::LOAD,
        )?;
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

        let reach = form_range(self.points.iter().map(|p| p.tsb));
        let signed = |v: &f64| format!("{v:+.0}").replace("+0", "0");
        let y = YAxis {
            axis: TickedAxis::linear(-reach..reach, &steps_for(reach)),
            labels: 5,
            desc: "form (TSB)",
            format: &signed,
        };
        let mut chart = panel(&panels[1], &time, y, false)?;
        let (x0, x1) = time.range();
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, 0.0), (x1, 0.0)],
                INK.mix(0.55).stroke_width(1),
            )))
            .drawn()?;
        broken_line(
            &mut chart,
            self.points.iter().map(|p| (x(p.date), p.tsb)),
            series::TSB,
            2,
        )?;
        if self.points.iter().all(|p| p.tsb.is_none()) {
            note(&mut chart, &time, reach / 2.0, "No form (TSB) yet")?;
        }

        let acwr_top = axis_top(self.points.iter().map(|p| p.acwr), 2.0).min(3.0);
        let one_decimal = |v: &f64| format!("{v:.1}");
        let y = YAxis {
            axis: TickedAxis::linear(0.0..acwr_top, &[1.0, 0.5, 0.25]),
            labels: 5,
            desc: "ACWR (ratio)",
            format: &one_decimal,
        };
        let mut chart = panel(&panels[2], &time, y, true)?;
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

        legend(&side, 20, &load_legend())
    }
}

/// The load chart's legend: one heading per panel, then its series.
fn load_legend() -> Vec<(String, Mark)> {
    vec![
        ("Load (top panel)".to_string(), Mark::Heading),
        ("day's load".to_string(), Mark::Box(series::LOAD)),
        (
            "ATL, 7-day (fatigue)".to_string(),
            Mark::Line(series::ATL, 2),
        ),
        (
            "CTL, 42-day (fitness)".to_string(),
            Mark::Line(series::CTL, 2),
        ),
        ("Form (middle panel)".to_string(), Mark::Heading),
        (
            "TSB: above 0 fresh,".to_string(),
            Mark::Line(series::TSB, 2),
        ),
        ("below 0 fatigued".to_string(), Mark::Heading),
        ("ACWR (bottom panel)".to_string(), Mark::Heading),
        (
            "acute:chronic ratio".to_string(),
            Mark::Line(series::ACWR, 2),
        ),
        (
            format!("{:.1}–{:.1} range", ACWR_RANGE.0, ACWR_RANGE.1),
            Mark::OutlinedBox(series::ACWR_BAND),
        ),
    ]
}

/// The fluids chart: intake against need above, the day's heat index below.
pub struct FluidsChart {
    pub title: String,
    pub points: Vec<FluidPoint>,
}

/// Where the "nothing logged" note goes: half-way up to the lowest point of the need line, so
/// the text never sits on the line; the middle of the panel when no need is known.
fn empty_note_height(need: impl IntoIterator<Item = Option<f64>>, top: f64) -> f64 {
    let lowest = need
        .into_iter()
        .flatten()
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    if lowest.is_finite() {
        lowest / 2.0
    } else {
        top / 2.0
    }
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
        let panels = stacked(plot, &[62]);

        let top = axis_top(
            self.points.iter().flat_map(|p| [p.intake_ml, p.need_ml]),
            1000.0,
        );
        let y = YAxis {
            axis: TickedAxis::linear(0.0..top, &steps_for(top)),
            labels: 6,
            desc: "fluid (mL/day)",
            format: &whole,
        };
        let mut chart = panel(&panels[0], &time, y, false)?;
        day_bars(
            &mut chart,
            self.points.iter().map(|p| (p.date, p.intake_ml)),
            series::INTAKE,
        )?;
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
                empty_note_height(self.points.iter().map(|p| p.need_ml), top),
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
        let y = YAxis {
            axis: TickedAxis::linear(lo..hi, &[10.0, 5.0, 2.0]),
            labels: 5,
            desc: "heat index (°C)",
            format: &whole,
        };
        let mut chart = panel(&panels[1], &time, y, true)?;
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
            fn draw_png(
                &self,
                root: &DrawingArea<crate::charts::glyphs::Png<'_>, Shift>,
            ) -> anyhow::Result<()> {
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
pub fn charts(name: &str, days: &[Day]) -> Vec<(&'static str, String, Box<dyn Chart>)> {
    let shown = draw::short_name(name, TITLE_NAME_CHARS);
    let risk = format!("{shown}: risk of a cramp per day, and what moved it");
    let load = format!("{shown}: training load, ATL, CTL and ACWR");
    let fluids = format!("{shown}: fluid intake against need, and heat index");
    vec![
        (
            "risk",
            risk.clone(),
            Box::new(RiskChart {
                title: risk,
                days: data::risk_days(days),
                profile: crate::view::profile_odds(days),
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
    use crate::charts::theme::factor_colour;
    use crate::charts::{to_png, to_svg};

    /// A day with the given odds multipliers (the rest unknown) and risk range.
    fn day(
        date: &str,
        odds: &[(FactorId, f64)],
        risk: [f64; 3],
        acwr: Option<f64>,
    ) -> Day<'static> {
        let mut o = [None; FactorId::ALL.len()];
        for (id, v) in odds {
            let k = FactorId::ALL.iter().position(|f| f == id).unwrap();
            o[k] = Some(*v);
        }
        Day {
            risk_pct: Some(risk[0]),
            risk_low_pct: Some(risk[1]),
            risk_high_pct: Some(risk[2]),
            band: Some(Band::of_pct(risk[0])),
            odds: o,
            load: Some(100.0),
            atl: Some(80.0),
            ctl: Some(60.0),
            tsb: Some(-20.0),
            acwr,
            fluid_need_ml: Some(2500.0),
            heat_index_c: Some(30.0),
            confidence: Some(1.0),
            ..Day::new("ana", dates::parse_date(date).unwrap())
        }
    }

    fn three_days() -> Vec<Day<'static>> {
        use FactorId::*;
        vec![
            // Heat raises the odds, conditioning lowers them; the profile is the same daily.
            day(
                "2025-06-01",
                &[
                    (Heat, 1.5),
                    (Conditioning, 0.8),
                    (Predisposition, 2.4),
                    (Sex, 1.3),
                ],
                [12.0, 9.0, 20.0],
                None,
            ),
            // Everything at no effect, nothing unknown: no segment, no whisker.
            day(
                "2025-06-02",
                &[(Heat, 1.0), (Predisposition, 2.4), (Sex, 1.3)],
                [3.0, 3.0, 3.0],
                Some(1.1),
            ),
            day(
                "2025-06-03",
                &[
                    (Heat, 1.2),
                    (Exertion, 2.0),
                    (Predisposition, 2.4),
                    (Sex, 1.3),
                ],
                [25.0, 18.0, 41.0],
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

    /// Cramp days are marked: a filled dot per logged cramp, a ring per mention, one legend
    /// entry each; no marks and no entries without cramps.
    #[test]
    fn cramp_days_get_a_dot_and_mentions_a_ring() {
        crate::charts::register_font().unwrap();
        let circles = |svg: &str, filled: bool| {
            svg.split("<circle ")
                .skip(1)
                .filter(|c| {
                    let attrs = c.split('>').next().unwrap_or("");
                    attrs.contains("fill=\"#222222\"") == filled
                })
                .count()
        };
        let plain = to_svg(charts("ana", &three_days())[0].2.as_ref()).unwrap();
        assert_eq!(plain.matches("<circle ").count(), 0);
        assert!(!plain.contains("logged cramp"));
        let mut days = three_days();
        days[0].cramp = Some(CrampSource::Log);
        days[2].cramp = Some(CrampSource::Log);
        days[1].cramp = Some(CrampSource::Mention);
        let svg = to_svg(charts("ana", &days)[0].2.as_ref()).unwrap();
        // Two logged days and the legend's dot; one mention and the legend's ring.
        assert_eq!(circles(&svg, true), 2 + 1);
        assert_eq!(circles(&svg, false), 1 + 1);
        assert!(svg.contains(">\nlogged cramp\n<"));
        assert!(svg.contains(">\ncramp in a title\n<"));
    }

    #[test]
    fn risk_svg_has_title_axes_a_bar_and_whisker_per_day_and_one_rect_per_effect() {
        crate::charts::register_font().unwrap();
        let charts = charts("ana", &three_days());
        let svg = to_svg(charts[0].2.as_ref()).unwrap();
        for text in [
            ">\nana: risk of a cramp per day, and what moved it\n<",
            ">\nrisk of a cramp (%)\n<",
            ">\nodds multiplier\n<",
            ">\ndate (2025)\n<",
            ">\n7-day mean\n<",
            // The profile, stated once, in the legend.
            ">\npredisposition ×2.4\n<",
            ">\nsex ×1.3\n<",
            // Effects-axis labels at round multipliers.
            ">\n×2\n<",
            ">\n×0.5\n<",
        ] {
            assert!(svg.contains(text), "missing {text:?}");
        }
        // Heat is ≠ 1 on days 1 and 3, conditioning on day 1, exertion on day 3; each a
        // segment plus its legend box. Profile factors are never stacked (no legend box).
        assert_eq!(rects_filled(&svg, factor_colour(FactorId::Heat)), 2 + 1);
        assert_eq!(
            rects_filled(&svg, factor_colour(FactorId::Conditioning)),
            1 + 1
        );
        assert_eq!(rects_filled(&svg, factor_colour(FactorId::Exertion)), 1 + 1);
        assert_eq!(
            rects_filled(&svg, factor_colour(FactorId::Predisposition)),
            0
        );
        assert_eq!(
            rects_filled(&svg, factor_colour(FactorId::Cold)),
            1,
            "legend only"
        );
        // Risk bars in their band's colour (bands from 5, 20, 40 %): 12 % moderate, 3 % low,
        // 25 % high; the legend shows the high colour once more.
        assert_eq!(rects_filled(&svg, band_colour(Band::Moderate)), 1);
        assert_eq!(rects_filled(&svg, band_colour(Band::Low)), 1);
        assert_eq!(rects_filled(&svg, band_colour(Band::High)), 1 + 1);
        // Whiskers where the range is not a point: days 1 and 3, plus the legend's line.
        let stroke = format!(
            "stroke=\"#{:02X}{:02X}{:02X}\"",
            series::RANGE.0,
            series::RANGE.1,
            series::RANGE.2
        );
        assert_eq!(svg.matches(&stroke).count(), 2 + 1);
    }

    #[test]
    fn load_and_fluid_svgs_draw_their_series_and_say_what_is_missing() {
        crate::charts::register_font().unwrap();
        let charts = charts("ana", &three_days());
        let load = to_svg(charts[1].2.as_ref()).unwrap();
        assert!(load.contains(">\nACWR (ratio)\n<") && load.contains(">\nload (TRIMP/day)\n<"));
        // 3 load bars + the legend box.
        assert_eq!(rects_filled(&load, series::LOAD), 3 + 1);
        assert!(load.contains(">\nform (TSB)\n<"));
        // ATL, CTL, TSB and ACWR lines, each a polyline in its colour.
        for c in [series::ATL, series::CTL, series::TSB, series::ACWR] {
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
        let charts = charts("ana", &three_days());
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

    /// The pixel y of each point of every polyline stroked in `colour`.
    fn line_ys(svg: &str, colour: RGBColor) -> Vec<f64> {
        let stroke = format!(
            "stroke=\"#{:02X}{:02X}{:02X}\"",
            colour.0, colour.1, colour.2
        );
        svg.split("<polyline")
            .skip(1)
            .filter(|p| p.split('>').next().is_some_and(|a| a.contains(&stroke)))
            .flat_map(|p| {
                let pts = p
                    .split("points=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                pts.split_whitespace()
                    .map(|xy| xy.split(',').nth(1).unwrap().parse::<f64>().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn the_nothing_logged_note_sits_below_the_need_line() {
        crate::charts::register_font().unwrap();
        // Need 2500 mL on every day, nothing logged: the note goes half-way up to 2500.
        assert_eq!(
            empty_note_height([Some(2500.0), None, Some(3100.0)], 3348.0),
            1250.0
        );
        let charts = charts("ana", &three_days());
        let svg = to_svg(charts[2].2.as_ref()).unwrap();
        let lowest_line = line_ys(&svg, series::NEED)
            .into_iter()
            .fold(f64::NEG_INFINITY, f64::max);
        // The note's text element: its y is the text's centre line.
        let at = svg.find("No fluid intake logged").unwrap();
        let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
        let y: f64 = tag
            .split(" y=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        // Pixel y grows downwards: the text's top (centre − half the font size) is below the
        // line's lowest point.
        let half = f64::from(size::AXIS_DESC + 2) / 2.0;
        assert!(
            y - half > lowest_line,
            "note at {y}, need line down to {lowest_line}"
        );
    }

    #[test]
    fn form_axis_is_symmetric_and_holds_every_value() {
        // Largest |TSB| 33 → 33 × 1.1 = 36.3 → ±40; nothing known or small → ±10.
        assert_eq!(form_range([Some(-33.0), Some(12.0), None]), 40.0);
        assert_eq!(form_range([None, Some(4.0)]), 10.0);
    }
}
