//! The team's charts: a heat map of athletes × days coloured by band, and the athletes ranked
//! by mean risk over the last 7 and 28 days. Drawn into any plotters backend.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::athlete::impl_chart;
use super::axis::{date_label, TickedAxis};
use super::data::{self, Heatmap};
use super::draw::{self, legend, short_name, steps_for, Drawn, Mark};
use super::theme::{band_colour, band_label, bands_legend, size, INK, NO_DATA};
use super::Chart;
use crate::dates;
use crate::model::Band;
use crate::team::Ranked;
use crate::view::TeamDays;

/// Characters of a name shown on an axis.
const NAME_CHARS: usize = 22;

fn name_area(names: &[String]) -> u32 {
    let longest = names
        .iter()
        .map(|n| n.chars().count().min(NAME_CHARS))
        .max()
        .unwrap_or(4) as u32;
    (longest * 9 + 24).clamp(70, 230)
}

/// The heat map of athletes × days.
pub struct HeatmapChart {
    pub title: String,
    pub map: Heatmap,
}

impl HeatmapChart {
    fn height(&self) -> u32 {
        size::TEAM_FRAME + size::HEATMAP_ROW * self.map.athletes.len().max(4) as u32
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        root.fill(&WHITE).drawn()?;
        let body = root.titled(&self.title, draw::title_style()).drawn()?;
        let width = body.dim_in_pixel().0;
        let (plot, side) = body.split_horizontally(width.saturating_sub(size::LEGEND_WIDTH));
        let m = &self.map;
        let n = m.athletes.len();
        // Row 0 (the first athlete) at the top.
        let row_y = |row: usize| (n - 1 - row) as f64;
        let names = m.athletes.clone();
        let multi_year = m.first.year() != m.last.year();
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .x_label_area_size(48)
            .y_label_area_size(name_area(&names))
            .build_cartesian_2d(TickedAxis::days(m.first, m.last), TickedAxis::rows(n))
            .drawn()?;
        let label_row = |v: &f64| {
            let r = v.round() as i64;
            if r < 0 || r as usize >= n {
                return String::new();
            }
            short_name(&names[n - 1 - r as usize], NAME_CHARS)
        };
        let desc = if multi_year {
            "date".to_string()
        } else {
            format!("date ({})", m.first.year())
        };
        chart
            .configure_mesh()
            .x_labels(12)
            .y_labels(n + 1)
            .x_label_formatter(&|v| date_label(*v, multi_year))
            .y_label_formatter(&label_row)
            .x_desc(desc)
            .label_style(draw::text(size::LABEL))
            .axis_desc_style(draw::text(size::AXIS_DESC))
            .disable_y_mesh()
            .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
            .light_line_style(TRANSPARENT)
            .draw()
            .drawn()?;
        chart
            .draw_series(m.cells.iter().map(|&(row, date, band)| {
                let c = dates::to_days(date) as f64;
                let y = row_y(row);
                let colour = band.map(band_colour).unwrap_or(NO_DATA);
                Rectangle::new([(c - 0.5, y - 0.42), (c + 0.5, y + 0.42)], colour.filled())
            }))
            .drawn()?;

        let mut entries = vec![("Band of the day".to_string(), Mark::Heading)];
        for band in Band::ALL {
            entries.push((band_label(band).to_string(), Mark::Box(band_colour(band))));
        }
        entries.push(("no data".to_string(), Mark::OutlinedBox(NO_DATA)));
        if m.total_athletes > n {
            entries.push((
                format!("{n} of {} athletes:", m.total_athletes),
                Mark::Heading,
            ));
            entries.push(("the highest-risk ones".to_string(), Mark::Heading));
        }
        entries.push(("Ordered as the ranking".to_string(), Mark::Heading));
        legend(&side, 20, &entries)
    }
}

/// The ranking of athletes by mean risk.
pub struct RankingChart {
    pub title: String,
    pub ranked: Vec<Ranked>,
    pub total_athletes: usize,
}

impl RankingChart {
    fn height(&self) -> u32 {
        size::TEAM_FRAME + size::RANKING_ROW * self.ranked.len().max(3) as u32
    }

    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        root.fill(&WHITE).drawn()?;
        let body = root.titled(&self.title, draw::title_style()).drawn()?;
        let width = body.dim_in_pixel().0;
        let (plot, side) = body.split_horizontally(width.saturating_sub(size::LEGEND_WIDTH));
        let n = self.ranked.len();
        let names: Vec<String> = self.ranked.iter().map(|r| r.athlete.clone()).collect();
        let row_y = |row: usize| (n - 1 - row) as f64;
        let top = ranking_axis_top(
            self.ranked
                .iter()
                .flat_map(|r| [r.last7.mean, r.last28.mean]),
        );
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .x_label_area_size(48)
            .y_label_area_size(name_area(&names))
            .build_cartesian_2d(
                TickedAxis::linear(0.0..top, &steps_for(top)),
                TickedAxis::rows(n),
            )
            .drawn()?;
        let label_row = |v: &f64| {
            let r = v.round() as i64;
            if r < 0 || r as usize >= n {
                return String::new();
            }
            short_name(&names[n - 1 - r as usize], NAME_CHARS)
        };
        chart
            .configure_mesh()
            .x_labels(11)
            .y_labels(n + 1)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&label_row)
            .x_desc("mean risk of a cramp (%)")
            .label_style(draw::text(size::LABEL))
            .axis_desc_style(draw::text(size::AXIS_DESC))
            .disable_y_mesh()
            .bold_line_style(RGBColor(0xE6, 0xE6, 0xE6))
            .light_line_style(TRANSPARENT)
            .draw()
            .drawn()?;
        let value_style = draw::text(size::LABEL).pos(Pos::new(HPos::Left, VPos::Center));
        // Thresholds first, so bars and their labels draw over them; only those on the axis.
        for band in [Band::Moderate, Band::High, Band::VeryHigh] {
            let t = band.lower_pct();
            if t >= top {
                continue;
            }
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(t, -0.5), (t, n as f64 - 0.5)],
                    6,
                    4,
                    INK.mix(0.55).stroke_width(1),
                ))
                .drawn()?;
        }
        for (row, r) in self.ranked.iter().enumerate() {
            let y = row_y(row);
            // The 7-day bar thick above the row's centre line, the 28-day bar thin below it;
            // both in the band colour of their mean, so colour always means the same band.
            for (mean, lo, hi, window) in [
                (r.last7, y - 0.02, y + 0.40, 7),
                (r.last28, y - 0.36, y - 0.14, 28),
            ] {
                let (end, label) = match mean.mean {
                    Some(v) => {
                        let colour = band_colour(Band::of_pct(v));
                        chart
                            .draw_series([
                                Rectangle::new([(0.0, lo), (v, hi)], colour.filled()),
                                Rectangle::new([(0.0, lo), (v, hi)], INK.stroke_width(1)),
                            ])
                            .drawn()?;
                        let partial = if mean.days < window {
                            format!(", {} of {window} days estimated", mean.days)
                        } else {
                            String::new()
                        };
                        (v, format!("{v:.1} %  last {window} days{partial}"))
                    }
                    None => (0.0, format!("no estimate in the last {window} days")),
                };
                // On a white ground: a band's dashed line or a grid line behind the label
                // would run through its figures.
                let (w, h) = chart
                    .plotting_area()
                    .estimate_text_size(&label, &value_style)
                    .drawn()?;
                let (w, half) = (w as i32, h as i32 / 2);
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((end + 0.8, (lo + hi) / 2.0))
                            + Rectangle::new([(-2, -half - 2), (w + 2, half + 2)], WHITE.filled())
                            + Text::new(label, (0, 0), value_style.clone()),
                    ))
                    .drawn()?;
            }
        }
        let mut entries = vec![
            ("Each athlete".to_string(), Mark::Heading),
            ("thick bar: last 7 days".to_string(), Mark::Frame(8)),
            ("thin bar: last 28 days".to_string(), Mark::Frame(3)),
            ("Colour: band of the mean".to_string(), Mark::Heading),
        ];
        for band in Band::ALL {
            entries.push((band_label(band).to_string(), Mark::Box(band_colour(band))));
        }
        entries.push((bands_legend(), Mark::Dashed(INK)));
        if self.total_athletes > n {
            entries.push((
                format!("top {n} of {} athletes", self.total_athletes),
                Mark::Heading,
            ));
        }
        legend(&side, 20, &entries)
    }
}

/// The ranking's axis end: the largest mean with room right of it for its label ("48.9 %  last
/// 7 days, 5 of 7 days estimated" takes about 40 % of the plot), rounded up to a multiple of
/// 5, at most 100 %.
fn ranking_axis_top(means: impl IntoIterator<Item = Option<f64>>) -> f64 {
    let max = means.into_iter().flatten().fold(0.0, f64::max);
    ((max / 0.6 / 5.0).ceil() * 5.0).clamp(10.0, 100.0)
}

impl_chart!(HeatmapChart);
impl_chart!(RankingChart);

/// The team's charts: (file stem, title, chart). Athletes in the order of `ranked` (whose
/// windows end on `as_of`);
/// at most `size::TEAM_MAX_ATHLETES` of them.
pub fn charts(
    days: &TeamDays,
    ranked: &[Ranked],
    as_of: NaiveDate,
) -> Vec<(&'static str, String, Box<dyn Chart>)> {
    let total = ranked.len();
    let order: Vec<String> = ranked.iter().map(|r| r.athlete.clone()).collect();
    let mut out: Vec<(&'static str, String, Box<dyn Chart>)> = Vec::new();
    if let Some(map) = data::heatmap(days, &order, size::TEAM_MAX_ATHLETES) {
        let title = format!(
            "Team: cramp-risk band per athlete and day, {} to {}",
            map.first, map.last
        );
        out.push((
            "team-heatmap",
            title.clone(),
            Box::new(HeatmapChart { title, map }),
        ));
    }
    let shown: Vec<Ranked> = ranked
        .iter()
        .take(size::TEAM_MAX_ATHLETES)
        .cloned()
        .collect();
    let title = format!("Team ranking: mean risk of a cramp over the 7 and 28 days to {as_of}");
    out.push((
        "team-ranking",
        title.clone(),
        Box::new(RankingChart {
            title,
            ranked: shown,
            total_athletes: total,
        }),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ranking_axis_follows_the_data() {
        // The top mean 44 → 44 / 0.6 = 73.3 → 75, not the scale's 100.
        assert_eq!(ranking_axis_top([Some(44.0), None, Some(12.0)]), 75.0);
        // 70 / 0.6 = 116.7 → capped at 100; nothing known → the smallest axis, 10.
        assert_eq!(ranking_axis_top([Some(70.0)]), 100.0);
        assert_eq!(ranking_axis_top([None]), 10.0);
    }
}
