//! Korean won and number display. Money is an integer number of won, never a float.

/// `1234000` → `1,234,000`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
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
