//! The numbers of an evaluation, on plain slices (pure, no I/O): AUC by ranks with its
//! bootstrap interval, the Brier score, reliability deciles, and a penalised logistic fit by
//! Newton's method (the calibration slope and intercept, and `calibrate`'s coefficients).
//!
//! Hand-written rather than a crate: the fits have 2 to 22 coefficients, need an offset-free
//! Gaussian prior centred on the model's coefficients (not on 0, as ridge in linfa-logistic
//! or smartcore), and a p×p Cholesky solve is 20 lines; nalgebra or argmin would add a large
//! dependency for that. The fit is tested against statsmodels (tests below).

/// The area under the ROC curve: the probability that a random cramp day has a higher score
/// than a random day without one (ties count ½), computed from ranks (Mann–Whitney U).
/// `None` without at least one day of each kind.
pub fn auc(score: &[f64], cramp: &[bool]) -> Option<f64> {
    let n1 = cramp.iter().filter(|&&c| c).count();
    let n0 = cramp.len() - n1;
    if n1 == 0 || n0 == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| score[a].total_cmp(&score[b]));
    // Average ranks (1-based) over ties.
    let mut rank_sum_cramps = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && score[order[j + 1]] == score[order[i]] {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            if cramp[k] {
                rank_sum_cramps += mean_rank;
            }
        }
        i = j + 1;
    }
    let (n1, n0) = (n1 as f64, n0 as f64);
    Some((rank_sum_cramps - n1 * (n1 + 1.0) / 2.0) / (n1 * n0))
}

/// The Brier score: the mean squared difference between the predicted probability and the
/// outcome (0 or 1). `None` for no days.
pub fn brier(p: &[f64], cramp: &[bool]) -> Option<f64> {
    if p.is_empty() {
        return None;
    }
    let sum: f64 = p
        .iter()
        .zip(cramp)
        .map(|(&p, &c)| (p - if c { 1.0 } else { 0.0 }).powi(2))
        .sum();
    Some(sum / p.len() as f64)
}

/// A 95 % percentile interval of the AUC over `reps` bootstrap resamples of the days (seeded,
/// so a run is reproducible). Resamples without a cramp day or without a day free of one are
/// drawn again. `None` when the AUC itself is undefined.
pub fn auc_interval(score: &[f64], cramp: &[bool], reps: usize, seed: u64) -> Option<(f64, f64)> {
    auc(score, cramp)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let n = score.len();
    let mut aucs = Vec::with_capacity(reps);
    let (mut s, mut c) = (vec![0.0; n], vec![false; n]);
    let mut tries = 0;
    while aucs.len() < reps && tries < reps * 20 {
        tries += 1;
        for k in 0..n {
            let i = rng.usize(0..n);
            s[k] = score[i];
            c[k] = cramp[i];
        }
        if let Some(a) = auc(&s, &c) {
            aucs.push(a);
        }
    }
    if aucs.len() < reps / 2 {
        return None;
    }
    aucs.sort_by(f64::total_cmp);
    let at = |q: f64| aucs[((aucs.len() - 1) as f64 * q).round() as usize];
    Some((at(0.025), at(0.975)))
}

/// One bin of a reliability table.
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    pub mean_predicted: f64,
    pub observed_rate: f64,
    pub n: usize,
    pub cramps: usize,
}

/// The reliability table: the days sorted by predicted probability and cut into `bins`
/// groups of (nearly) equal size — deciles for 10 — each with its mean prediction and its
/// observed cramp rate. Fewer days than bins give one bin per day.
pub fn reliability(p: &[f64], cramp: &[bool], bins: usize) -> Vec<Bin> {
    let n = p.len();
    if n == 0 || bins == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let bins = bins.min(n);
    (0..bins)
        .map(|b| {
            let (lo, hi) = (b * n / bins, (b + 1) * n / bins);
            let idx = &order[lo..hi];
            let cramps = idx.iter().filter(|&&i| cramp[i]).count();
            Bin {
                mean_predicted: idx.iter().map(|&i| p[i]).sum::<f64>() / idx.len() as f64,
                observed_rate: cramps as f64 / idx.len() as f64,
                n: idx.len(),
                cramps,
            }
        })
        .collect()
}

/// A Gaussian prior on the coefficients: coefficient j ~ N(mean[j], 1/precision[j])
/// (precision 0 = no penalty on it).
#[derive(Debug, Clone)]
pub struct Prior {
    pub mean: Vec<f64>,
    pub precision: Vec<f64>,
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub coef: Vec<f64>,
    /// Standard errors from the inverse of the (penalised) information matrix.
    pub se: Vec<f64>,
    pub iterations: usize,
}

/// Fits `logit P(y) = Σ_j coef_j · x_j` by maximum likelihood, penalised by `prior` when
/// given (the posterior mode), with Newton's method; `lower`/`upper` bound each coefficient
/// (a step is clamped to them). `x` is row-major, every row of the same length. Fails when
/// the information matrix is singular (e.g. a column without variation and no prior) or the
/// iterations do not converge.
// Matrix code: indices read as the formulas do.
#[allow(clippy::needless_range_loop)]
pub fn logistic_fit(
    x: &[Vec<f64>],
    y: &[bool],
    prior: Option<&Prior>,
    bounds: Option<(&[f64], &[f64])>,
) -> Result<Fit, String> {
    let p = x.first().map_or(0, Vec::len);
    if p == 0 || x.len() != y.len() {
        return Err("no data to fit".to_string());
    }
    let mut b = match prior {
        Some(pr) => pr.mean.clone(),
        None => vec![0.0; p],
    };
    for it in 1..=100 {
        let (mut grad, mut info) = (vec![0.0; p], vec![vec![0.0; p]; p]);
        for (row, &yi) in x.iter().zip(y) {
            let eta: f64 = row.iter().zip(&b).map(|(a, c)| a * c).sum();
            let mu = 1.0 / (1.0 + (-eta).exp());
            let w = mu * (1.0 - mu);
            let r = if yi { 1.0 } else { 0.0 } - mu;
            for j in 0..p {
                grad[j] += row[j] * r;
                for k in 0..=j {
                    info[j][k] += w * row[j] * row[k];
                }
            }
        }
        if let Some(pr) = prior {
            for j in 0..p {
                grad[j] -= pr.precision[j] * (b[j] - pr.mean[j]);
                info[j][j] += pr.precision[j];
            }
        }
        for j in 0..p {
            for k in 0..j {
                info[k][j] = info[j][k];
            }
        }
        let step = cholesky_solve(&info, &grad)
            .ok_or_else(|| "the fit is singular (a term never varies?)".to_string())?;
        let mut moved = 0.0f64;
        for j in 0..p {
            let mut nb = b[j] + step[j];
            if let Some((lo, hi)) = bounds {
                nb = nb.clamp(lo[j], hi[j]);
            }
            moved = moved.max((nb - b[j]).abs());
            b[j] = nb;
        }
        if moved < 1e-9 {
            let inv = invert(&info).ok_or_else(|| "the fit is singular".to_string())?;
            let se = (0..p).map(|j| inv[j][j].max(0.0).sqrt()).collect();
            return Ok(Fit {
                coef: b,
                se,
                iterations: it,
            });
        }
    }
    Err("the fit did not converge in 100 Newton steps (separated data?)".to_string())
}

/// The lower-triangular Cholesky factor of a symmetric positive-definite matrix.
fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] - s;
                if d <= 1e-12 * a[i][i].abs().max(1e-300) || !d.is_finite() {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// Solves A z = g for symmetric positive-definite A.
fn cholesky_solve(a: &[Vec<f64>], g: &[f64]) -> Option<Vec<f64>> {
    let l = cholesky(a)?;
    let n = g.len();
    let mut z = vec![0.0; n];
    for i in 0..n {
        z[i] = (g[i] - (0..i).map(|k| l[i][k] * z[k]).sum::<f64>()) / l[i][i];
    }
    for i in (0..n).rev() {
        z[i] = (z[i] - (i + 1..n).map(|k| l[k][i] * z[k]).sum::<f64>()) / l[i][i];
    }
    Some(z)
}

fn invert(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut cols = Vec::with_capacity(n);
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        cols.push(cholesky_solve(a, &e)?);
    }
    Some(
        (0..n)
            .map(|i| (0..n).map(|j| cols[j][i]).collect())
            .collect(),
    )
}

/// The calibration intercept and slope: the logistic fit of the outcome on the logit of the
/// predicted risk (a perfectly calibrated model has intercept 0 and slope 1; a slope below 1
/// means the predictions are too extreme).
pub fn calibration_line(logit: &[f64], cramp: &[bool]) -> Result<(f64, f64), String> {
    let x: Vec<Vec<f64>> = logit.iter().map(|&l| vec![1.0, l]).collect();
    let fit = logistic_fit(&x, cramp, None, None)?;
    Ok((fit.coef[0], fit.coef[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small hand-made table: 8 days, 3 with a cramp.
    fn table() -> (Vec<f64>, Vec<bool>) {
        (
            vec![0.05, 0.10, 0.10, 0.20, 0.30, 0.40, 0.40, 0.60],
            vec![false, false, true, false, true, false, true, true],
        )
    }

    /// AUC by its definition (Mann–Whitney): over every (cramp day, other day) pair, 1 when
    /// the cramp day scores higher, ½ on a tie — a separate computation from the ranks.
    #[test]
    fn auc_is_the_mann_whitney_pair_count() {
        let (p, y) = table();
        // Cramp days score 0.10, 0.30, 0.40, 0.60; others 0.05, 0.10, 0.20, 0.40.
        // 0.10 beats 0.05, ties 0.10 → 1.5; 0.30 beats 0.05, 0.10, 0.20 → 3;
        // 0.40 beats 3, ties 0.40 → 3.5; 0.60 beats all 4 → 4. Sum 12 of 16 pairs = 0.75.
        assert_eq!(auc(&p, &y), Some(0.75));
        let mut pairs = 0.0;
        for i in 0..p.len() {
            for j in 0..p.len() {
                if y[i] && !y[j] {
                    pairs += if p[i] > p[j] {
                        1.0
                    } else if p[i] == p[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        }
        assert_eq!(pairs / 16.0, 0.75);
        assert_eq!(auc(&[0.1, 0.2], &[false, false]), None);
    }

    #[test]
    fn brier_by_hand() {
        let (p, y) = table();
        // (0.05² + 0.10² + 0.90² + 0.20² + 0.70² + 0.40² + 0.60² + 0.40²) / 8
        // = (0.0025 + 0.01 + 0.81 + 0.04 + 0.49 + 0.16 + 0.36 + 0.16) / 8 = 2.0325 / 8
        assert!((brier(&p, &y).unwrap() - 0.25406).abs() < 1e-5);
    }

    #[test]
    fn reliability_cuts_equal_groups() {
        let (p, y) = table();
        let bins = reliability(&p, &y, 4);
        // Sorted: (0.05 n, 0.10 n | 0.10 y, 0.20 n | 0.30 y, 0.40 n | 0.40 y, 0.60 y).
        assert_eq!(bins.len(), 4);
        assert_eq!(bins[0].n, 2);
        assert!((bins[0].mean_predicted - 0.075).abs() < 1e-12);
        assert_eq!(bins[3].observed_rate, 1.0);
        assert_eq!(bins.iter().map(|b| b.cramps).sum::<usize>(), 4);
    }

    #[test]
    fn bootstrap_interval_holds_the_auc_and_is_reproducible() {
        let (p, y) = table();
        let a = auc_interval(&p, &y, 500, 1).unwrap();
        assert!(a.0 < 0.75 && 0.75 < a.1, "{a:?}");
        assert_eq!(auc_interval(&p, &y, 500, 1), Some(a));
    }

    /// The reference fit is statsmodels 0.15.0 on the same 12 rows:
    ///
    /// ```python
    /// import statsmodels.api as sm, numpy as np
    /// x = np.array([-3.0,-2.5,-2.0,-1.5,-1.0,-0.5,0.0,0.5,1.0,1.5,2.0,2.5])
    /// y = np.array([0,0,1,0,0,1,0,1,1,0,1,1])
    /// r = sm.Logit(y, sm.add_constant(x)).fit(disp=0); print(r.params, r.bse)
    /// ```
    #[test]
    fn unpenalised_fit_matches_statsmodels() {
        let xs = [
            -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5,
        ];
        let ys = [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1];
        let x: Vec<Vec<f64>> = xs.iter().map(|&v| vec![1.0, v]).collect();
        let y: Vec<bool> = ys.iter().map(|&v| v == 1).collect();
        let fit = logistic_fit(&x, &y, None, None).unwrap();
        let (b, se) = (REF_COEF, REF_SE);
        for j in 0..2 {
            assert!((fit.coef[j] - b[j]).abs() < 1e-4, "{:?}", fit);
            assert!((fit.se[j] - se[j]).abs() < 1e-4, "{:?}", fit);
        }
    }

    /// statsmodels' output for the script above:
    /// `array([0.16495371, 0.65981484]) array([0.66841357, 0.42950034])`.
    const REF_COEF: [f64; 2] = [0.16495371, 0.65981484];
    const REF_SE: [f64; 2] = [0.66841357, 0.42950034];
}
