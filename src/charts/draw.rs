//! Drawing helpers shared by the athlete and team charts: text styles in the bundled font, the
//! legend column right of every plot, and lines that break where values are unknown.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::theme::{size, FONT, INK};

/// Turns a plotters error (generic over the backend) into an anyhow error.
pub trait Drawn<T> {
    fn drawn(self) -> anyhow::Result<T>;
}

impl<T, E: std::fmt::Display> Drawn<T> for Result<T, E> {
    fn drawn(self) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::anyhow!("drawing a chart: {e}"))
    }
}

pub fn text(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

pub fn title_style() -> TextStyle<'static> {
    text(size::TITLE)
}

/// How a legend entry is marked.
pub enum Mark {
    Box(RGBColor),
    /// A box with a thin outline (for light colours that would vanish on white).
    OutlinedBox(RGBColor),
    Line(RGBColor, u32),
    /// An unfilled box of the given half-height (pixels).
    Frame(i32),
    Dashed(RGBColor),
    /// A dot (a cramp day's marker): filled, or a ring.
    Dot(RGBColor, bool),
    /// A heading line, no mark.
    Heading,
}

/// Draws the legend column: one entry per line, top to bottom.
pub fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: i32,
    entries: &[(String, Mark)],
) -> anyhow::Result<()> {
    let line = size::LEGEND as i32 + 8;
    let left = 8;
    let label_style = text(size::LEGEND).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (label, mark)) in entries.iter().enumerate() {
        let y = top + i as i32 * line;
        let text_x = match mark {
            Mark::Heading => left,
            _ => left + 30,
        };
        match mark {
            Mark::Box(c) => {
                area.draw(&Rectangle::new(
                    [(left, y - 7), (left + 22, y + 7)],
                    c.filled(),
                ))
                .drawn()?;
            }
            Mark::OutlinedBox(c) => {
                area.draw(&Rectangle::new(
                    [(left, y - 7), (left + 22, y + 7)],
                    c.filled(),
                ))
                .drawn()?;
                area.draw(&Rectangle::new(
                    [(left, y - 7), (left + 22, y + 7)],
                    super::theme::FURNITURE.stroke_width(1),
                ))
                .drawn()?;
            }
            Mark::Frame(half) => {
                area.draw(&Rectangle::new(
                    [(left, y - half), (left + 22, y + half)],
                    INK.stroke_width(1),
                ))
                .drawn()?;
            }
            Mark::Line(c, w) => {
                area.draw(&PathElement::new(
                    vec![(left, y), (left + 22, y)],
                    c.stroke_width(*w),
                ))
                .drawn()?;
            }
            Mark::Dashed(c) => {
                for x in [left, left + 9, left + 18] {
                    area.draw(&PathElement::new(
                        vec![(x, y), (x + 5, y)],
                        c.stroke_width(1),
                    ))
                    .drawn()?;
                }
            }
            Mark::Dot(c, filled) => {
                area.draw(&Circle::new(
                    (left + 11, y),
                    CRAMP_DOT,
                    dot_style(*c, *filled),
                ))
                .drawn()?;
            }
            Mark::Heading => {}
        }
        area.draw(&Text::new(label.clone(), (text_x, y), label_style.clone()))
            .drawn()?;
    }
    Ok(())
}

/// The radius (pixels) of a cramp day's dot.
pub const CRAMP_DOT: i32 = 6;

/// A dot's style: filled (a logged cramp), or a ring (a mention, less sure than a log).
pub fn dot_style(colour: RGBColor, filled: bool) -> ShapeStyle {
    if filled {
        colour.filled()
    } else {
        colour.stroke_width(2)
    }
}

/// Splits a series into runs of known values, so a line breaks at unknown days instead of
/// bridging them (or dropping to zero).
pub fn known_runs(points: impl IntoIterator<Item = (f64, Option<f64>)>) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let mut last_x: Option<f64> = None;
    for (x, y) in points {
        // A missing row (a gap of more than a day) breaks the line too.
        let adjacent = last_x.is_some_and(|l| (x - l - 1.0).abs() < 1e-9);
        if !adjacent && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        match y {
            Some(v) => current.push((x, v)),
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
        last_x = Some(x);
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Above this many points a line is drawn one pixel wide (a plot is about 900 pixels wide).
const DENSE_POINTS: usize = 450;

/// Draws a line that breaks at unknown values; a lone known value is drawn as a dot.
pub fn broken_line<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    points: impl IntoIterator<Item = (f64, Option<f64>)>,
    colour: RGBColor,
    width: u32,
) -> anyhow::Result<()>
where
    DB: DrawingBackend,
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let runs = known_runs(points);
    // plotters joins thick polylines with mitres; with more points than pixels (years of
    // days), sharp turns between neighbouring points grow mitre spikes far outside the plot.
    // Such lines are drawn one pixel wide.
    let count: usize = runs.iter().map(Vec::len).sum();
    let width = if count > DENSE_POINTS { 1 } else { width };
    for run in runs {
        if run.len() == 1 {
            chart
                .draw_series(
                    run.iter()
                        .map(|&p| Circle::new(p, width + 1, colour.filled())),
                )
                .drawn()?;
        } else {
            chart
                .draw_series(LineSeries::new(run, colour.stroke_width(width)))
                .drawn()?;
        }
    }
    Ok(())
}

/// The largest known value, for an axis's upper end (at least `floor`), with headroom.
pub fn axis_top(values: impl IntoIterator<Item = Option<f64>>, floor: f64) -> f64 {
    let max = values
        .into_iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold(floor, f64::max);
    max * 1.08
}

/// Nice tick steps for an axis up to `top`.
pub fn steps_for(top: f64) -> Vec<f64> {
    let mut steps = Vec::new();
    let mut unit = 10f64.powf(top.max(1e-9).log10().floor() - 1.0);
    for _ in 0..4 {
        for m in [10.0, 5.0, 2.0, 1.0] {
            steps.push(unit * m * 10.0);
        }
        unit /= 10.0;
    }
    steps.sort_by(|a, b| b.total_cmp(a));
    steps.dedup();
    steps
}

/// Shortens a name for an axis label.
pub fn short_name(name: &str, max_chars: usize) -> String {
    if name.chars().count() <= max_chars {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(max_chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_break_at_unknowns_and_missing_days() {
        let runs = known_runs([
            (1.0, Some(1.0)),
            (2.0, Some(2.0)),
            (3.0, None),
            (4.0, Some(4.0)),
            (6.0, Some(6.0)), // day 5 has no row
            (7.0, Some(7.0)),
        ]);
        assert_eq!(
            runs,
            vec![
                vec![(1.0, 1.0), (2.0, 2.0)],
                vec![(4.0, 4.0)],
                vec![(6.0, 6.0), (7.0, 7.0)],
            ]
        );
    }

    #[test]
    fn names_are_shortened_with_an_ellipsis() {
        assert_eq!(short_name("ana", 5), "ana");
        assert_eq!(short_name("Alexandra", 5), "Alex…");
    }

    #[test]
    fn steps_include_round_values_around_the_top() {
        let s = steps_for(3400.0);
        assert!(
            s.contains(&1000.0) && s.contains(&500.0) && s.contains(&200.0),
            "{s:?}"
        );
    }
}
