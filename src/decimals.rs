//! Numbers printed with a fixed number of decimals, fast and exactly as Rust's formatter
//! prints them: the CSV cells (`push_fixed_bytes`, or `push_fixed` onto a String, with the sign
//! of a zero dropped) and the explanation texts (`Fixed`, the formatter's own output). One home
//! for the rule, whose fast path is checked against the formatter by property tests.

/// `x` with `d` decimals, exactly as `format!("{x:.d$}")` prints it (the binary value rounded
/// half to even), except that a value that rounds to zero has no sign ("-0.0" reads as a sign
/// where there is none).
///
/// Why hand-written: Rust's exact formatter works on big numbers for every cell and was a
/// tenth of a run's CPU (docs/performance.md). The fast path scales by 10^d in one float
/// multiplication (10^d is exact, so the product is within half an ulp of the true x·10^d)
/// and rounds that to an integer. Where the product's fraction is too close to one half for
/// that half-ulp to be ruled out, the product's rounding error, computed exactly by a fused
/// multiply-add, says on which side of the half the true x·10^d lies (exactly on it: half to
/// even). Only a number too large for the arithmetic to be exact (or not finite) goes to the
/// formatter. Property tests check both agree.
#[inline]
pub fn push_fixed(x: f64, d: usize, buf: &mut String) {
    let fast = fast_fixed(x, d, |digits| {
        // Only ASCII digits, a point and a sign were written.
        if let Ok(t) = std::str::from_utf8(digits) {
            buf.push_str(t);
        }
    });
    if fast.is_none() {
        push_formatted(x, d, buf);
    }
}

/// `push_fixed` onto bytes: for the CSV lines, which are bytes on their way to a file. Why:
/// a String takes a number's few ASCII bytes only through `from_utf8`, which for a text so
/// short cost about 70 instructions a number, a thirtieth of a run's (callgrind, 100
/// athletes); bytes are copied as they are.
#[inline]
pub fn push_fixed_bytes(x: f64, d: usize, buf: &mut Vec<u8>) {
    if fast_fixed(x, d, |digits| buf.extend_from_slice(digits)).is_none() {
        let mut text = String::new();
        push_formatted(x, d, &mut text);
        buf.extend_from_slice(text.as_bytes());
    }
}

/// The fast path of `push_fixed` (its doc says how it rounds): the number's text handed to
/// `take`; `None` (and `take` not called) for a number it cannot take, which goes to the
/// formatter (`push_formatted`).
#[inline]
fn fast_fixed<R>(x: f64, d: usize, take: impl FnOnce(&[u8]) -> R) -> Option<R> {
    const POW10: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];
    let p = POW10.get(d).copied().unwrap_or(f64::INFINITY);
    let scaled = x.abs() * p;
    // Below 2^52 the integer part and the fraction are exact; the product's own rounding error
    // is at most scaled·2^-53, so a fraction farther than twice that from 0.5 rounds as x·10^d
    // does.
    if scaled < 4.0e15 {
        // The integer part of a non-negative value below 2^52 by a signed conversion: one
        // instruction each way on x86-64, where the unsigned one (and `f64::floor`, a library
        // call on baseline x86-64) takes several.
        let whole = scaled as i64;
        // Exact wherever its sign is in doubt: near the half the fraction lies within a factor
        // of two of 0.5, so the subtraction loses nothing (farther away it may round, but then
        // its sign is plain).
        let from_half = (scaled - whole as f64) - 0.5;
        let up = if from_half.abs() > scaled * f64::EPSILON + f64::MIN_POSITIVE {
            from_half > 0.0
        } else {
            // x·10^d − scaled, the product's rounding error, is a float, and a fused
            // multiply-add computes it without rounding; the sum below rounds, but a rounded
            // sum keeps the sign of the exact one and is zero only when it is. Formerly the
            // formatter's bignum path, for every value such as 0.25 at one decimal.
            let beyond_half = from_half + x.abs().mul_add(p, -scaled);
            if beyond_half == 0.0 {
                whole % 2 == 1
            } else {
                beyond_half > 0.0
            }
        };
        let n = whole as u64 + u64::from(up);
        return Some(with_digits(n, d, n > 0 && x < 0.0, take));
    }
    None
}

/// `n / 10^d` with `d` decimals (d ≤ 3) handed to `take`: the text built right to left in a
/// buffer on the stack (the fraction's digits and the point, then the integer part two digits
/// at a time), to be appended in one piece. Why: printed through `itoa` and appended in two or
/// three pieces, each piece was a call to `memcpy` of a few bytes; tens of millions of cells
/// per table. The fraction is written for each `d` on its own, not digit by digit in a loop
/// of `d` turns: a number's text was some 90 instructions (callgrind).
#[inline]
fn with_digits<R>(n: u64, d: usize, negative: bool, take: impl FnOnce(&[u8]) -> R) -> R {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let pair = |v: u64| {
        let k = v as usize * 2;
        [PAIRS[k], PAIRS[k + 1]]
    };
    // Up to 20 digits, a point and a sign.
    let mut text = [0u8; 24];
    let (mut v, mut at) = match d {
        0 => (n, 24),
        1 => {
            text[22] = b'.';
            text[23] = b'0' + (n % 10) as u8;
            (n / 10, 22)
        }
        2 => {
            text[21] = b'.';
            text[22..24].copy_from_slice(&pair(n % 100));
            (n / 100, 21)
        }
        _ => {
            let fraction = n % 1000;
            text[20] = b'.';
            text[21] = b'0' + (fraction / 100) as u8;
            text[22..24].copy_from_slice(&pair(fraction % 100));
            (n / 1000, 20)
        }
    };
    while v >= 100 {
        at -= 2;
        text[at..at + 2].copy_from_slice(&pair(v % 100));
        v /= 100;
    }
    if v >= 10 {
        at -= 2;
        text[at..at + 2].copy_from_slice(&pair(v));
    } else {
        at -= 1;
        text[at] = b'0' + v as u8;
    }
    if negative {
        at -= 1;
        text[at] = b'-';
    }
    take(&text[at..])
}

/// The formatter's exact path, for the values the fast path cannot take (too large for its
/// arithmetic to be exact, or not finite): the sign of a zero dropped.
#[cold]
#[inline(never)]
fn push_formatted(x: f64, d: usize, buf: &mut String) {
    use std::fmt::Write as _;
    // `buf` may hold the row so far: only what is appended here is this number.
    let start = buf.len();
    let _ = write!(buf, "{x:.d$}");
    let printed = &buf[start..];
    if printed.starts_with('-') && printed[1..].bytes().all(|c| c == b'0' || c == b'.') {
        buf.remove(start);
    }
}

/// `format!("{x:.d$}")`'s text, through `push_fixed`'s fast path: `Fixed(x, 1)` in a format
/// string prints what `{x:.1}` prints, sign of a zero included. For the explanations, which
/// print a few numbers per factor per day: the formatter's exact path (bignum arithmetic for
/// some values) was about 3 % of a large run's CPU there.
#[derive(Debug, Clone, Copy)]
pub struct Fixed(pub f64, pub usize);

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Fixed(x, d) = *self;
        // The text straight from the stack: through a buffer (formerly a thread-local String)
        // a number cost some 290 instructions (callgrind, 100 athletes).
        let fast = fast_fixed(x, d, |digits| {
            // The fast path drops the sign of a value that prints as zero; the formatter keeps
            // it (a NaN never takes the fast path).
            if x.is_sign_negative() && digits.first() != Some(&b'-') {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(digits).map_err(|_| std::fmt::Error)?)
        });
        match fast {
            Some(written) => written,
            None => write!(f, "{x:.d$}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formatter's own output, with the sign of a zero dropped: what `push_fixed`
    /// must print.
    fn reference(x: f64, d: usize) -> String {
        let s = format!("{x:.d$}");
        if s.starts_with('-') && s[1..].bytes().all(|c| c == b'0' || c == b'.') {
            s[1..].to_string()
        } else {
            s
        }
    }

    /// `push_fixed`'s text, checked to be `push_fixed_bytes`'s bytes.
    fn fast(x: f64, d: usize) -> String {
        let mut b = String::new();
        push_fixed(x, d, &mut b);
        let mut bytes = b"a,".to_vec();
        push_fixed_bytes(x, d, &mut bytes);
        assert_eq!(&bytes[..2], b"a,");
        assert_eq!(&bytes[2..], b.as_bytes(), "{x} {d}");
        b
    }

    #[test]
    fn push_fixed_by_hand() {
        // Exact binary ties round half to even: 0.125 = 1/8 exactly → "0.12"; 2.5 → "2".
        assert_eq!(fast(0.125, 2), "0.12");
        assert_eq!(fast(2.5, 0), "2");
        assert_eq!(fast(3.5, 0), "4");
        // 0.35 is 0.34999999999999997779… in binary → "0.3"; 1.005 is 1.00499999999999989… → "1.00".
        assert_eq!(fast(0.35, 1), "0.3");
        assert_eq!(fast(1.005, 2), "1.00");
        assert_eq!(fast(-0.04, 1), "0.0");
        assert_eq!(fast(-0.06, 1), "-0.1");
        assert_eq!(fast(-1234.5678, 3), "-1234.568");
        assert_eq!(fast(1e300, 1), format!("{:.1}", 1e300));
        // Exact ties decided without the formatter: 0.25 → "0.2", 0.75 → "0.8", 1.0625 →
        // "1.062", −0.25 → "-0.2"; 0.45 is 0.45000000000000001110… → "0.5".
        assert_eq!(fast(0.25, 1), "0.2");
        assert_eq!(fast(0.75, 1), "0.8");
        assert_eq!(fast(1.0625, 3), "1.062");
        assert_eq!(fast(-0.25, 1), "-0.2");
        assert_eq!(fast(0.45, 1), "0.5");
        assert_eq!(fast(0.05, 1), "0.1");
        assert_eq!(fast(4503599627370495.5, 0), "4503599627370496");
    }

    /// `Fixed` prints what the formatter prints, the sign of zero (−0.0, −0.04 at one
    /// decimal) and non-finite values included.
    #[test]
    fn fixed_by_hand() {
        for (x, d) in [
            (-0.04, 1),
            (-0.0, 0),
            (0.0, 2),
            (-0.5, 0),
            (2.5, 0),
            (1.005, 2),
            (-1234.5678, 3),
            (f64::NAN, 1),
            (f64::INFINITY, 0),
            (f64::NEG_INFINITY, 2),
        ] {
            assert_eq!(Fixed(x, d).to_string(), format!("{x:.d$}"), "{x} {d}");
        }
        assert_eq!(Fixed(-0.04, 1).to_string(), "-0.0");
        assert_eq!(format!("×{:.2}", 1.0), format!("×{}", Fixed(1.0, 2)));
    }

    proptest::proptest! {
        #[test]
        fn push_fixed_is_the_formatter(x in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO, d in 0usize..4) {
            proptest::prop_assert_eq!(fast(x, d), reference(x, d));
        }

        /// Values near the rounding boundaries: k/10^d ± a few ulps and exact halves.
        #[test]
        fn push_fixed_near_halves(k in -10_000_000i64..10_000_000, d in 0usize..4, ulps in -3i64..=3) {
            let x = (k as f64 + 0.5) / [1.0, 10.0, 100.0, 1000.0][d];
            let x = f64::from_bits((x.to_bits() as i64 + ulps) as u64);
            proptest::prop_assert_eq!(fast(x, d), reference(x, d));
        }

        /// Large values near halves, up to where the fast path hands over to the formatter
        /// (x·10^d about 4·10^15): their product's fraction is coarse, and the half is decided
        /// by the product's rounding error.
        #[test]
        fn push_fixed_near_halves_of_large_values(k in 1_000_000_000_000i64..4_100_000_000_000_000, d in 0usize..4, ulps in -3i64..=3) {
            let x = (k as f64 + 0.5) / [1.0, 10.0, 100.0, 1000.0][d];
            let x = f64::from_bits((x.to_bits() as i64 + ulps) as u64);
            proptest::prop_assert_eq!(fast(x, d), reference(x, d));
            proptest::prop_assert_eq!(fast(-x, d), reference(-x, d));
        }

        #[test]
        fn fixed_is_the_formatter(x in proptest::num::f64::ANY, d in 0usize..5) {
            proptest::prop_assert_eq!(Fixed(x, d).to_string(), format!("{x:.d$}"));
        }

        /// Small values either side of zero, where the sign is kept or dropped.
        #[test]
        fn fixed_near_zero(k in -2_000i64..2_000, d in 0usize..4) {
            let x = k as f64 / 1e5;
            proptest::prop_assert_eq!(Fixed(x, d).to_string(), format!("{x:.d$}"));
        }
    }
}
