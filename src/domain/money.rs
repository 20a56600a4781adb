//! Korean won and number display. Money is an integer number of won, never a float.

/// `1234000` → `1,234,000`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1,234,000원`.
pub fn format_won(won: i64) -> String {
    format!("{}원", group_thousands(won))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn won_has_thousands_separators() {
        assert_eq!(format_won(1_234_000), "1,234,000원");
        assert_eq!(format_won(0), "0원");
        assert_eq!(format_won(-5_000), "-5,000원");
        assert_eq!(group_thousands(999), "999");
    }
}

/// A won amount as typed: `1,234,000`, `1,234,000원`, ` 500 ` (no decimals, no sign other
/// than a leading minus).
pub fn parse_won(s: &str) -> Option<i64> {
    let cleaned: String = s
        .trim()
        .trim_end_matches('원')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    cleaned.parse().ok()
}

/// VAT (부가세) is 10% of the supply amount, with fractions of a won cut off (원 미만 절사):
/// toward zero, so a refund or credit (a negative amount) carries the same VAT as the charge it
/// undoes. This is the one place the rounding rule is written.
pub fn vat_of(supply: i64) -> i64 {
    supply / 10
}

/// Splits `total` over `weights` so that the shares add up exactly to `total`: each share is
/// rounded down, and the won left over go one by one to the largest remainders (ties to the
/// earlier share). All weights zero splits equally.
pub fn allocate(total: i64, weights: &[u64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let equal: Vec<u64>;
    let weights = if weights.iter().all(|w| *w == 0) {
        equal = vec![1; weights.len()];
        &equal[..]
    } else {
        weights
    };
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    let sign = if total < 0 { -1 } else { 1 };
    let abs = u128::from(total.unsigned_abs());
    let mut shares: Vec<(usize, u128, u128)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let exact = abs * u128::from(*w);
            (i, exact / sum, exact % sum)
        })
        .collect();
    let assigned: u128 = shares.iter().map(|s| s.1).sum();
    let mut left = abs - assigned;
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| shares[*b].2.cmp(&shares[*a].2).then(a.cmp(b)));
    for i in order {
        if left == 0 {
            break;
        }
        shares[i].1 += 1;
        left -= 1;
    }
    shares.iter().map(|s| sign * s.1 as i64).collect()
}

#[cfg(test)]
mod allocation_tests {
    use super::*;

    #[test]
    fn won_is_read_as_typed() {
        assert_eq!(parse_won("1,234,000원"), Some(1_234_000));
        assert_eq!(parse_won(" 500 "), Some(500));
        assert_eq!(parse_won("-5"), Some(-5));
        assert_eq!(parse_won("1.5"), None);
        assert_eq!(parse_won(""), None);
    }

    #[test]
    fn vat_is_ten_percent_rounded_down() {
        assert_eq!(vat_of(1_234_567), 123_456);
        assert_eq!(vat_of(9), 0);
        assert_eq!(vat_of(0), 0);
    }

    #[test]
    fn vat_of_a_credit_mirrors_the_charge() {
        assert_eq!(vat_of(-15), -1);
        assert_eq!(vat_of(-1_234_567), -123_456);
        for n in [1, 9, 10, 15, 99_999, 1_234_567] {
            assert_eq!(vat_of(-n), -vat_of(n));
        }
    }

    #[test]
    fn shares_add_up_exactly() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(
            allocate(1_000_001, &[3356, 2210, 4434]).iter().sum::<i64>(),
            1_000_001
        );
        assert_eq!(allocate(10, &[0, 0]), vec![5, 5]);
        assert_eq!(allocate(-7, &[1, 1]), vec![-4, -3]);
        for total in [0, 1, 999, 123_456_789] {
            let w = [17, 0, 5, 999, 3];
            assert_eq!(allocate(total, &w).iter().sum::<i64>(), total);
        }
    }
}
