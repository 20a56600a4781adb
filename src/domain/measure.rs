//! Floor areas in square metres: a unit's contract area and how an area is shown.

/// Contract area of a unit: exclusive plus its share of common area.
pub fn contract_area(exclusive: f64, common: f64) -> f64 {
    ((exclusive + common) * 100.0).round() / 100.0
}

/// `12,345.6㎡` with thousands separators.
pub fn format_area(m2: f64) -> String {
    let tenths = (m2 * 10.0).round() as i64;
    let whole = super::money::group_thousands(tenths / 10);
    match tenths % 10 {
        0 => format!("{whole}㎡"),
        d => format!("{whole}.{d}㎡"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_show_one_decimal_with_separators() {
        assert_eq!(format_area(12345.64), "12,345.6㎡");
        assert_eq!(format_area(980.0), "980㎡");
    }

    #[test]
    fn contract_area_is_exclusive_plus_common() {
        assert_eq!(contract_area(33.1, 12.4), 45.5);
    }
}
