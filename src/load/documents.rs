//! The typed front matter of every kind of source file: the public content format.
//!
//! Field names here are what editors write (documented in `docs/content.md`). Every struct
//! denies unknown fields so a typo is an error with a "did you mean" hint rather than a
//! silently ignored value; free-form data goes under `extra:`. Values stay close to what was
//! written (text stays text); their meaning — dates, names resolved to entities — is worked out
//! by the model stage, which can point back here through the key positions we keep.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Text that may have been written as any YAML scalar: `edition: 5`, `zip: 0123` or
/// `time: 14.30` are read as the text the editor wrote, character for character (asked for
/// text, the YAML reader hands over a scalar as written: read as a number first, `14.30`
/// would come back as `14.3` and `0o17` as `15`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

/// A list that may also be written as a single item: `organizers: Agency` or
/// `organizers: [Agency, Foundation]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OneOrMany<T>, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list, or a single value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(de::value::StrDeserializer::new(v)).map(|t| OneOrMany(vec![t]))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }
            // A single value that YAML reads as a number or a yes/no (`topics: 2025`): by
            // now it may not be what was written (`0o17` is 15, `1.50` is 1.5), so it is
            // not guessed back; quoted, or in a list, it is read as written.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Err(number_alone(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Err(number_alone(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Err(number_alone(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Err(E::custom(format_args!(
                    "`{v}` alone reads as yes/no here: put the value in quotes, or in a list, to keep it as written"
                )))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The error for a number written where a list or a single value goes.
fn number_alone<E: de::Error>(v: impl fmt::Display) -> E {
    E::custom(format_args!(
        "`{v}` alone reads as a number here, which may not be what was written: put the value in quotes, or in a list, to keep it as written"
    ))
}

/// `content/forums/**/*.md`: one report of one forum.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFront {
    pub title: Option<Text>,
    pub date: Option<Text>,
    pub end: Option<Text>,
    pub status: Option<Text>,
    pub series: Option<Text>,
    pub theme: Option<Text>,
    pub venue: Option<Text>,
    pub city: Option<Text>,
    pub country: Option<Text>,
    #[serde(default)]
    pub organizers: OneOrMany<Text>,
    #[serde(default)]
    pub partners: OneOrMany<Text>,
    #[serde(default)]
    pub speakers: OneOrMany<AppearanceFront>,
    #[serde(default)]
    pub topics: OneOrMany<Text>,
    #[serde(default)]
    pub sessions: OneOrMany<SessionFront>,
    pub source: Option<SourceFront>,
    pub summary: Option<Text>,
    pub image: Option<Text>,
    pub slug: Option<Text>,
    #[serde(default)]
    pub aliases: OneOrMany<Text>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default, deserialize_with = "unique::extra")]
    pub extra: Extra,
}

/// Free-form data passed to templates untouched.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Maps that refuse a key given twice. serde's own maps keep the last value silently: a second
/// `livestream:` under `extra:`, or a topic named twice under `topic_names:`, lost the first
/// without a word. The error reads as serde's for a struct's field given twice, so it is told
/// the same way (`load::yaml_errors`).
pub mod unique {
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::collections::BTreeMap;

    fn twice<E: de::Error>(key: &str) -> E {
        E::custom(format_args!("duplicate field `{key}`"))
    }

    /// A map of names (`topic_names:`, `series_names:`).
    pub fn map<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
    where
        D: Deserializer<'de>,
        V: Deserialize<'de>,
    {
        struct Names<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Names<V> {
            type Value = BTreeMap<String, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(BTreeMap::new())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<String, V>()? {
                    if out.contains_key(&key) {
                        return Err(twice(&key));
                    }
                    out.insert(key, value);
                }
                Ok(out)
            }
        }
        d.deserialize_any(Names(std::marker::PhantomData))
    }

    /// `extra:`, at every depth.
    pub fn extra<'de, D: Deserializer<'de>>(d: D) -> Result<super::Extra, D::Error> {
        match Json::deserialize(d)?.0 {
            serde_json::Value::Object(map) => Ok(map),
            serde_json::Value::Null => Ok(super::Extra::new()),
            _ => Err(de::Error::custom("invalid type: expected a map")),
        }
    }

    /// A JSON value read from YAML, refusing a key given twice in any of its maps.
    struct Json(serde_json::Value);

    impl<'de> Deserialize<'de> for Json {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
            d.deserialize_any(JsonVisitor)
        }
    }

    struct JsonVisitor;

    impl<'de> Visitor<'de> for JsonVisitor {
        type Value = Json;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
            Ok(Json(v.into()))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
            Ok(Json(v.into()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
            Ok(Json(v.into()))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
            Ok(Json(
                serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into),
            ))
        }
        fn visit_str<E>(self, v: &str) -> Result<Json, E> {
            Ok(Json(v.into()))
        }
        fn visit_string<E>(self, v: String) -> Result<Json, E> {
            Ok(Json(v.into()))
        }
        fn visit_unit<E>(self) -> Result<Json, E> {
            Ok(Json(serde_json::Value::Null))
        }
        fn visit_none<E>(self) -> Result<Json, E> {
            Ok(Json(serde_json::Value::Null))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
            Json::deserialize(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
            let mut items = Vec::new();
            while let Some(Json(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Json(items.into()))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
            let mut out = serde_json::Map::new();
            while let Some((key, Json(value))) = map.next_entry::<String, Json>()? {
                if out.contains_key(&key) {
                    return Err(twice(&key));
                }
                out.insert(key, value);
            }
            Ok(Json(out.into()))
        }
    }
}

/// One person's part in a forum: `- name: Aygun Aliyeva` with title, organization and role,
/// or just `- Aygun Aliyeva`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppearanceFront {
    pub name: Option<Text>,
    pub title: Option<Text>,
    pub organization: Option<Text>,
    pub role: Option<Text>,
    pub topic: Option<Text>,
    /// `privacy:` for this appearance only (docs/privacy.md).
    pub privacy: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppearanceMap {
    name: Option<Text>,
    title: Option<Text>,
    organization: Option<Text>,
    role: Option<Text>,
    topic: Option<Text>,
    privacy: Option<Text>,
}

/// Written as the map it is read from (also in the document cache, whose encoding writes
/// other structs as lists), with the keys that have a value.
fn serialize_as_map<S: serde::Serializer>(
    s: S,
    fields: &[(&str, Option<&Text>)],
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let present = fields.iter().filter(|(_, v)| v.is_some());
    let mut map = s.serialize_map(Some(present.clone().count()))?;
    for (key, value) in present {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

impl Serialize for AppearanceFront {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_as_map(
            s,
            &[
                ("name", self.name.as_ref()),
                ("title", self.title.as_ref()),
                ("organization", self.organization.as_ref()),
                ("role", self.role.as_ref()),
                ("topic", self.topic.as_ref()),
                ("privacy", self.privacy.as_ref()),
            ],
        )
    }
}

impl<'de> Deserialize<'de> for AppearanceFront {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AppearanceFront, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AppearanceFront;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a speaker: a name, or a map with `name`, `title`, `organization`, `role`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AppearanceFront, E> {
                Ok(AppearanceFront {
                    name: Some(Text(v.to_string())),
                    ..AppearanceFront::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AppearanceFront, A::Error> {
                let m = AppearanceMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(AppearanceFront {
                    name: m.name,
                    title: m.title,
                    organization: m.organization,
                    role: m.role,
                    topic: m.topic,
                    privacy: m.privacy,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A panel or session inside a forum, with its own speakers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFront {
    pub title: Option<Text>,
    pub time: Option<Text>,
    pub summary: Option<Text>,
    pub moderator: Option<AppearanceFront>,
    #[serde(default)]
    pub speakers: OneOrMany<AppearanceFront>,
}

/// Where a report comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFront {
    pub publisher: Option<Text>,
    pub title: Option<Text>,
    pub date: Option<Text>,
    pub url: Option<Text>,
}

/// A link on a profile: `- https://...` or `- { label: Website, url: https://... }`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkFront {
    pub label: Option<Text>,
    pub url: Text,
}

impl Serialize for LinkFront {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_as_map(
            s,
            &[("label", self.label.as_ref()), ("url", Some(&self.url))],
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkMap {
    label: Option<Text>,
    url: Text,
}

impl<'de> Deserialize<'de> for LinkFront {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LinkFront, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LinkFront;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a link: a URL, or a map with `label` and `url`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LinkFront, E> {
                Ok(LinkFront {
                    label: None,
                    url: Text(v.to_string()),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<LinkFront, A::Error> {
                let m = LinkMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(LinkFront {
                    label: m.label,
                    url: m.url,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// `content/speakers/<slug>.md`: an optional profile of a person. The body is the bio.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerFront {
    pub name: Option<Text>,
    #[serde(default)]
    pub aliases: OneOrMany<Text>,
    pub photo: Option<Text>,
    #[serde(default)]
    pub links: OneOrMany<LinkFront>,
    pub slug: Option<Text>,
    /// `privacy:` for the person everywhere (docs/privacy.md).
    pub privacy: Option<Text>,
    #[serde(default, deserialize_with = "unique::extra")]
    pub extra: Extra,
}

/// `content/organizations/<slug>.md`: an optional profile of an organization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationFront {
    pub name: Option<Text>,
    pub kind: Option<Text>,
    pub parent: Option<Text>,
    #[serde(default)]
    pub aliases: OneOrMany<Text>,
    pub logo: Option<Text>,
    pub website: Option<Text>,
    #[serde(default)]
    pub links: OneOrMany<LinkFront>,
    pub slug: Option<Text>,
    #[serde(default, deserialize_with = "unique::extra")]
    pub extra: Extra,
}

/// `content/_index.md`: site settings. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFront {
    pub title: Option<Text>,
    pub description: Option<Text>,
    pub base_url: Option<Text>,
    pub language: Option<Text>,
    /// The site's languages, the default first (docs/content.md, "Languages").
    pub languages: Option<Vec<Text>>,
    pub timezone: Option<Text>,
    pub theme: Option<Text>,
    pub author: Option<Text>,
    /// How many forums a speaker, organization, topic, series or year page lists before
    /// going on to a next page.
    pub paginate: Option<i64>,
    /// The sharing image of pages that have none of their own (a path in `content/`).
    pub image: Option<Text>,
    /// How images are published (see docs/images.md).
    pub images: Option<ImagesFront>,
    #[serde(default, deserialize_with = "unique::extra")]
    pub extra: Extra,
}

/// `images:` in the site settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesFront {
    pub widths: Option<Vec<i64>>,
    pub quality: Option<i64>,
    pub originals: Option<bool>,
}

/// A plain page outside the three sections, e.g. `content/about.md` -> `/about/`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: Option<Text>,
    pub summary: Option<Text>,
    pub slug: Option<Text>,
    #[serde(default)]
    pub aliases: OneOrMany<Text>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default, deserialize_with = "unique::extra")]
    pub extra: Extra,
}

/// `themes/<name>/theme.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFront {
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub extends: Option<Text>,
}

/// `<name>.<code>.md` beside an original: the reader-facing text of one page in another
/// language (docs/content.md, "Translations"). Which fields a kind of original accepts is
/// checked by the model stage; every other key lands in `facts`, so that a fact written here
/// (a date, a speaker's organization) is reported as such rather than as an unknown field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TranslationFront {
    pub title: Option<Text>,
    pub summary: Option<Text>,
    pub description: Option<Text>,
    pub name: Option<Text>,
    pub theme: Option<Text>,
    pub venue: Option<Text>,
    pub city: Option<Text>,
    pub country: Option<Text>,
    pub source: Option<TranslatedSource>,
    #[serde(default)]
    pub sessions: Vec<TranslatedSession>,
    #[serde(default)]
    pub speakers: Vec<TranslatedSpeaker>,
    /// In `_index.<code>.md`: topic and series names, original -> translated.
    #[serde(default, deserialize_with = "unique::map")]
    pub topic_names: std::collections::BTreeMap<String, Text>,
    #[serde(default, deserialize_with = "unique::map")]
    pub series_names: std::collections::BTreeMap<String, Text>,
    #[serde(flatten)]
    pub facts: std::collections::BTreeMap<String, serde_yaml::Value>,
}

/// A speaker entry of a report's translation, matched to the original's by `name`: a map,
/// or (translating nothing, as an original may write it) just the name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TranslatedSpeaker {
    pub name: Option<Text>,
    pub title: Option<Text>,
    pub topic: Option<Text>,
    pub facts: std::collections::BTreeMap<String, serde_yaml::Value>,
}

/// As a map (the name, title and topic, and the facts beside them), which `Deserialize`
/// reads back (for the document cache).
impl Serialize for TranslatedSpeaker {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        for (key, value) in [
            ("name", &self.name),
            ("title", &self.title),
            ("topic", &self.topic),
        ] {
            if let Some(value) = value {
                map.serialize_entry(key, value)?;
            }
        }
        for (key, value) in &self.facts {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for TranslatedSpeaker {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TranslatedSpeaker, D::Error> {
        #[derive(Deserialize)]
        struct Map {
            name: Option<Text>,
            title: Option<Text>,
            topic: Option<Text>,
            #[serde(flatten)]
            facts: std::collections::BTreeMap<String, serde_yaml::Value>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Entry {
            Name(Text),
            Map(Map),
        }
        Ok(match Entry::deserialize(d)? {
            Entry::Name(name) => TranslatedSpeaker {
                name: Some(name),
                ..TranslatedSpeaker::default()
            },
            Entry::Map(m) => TranslatedSpeaker {
                name: m.name,
                title: m.title,
                topic: m.topic,
                facts: m.facts,
            },
        })
    }
}

/// A session of a report's translation, matched to the original's by position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TranslatedSession {
    pub title: Option<Text>,
    pub summary: Option<Text>,
    #[serde(flatten)]
    pub facts: std::collections::BTreeMap<String, serde_yaml::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TranslatedSource {
    pub title: Option<Text>,
    #[serde(flatten)]
    pub facts: std::collections::BTreeMap<String, serde_yaml::Value>,
}
