//! schema.org JSON-LD for forum (`Event`), speaker (`Person`) and organization
//! (`Organization`) pages. Themes print it with the `json_script` filter, which keeps any
//! value from closing the `<script>` element.
//!
//! Built straight as Tera values (an [`Object`]) rather than as `serde_json` values turned
//! into Tera's afterwards: every forum page has one, with an object for each speaker and
//! organization it names, and making it twice over was a twentieth of a forum page's cost.

use super::routes::{Route, Urls};
use crate::model::*;
use std::collections::BTreeMap;
use tera::Value;

/// A JSON object. Its keys are written in order (as `serde_json` writes its maps), so that
/// an object reads the same whichever order its parts were added in.
#[derive(Debug, Clone, Default)]
pub struct Object(BTreeMap<&'static str, Value>);

impl Object {
    /// An object of schema.org type `kind`.
    pub fn of(kind: &'static str) -> Object {
        let mut o = Object::default();
        o.set("@type", kind);
        o
    }

    /// `of(kind)` at the top of a page's data, which names the vocabulary.
    fn top(kind: &'static str) -> Object {
        let mut o = Object::of(kind);
        o.set("@context", "https://schema.org");
        o
    }

    pub fn set(&mut self, key: &'static str, value: impl Into<Value>) {
        self.0.insert(key, value.into());
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Value {
        Value::from(o.0)
    }
}

/// Into a page's data as a map (a `Value` inside a struct Tera serializes is taken as it is).
impl serde::Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Value::from(self.0.clone()).serialize(serializer)
    }
}

/// `{"@type": kind, "name": name, "url": url}`.
pub(super) fn named(kind: &'static str, name: &str, url: String) -> Object {
    let mut o = Object::of(kind);
    o.set("name", name);
    o.set("url", url);
    o
}

fn organization_ref(model: &Model, urls: &Urls, id: OrganizationId) -> Value {
    let o = model.organization(id);
    named(
        "Organization",
        &o.name,
        urls.permalink(Route::Organization(&o.slug)),
    )
    .into()
}

/// `organization_ref` of each of `ids`, as a list.
fn organization_refs(model: &Model, urls: &Urls, ids: &[OrganizationId]) -> Value {
    let refs: Vec<Value> = ids
        .iter()
        .map(|&o| organization_ref(model, urls, o))
        .collect();
    refs.into()
}

/// A list of strings.
fn texts<'s>(items: impl IntoIterator<Item = &'s str>) -> Value {
    Value::from(items.into_iter().map(Value::from).collect::<Vec<_>>())
}

pub fn event(
    model: &Model,
    urls: &Urls,
    f: &Forum,
    description: Option<&str>,
    image: Option<&str>,
) -> Object {
    let mut event = Object::top("Event");
    event.set("name", f.title.as_str());
    event.set("url", urls.permalink(Route::Forum(&f.path)));
    event.set(
        "eventStatus",
        match f.status {
            Status::Held | Status::Announced => "https://schema.org/EventScheduled",
            Status::Postponed => "https://schema.org/EventPostponed",
            Status::Cancelled => "https://schema.org/EventCancelled",
        },
    );
    event.set(
        "eventAttendanceMode",
        "https://schema.org/OfflineEventAttendanceMode",
    );
    if let Some(start) = &f.start {
        event.set("startDate", iso(start));
    }
    if let Some(end) = f.end.as_ref().or(f.start.as_ref()) {
        event.set("endDate", iso(end));
    }
    if let Some(d) = description {
        event.set("description", d);
    }
    if let Some(i) = image {
        event.set("image", i);
    }
    if f.venue.is_some() || f.city.is_some() || f.country.is_some() {
        let name = f.venue.as_deref().or(f.city.as_deref()).unwrap_or_default();
        // With only a venue there is no postal part to give: the address is its name as
        // text (schema.org takes text there), not an empty PostalAddress.
        let address: Value = if f.city.is_none() && f.country.is_none() {
            name.into()
        } else {
            let mut address = Object::of("PostalAddress");
            if let Some(city) = &f.city {
                address.set("addressLocality", city.as_str());
            }
            if let Some(country) = &f.country {
                address.set("addressCountry", country.as_str());
            }
            address.into()
        };
        let mut place = Object::of("Place");
        place.set("name", name);
        place.set("address", address);
        event.set("location", place);
    }
    if !f.organizers.is_empty() {
        event.set("organizer", organization_refs(model, urls, &f.organizers));
    }
    if !f.partners.is_empty() {
        event.set("sponsor", organization_refs(model, urls, &f.partners));
    }
    let performers: Vec<Value> = f
        .appearances
        .iter()
        .map(|a| {
            let s = model.speaker(a.speaker);
            let mut person = named("Person", &s.name, urls.permalink(Route::Speaker(&s.slug)));
            if let Some(t) = &a.title {
                person.set("jobTitle", t.as_str());
            }
            if let Some(o) = a.organization {
                person.set("affiliation", organization_ref(model, urls, o));
            }
            person.into()
        })
        .collect();
    if !performers.is_empty() {
        event.set("performer", performers);
    }
    if let Some(series) = f.series {
        let s = model.series_of(series);
        event.set(
            "superEvent",
            named(
                "EventSeries",
                &s.name,
                urls.permalink(Route::Series(&s.slug)),
            ),
        );
    }
    event
}

pub fn person(
    model: &Model,
    urls: &Urls,
    s: &Speaker,
    latest_title: Option<&str>,
    image: Option<&str>,
) -> Object {
    let mut person = Object::top("Person");
    person.set("name", s.name.as_str());
    person.set("url", urls.permalink(Route::Speaker(&s.slug)));
    if let Some(t) = latest_title {
        person.set("jobTitle", t);
    }
    if !s.aliases.is_empty() {
        person.set("alternateName", texts(s.aliases.iter().map(String::as_str)));
    }
    if let Some(i) = image {
        person.set("image", i);
    }
    if !s.organizations.is_empty() {
        person.set(
            "affiliation",
            organization_refs(model, urls, &s.organizations),
        );
    }
    let same_as: Vec<&str> = s
        .links
        .iter()
        .map(|l| l.url.as_str())
        .filter(|u| u.starts_with("http"))
        .collect();
    if !same_as.is_empty() {
        person.set("sameAs", texts(same_as));
    }
    person
}

pub fn organization(model: &Model, urls: &Urls, o: &Organization, logo: Option<&str>) -> Object {
    let mut org = Object::top(match o.kind {
        Some(OrganizationKind::Government) => "GovernmentOrganization",
        Some(OrganizationKind::Ngo) | Some(OrganizationKind::Foundation) => "NGO",
        Some(OrganizationKind::Company) | Some(OrganizationKind::Media) => "Corporation",
        Some(OrganizationKind::Academic) => "EducationalOrganization",
        _ => "Organization",
    });
    org.set("name", o.name.as_str());
    org.set("url", urls.permalink(Route::Organization(&o.slug)));
    if !o.aliases.is_empty() {
        org.set("alternateName", texts(o.aliases.iter().map(String::as_str)));
    }
    if let Some(l) = logo {
        org.set("logo", l);
    }
    if let Some(p) = o.parent {
        org.set("parentOrganization", organization_ref(model, urls, p));
    }
    if !o.children.is_empty() {
        org.set(
            "subOrganization",
            organization_refs(model, urls, &o.children),
        );
    }
    let same_as: Vec<&str> = o
        .website
        .iter()
        .map(String::as_str)
        .chain(o.links.iter().map(|l| l.url.as_str()))
        .filter(|u| u.starts_with("http"))
        .collect();
    if !same_as.is_empty() {
        org.set("sameAs", texts(same_as));
    }
    org
}

/// ISO 8601 as schema.org expects: a date, or a date-time with its offset.
fn iso(w: &When) -> String {
    match w {
        When::Date(d) => d.to_string(),
        When::DateTime(z) => z.timestamp().display_with_offset(z.offset()).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_is_written_with_its_keys_in_order_whatever_order_they_came_in() {
        let mut place = Object::of("Place");
        place.set("name", "Qəbələ Hall");
        let mut event = Object::top("Event");
        event.set("url", "https://example.org/f/");
        event.set("location", place);
        event.set("name", "A </script> forum");
        event.set("performer", vec![Value::from("x")]);
        event.set("alternateName", texts(["b", "a"]));
        let json = serde_json::to_string(&Value::from(event)).unwrap();
        assert_eq!(
            json,
            r#"{"@context":"https://schema.org","@type":"Event","alternateName":["b","a"],"location":{"@type":"Place","name":"Qəbələ Hall"},"name":"A </script> forum","performer":["x"],"url":"https://example.org/f/"}"#
        );
        // As a page's data, through Tera's serializer, it is the same map.
        let mut top = Object::of("Person");
        top.set("name", "Ann");
        let through = tera::Value::from_serializable(&top);
        assert_eq!(
            serde_json::to_string(&through).unwrap(),
            r#"{"@type":"Person","name":"Ann"}"#
        );
    }
}
