//! How a posted form's values are read: a checkbox, and numbers in a form struct that a server
//! function takes whole (`#[server(flatten)]`). A flattened struct is read through a buffer
//! that keeps every value as text, so its number fields are parsed from text here.

use serde::{Deserialize, Deserializer};
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// Reads a number from a form value (text) or from a number.
pub fn number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    struct Visit<T>(PhantomData<T>);
    impl<T: FromStr> serde::de::Visitor<'_> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            v.trim()
                .parse()
                .map_err(|_| E::custom(format!("not a number: {v}")))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
    }
    d.deserialize_any(Visit(PhantomData))
}

/// A checkbox as a bool field of a flattened form (use with `#[serde(default)]`): ticked when
/// present and not `false`.
pub fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Visit;
    impl serde::de::Visitor<'_> for Visit {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a checkbox")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
            Ok(!v.is_empty() && v != "false")
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
    }
    d.deserialize_any(Visit)
}

/// An optional number of a flattened form (use with `#[serde(default)]`): empty text is none.
pub fn optional_number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    let v: Option<String> = Option::deserialize(d)?;
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse()
            .map(Some)
            .map_err(|_| <D::Error as serde::de::Error>::custom(format!("not a number: {t}"))),
    }
}

/// The values of a multi-choice field as one comma-separated text: check boxes named
/// `field[]` post one value each (a sequence), and a script may post `1,2,3` in one value.
pub fn choices<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct Visit;
    impl<'de> serde::de::Visitor<'de> for Visit {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of ids")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
            let mut all = Vec::new();
            while let Some(v) = seq.next_element::<Choice>()? {
                all.push(v.0);
            }
            Ok(all.join(","))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            // `field[0]=…&field[1]=…` arrives as a map of index → value.
            let mut all = std::collections::BTreeMap::new();
            while let Some((k, v)) = map.next_entry::<String, Choice>()? {
                all.insert(k.parse::<u32>().unwrap_or(u32::MAX), v.0);
            }
            Ok(all.into_values().collect::<Vec<_>>().join(","))
        }
    }
    /// One value of a multi-choice field, as text.
    struct Choice(String);
    impl<'de> Deserialize<'de> for Choice {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Visit).map(Choice)
        }
    }
    d.deserialize_any(Visit)
}

/// A comma-separated list of ids, as a multi-choice field posts it.
pub fn id_list(raw: &str) -> Result<Vec<i64>, std::num::ParseIntError> {
    raw.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>())
        .collect()
}

/// A change of an existing record: its id posted beside the form's fields.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct Change<T> {
    #[serde(deserialize_with = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub fields: T,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Inner {
        #[serde(deserialize_with = "number")]
        floors: i32,
        name: String,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Outer {
        #[serde(deserialize_with = "number")]
        id: i64,
        #[serde(flatten)]
        inner: Inner,
    }

    #[test]
    fn flattened_numbers_are_read_from_text() {
        let v: Outer = serde_json::from_str(r#"{"id":"7","floors":"5","name":"망원"}"#).unwrap();
        assert_eq!(v.id, 7);
        assert_eq!(v.inner.floors, 5);
        let err = serde_json::from_str::<Outer>(r#"{"id":"x","floors":"5","name":"a"}"#);
        assert!(err.is_err());
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Boxes {
        #[serde(default, deserialize_with = "checkbox")]
        a: bool,
        #[serde(default, deserialize_with = "checkbox")]
        b: bool,
        #[serde(default, deserialize_with = "optional_number")]
        n: Option<i64>,
    }

    #[test]
    fn checkboxes_and_optional_numbers() {
        let v: Boxes = serde_json::from_str(r#"{"a":"on","n":""}"#).unwrap();
        assert_eq!(
            v,
            Boxes {
                a: true,
                b: false,
                n: None
            }
        );
        let v: Boxes = serde_json::from_str(r#"{"a":"false","b":true,"n":"12"}"#).unwrap();
        assert_eq!(
            v,
            Boxes {
                a: false,
                b: true,
                n: Some(12)
            }
        );
        assert_eq!(id_list(" 3, 4,,5 ").unwrap(), vec![3, 4, 5]);
        assert!(id_list("3,x").is_err());
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Chosen {
        #[serde(default, deserialize_with = "choices")]
        ids: String,
        #[serde(flatten)]
        rest: std::collections::BTreeMap<String, String>,
    }

    #[test]
    fn choices_are_read_from_boxes_indexes_or_one_text() {
        let read = |json: &str| serde_json::from_str::<Chosen>(json).unwrap().ids;
        assert_eq!(read(r#"{"ids":["3","7"]}"#), "3,7", "check boxes `ids[]`");
        assert_eq!(
            read(r#"{"ids":{"1":"7","0":"3"}}"#),
            "3,7",
            "`ids[0]`, `ids[1]`"
        );
        assert_eq!(read(r#"{"ids":"3,7"}"#), "3,7", "one comma-separated value");
        assert_eq!(read(r#"{"ids":[4]}"#), "4");
        assert_eq!(read(r#"{"other":"x"}"#), "", "no box checked");
        assert_eq!(id_list(&read(r#"{"ids":["3","7"]}"#)).unwrap(), vec![3, 7]);
    }

    #[cfg(feature = "ssr")]
    #[derive(Debug, serde::Deserialize)]
    struct Probe {
        #[serde(deserialize_with = "number")]
        n: i64,
        #[serde(default, deserialize_with = "optional_number")]
        o: Option<u32>,
        #[serde(default, deserialize_with = "checkbox")]
        c: bool,
    }

    #[cfg(feature = "ssr")]
    proptest::proptest! {
        /// Any form body: decoded or refused, never a panic; numbers read as written.
        #[test]
        fn form_bodies_decode_without_panic(n in ".{0,24}", o in ".{0,12}", c in ".{0,6}") {
            let body = serde_urlencoded::to_string([("n", &n), ("o", &o), ("c", &c)]).unwrap();
            if let Ok(p) = serde_urlencoded::from_str::<Probe>(&body) {
                proptest::prop_assert_eq!(n.trim().parse::<i64>().ok(), Some(p.n));
                let _ = (p.o, p.c);
            }
            let _ = id_list(&n);
        }
    }
}
