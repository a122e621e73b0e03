//! The PNG backend: plotters' bitmap backend with the charts' text set glyph by glyph at each
//! glyph's own place. plotters 0.3.7 draws ab_glyph text with every glyph moved left by its
//! side bearing and its pen position cut to a whole pixel, so letters sit unevenly (the
//! reliability chart's axis read "ob served"); everything but text is drawn by plotters as before.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, ScaleFont};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// What every PNG chart is drawn on.
pub type Png<'a> = GlyphText<BitMapBackend<'a>>;

/// A backend whose text is drawn by `draw_text` below; all else is the inner backend's.
pub struct GlyphText<B>(pub B);

/// The bundled font, parsed once. Every chart text is in it (`theme::register_font` registers
/// it under each family name the charts ask for).
fn font() -> Result<&'static FontRef<'static>, ab_glyph::InvalidFont> {
    static FONT: OnceLock<Result<FontRef<'static>, ab_glyph::InvalidFont>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(super::theme::FONT_BYTES))
        .as_ref()
        .map_err(Clone::clone)
}

/// Calls `pixel(x, y, coverage)` for every inked pixel of `text` set in the bundled font at
/// `size`, the pen starting at x 0, in plotters' coordinates (a glyph's top at
/// `size / 2 + its top above the baseline`, as plotters sets it, so layouts do not move).
/// Each glyph is outlined at its exact pen position (advances and kerning in fractions of a
/// pixel) and placed by its own bounds, bearing included.
pub fn set_text<E>(
    text: &str,
    size: f64,
    mut pixel: impl FnMut(i32, i32, f32) -> Result<(), E>,
) -> Result<Result<(), E>, ab_glyph::InvalidFont> {
    let font = font()?;
    let scaled = font.as_scaled(size as f32);
    let mut pen = 0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            pen += scaled.kern(p, id);
        }
        previous = Some(id);
        let glyph = id.with_scale_and_position(scaled.scale(), ab_glyph::point(pen, 0.0));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            let left = bounds.min.x as i32;
            let top = (size as f32 / 2.0 + bounds.min.y) as i32;
            let mut inked = Vec::new();
            outline.draw(|x, y, coverage| inked.push((x, y, coverage)));
            for (x, y, coverage) in inked {
                if let Err(e) = pixel(left + x as i32, top + y as i32, coverage.min(1.0)) {
                    return Ok(Err(e));
                }
            }
        }
        pen += scaled.h_advance(id);
    }
    Ok(Ok(()))
}

impl<B: DrawingBackend> DrawingBackend for GlyphText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    /// plotters' own `draw_text` (anchor from the layout box, then the rotation), with the
    /// glyphs set by `set_text`.
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let turn = style.transform();
        let (w, h) = self.get_size();
        let set = set_text(text, style.size(), |x, y, coverage| {
            let (x, y) = turn.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                self.draw_pixel((x, y), color.mix(f64::from(coverage)))
            } else {
                Ok(())
            }
        });
        match set {
            Ok(drawn) => drawn,
            Err(e) => Err(DrawingErrorKind::FontError(Box::new(e))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leftmost inked column of a text set at size `size`.
    fn first_ink(text: &str, size: f64) -> i32 {
        let mut left = i32::MAX;
        set_text::<()>(text, size, |x, _, c| {
            if c > 0.0 {
                left = left.min(x);
            }
            Ok(())
        })
        .unwrap()
        .unwrap();
        left
    }

    /// DejaVu Sans (units per em 2048, ascender 1901, descender −483: an ab_glyph pixel scale
    /// of S sets 2,384 units in S pixels) gives "b" a left side bearing of 186 units and an
    /// advance of 1300, "o" an advance of 1253 (the font's hmtx table, read with fontTools). At
    /// scale 238.4 a unit is 0.1 px: "b" inks from column 18 (18.6 px; plotters put it at 0),
    /// and in "ob" from 125.3 + 18.6 = 143.9 px.
    #[test]
    fn glyphs_keep_their_bearing_and_fractional_pen() {
        assert_eq!(first_ink("b", 238.4), 18);
        let mut columns_of_b = i32::MAX;
        // The "b" of "ob": ink right of the "o"'s advance.
        set_text::<()>("ob", 238.4, |x, _, c| {
            if c > 0.0 && x >= 126 {
                columns_of_b = columns_of_b.min(x);
            }
            Ok(())
        })
        .unwrap()
        .unwrap();
        assert_eq!(columns_of_b, 143);
    }
}
