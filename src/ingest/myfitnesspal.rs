//! MyFitnessPal's "Nutrition Summary" export (`Nutrition-Summary-….csv`): one row per day and
//! meal with `Date,Meal,Calories,…,Sodium (mg),Potassium,…`. Sodium and potassium become the
//! canonical food table; the export has no water column, so it gives no fluids.

use super::checks::limits;
use super::format::{in_range, opt, req, starts, Ctx, Field, Format, Recognise, Table};
use super::types::Kind;
use crate::dates;

/// MyFitnessPal's Nutrition Summary export.
pub static FORMAT: Format = Format {
    name: "myfitnesspal",
    kind: Some(Kind::Food),
    recognise: Recognise::Header(FIELDS),
    read,
    locate_header: None,
    checks_own_rows: false,
};

pub const FIELDS: &[Field] = &[
    req("date", &["Date"]),
    req("meal", &["Meal"]),
    req("calories", &["Calories"]),
    starts("sodium", &["Sodium"], true),
    starts("potassium", &["Potassium"], false),
    // Some exports carry the time a meal was logged; two snacks then differ by it.
    opt("time", &["Time"]),
    // Not read; known columns of the export that make the detection surer.
    starts("fat", &["Fat"], false),
    starts("carbohydrates", &["Carbohydrates"], false),
    starts("protein", &["Protein"], false),
    opt("fiber", &["Fiber"]),
    opt("sugar", &["Sugar"]),
    opt("cholesterol", &["Cholesterol"]),
];

/// Milligrams per unit of a nutrient column, from the unit its header names: MyFitnessPal
/// writes `Sodium (mg)` and a bare `Potassium`, both in mg. Another unit in the header is
/// not guessed.
fn mg_per_unit(header: &str) -> Result<f64, String> {
    let Some(open) = header.rfind('(') else {
        return Ok(1.0);
    };
    let unit = header[open..]
        .trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace())
        .to_lowercase();
    match unit.as_str() {
        "mg" => Ok(1.0),
        "g" => Ok(1000.0),
        _ => Err(format!(
            "column {header:?}: unit {unit:?} is not mg or g, so its values are not read"
        )),
    }
}

pub fn read(ctx: &mut Ctx, t: &Table) {
    let (header, m, data) = (t.header, t.mapping, t.data);
    let unit = |concept: &str| m.header(header, concept).map(mg_per_unit).transpose();
    let (sodium_unit, potassium_unit) = (unit("sodium"), unit("potassium"));
    ctx.report.units = Some(match (&sodium_unit, &potassium_unit) {
        (Ok(_), Ok(_)) => {
            "sodium and potassium in mg per meal (mg when the header names no unit)".to_string()
        }
        (Err(e), _) | (_, Err(e)) => e.clone(),
    });
    ctx.report.time_zone = Some("the account's local days".into());
    if m.index("potassium").is_none() {
        ctx.note("no Potassium column: potassium is unknown");
    }
    for rec in data {
        let result = (|| {
            let t = m.cell(rec, "date").ok_or("Date is empty")?;
            let date =
                dates::parse_date(t).ok_or_else(|| format!("Date {t:?} is not YYYY-MM-DD"))?;
            let meal = m.cell(rec, "meal").ok_or("Meal is empty")?.trim();
            let meal = match m.cell(rec, "time") {
                Some(time) => format!("{meal} {}", time.trim()),
                None => meal.to_string(),
            };
            let nutrient = |concept: &str, label: &str, per: &Result<Option<f64>, String>| {
                let Some(x) = ctx.num(m, rec, concept)? else {
                    return Ok::<_, String>(None);
                };
                let per = per.clone()?.unwrap_or(1.0);
                in_range(&format!("{label} (mg)"), x * per, limits::MEAL_MG).map(Some)
            };
            let sodium = nutrient("sodium", "Sodium", &sodium_unit)?;
            let potassium = nutrient("potassium", "Potassium", &potassium_unit)?;
            let src = ctx.src(rec.line);
            ctx.canonical
                .add_meal(ctx.athlete.clone(), date, meal, sodium, potassium, src)
        })();
        ctx.account(rec.line, result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nutrient_units_from_headers() {
        assert_eq!(mg_per_unit("Sodium (mg)"), Ok(1.0));
        assert_eq!(mg_per_unit("Potassium"), Ok(1.0));
        assert_eq!(mg_per_unit("Sodium (g)"), Ok(1000.0));
        assert!(mg_per_unit("Sodium (%DV)").is_err());
    }
}
