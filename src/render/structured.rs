//! schema.org JSON-LD for forum (`Event`), speaker (`Person`) and organization
//! (`Organization`) pages. Built here as plain JSON values; themes print them with the
//! `json_script` filter, which keeps any value from closing the `<script>` element.

use super::routes::{Route, Urls};
use crate::model::*;
use serde_json::{Value, json};

fn organization_ref(model: &Model, urls: &Urls, id: OrganizationId) -> Value {
    let o = model.organization(id);
    json!({ "@type": "Organization", "name": o.name, "url": urls.permalink(Route::Organization(&o.slug)) })
}

pub fn event(
    model: &Model,
    urls: &Urls,
    f: &Forum,
    description: Option<&str>,
    image: Option<&str>,
) -> Value {
    let mut event = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f.title,
        "url": urls.permalink(Route::Forum(&f.path)),
        "eventStatus": match f.status {
            Status::Held | Status::Announced => "https://schema.org/EventScheduled",
            Status::Postponed => "https://schema.org/EventPostponed",
            Status::Cancelled => "https://schema.org/EventCancelled",
        },
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
    });
    let map = event.as_object_mut().expect("built as an object");
    if let Some(start) = &f.start {
        map.insert("startDate".into(), iso(start).into());
    }
    if let Some(end) = f.end.as_ref().or(f.start.as_ref()) {
        map.insert("endDate".into(), iso(end).into());
    }
    if let Some(d) = description {
        map.insert("description".into(), d.into());
    }
    if let Some(i) = image {
        map.insert("image".into(), i.into());
    }
    if f.venue.is_some() || f.city.is_some() || f.country.is_some() {
        let mut address = json!({ "@type": "PostalAddress" });
        if let Some(city) = &f.city {
            address["addressLocality"] = city.as_str().into();
        }
        if let Some(country) = &f.country {
            address["addressCountry"] = country.as_str().into();
        }
        let name = f.venue.as_deref().or(f.city.as_deref()).unwrap_or_default();
        // With only a venue there is no postal part to give: the address is its name as
        // text (schema.org takes text there), not an empty PostalAddress.
        let address = if f.city.is_none() && f.country.is_none() {
            name.into()
        } else {
            address
        };
        map.insert(
            "location".into(),
            json!({ "@type": "Place", "name": name, "address": address }),
        );
    }
    if !f.organizers.is_empty() {
        map.insert(
            "organizer".into(),
            f.organizers
                .iter()
                .map(|&o| organization_ref(model, urls, o))
                .collect(),
        );
    }
    if !f.partners.is_empty() {
        map.insert(
            "sponsor".into(),
            f.partners
                .iter()
                .map(|&o| organization_ref(model, urls, o))
                .collect(),
        );
    }
    let performers: Vec<Value> = f
        .appearances
        .iter()
        .map(|a| {
            let s = model.speaker(a.speaker);
            let mut person = json!({ "@type": "Person", "name": s.name, "url": urls.permalink(Route::Speaker(&s.slug)) });
            if let Some(t) = &a.title {
                person["jobTitle"] = t.as_str().into();
            }
            if let Some(o) = a.organization {
                person["affiliation"] = organization_ref(model, urls, o);
            }
            person
        })
        .collect();
    if !performers.is_empty() {
        map.insert("performer".into(), performers.into());
    }
    if let Some(series) = f.series {
        let s = model.series_of(series);
        map.insert("superEvent".into(), json!({ "@type": "EventSeries", "name": s.name, "url": urls.permalink(Route::Series(&s.slug)) }));
    }
    event
}

pub fn person(
    model: &Model,
    urls: &Urls,
    s: &Speaker,
    latest_title: Option<&str>,
    image: Option<&str>,
) -> Value {
    let mut person = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": s.name,
        "url": urls.permalink(Route::Speaker(&s.slug)),
    });
    if let Some(t) = latest_title {
        person["jobTitle"] = t.into();
    }
    if !s.aliases.is_empty() {
        person["alternateName"] = s.aliases.clone().into();
    }
    if let Some(i) = image {
        person["image"] = i.into();
    }
    if !s.organizations.is_empty() {
        person["affiliation"] = s
            .organizations
            .iter()
            .map(|&o| organization_ref(model, urls, o))
            .collect();
    }
    let same_as: Vec<&str> = s
        .links
        .iter()
        .map(|l| l.url.as_str())
        .filter(|u| u.starts_with("http"))
        .collect();
    if !same_as.is_empty() {
        person["sameAs"] = same_as.into();
    }
    person
}

pub fn organization(model: &Model, urls: &Urls, o: &Organization, logo: Option<&str>) -> Value {
    let mut org = json!({
        "@context": "https://schema.org",
        "@type": match o.kind {
            Some(OrganizationKind::Government) => "GovernmentOrganization",
            Some(OrganizationKind::Ngo) | Some(OrganizationKind::Foundation) => "NGO",
            Some(OrganizationKind::Company) | Some(OrganizationKind::Media) => "Corporation",
            Some(OrganizationKind::Academic) => "EducationalOrganization",
            _ => "Organization",
        },
        "name": o.name,
        "url": urls.permalink(Route::Organization(&o.slug)),
    });
    if !o.aliases.is_empty() {
        org["alternateName"] = o.aliases.clone().into();
    }
    if let Some(l) = logo {
        org["logo"] = l.into();
    }
    if let Some(p) = o.parent {
        org["parentOrganization"] = organization_ref(model, urls, p);
    }
    if !o.children.is_empty() {
        org["subOrganization"] = o
            .children
            .iter()
            .map(|&c| organization_ref(model, urls, c))
            .collect();
    }
    let same_as: Vec<&str> = o
        .website
        .iter()
        .map(String::as_str)
        .chain(o.links.iter().map(|l| l.url.as_str()))
        .filter(|u| u.starts_with("http"))
        .collect();
    if !same_as.is_empty() {
        org["sameAs"] = same_as.into();
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
