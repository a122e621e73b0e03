//! The look every chart and report.html share: one colour per band and per factor (Paul Tol's
//! colour-blind-safe schemes), the other series' colours, chart sizes and the bundled font.
//! Colours and sizes only: what a band or a factor means is the model's.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::RGBColor;

use crate::model::{Band, FactorId};

/// The font family every chart text uses. Registered under this exact name with the bundled
/// DejaVu Sans, so PNGs look the same everywhere; SVG viewers read it as a CSS font list
/// ("DejaVu Sans", then any sans-serif).
pub const FONT: &str = "DejaVu Sans, sans-serif";
pub(super) static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

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

/// A band's colour: sequential light → dark (Paul Tol's YlOrBr), so the bands differ in
/// lightness and stay in order for every colour vision and in greyscale print. (What a band
/// means, and its thresholds, is the model's: `model::Band`.)
pub fn band_colour(band: Band) -> RGBColor {
    match band {
        Band::Low => RGBColor(0xFE, 0xE3, 0x91),
        Band::Moderate => RGBColor(0xFB, 0x9A, 0x29),
        Band::High => RGBColor(0xCC, 0x4C, 0x02),
        Band::VeryHigh => RGBColor(0x66, 0x25, 0x06),
    }
}

/// The legend text of the dashed band lines, from the model's thresholds.
pub fn bands_legend() -> String {
    format!(
        "bands at {:.0} / {:.0} / {:.0} %",
        Band::Moderate.lower_pct(),
        Band::High.lower_pct(),
        Band::VeryHigh.lower_pct()
    )
}

/// A band's name as a reader says it.
pub fn band_label(band: Band) -> &'static str {
    match band {
        Band::Low => "low",
        Band::Moderate => "moderate",
        Band::High => "high",
        Band::VeryHigh => "very high",
    }
}

/// A day with no score (no row for that athlete and day).
pub const NO_DATA: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
/// Outline of no-data cells and light chart furniture.
pub const FURNITURE: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
/// Text and the 7-day line.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);

/// One colour per factor: Paul Tol's "muted" qualitative scheme (designed to stay distinct for
/// the common colour-vision deficiencies), plus Tol's light blue for cold and pale greys for
/// the profile factors (predisposition, sex), constant per athlete — a baseline, not a day's
/// event (they are never stacked among a day's effects).
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
    pub const TSB: RGBColor = RGBColor(0x00, 0x99, 0x88);
    /// The whisker of a day's range (what the unknown inputs could move the estimate over).
    pub const RANGE: RGBColor = RGBColor(0x44, 0x44, 0x44);
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
    pub const RISK_HEIGHT: u32 = 700;
    pub const LOAD_HEIGHT: u32 = 760;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_get_lighter_to_darker() {
        // Relative luminance (Rec. 709 weights) must fall strictly from low to very high, so
        // the order reads without hue.
        let lum = |c: RGBColor| 0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64;
        let l: Vec<f64> = Band::ALL.iter().map(|b| lum(band_colour(*b))).collect();
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
    fn hex_is_css() {
        assert_eq!(hex(RGBColor(0xCC, 0x4C, 0x02)), "#cc4c02");
    }
}
