//! The small HTML pieces every page of the report shares: escaping input text, numbers and
//! risk ranges as text, the band chip and the table cell that turns into a card line on a phone.

use std::fmt::Write as _;

use crate::charts::theme::band_label;
use crate::model::Band;
use crate::view::Day;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Bidi overrides and control characters are shown escaped first (`safe_text`).
    for c in crate::safe_text::html_text(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number with fixed decimals; unknown is a dash, never 0.
pub(crate) fn fmt_num(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| format!("{x:.decimals$}"))
        .unwrap_or_else(|| "–".to_string())
}

/// "26.0 % (23.2–33.1)": the estimate and the range its unknown inputs leave.
pub(crate) fn risk_text(d: &Day) -> String {
    match (d.risk_pct, d.risk_low_pct, d.risk_high_pct) {
        (Some(p), Some(lo), Some(hi)) if hi > lo => format!("{p:.1} % ({lo:.1}–{hi:.1})"),
        (Some(p), _, _) => format!("{p:.1} %"),
        _ => "–".to_string(),
    }
}

/// The band as a coloured chip (`unknown` when the day has no estimate).
pub(crate) fn band_chip(band: Option<Band>) -> String {
    match band {
        Some(b) => format!(
            r#"<span class="band band-{}">{}</span>"#,
            b.name(),
            band_label(b)
        ),
        None => r#"<span class="band">unknown</span>"#.to_string(),
    }
}

/// A table cell that becomes a labelled line of a card on a narrow screen.
pub(crate) fn cell(out: &mut String, label: &str, class: &str, content: &str) {
    let _ = write!(
        out,
        r#"<td data-label="{label}"{}>{content}</td>"#,
        if class.is_empty() {
            String::new()
        } else {
            format!(r#" class="{class}""#)
        }
    );
}
