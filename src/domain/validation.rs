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

/// `01012345678` → `010-1234-5678` (a stored mobile number as people write it).
pub fn format_mobile(digits: &str) -> String {
    match digits.len() {
        11 => format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
        10 => format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]),
        _ => digits.to_string(),
    }
}

/// Refuses a weak password with the reason, in Korean: 10–128 characters, and hard to guess
/// by zxcvbn's estimate (score 3 of 4, about 10^8 guesses) with the account's own words (its
/// email, the email's local part, the person's name) and the company's name counted as known to
/// an attacker. No composition rule: a long phrase of ordinary words passes, `Password1!` does
/// not.
#[cfg(feature = "ssr")]
pub fn validate_password(password: &str, email: &str, name: &str) -> Result<(), String> {
    use zxcvbn::feedback::Warning;
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
    let email = normalize_email(email);
    let local = email.split('@').next().unwrap_or_default().to_string();
    let inputs = [
        email.as_str(),
        local.as_str(),
        name.trim(),
        "doongji",
        "둥지",
    ];
    // The account's own words are refused outright, whatever else surrounds them.
    let lower = password.to_lowercase();
    let own = [local.as_str(), name.trim()]
        .iter()
        .any(|w| w.chars().count() >= 3 && lower.contains(&w.to_lowercase()));
    if own {
        return Err(
            "비밀번호에 이메일 아이디나 이름을 넣을 수 없습니다. 서로 관계없는 단어 서너 개를 이어 붙이는 식으로 만들어 주세요."
                .into(),
        );
    }
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if estimate.score() >= zxcvbn::Score::Three {
        return Ok(());
    }
    let why = match estimate.feedback().and_then(|f| f.warning()) {
        Some(
            Warning::ThisIsATop10Password
            | Warning::ThisIsATop100Password
            | Warning::ThisIsACommonPassword
            | Warning::ThisIsSimilarToACommonlyUsedPassword,
        ) => "너무 흔한 비밀번호입니다",
        Some(
            Warning::StraightRowsOfKeysAreEasyToGuess
            | Warning::ShortKeyboardPatternsAreEasyToGuess,
        ) => "키보드 배열을 그대로 따라간 비밀번호입니다",
        Some(
            Warning::RepeatsLikeAaaAreEasyToGuess
            | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => "같은 문자나 묶음을 반복한 비밀번호입니다",
        Some(Warning::SequencesLikeAbcAreEasyToGuess) => "abc, 123 같은 연속된 문자입니다",
        Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => {
            "연도나 날짜는 추측하기 쉽습니다"
        }
        Some(
            Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
            | Warning::CommonNamesAndSurnamesAreEasyToGuess,
        ) => "이름은 추측하기 쉽습니다",
        Some(Warning::AWordByItselfIsEasyToGuess) => "단어 하나는 추측하기 쉽습니다",
        None => "추측하기 쉬운 비밀번호입니다",
    };
    Err(format!(
        "{why}. 서로 관계없는 단어 서너 개를 이어 붙이는 식으로 더 길고 예측하기 어렵게 만들어 주세요."
    ))
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

    #[cfg(feature = "ssr")]
    #[test]
    fn refuses_guessable_passwords_with_a_reason() {
        let email = "manager@doongji.kr";
        let check = |p: &str| validate_password(p, email, "김민수");
        assert!(check("").unwrap_err().contains("입력"));
        assert!(check("short1!").unwrap_err().contains("10자"));
        assert!(check(&"a".repeat(129)).unwrap_err().contains("128자"));
        assert!(
            check("Password123").unwrap_err().contains("흔한"),
            "{:?}",
            check("Password123")
        );
        assert!(check("aaaaaaaaaaaa").unwrap_err().contains("반복"));
        assert!(check("qwertyuiop12").is_err());
        assert!(check("1q2w3e4r5t").is_err());
        assert!(check("abcdefghij1").is_err());
        // The account's own words count as known: what would pass for someone else does not.
        let own = "manager-doongji-2026";
        assert!(
            check(own).unwrap_err().contains("이메일"),
            "{:?}",
            check(own)
        );
        assert!(check("김민수김민수1234").is_err());
        // Long and unrelated passes, with no rule about symbols or digits.
        assert!(
            check("tiger-Lake-48").is_ok(),
            "{:?}",
            check("tiger-Lake-48")
        );
        assert!(check("correct horse battery staple").is_ok());
        assert!(check("파란하늘아래고양이가잔다").is_ok());
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

    proptest::proptest! {
        /// Any text typed as a mobile number: refused, or stored as 01X digits that format back
        /// into the same number.
        #[test]
        fn mobile_numbers_parse_without_panic(raw in ".{0,30}") {
            if let Ok(digits) = normalize_mobile(&raw) {
                proptest::prop_assert!(digits.starts_with("01"));
                proptest::prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
                proptest::prop_assert_eq!(normalize_mobile(&format_mobile(&digits)), Ok(digits.clone()));
            }
            let _ = normalize_phone(&raw);
        }

        #[test]
        fn business_numbers_check_without_panic(raw in "[0-9-]{0,14}|.{0,14}") {
            if is_valid_business_number(&raw) {
                let formatted = format_business_number(&raw).expect("a valid number formats");
                proptest::prop_assert!(is_valid_business_number(&formatted));
            }
        }

        #[test]
        fn emails_and_names_validate_without_panic(raw in ".{0,300}") {
            let _ = validate_email(&normalize_email(&raw));
            let _ = validate_name(&raw);
        }
    }
}
