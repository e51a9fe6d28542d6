//! One language's model: the original's model with the texts of that language's
//! translations in place of the original's, and a note of what stayed untranslated
//! (`Model::localized`), so that the render stage marks it with the original's language.
//!
//! Facts, ids and every edge are the original's: the render stage runs unchanged over a
//! localized model, once per language.

use crate::model::*;

/// `model` in `lang` (a language of the site other than the default).
pub fn localize(model: &Model, lang: &str) -> Model {
    let t = model.translations.clone();
    let mut out = model.clone();
    let mut marks = Localized {
        lang: lang.to_string(),
        ..Localized::default()
    };
    let slugs: Vec<&str> = model.speakers.iter().map(|s| s.slug.as_str()).collect();
    for f in &mut out.forums {
        let text = t
            .forums
            .get(&f.file)
            .and_then(|v| v.iter().find(|t| t.lang == lang))
            .cloned();
        marks.forums.push(localize_forum(f, text, &slugs));
    }
    for s in &mut out.speakers {
        let text = in_language(t.speakers.get(&s.slug), lang);
        marks
            .speakers
            .push(localize_profile(&mut s.name, &mut s.bio, text));
    }
    for o in &mut out.organizations {
        let text = in_language(t.organizations.get(&o.slug), lang);
        marks
            .organizations
            .push(localize_profile(&mut o.name, &mut o.description, text));
    }
    for p in &mut out.pages {
        let text = t
            .pages
            .get(&p.file)
            .and_then(|v| v.iter().find(|t| t.lang == lang));
        let mut u = Untranslated {
            title: true,
            summary: p.summary.is_some(),
            body: !p.body.source.is_blank(),
            ..Untranslated::default()
        };
        if let Some(text) = text {
            apply(&mut p.title, &text.title, &mut u.title);
            apply_optional(&mut p.summary, &text.summary, &mut u.summary);
            if let Some(body) = &text.body {
                p.body = body.clone();
                u.body = false;
            }
        }
        marks.pages.push(u);
    }
    let site = t.site.iter().find(|s| s.lang == lang);
    let mut u = Untranslated {
        title: true,
        summary: out.site.description.is_some(),
        body: !out.site.intro.source.is_blank(),
        ..Untranslated::default()
    };
    if let Some(s) = site {
        apply(&mut out.site.title, &s.title, &mut u.title);
        apply_optional(&mut out.site.description, &s.summary, &mut u.summary);
        if let Some(body) = &s.body {
            out.site.intro = body.clone();
            u.body = false;
        }
    }
    marks.site = u;
    // Names match as addresses do: `Civil society` in `topic_names` names the topic the
    // reports write `civil society`.
    let rename = |terms: &mut Vec<Term>,
                  names: Option<&std::collections::BTreeMap<String, String>>| {
        let by_slug: std::collections::HashMap<String, &String> = names
            .into_iter()
            .flatten()
            .map(|(k, v)| (crate::model::slug::slugify(k), v))
            .collect();
        terms
            .iter_mut()
            .map(
                |term| match by_slug.get(&crate::model::slug::slugify(&term.name)) {
                    Some(name) => {
                        term.name = (*name).clone();
                        false
                    }
                    None => true,
                },
            )
            .collect::<Vec<bool>>()
    };
    marks.topics = rename(&mut out.topics, site.map(|s| &s.topic_names));
    marks.series = rename(&mut out.series, site.map(|s| &s.series_names));
    out.site.language = lang.to_string();
    out.localized = marks;
    out
}

fn in_language<'t>(list: Option<&'t Vec<ProfileText>>, lang: &str) -> Option<&'t ProfileText> {
    list.and_then(|v| v.iter().find(|t| t.lang == lang))
}

/// A speaker's or organization's name and text in one language. A translation never
/// brings a biography or description the original has not (nor one privacy withheld).
fn localize_profile(
    name: &mut String,
    body: &mut Option<Markdown>,
    text: Option<&ProfileText>,
) -> Untranslated {
    let mut u = Untranslated {
        name: true,
        body: body.is_some(),
        ..Untranslated::default()
    };
    if let Some(text) = text {
        if let Some(translated) = &text.name {
            *name = translated.clone();
            u.name = false;
        }
        if let (Some(_), Some(translated)) = (&body, &text.body) {
            *body = Some(translated.clone());
            u.body = false;
        }
    }
    u
}

fn apply(field: &mut String, text: &Option<String>, untranslated: &mut bool) {
    if let Some(t) = text {
        *field = t.clone();
        *untranslated = false;
    }
}

fn apply_optional(field: &mut Option<String>, text: &Option<String>, untranslated: &mut bool) {
    if field.is_some()
        && let Some(t) = text
    {
        *field = Some(t.clone());
        *untranslated = false;
    }
}

/// A forum in one language: what its translation (if any) says in place of the original.
fn localize_forum(f: &mut Forum, text: Option<ForumText>, slugs: &[&str]) -> Untranslated {
    let has_place = f.venue.is_some() || f.city.is_some() || f.country.is_some();
    let mut u = Untranslated {
        title: true,
        summary: f.summary.is_some(),
        theme: f.theme.is_some(),
        place: has_place,
        place_parts: [f.venue.is_some(), f.city.is_some(), f.country.is_some()],
        body: !f.body.source.is_blank(),
        sessions: !f.sessions.is_empty(),
        source: f.source.as_ref().is_some_and(|s| s.title.is_some()),
        name: false,
    };
    for a in &mut f.appearances {
        a.untranslated = a.title.is_some() || a.topic.is_some();
    }
    let Some(t) = text else { return u };
    apply(&mut f.title, &t.title, &mut u.title);
    apply_optional(&mut f.summary, &t.summary, &mut u.summary);
    apply_optional(&mut f.theme, &t.theme, &mut u.theme);
    // Each part of the place is translated or the original's; the place is marked whole
    // when no part of it is translated.
    let mut place = false;
    for (i, (field, text)) in [
        (&mut f.venue, &t.venue),
        (&mut f.city, &t.city),
        (&mut f.country, &t.country),
    ]
    .into_iter()
    .enumerate()
    {
        if field.is_some() && text.is_some() {
            *field = text.clone();
            place = true;
            u.place_parts[i] = false;
        }
    }
    u.place = has_place && !place;
    if let Some(source) = &mut f.source
        && source.title.is_some()
        && t.source_title.is_some()
    {
        source.title = t.source_title.clone();
        u.source = false;
    }
    let mut sessions = false;
    for (session, (title, summary)) in f.sessions.iter_mut().zip(&t.sessions) {
        session.untranslated = [
            title.is_none(),
            session.summary.is_some() && summary.is_none(),
        ];
        if let Some(title) = title {
            session.title = title.clone();
            sessions = true;
        }
        if session.summary.is_some() && summary.is_some() {
            session.summary = summary.clone();
            sessions = true;
        }
    }
    // Sessions the translation does not reach (it lists fewer) are the original's too.
    for session in f.sessions.iter_mut().skip(t.sessions.len()) {
        session.untranslated = [true, session.summary.is_some()];
    }
    u.sessions = !f.sessions.is_empty() && !sessions;
    if let Some(body) = t.body {
        f.body = body;
        u.body = false;
    }
    for a in &mut f.appearances {
        let slug = slugs.get(a.speaker.index()).copied().unwrap_or_default();
        if let Some((_, title, topic)) = t.speakers.iter().find(|(s, _, _)| s == slug) {
            let (mut title_left, mut topic_left) = (a.title.is_some(), a.topic.is_some());
            if a.title.is_some() && title.is_some() {
                if *title != a.title {
                    a.original_title = a.title.take().map(String::into_boxed_str);
                    a.title = title.clone();
                }
                title_left = false;
            }
            if a.topic.is_some() && topic.is_some() {
                a.topic = topic.clone();
                topic_left = false;
            }
            a.untranslated = title_left || topic_left;
        }
    }
    u
}
