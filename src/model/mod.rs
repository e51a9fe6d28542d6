//! Stage 2, `model`: give the loaded documents their meaning. Names become entities, dates
//! become dates, and every edge between forums, speakers, organizations, topics and series is
//! made once, in both directions, so that rendering any page is a lookup and never a scan.
//!
//! Pure: no I/O. Problems become diagnostics positioned at the key or value that caused them.

pub mod dates;
mod drafts;
pub mod entities;
mod forum;
mod named_files;
pub mod names;
pub mod resolve;
pub mod slug;
pub mod translate;
mod update;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::links::{UrlKind, classify};
use crate::load::documents::{LinkFront, OrganizationFront, ReportFront, SpeakerFront, Text};
use crate::load::{Content, Document};
pub use entities::*;
use forum::{Mentions, Names, read_forum};
use jiff::civil;
use rayon::prelude::*;
use resolve::Registry;
use std::path::Path;
pub use update::{insert_report, update_report};

/// Where "today" comes from: it decides which forums are upcoming.
#[derive(Debug, Clone, Copy)]
pub enum Today {
    /// `--today`: reproducible.
    Fixed(civil::Date),
    /// `SOURCE_DATE_EPOCH`: a moment, reproducible, read in the site's time zone as the
    /// clock is (at 21:00 UTC on 31 March it is already 1 April in Baku).
    At(jiff::Timestamp),
    /// The build machine's clock, read in the site's time zone.
    Clock,
}

/// What `build_model_then` does with the report documents, and the names noted from them,
/// once the model is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spent {
    /// Free them at once: for a build about to render every page (a first build), whose
    /// memory peaks then.
    FreeNow,
    /// Keep them until the build is done (`crate::set_aside`): for a rebuild that renders
    /// few pages, which freeing them would slow by more than it takes (see `set_aside`).
    SetAside,
}

impl Spent {
    fn dispose<T: Send + 'static>(self, value: T) {
        match self {
            Spent::FreeNow => drop(value),
            Spent::SetAside => crate::set_aside(value),
        }
    }
}

/// Build the model. On success, also returns the warnings found on the way.
pub fn build_model(content: Content, today: Today) -> Result<(Model, Diagnostics), Diagnostics> {
    build_model_then(content, today, Spent::FreeNow)
}

/// `build_model`, doing with the documents what `spent` says.
pub fn build_model_then(
    mut content: Content,
    today: Today,
    spent: Spent,
) -> Result<(Model, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let site = site_settings(content.site.as_ref(), &mut diags);
    let today = match today {
        Today::Fixed(d) => d,
        Today::At(moment) => moment.to_zoned_datetime(site.timezone.clone()).date(),
        Today::Clock => jiff::Timestamp::now()
            .to_zoned_datetime(site.timezone.clone())
            .date(),
    };

    let (mut speakers, speaker_profiles) =
        register_profiles(&content.speakers, "speaker", &mut diags, |f| {
            (f.name.as_ref(), f.slug.as_ref(), &f.aliases.0)
        });
    let (mut organizations, org_profiles) =
        register_profiles(&content.organizations, "organization", &mut diags, |f| {
            (f.name.as_ref(), f.slug.as_ref(), &f.aliases.0)
        });
    translate::register_names(&content, &mut speakers, &mut organizations, &mut diags);
    let languages = translate::site_languages(&content, &mut diags);
    let mut topics = Registry::default();
    let mut series = Registry::default();
    let names = Names {
        speakers: &mut speakers,
        organizations: &mut organizations,
        topics: &mut topics,
        series: &mut series,
    };
    // Before the reports give up their bodies: the files only drafts link to stay out.
    let assets = std::mem::take(&mut content.assets);
    let (assets, withheld) = drafts::publishable(&content, assets);
    let draft_keys = drafts::draft_keys(&content);
    let missing = named_files::missing(&content, &assets, &mut diags);
    let mut forums = read_reports(&mut content.reports, &site, today, names, spent, &mut diags);
    for f in forums.iter_mut().filter(|f| missing.of(&f.file)) {
        f.image = None;
    }

    // Profiles: fields that need other entities (an organization's parent) or checks.
    let speaker_extra: Vec<(usize, SpeakerProfile)> = speaker_profiles
        .iter()
        .map(|&(index, doc)| {
            let mut profile = speaker_profile(doc, &mut diags);
            if missing.of(&doc.file) {
                profile.photo = None;
            }
            (index, profile)
        })
        .collect();
    let org_extra: Vec<(usize, OrgProfile)> = org_profiles
        .iter()
        .map(|&(index, doc)| {
            let mut profile = org_profile(doc, index, &mut organizations, &mut diags);
            if missing.of(&doc.file) {
                profile.logo = None;
            }
            (index, profile)
        })
        .collect();
    check_parent_circles(&org_profiles, &org_extra, &organizations, &mut diags);
    warn_of_unmentioned_profiles(&speakers, &organizations, &mut diags);

    let pages = content
        .pages
        .iter()
        .filter(|d| !d.front.draft)
        .filter_map(|d| build_page(d, &mut diags))
        .collect();
    let translations =
        translate::collect(&content, languages, &speakers, &organizations, &mut diags);
    let translation_digests = translate::digests(&content);
    let names = |r: &Registry| r.entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    translate::check_term_names(&content, &names(&topics), &names(&series), &mut diags);

    if diags.has_errors() {
        return Err(diags);
    }

    // Chronological forum order; ids follow it, so every list of ids sorts by date. A forum
    // is large: each one's key is found once and the keys are sorted, then each forum moved
    // once (moved through a merge sort, they were a tenth of the model's CPU at 100,000
    // reports). Equal keys keep their order, as before.
    forums.par_sort_by_cached_key(|f| {
        let (undated, start, path) = f.sort_key();
        (undated, start, path.to_string())
    });
    for (i, f) in forums.iter_mut().enumerate() {
        f.id = ForumId(i as u32);
    }

    let language = translations.languages[0].clone();
    let mut model = Model {
        site: Site {
            language: language.clone(),
            image: site
                .image
                .filter(|_| !content.site.as_ref().is_some_and(|d| missing.of(&d.file))),
            ..site
        },
        today,
        forums,
        speakers: with_profiles(speakers.entries, speaker_extra)
            .enumerate()
            .map(|(i, (e, p))| new_speaker(SpeakerId(i as u32), e, p))
            .collect(),
        organizations: with_profiles(organizations.entries, org_extra)
            .enumerate()
            .map(|(i, (e, p))| new_organization(OrganizationId(i as u32), e, p))
            .collect(),
        topics: terms(topics),
        series: terms(series),
        pages,
        assets,
        withheld,
        drafts: draft_keys,
        redactions: Default::default(),
        translations: std::sync::Arc::new(translations),
        localized: Localized {
            lang: language,
            ..Localized::default()
        },
    };
    fold_translation_digests(&mut model, &translation_digests);
    let (redactions, privacy_warnings) =
        crate::privacy::protect(&mut model, &content, content.privacy_key.as_ref());
    model.redactions = std::sync::Arc::new(redactions);
    diags.extend(privacy_warnings);
    connect(&mut model);
    spent.dispose(content.reports);
    Ok((model, diags))
}

/// Every report that is not a draft, read on its own (in parallel), then its names
/// registered in file order (see `forum::Mentions`). Takes each report's body and the texts
/// its forum shows as written (`forum::ForumTexts`): nothing reads them from its document
/// after this.
fn read_reports(
    reports: &mut [Document<ReportFront>],
    site: &Site,
    today: civil::Date,
    mut names: Names,
    spent: Spent,
    diags: &mut Diagnostics,
) -> Vec<Forum> {
    let read = |chunk: &mut [Document<ReportFront>]| -> Vec<Read> {
        chunk
            .par_iter_mut()
            .filter(|doc| !doc.front.draft)
            .map(|doc| {
                let body = std::mem::take(&mut doc.body);
                let texts = forum::ForumTexts::taken_from(&mut doc.front);
                let mut mentions = Mentions::default();
                let mut found = Diagnostics::new();
                let forum = read_forum(doc, body, texts, site, today, &mut mentions, &mut found);
                (forum, mentions, found)
            })
            .collect()
    };
    let mut forums: Vec<Forum> = Vec::with_capacity(reports.len());
    let mut noted = Vec::with_capacity(reports.len());
    let mut seen = forum::Seen::default();
    let mut register = |read: Vec<Read>| {
        for (forum, mentions, found) in read {
            let ids = mentions.register(&mut names, &mut seen);
            diags.extend(found);
            forums.extend(forum.map(|f| ids.applied_to(f)));
            noted.push(mentions);
        }
    };
    // Names are registered one report at a time, in file order (the first spelling of a
    // name becomes the entity's name), while the other threads read the next reports: at
    // 100,000 reports registering took a third of a second after the reading.
    let mut pending: Vec<Read> = Vec::new();
    for chunk in reports.chunks_mut(REPORTS_READ_AT_ONCE) {
        let (next, ()) = rayon::join(|| read(chunk), || register(std::mem::take(&mut pending)));
        pending = next;
    }
    register(pending);
    spent.dispose(noted);
    forums
}

/// A report read on its own: its forum, the names it mentions, its problems.
type Read = (Option<Forum>, Mentions, Diagnostics);

/// How many reports are read while the names of those before them are registered (a few
/// in unit tests, so that their sites are read in several pieces).
const REPORTS_READ_AT_ONCE: usize = if cfg!(test) { 2 } else { 4096 };

/// What a speaker's profile adds to the name the registry holds.
fn speaker_profile(doc: &Document<SpeakerFront>, diags: &mut Diagnostics) -> SpeakerProfile {
    let f = &doc.front;
    SpeakerProfile {
        digest: doc.digest,
        redirects: url_aliases(doc, &old_urls(&f.aliases.0), diags),
        bio: markdown(doc),
        photo: f
            .photo
            .as_ref()
            .and_then(|p| checked_url(doc, "photo", p, diags)),
        links: links(doc, &f.links.0, diags),
        extra: f.extra.clone(),
        privacy: match &f.privacy {
            None => Privacy::Public,
            Some(p) => Privacy::parse(p).unwrap_or_else(|| {
                diags.push(doc.diagnostic(forum::unknown_privacy(p), doc.value_span("privacy", p)));
                Privacy::Unlisted
            }),
        },
    }
}

/// What the profile of the organization at `index` adds to its name, its parent found among
/// `organizations`.
fn org_profile(
    doc: &Document<OrganizationFront>,
    index: usize,
    organizations: &mut Registry,
    diags: &mut Diagnostics,
) -> OrgProfile {
    let f = &doc.front;
    let kind = f.kind.as_ref().and_then(|k| {
        let kind = OrganizationKind::parse(k);
        if kind.is_none() {
            let hint = did_you_mean(k, OrganizationKind::NAMES)
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            diags.push(doc.diagnostic(
                Diagnostic::error(format!("unknown organization kind `{}`", k.0)).with_help(
                    format!("{hint}kinds are: {}", OrganizationKind::NAMES.join(", ")),
                ),
                doc.key_span("kind"),
            ));
        }
        kind
    });
    let parent = f.parent.as_ref().and_then(|p| {
        let parent = organizations.mention(p);
        if parent.is_none() {
            diags.push(doc.diagnostic(
                Diagnostic::error(format!("`{}` is not a usable organization name", p.0)),
                doc.key_span("parent"),
            ));
        }
        if parent == Some(index) {
            diags.push(doc.diagnostic(
                Diagnostic::error("an organization cannot be its own parent"),
                doc.key_span("parent"),
            ));
            return None;
        }
        parent
    });
    OrgProfile {
        digest: doc.digest,
        redirects: url_aliases(doc, &old_urls(&f.aliases.0), diags),
        kind,
        parent,
        description: markdown(doc),
        website: f
            .website
            .as_ref()
            .and_then(|w| checked_url(doc, "website", w, diags)),
        logo: f
            .logo
            .as_ref()
            .and_then(|l| checked_url(doc, "logo", l, diags)),
        links: links(doc, &f.links.0, diags),
        extra: f.extra.clone(),
    }
}

/// An error at each `parent:` that leads back, through other organizations, to the profile
/// it is in (A in B, B in A): each page would list the other as both its parent and its unit.
/// (`org_profile` refuses an organization that names itself.)
fn check_parent_circles(
    profiles: &[(usize, &Document<OrganizationFront>)],
    extra: &[(usize, OrgProfile)],
    organizations: &Registry,
    diags: &mut Diagnostics,
) {
    let parent_of: rustc_hash::FxHashMap<usize, usize> = extra
        .iter()
        .filter_map(|(index, profile)| profile.parent.map(|p| (*index, p)))
        .collect();
    for &(index, doc) in profiles {
        let mut chain = vec![index];
        while let Some(&up) = chain.last().and_then(|at| parent_of.get(at)) {
            if up == index {
                let names: Vec<&str> = chain
                    .iter()
                    .chain([&index])
                    .map(|&i| organizations.entries[i].name.as_str())
                    .collect();
                // `A is part of B, which is part of A`
                let mut circle = format!("{} is part of {}", names[0], names[1]);
                for name in &names[2..] {
                    circle.push_str(&format!(", which is part of {name}"));
                }
                diags.push(doc.diagnostic(
                    Diagnostic::error(format!("`parent` goes round in a circle: {circle}"))
                    .with_help("an organization cannot be its own parent through others either; remove `parent:` from one of these profiles"),
                    doc.key_span("parent"),
                ));
                break;
            }
            // A circle further up that does not come back here is reported at its own members.
            if chain.contains(&up) {
                break;
            }
            chain.push(up);
        }
    }
}

/// A warning for each profile that no report mentions: its page lists nothing.
fn warn_of_unmentioned_profiles(
    speakers: &Registry,
    organizations: &Registry,
    diags: &mut Diagnostics,
) {
    for (registry, what) in [(speakers, "speaker"), (organizations, "organization")] {
        for entry in registry.entries.iter().filter(|e| e.mentions == 0) {
            if let Some(file) = &entry.profile {
                diags.push(
                    Diagnostic::warning(format!("no report mentions the {what} `{}`", entry.name))
                        .at(crate::diagnostic::Span::file_start(file))
                        .with_help(format!("the profile still gets a page; check the name and aliases against the reports' `{what}` entries")),
                );
            }
        }
    }
}

/// Each registry entry with its profile, if it has one (`profiles` by entry index).
fn with_profiles<P>(
    entries: Vec<resolve::Entry>,
    profiles: Vec<(usize, P)>,
) -> impl Iterator<Item = (resolve::Entry, Option<P>)> {
    let mut by_entry: Vec<Option<P>> = entries.iter().map(|_| None).collect();
    for (index, profile) in profiles {
        by_entry[index] = Some(profile);
    }
    entries.into_iter().zip(by_entry)
}

/// A speaker as the registry and their profile (if any) describe them; their appearances
/// and organizations are filled in by `connect`.
fn new_speaker(id: SpeakerId, e: resolve::Entry, profile: Option<SpeakerProfile>) -> Speaker {
    let p = profile.unwrap_or_default();
    Speaker {
        id,
        slug: e.slug,
        name: e.name,
        aliases: e.aliases,
        redirects: p.redirects,
        bio: p.bio,
        photo: p.photo,
        links: p.links,
        profile: e.profile,
        digest: p.digest,
        extra: p.extra,
        appearances: Vec::new(),
        organizations: Vec::new(),
        privacy: p.privacy,
        listed: true,
    }
}

/// An organization as the registry and its profile (if any) describe it; its forums and
/// people are filled in by `connect`.
fn new_organization(
    id: OrganizationId,
    e: resolve::Entry,
    profile: Option<OrgProfile>,
) -> Organization {
    let p = profile.unwrap_or_default();
    Organization {
        id,
        slug: e.slug,
        name: e.name,
        aliases: e.aliases,
        redirects: p.redirects,
        kind: p.kind,
        parent: p.parent.map(|i| OrganizationId(i as u32)),
        children: Vec::new(),
        description: p.description,
        website: p.website,
        logo: p.logo,
        links: p.links,
        profile: e.profile,
        digest: p.digest,
        extra: p.extra,
        organized: Vec::new(),
        partnered: Vec::new(),
        spoke_at: Vec::new(),
        people: Vec::new(),
        unnamed_people: 0,
    }
}

/// Fold each original's translations into its digest: its pages (which link to every
/// translation) change when one does.
fn fold_translation_digests(
    model: &mut Model,
    digests: &std::collections::HashMap<std::path::PathBuf, u64>,
) {
    if digests.is_empty() {
        return;
    }
    let fold = |digest: &mut u64, file: &Path| {
        if let Some(d) = digests.get(file) {
            *digest ^= d.rotate_left(17);
        }
    };
    for f in &mut model.forums {
        fold(&mut f.digest, &f.file);
        fold(&mut f.front_digest, &f.file);
    }
    for s in &mut model.speakers {
        if let Some(p) = s.profile.clone() {
            fold(&mut s.digest, &p);
        }
    }
    for o in &mut model.organizations {
        if let Some(p) = o.profile.clone() {
            fold(&mut o.digest, &p);
        }
    }
    for p in &mut model.pages {
        fold(&mut p.digest, &p.file.clone());
    }
    fold(&mut model.site.digest, Path::new("content/_index.md"));
}

#[derive(Default)]
struct SpeakerProfile {
    digest: u64,
    redirects: Vec<String>,
    bio: Option<Markdown>,
    photo: Option<String>,
    links: Vec<Link>,
    extra: serde_json::Map<String, serde_json::Value>,
    privacy: Privacy,
}

#[derive(Default)]
struct OrgProfile {
    digest: u64,
    redirects: Vec<String>,
    kind: Option<OrganizationKind>,
    parent: Option<usize>,
    description: Option<Markdown>,
    website: Option<String>,
    logo: Option<String>,
    links: Vec<Link>,
    extra: serde_json::Map<String, serde_json::Value>,
}

fn terms(registry: Registry) -> Vec<Term> {
    registry
        .entries
        .into_iter()
        .map(|e| Term {
            slug: e.slug,
            name: e.name,
            forums: Vec::new(),
        })
        .collect()
}

/// Make the reverse edges: who appeared where, which organization did what, which forums
/// carry a topic or belong to a series. Forums are visited in chronological order, so every
/// list comes out chronological without sorting.
fn connect(model: &mut Model) {
    // (organization, person) pairs already linked: a busy organization has thousands of
    // people, so a list scan per appearance would be quadratic. (Hashed with FxHash: the
    // site's own ids, half a million appearances at 100,000 reports.)
    let mut members: rustc_hash::FxHashSet<(OrganizationId, SpeakerId)> = Default::default();
    let mut unnamed_members: rustc_hash::FxHashSet<(OrganizationId, u64)> = Default::default();
    for forum in &model.forums {
        let id = forum.id;
        for (i, a) in forum.appearances.iter().enumerate() {
            let speaker = &mut model.speakers[a.speaker.index()];
            speaker.appearances.push((id, i));
            if let Some(org) = a.organization {
                if !speaker.organizations.contains(&org) {
                    speaker.organizations.push(org);
                }
                let listed = speaker.listed;
                let new_member = members.insert((org, a.speaker));
                let org = &mut model.organizations[org.index()];
                // Someone shown as initials is counted, never listed (docs/privacy.md).
                if !listed {
                    if new_member {
                        org.unnamed_people += 1;
                    }
                    continue;
                }
                org.spoke_at.push((id, i));
                if new_member {
                    org.people.push(a.speaker);
                }
            }
        }
        for u in &forum.unnamed {
            if let Some(org) = u.organization
                && unnamed_members.insert((org, u.person))
            {
                model.organizations[org.index()].unnamed_people += 1;
            }
        }
        for &o in &forum.organizers {
            model.organizations[o.index()].organized.push(id);
        }
        for &o in &forum.partners {
            model.organizations[o.index()].partnered.push(id);
        }
        for &t in &forum.topics {
            model.topics[t.index()].forums.push(id);
        }
        if let Some(s) = forum.series {
            model.series[s.index()].forums.push(id);
        }
    }
    let parents: Vec<(usize, OrganizationId)> = model
        .organizations
        .iter()
        .filter_map(|o| o.parent.map(|p| (p.index(), o.id)))
        .collect();
    for (parent, child) in parents {
        model.organizations[parent].children.push(child);
    }
}

fn site_settings(
    doc: Option<&Document<crate::load::documents::SiteFront>>,
    diags: &mut Diagnostics,
) -> Site {
    let front = doc.map(|d| d.front.clone()).unwrap_or_default();
    let text = |t: &Option<Text>| {
        t.as_ref()
            .map(|t| t.0.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut base_url = text(&front.base_url).unwrap_or_else(|| "/".to_string());
    // Every address of the site starts with it, in links, feeds and the sitemap: a space or
    // a `#` there would break each of them.
    if let Some(c) = base_url
        .chars()
        .find(|c| c.is_whitespace() || "\"<>\\^`{|}?#".contains(*c))
        && let Some(d) = doc
    {
        diags.push(
            d.diagnostic(
                Diagnostic::error(format!(
                    "`base_url` `{base_url}` holds {c:?}, which an address cannot hold as it is"
                ))
                .with_help("write it percent-encoded (`%20` for a space), or choose a folder name without it; a `base_url` has no `?query` or `#part`"),
                d.key_span("base_url"),
            ),
        );
        base_url = "/".to_string();
    }
    if let Some((problem, help)) = base_url_problem(&base_url)
        && let Some(d) = doc
    {
        diags.push(d.diagnostic(
            Diagnostic::error(format!("`base_url` `{base_url}` {problem}")).with_help(help),
            d.key_span("base_url"),
        ));
        base_url = "/".to_string();
    }
    // A folder name in another script is written as a browser sends it: percent-encoded.
    if !base_url.is_ascii() {
        base_url = percent_encoding::utf8_percent_encode(&base_url, NOT_ASCII).to_string();
    }
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let base_path = if let Some(rest) = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
    {
        match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".to_string(),
        }
    } else if base_url.starts_with('/') {
        base_url.clone()
    } else {
        if let Some(d) = doc {
            diags.push(
                d.diagnostic(
                    Diagnostic::error(format!(
                        "`base_url` `{base_url}` is not an http(s) URL or a path"
                    ))
                    .with_help(
                        "write it as `https://example.org/` or `https://example.org/archive/`",
                    ),
                    d.key_span("base_url"),
                ),
            );
        }
        "/".to_string()
    };
    let timezone_name = text(&front.timezone).unwrap_or_else(|| "UTC".to_string());
    let timezone = match jiff::tz::TimeZone::get(&timezone_name) {
        Ok(tz) => tz,
        Err(_) => {
            if let Some(d) = doc {
                diags.push(d.diagnostic(
                    Diagnostic::error(format!("unknown time zone `{timezone_name}`")).with_help(
                        "use an IANA name such as `Asia/Baku`, `Europe/Berlin` or `UTC`",
                    ),
                    d.key_span("timezone"),
                ));
            }
            jiff::tz::TimeZone::UTC
        }
    };
    let paginate = match front.paginate {
        None => DEFAULT_PAGINATE,
        Some(n) if (1..=MAX_PAGINATE).contains(&n) => n as usize,
        Some(n) => {
            if let Some(d) = doc {
                diags.push(d.diagnostic(
                    Diagnostic::error(format!("`paginate` is {n}; it must be a number of forums per page from 1 to {MAX_PAGINATE}"))
                        .with_help(format!("leave it out for the default ({DEFAULT_PAGINATE}), or write e.g. `paginate: 25`")),
                    d.value_span("paginate", &n.to_string()),
                ));
            }
            DEFAULT_PAGINATE
        }
    };
    let images = image_settings(doc, front.images.as_ref(), diags);
    Site {
        digest: doc.map_or(0, |d| d.digest),
        paginate,
        image: text(&front.image),
        images,
        title: text(&front.title).unwrap_or_else(|| "Forums".to_string()),
        description: text(&front.description),
        base_url,
        base_path,
        language: text(&front.language).unwrap_or_else(|| "en".to_string()),
        timezone_name,
        timezone,
        theme: text(&front.theme).unwrap_or_else(|| "default".to_string()),
        author: text(&front.author),
        extra: front.extra,
        intro: doc.and_then(markdown).unwrap_or_default(),
    }
}

/// `images:` of the site settings, checked: widths of 16 to 8,192 pixels, quality 1 to 100.
fn image_settings(
    doc: Option<&Document<crate::load::documents::SiteFront>>,
    front: Option<&crate::load::documents::ImagesFront>,
    diags: &mut Diagnostics,
) -> crate::images::ImageSettings {
    let mut settings = crate::images::ImageSettings::default();
    let Some(front) = front else {
        return settings;
    };
    let mut problem = |message: String, help: &str| {
        if let Some(d) = doc {
            diags.push(d.diagnostic(
                Diagnostic::error(message).with_help(help.to_string()),
                d.key_span("images"),
            ));
        }
    };
    if let Some(widths) = &front.widths {
        if widths.is_empty() || widths.iter().any(|w| !(16..=8192).contains(w)) {
            problem(
                format!("`images.widths` is {widths:?}; each width must be 16 to 8192 pixels"),
                "write e.g. `widths: [480, 960, 1600]`, or leave it out for those defaults",
            );
        } else {
            settings.widths = widths.iter().map(|&w| w as u32).collect();
            settings.widths.sort_unstable();
            settings.widths.dedup();
        }
    }
    match front.quality {
        Some(q) if (1..=100).contains(&q) => settings.quality = q as u8,
        Some(q) => problem(
            format!("`images.quality` is {q}; it must be 1 to 100"),
            "write e.g. `quality: 80` (the default), or leave it out",
        ),
        None => {}
    }
    settings.originals = front.originals.unwrap_or(false);
    settings
}

fn markdown<F>(doc: &Document<F>) -> Option<Markdown> {
    markdown_of(doc, doc.body.clone())
}

/// `doc`'s Markdown text, taking `body` (its body, moved out of it rather than copied: the
/// reports' bodies are most of a site's bytes).
fn markdown_of<F>(doc: &Document<F>, body: crate::load::Text) -> Option<Markdown> {
    if body.is_blank() {
        return None;
    }
    Some(Markdown {
        source: body,
        ..empty_markdown_of(doc)
    })
}

/// `doc`'s Markdown text when it has none: still with its file and folder, against which
/// the front matter's relative URLs (a report's `image:`) are resolved.
pub(crate) fn empty_markdown_of<F>(doc: &Document<F>) -> Markdown {
    let dir = doc
        .file
        .parent()
        .and_then(|p| p.strip_prefix("content").ok())
        .unwrap_or(Path::new(""));
    Markdown {
        source: crate::load::Text::default(),
        file: doc.file.clone(),
        first_line: doc.body_line,
        base_dir: dir
            .iter()
            .filter_map(|c| c.to_str())
            .collect::<Vec<_>>()
            .join("/"),
    }
}

/// Register every profile of one kind; a name or alias claimed twice is an error naming both.
#[allow(clippy::type_complexity)]
fn register_profiles<'d, F>(
    docs: &'d [Document<F>],
    what: &str,
    diags: &mut Diagnostics,
    identity: impl Fn(&F) -> (Option<&Text>, Option<&Text>, &[Text]),
) -> (Registry, Vec<(usize, &'d Document<F>)>) {
    let mut registry = Registry::default();
    let mut registered = Vec::new();
    for doc in docs {
        let (name, slug, aliases) = identity(&doc.front);
        let (name, slug, aliases, lookup_only) = profile_identity(doc, name, slug, aliases, diags);
        match registry.add_profile(slug, name, &aliases, &lookup_only, doc.file.clone()) {
            Ok(i) => registered.push((i, doc)),
            Err(c) => diags.push(conflict(doc, &c, what)),
        }
    }
    (registry, registered)
}

/// A profile's name, slug and aliases. The slug is `slug:` if given, else the name's, else
/// the file name's.
fn profile_identity<F>(
    doc: &Document<F>,
    name: Option<&Text>,
    slug: Option<&Text>,
    aliases: &[Text],
    diags: &mut Diagnostics,
) -> (String, String, Vec<String>, Vec<String>) {
    let stem = doc
        .relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let name = match name.map(|n| n.trim()).filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => {
            diags.push(
                doc.diagnostic(
                    Diagnostic::error("missing `name`")
                        .with_help("add `name: Full Name` to the front matter"),
                    doc.key_span("name"),
                ),
            );
            stem.clone()
        }
    };
    let slug = match slug {
        Some(s) => {
            if let Err(why) = slug::check_slug(s) {
                diags.push(doc.diagnostic(
                    Diagnostic::error(format!("invalid slug `{}`: {why}", s.0)),
                    doc.key_span("slug"),
                ));
            }
            s.0.clone()
        }
        None => slug::fit(
            Some(slug::slugify(&name))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| slug::slugify(&stem)),
        ),
    };
    // Aliases starting with `/` are old URLs (redirects), not spellings.
    let all_aliases: Vec<String> = aliases
        .iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty() && !a.starts_with('/'))
        .collect();
    // The file name is a key too, so `[x](@/speakers/file-name)` always works; it is not a
    // spelling of the name, so it is not shown as one.
    let lookup_only = if slug::slugify(&stem) != slug && !stem.is_empty() {
        vec![stem]
    } else {
        Vec::new()
    };
    (name, slug, all_aliases, lookup_only)
}

fn conflict<F>(doc: &Document<F>, c: &resolve::Conflict, what: &str) -> Diagnostic {
    // Two profiles given one `slug:`: the slug is what to change, not an alias.
    let own_slug = doc.yaml.get().lines().any(|l| {
        l.strip_prefix("slug:")
            .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == c.key)
    });
    if own_slug {
        return doc.diagnostic(
            Diagnostic::error(format!(
                "`slug: {}` is the address of the {what} in {} too",
                c.key,
                c.other.display()
            ))
            .with_help("give one of them another `slug:` (or merge the two files, if they are one and the same)"),
            doc.key_span("slug"),
        );
    }
    doc.diagnostic(
        Diagnostic::error(format!(
            "`{}` already names the {what} in {} (both reduce to `{}`)",
            c.spelling,
            c.other.display(),
            c.key
        ))
        .with_help("one profile per person or organization: merge the two files, or remove the alias from one of them"),
        doc.value_span("aliases", &c.spelling),
    )
}

fn checked_url<F>(
    doc: &Document<F>,
    key: &str,
    url: &Text,
    diags: &mut Diagnostics,
) -> Option<String> {
    match classify(url) {
        UrlKind::Unsafe => {
            diags.push(
                doc.diagnostic(
                    Diagnostic::error(format!(
                        "`{key}` uses a URL scheme that is not allowed: `{}`",
                        url.0
                    ))
                    .with_help(
                        "links may use http, https, mailto or tel, or be a path on this site",
                    ),
                    doc.value_span(key, url),
                ),
            );
            None
        }
        UrlKind::Relative
            if matches!(key, "website" | "source" | "links") && is_web_address(url.trim()) =>
        {
            let full = format!("https://{}", url.trim());
            diags.push(
                doc.diagnostic(
                    Diagnostic::warning(format!(
                        "`{key}`: `{}` has no `https://`, so it would be a page of this site; it is linked as `{full}`",
                        url.trim()
                    ))
                    .with_help(format!("write the address in full: `{full}`")),
                    doc.value_span(key, url),
                ),
            );
            Some(full)
        }
        _ => Some(url.trim().to_string()),
    }
}

/// A web address written without its scheme (`www.org.az`, `facebook.com/org`,
/// `en.trend.az/news/1`): its first part is a host name, not a file of the site
/// (`programme.pdf`, `@/forums/...`, `../x.md`).
fn is_web_address(url: &str) -> bool {
    const FILES: [&str; 24] = [
        "pdf", "html", "htm", "md", "jpg", "jpeg", "png", "webp", "gif", "svg", "doc", "docx",
        "xls", "xlsx", "ppt", "pptx", "odt", "csv", "txt", "zip", "mp3", "mp4", "ics", "json",
    ];
    let host = url.split(['/', '?', '#']).next().unwrap_or_default();
    if host.starts_with("www.") {
        return true;
    }
    let Some((name, ending)) = host.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && !name.starts_with('.')
        && !host.contains(char::is_whitespace)
        && ending.len() >= 2
        && ending.chars().all(|c| c.is_ascii_alphabetic())
        && !FILES.contains(&ending.to_ascii_lowercase().as_str())
}

fn links<F>(doc: &Document<F>, links: &[LinkFront], diags: &mut Diagnostics) -> Vec<Link> {
    links
        .iter()
        .filter_map(|l| {
            let url = checked_url(doc, "links", &l.url, diags)?;
            let label = l
                .label
                .as_ref()
                .map(|t| t.0.clone())
                .unwrap_or_else(|| link_label(&url));
            Some(Link { label, url })
        })
        .collect()
}

/// `https://www.example.org/people/x` -> `example.org`.
fn link_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// The aliases of a profile that are old URLs of its page.
fn old_urls(aliases: &[Text]) -> Vec<Text> {
    aliases
        .iter()
        .filter(|a| a.trim().starts_with('/'))
        .cloned()
        .collect()
}

fn url_aliases<F>(doc: &Document<F>, aliases: &[Text], diags: &mut Diagnostics) -> Vec<String> {
    aliases
        .iter()
        .filter_map(|a| match slug::check_url_path(a) {
            Ok(p) => Some(p),
            Err(why) => {
                diags.push(doc.diagnostic(
                    Diagnostic::error(format!("invalid alias `{}`: {why}", a.0)).with_help(
                        "an alias is an old path on this site, such as `/news/2025/forum/`",
                    ),
                    doc.value_span("aliases", a),
                ));
                None
            }
        })
        .collect()
}

fn build_page(
    doc: &Document<crate::load::documents::PageFront>,
    diags: &mut Diagnostics,
) -> Option<InfoPage> {
    let f = &doc.front;
    let Some(title) = f
        .title
        .as_ref()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    else {
        diags.push(doc.diagnostic(
            Diagnostic::error("missing `title`").with_help("add `title: Page title`"),
            doc.key_span("title"),
        ));
        return None;
    };
    let stem = doc.relative.with_extension("");
    let mut segments: Vec<String> = stem
        .iter()
        .filter_map(|c| c.to_str())
        .map(slug::slugify)
        .collect();
    if let Some(custom) = &f.slug {
        if let Err(why) = slug::check_slug(custom) {
            diags.push(doc.diagnostic(
                Diagnostic::error(format!("invalid slug `{}`: {why}", custom.0)),
                doc.key_span("slug"),
            ));
            return None;
        }
        *segments.last_mut()? = custom.0.clone();
    }
    if segments.iter().any(String::is_empty) {
        diags.push(
            doc.diagnostic(
                Diagnostic::error("cannot make a URL from this file name")
                    .with_help("rename the file, or set `slug:`"),
                doc.key_span("slug"),
            ),
        );
        return None;
    }
    Some(InfoPage {
        file: doc.file.clone(),
        path: segments.join("/"),
        title,
        summary: f.summary.as_ref().map(|s| s.0.clone()),
        aliases: url_aliases(doc, &f.aliases.0, diags),
        extra: f.extra.clone(),
        body: markdown(doc).unwrap_or_default(),
        digest: doc.digest,
    })
}

/// Every byte that is not ASCII: what percent-encoding a non-ASCII folder name changes.
const NOT_ASCII: &percent_encoding::AsciiSet = percent_encoding::CONTROLS;

/// What makes `base_url` no address, and what to do: a `%` not followed by two hex digits,
/// or a host name in another script (an address holds it in its ASCII form, `xn--`...).
fn base_url_problem(base_url: &str) -> Option<(String, &'static str)> {
    let bytes = base_url.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Some((
                "has a `%` not followed by two hexadecimal digits".to_string(),
                "write `%25` for a percent sign itself, or copy the address from a browser",
            ));
        }
    }
    let host = base_url
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or(rest))?;
    (!host.is_ascii()).then(|| {
        (
            format!("has the host `{host}`, which an address holds in its ASCII form"),
            "write the host as its `xn--` form (a browser shows it when you copy the address; `idn2` or an online IDN converter gives it)",
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_web_address_without_its_scheme_is_told_from_a_file_of_the_site() {
        for url in [
            "www.org.az",
            "facebook.com/org",
            "en.trend.az/news/1",
            "ngo.gov.az?x=1",
        ] {
            assert!(super::is_web_address(url), "{url}");
        }
        for url in [
            "programme.pdf",
            "../x.md",
            "@/forums/2025/a.md",
            "hall.JPG",
            "notes",
            ".well-known/x",
            "a b.com",
        ] {
            assert!(!super::is_web_address(url), "{url}");
        }
    }

    use super::*;
    use crate::load::parse_document;
    use std::path::PathBuf;

    fn report(i: usize, speakers: &str) -> Document<ReportFront> {
        let text = format!(
            "---\ntitle: Forum {i}\ndate: 2025-03-{:02}\nspeakers: [{speakers}]\n---\n",
            i + 1
        );
        let file = PathBuf::from(format!("content/forums/2025/f{i}.md"));
        parse_document(&file, PathBuf::from(format!("2025/f{i}.md")), &text).unwrap()
    }

    #[test]
    fn names_read_in_pieces_are_registered_in_file_order() {
        // Seven reports, read two at a time: each name's first spelling, in the order the
        // files first mention it, whatever piece it was read in.
        let lists = [
            "Ann Lee",
            "Bob Ray, ann lee",
            "Cem Öz",
            "ANN LEE, Dana Ek",
            "Cem Oz, Bob Ray",
            "Eli Um",
            "Dana Ek, Ann Lee",
        ];
        let content = Content {
            reports: lists
                .iter()
                .enumerate()
                .map(|(i, l)| report(i, l))
                .collect(),
            ..Content::default()
        };
        let (model, _) = build_model(content, Today::Fixed(civil::date(2025, 11, 1))).unwrap();
        let names: Vec<&str> = model.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ann Lee", "Bob Ray", "Cem Öz", "Dana Ek", "Eli Um"]);
        assert_eq!(model.speakers[0].aliases, ["ann lee", "ANN LEE"]);
        assert_eq!(model.speakers[2].aliases, ["Cem Oz"]);
        let counts: Vec<usize> = model.speakers.iter().map(|s| s.appearances.len()).collect();
        assert_eq!(counts, [4, 2, 2, 2, 1]);
        // Each forum points at the people it names.
        let spoke = |f: usize| -> Vec<&str> {
            model.forums[f]
                .appearances
                .iter()
                .map(|a| model.speaker(a.speaker).name.as_str())
                .collect()
        };
        assert_eq!(spoke(3), ["Ann Lee", "Dana Ek"]);
        assert_eq!(spoke(6), ["Dana Ek", "Ann Lee"]);
    }
}
