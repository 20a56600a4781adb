//! Input rules shared by the server (authoritative) and the browser (quick feedback).

/// Normalizes an email for storage and lookup: trimmed, lower case.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A deliberately plain check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn validate_email(email: &str) -> Result<(), String> {
    let email = email.trim();
    if email.is_empty() {
        return Err("이메일을 입력해 주세요.".into());
    }
    if email.len() > 254 {
        return Err("이메일이 너무 깁니다.".into());
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("이메일 형식이 올바르지 않습니다.".into());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@');
    if local.is_empty() || !domain_ok || email.chars().any(char::is_whitespace) {
        return Err("이메일 형식이 올바르지 않습니다.".into());
    }
    Ok(())
}

pub fn validate_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("이름을 입력해 주세요.".into());
    }
    if name.chars().count() > 50 {
        return Err("이름은 50자 이내로 입력해 주세요.".into());
    }
    Ok(())
}

/// A Korean mobile number (for AlimTalk), stored as digits: `010-1234-5678` → `01012345678`.
/// 010 numbers have 11 digits; the old 011/016/017/018/019 numbers 10 or 11.
pub fn normalize_mobile(raw: &str) -> Result<String, String> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '.'))
        .collect();
    let digits = cleaned
        .strip_prefix("+82")
        .map(|d| format!("0{d}"))
        .unwrap_or(cleaned);
    if digits.is_empty() {
        return Err("휴대전화 번호를 입력해 주세요.".into());
    }
    let ok = digits.chars().all(|c| c.is_ascii_digit())
        && match &digits[..digits.len().min(3)] {
            "010" => digits.len() == 11,
            "011" | "016" | "017" | "018" | "019" => matches!(digits.len(), 10 | 11),
            _ => false,
        };
    if ok {
        Ok(digits)
    } else {
        Err("휴대전화 번호 형식이 올바르지 않습니다 (예: 010-1234-5678).".into())
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "1234567890",
    "0123456789",
    "qwertyuiop",
    "qwerty1234",
    "1q2w3e4r5t",
    "1q2w3e4r!",
    "asdfghjkl;",
    "abcd123456",
    "iloveyou12",
    "admin12345",
    "administrator",
    "letmein123",
    "welcome123",
    "doongji123",
    "doongji1234",
];

/// Refuses a weak password with the reason, in Korean. `email` is the account's email: a
/// password that contains its local part is refused.
/// `01012345678` → `010-1234-5678` (a stored mobile number as people write it).
pub fn format_mobile(digits: &str) -> String {
    match digits.len() {
        11 => format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
        10 => format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]),
        _ => digits.to_string(),
    }
}

pub fn validate_password(password: &str, email: &str) -> Result<(), String> {
    let count = password.chars().count();
    if password.trim().is_empty() {
        return Err("비밀번호를 입력해 주세요.".into());
    }
    if count < MIN_PASSWORD_CHARS {
        return Err(format!(
            "비밀번호는 {MIN_PASSWORD_CHARS}자 이상이어야 합니다."
        ));
    }
    if count > MAX_PASSWORD_CHARS {
        return Err(format!(
            "비밀번호는 {MAX_PASSWORD_CHARS}자 이하여야 합니다."
        ));
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err("너무 흔한 비밀번호입니다. 다른 비밀번호를 사용해 주세요.".into());
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return Err("같은 문자만 반복한 비밀번호는 사용할 수 없습니다.".into());
    }
    let kinds = [
        password.chars().any(|c| c.is_alphabetic()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if kinds < 2 {
        return Err("비밀번호에는 문자, 숫자, 특수문자 중 두 종류 이상을 섞어 주세요.".into());
    }
    let local = normalize_email(email);
    let local = local.split('@').next().unwrap_or_default();
    if local.chars().count() >= 4 && lower.contains(local) {
        return Err("비밀번호에 이메일 아이디를 넣을 수 없습니다.".into());
    }
    Ok(())
}

/// 사업자등록번호: 10 digits whose last is a check digit (weights 1,3,7,1,3,7,1,3,5).
pub fn is_valid_business_number(raw: &str) -> bool {
    let digits: Vec<u32> = raw
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()
        .unwrap_or_default();
    if digits.len() != 10 {
        return false;
    }
    const W: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
    let mut sum: u32 = digits.iter().zip(W).map(|(d, w)| d * w).sum();
    sum += digits[8] * 5 / 10;
    (10 - sum % 10) % 10 == digits[9]
}

/// A valid business number as it is stored and shown: `123-45-67890`.
pub fn format_business_number(raw: &str) -> Option<String> {
    if !is_valid_business_number(raw) {
        return None;
    }
    let d: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    Some(format!("{}-{}-{}", &d[..3], &d[3..5], &d[5..]))
}

/// Digits of a Korean phone number (mobile 010…, Seoul 02…, regional 0xx…, 15xx/16xx/18xx).
pub fn normalize_phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let stray = raw
        .chars()
        .any(|c| !(c.is_ascii_digit() || c == '-' || c == ' ' || c == '(' || c == ')' || c == '+'));
    if stray {
        return None;
    }
    let digits = digits
        .strip_prefix("82")
        .map(|d| format!("0{d}"))
        .filter(|_| raw.trim_start().starts_with('+'))
        .unwrap_or(digits);
    let ok = match digits.len() {
        8 => digits.starts_with("15") || digits.starts_with("16") || digits.starts_with("18"),
        9 => digits.starts_with("02"),
        10 | 11 => digits.starts_with('0'),
        _ => false,
    };
    ok.then_some(digits)
}

/// `company` (법인·사업자) or `person` (개인), as clients and tenants are recorded.
pub fn kind_label(kind: &str) -> &'static str {
    if kind == "company" {
        "법인·사업자"
    } else {
        "개인"
    }
}

/// Refuses a text longer than `max` characters, naming the field.
pub fn check_len(e: &mut super::error::FieldErrors, field: &str, v: &str, max: usize, label: &str) {
    if v.chars().count() > max {
        e.insert(
            field.into(),
            format!("{label}은(는) {max}자 이내로 입력해 주세요."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_number_check_digit() {
        assert!(is_valid_business_number("220-81-62517"));
        assert!(is_valid_business_number("2208162517"));
        assert!(!is_valid_business_number("220-81-62518"));
        assert!(!is_valid_business_number("123-45"));
        assert!(!is_valid_business_number("abc-de-fghij"));
    }

    #[test]
    fn phones_are_normalized_to_digits() {
        assert_eq!(
            normalize_phone("010-1234-5678").as_deref(),
            Some("01012345678")
        );
        assert_eq!(
            normalize_phone("02) 555 1234").as_deref(),
            Some("025551234")
        );
        assert_eq!(
            normalize_phone("+82 10 1234 5678").as_deref(),
            Some("01012345678")
        );
        assert_eq!(normalize_phone("1588-1234").as_deref(), Some("15881234"));
        assert_eq!(normalize_phone("12345"), None);
        assert_eq!(normalize_phone("010-1234-567a"), None);
    }

    #[test]
    fn accepts_ordinary_emails_and_refuses_broken_ones() {
        assert!(validate_email("kim@doongji.co.kr").is_ok());
        for bad in [
            "",
            "kim",
            "kim@",
            "@doongji.kr",
            "kim@doongji",
            "k im@a.kr",
            "a@b..kr",
        ] {
            assert!(validate_email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn normalizes_email_case_and_spaces() {
        assert_eq!(normalize_email("  Kim@Doongji.KR "), "kim@doongji.kr");
    }

    #[test]
    fn refuses_weak_passwords_with_a_reason() {
        let email = "manager@doongji.kr";
        assert!(validate_password("", email).unwrap_err().contains("입력"));
        assert!(
            validate_password("short1!", email)
                .unwrap_err()
                .contains("10자")
        );
        assert!(
            validate_password("Password123", email)
                .unwrap_err()
                .contains("흔한")
        );
        assert!(
            validate_password("aaaaaaaaaaaa", email)
                .unwrap_err()
                .contains("반복")
        );
        assert!(
            validate_password("onlyletterswords", email)
                .unwrap_err()
                .contains("두 종류")
        );
        assert!(
            validate_password("manager-2026!", email)
                .unwrap_err()
                .contains("이메일")
        );
        assert!(validate_password("둥지관리-2026년", email).is_ok());
        assert!(validate_password("tiger-Lake-48", email).is_ok());
    }

    #[test]
    fn mobile_numbers_are_stored_as_digits() {
        assert_eq!(
            normalize_mobile("010-1234-5678").as_deref(),
            Ok("01012345678")
        );
        assert_eq!(
            normalize_mobile("+82 10 1234 5678").as_deref(),
            Ok("01012345678")
        );
        assert_eq!(
            normalize_mobile("011-123-4567").as_deref(),
            Ok("0111234567")
        );
        assert!(
            normalize_mobile("010-123-4567").is_err(),
            "010 needs 11 digits"
        );
        assert!(
            normalize_mobile("02-555-1234").is_err(),
            "not a mobile number"
        );
        assert!(normalize_mobile("").is_err());
    }

    #[test]
    fn names_must_be_present_and_short() {
        assert!(validate_name("김둥지").is_ok());
        assert!(validate_name("  ").is_err());
        assert!(validate_name(&"가".repeat(51)).is_err());
    }
}
