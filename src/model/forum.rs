//! One report into one `Forum`: every field checked and given its meaning, every name
//! registered with the entity it refers to. Problems are diagnostics at the key or value that
//! caused them; a report with any error yields no forum, so the site never shows half of one.

use super::entities::*;
use super::resolve::Registry;
use super::{Site, checked_url, dates, markdown_of, slug, url_aliases};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::Document;
use crate::load::documents::{AppearanceFront, ReportFront, Text};
use jiff::civil;
use std::sync::Arc;

pub(super) struct Names<'a> {
    pub(super) speakers: &'a mut Registry,
    pub(super) organizations: &'a mut Registry,
    pub(super) topics: &'a mut Registry,
    pub(super) series: &'a mut Registry,
}

/// The forum `doc` reports, with `body` (the document's body, which it takes), its names
/// registered in `names`.
pub(super) fn build_forum(
    doc: &Document<ReportFront>,
    body: crate::load::Text,
    site: &Site,
    today: civil::Date,
    names: &mut Names,
    diags: &mut Diagnostics,
) -> Option<Forum> {
    let mut mentions = Mentions::default();
    let texts = ForumTexts::copied_from(&doc.front);
    let forum = read_forum(doc, body, texts, site, today, &mut mentions, diags);
    let ids = mentions.register(names, &mut Seen::default());
    forum.map(|f| ids.applied_to(f))
}

/// The names one report mentions, in the order it mentions them, each already cleaned and
/// given its key. Cleaning and transliterating names is most of what reading a report's
/// front matter costs, and needs no other report: `read_forum` does it for every report at
/// once, on every core, and `register` then takes the names into the site's registries one
/// report after another, in file order, so that every entity gets the id, the name and the
/// spellings it would get from one report read after the other.
#[derive(Default)]
pub(super) struct Mentions {
    speakers: Noted,
    organizations: Noted,
    topics: Noted,
    series: Noted,
}

/// The mentions of one kind of name, each the spelling's cleaned form and key, shared with
/// every other mention spelled the same way (see `Cleaned`).
#[derive(Default)]
struct Noted {
    names: Vec<Arc<CleanName>>,
}

/// A spelling cleaned (`names::clean`) and its key (`slug::slugify`), back to back.
struct CleanName {
    text: Box<str>,
    cleaned_len: usize,
}

impl CleanName {
    fn cleaned(&self) -> &str {
        &self.text[..self.cleaned_len]
    }

    fn key(&self) -> &str {
        &self.text[self.cleaned_len..]
    }
}

impl Noted {
    /// Note one mention; its place here stands for the entity until `register`. `None`
    /// when the name has nothing to make a key from (as `Registry::mention`).
    fn note(&mut self, spelling: &str) -> Option<u32> {
        let name = CLEANED.with_borrow_mut(|cleaned| cleaned.of(spelling))?;
        self.names.push(name);
        Some(self.names.len() as u32 - 1)
    }

    /// Register every mention in `registry`, in order: the entity of each. `seen`: the
    /// entity of each name this registry took in before.
    fn register(&self, registry: &mut Registry, seen: &mut SeenNames) -> Vec<u32> {
        self.names
            .iter()
            .map(|name| {
                // A name's place in memory stands for its spelling: every mention of a
                // spelling shares it (`Cleaned`), and it stays put while `seen` is used.
                let at = Arc::as_ptr(name) as usize;
                let index = match seen.get(&at) {
                    Some(&index) => {
                        registry.count_mention(index);
                        index
                    }
                    None => {
                        let index = registry.mention_keyed(name.cleaned(), name.key());
                        seen.insert(at, index);
                        index
                    }
                };
                index as u32
            })
            .collect()
    }
}

impl Mentions {
    /// Register every mention, in order, and say which entity each one is. `seen` is to be
    /// handed to every `register` of one model's reports, and the `Mentions` registered
    /// with it kept until they all are.
    pub(super) fn register(&self, names: &mut Names, seen: &mut Seen) -> MentionIds {
        MentionIds {
            speakers: self.speakers.register(names.speakers, &mut seen.speakers),
            organizations: self
                .organizations
                .register(names.organizations, &mut seen.organizations),
            topics: self.topics.register(names.topics, &mut seen.topics),
            series: self.series.register(names.series, &mut seen.series),
        }
    }
}

/// The entity each spelling already registered became, by the address of its `CleanName`.
/// A report mentions the names of earlier reports again and again: a million mentions at
/// 100,000 reports, 25,000 names. Looking up a spelling's key, and comparing the spelling
/// with the entity's name and aliases, is needed only the first time; after that the
/// mention is only counted.
#[derive(Default)]
pub(super) struct Seen {
    speakers: SeenNames,
    organizations: SeenNames,
    topics: SeenNames,
    series: SeenNames,
}

type SeenNames = rustc_hash::FxHashMap<usize, usize>;

thread_local! {
    static CLEANED: std::cell::RefCell<Cleaned> = Default::default();
}

/// Names already cleaned and given their key on this thread. A model of 100,000 reports
/// notes a million names, most of them spelled exactly as in another report (20,000 people,
/// 5,000 organizations): each spelling is cleaned and transliterated once, and every
/// mention of it shares the result, rather than each report copying its names into text of
/// its own (a fifth of reading the reports went to that text's growing and copying). What a
/// spelling becomes depends on nothing else, so the names a thread keeps from an earlier
/// build (`serve`) are still right.
#[derive(Default)]
struct Cleaned {
    /// Spelling -> its cleaned form and key (`None`: nothing to make a key from).
    known: rustc_hash::FxHashMap<Box<str>, Option<Arc<CleanName>>>,
}

impl Cleaned {
    /// A site with more names than this is unusual; past it, start again rather than grow.
    const MOST: usize = 1 << 20;

    fn of(&mut self, spelling: &str) -> Option<Arc<CleanName>> {
        if let Some(known) = self.known.get(spelling) {
            return known.clone();
        }
        let mut text = String::new();
        super::names::clean_into(spelling, &mut text);
        let key = super::slug::slugify(&text);
        let made = (!key.is_empty()).then(|| {
            let cleaned_len = text.len();
            text.push_str(&key);
            Arc::new(CleanName {
                text: text.into_boxed_str(),
                cleaned_len,
            })
        });
        if self.known.len() >= Cleaned::MOST {
            self.known.clear();
        }
        self.known.insert(spelling.into(), made.clone());
        made
    }
}

/// Where a speakers entry is: under the report's `speakers:` (numbered from 0), or in the
/// session numbered so.
#[derive(Clone, Copy)]
enum Entry {
    Listed(usize),
    InSession(usize),
}

/// The entity of each mention `Mentions` noted, by its place there.
pub(super) struct MentionIds {
    speakers: Vec<u32>,
    organizations: Vec<u32>,
    topics: Vec<u32>,
    series: Vec<u32>,
}

impl MentionIds {
    /// `forum`, as `read_forum` made it, with each mention's place replaced by its entity's
    /// id. A topic written twice (in two spellings of one key) is listed once.
    pub(super) fn applied_to(&self, mut forum: Forum) -> Forum {
        let organization = |o: OrganizationId| OrganizationId(self.organizations[o.index()]);
        for o in forum.organizers.iter_mut().chain(forum.partners.iter_mut()) {
            *o = organization(*o);
        }
        for a in &mut forum.appearances {
            a.speaker = SpeakerId(self.speakers[a.speaker.index()]);
            a.organization = a.organization.map(organization);
        }
        let mut topics: Vec<TopicId> = Vec::with_capacity(forum.topics.len());
        for t in &forum.topics {
            let id = TopicId(self.topics[t.index()]);
            if !topics.contains(&id) {
                topics.push(id);
            }
        }
        forum.topics = topics;
        forum.series = forum.series.map(|s| SeriesId(self.series[s.index()]));
        forum
    }
}

/// The forum `doc` reports, with `body`, its names noted in `mentions` (each id in it is a
/// place in `mentions` until `MentionIds::applied_to`).
pub(super) fn read_forum(
    doc: &Document<ReportFront>,
    body: crate::load::Text,
    texts: ForumTexts,
    site: &Site,
    today: civil::Date,
    names: &mut Mentions,
    diags: &mut Diagnostics,
) -> Option<Forum> {
    let f = &doc.front;
    let errors_before = diags.error_count();
    let report = Report { doc, site };
    let title = owned_text(texts.title);
    if title.is_none() {
        // `title: #1 Forum`: YAML reads all after ` #` as a comment.
        let commented = doc.yaml.get().lines().find_map(|l| {
            let rest = l.strip_prefix("title:")?.trim();
            rest.starts_with('#').then(|| rest.to_string())
        });
        match commented {
            Some(written) => report.error(
                diags,
                "title",
                "`title` is empty: the `#` after `title: ` starts a comment".into(),
                &format!(
                    "put the title in quotes: `title: \"{}\"`",
                    written.replace('"', "\\\"")
                ),
            ),
            None => report.error(
                diags,
                "title",
                "missing `title`".into(),
                "add `title: Name of the forum` to the front matter",
            ),
        }
    }
    let schedule = report.schedule(today, diags);
    let path = forum_path(doc, diags);
    let organizers = report.organizations("organizers", &f.organizers.0, names, diags);
    let partners = report.organizations("partners", &f.partners.0, names, diags);
    let (appearances, sessions) = report.appearances(names, diags);
    let topics = report.topics(names, diags);
    let series = report.series(names, diags);
    let source = report.source(diags);
    let image = f
        .image
        .as_ref()
        .and_then(|i| checked_url(doc, "image", i, diags));
    let aliases = url_aliases(doc, &f.aliases.0, diags);

    if diags.error_count() > errors_before {
        return None;
    }
    Some(Forum {
        id: ForumId(0),
        digest: doc.digest,
        front_digest: doc.yaml.digest(),
        file: doc.file.clone(),
        path: path?,
        title: title?,
        start: schedule.start,
        end: schedule.end,
        status: schedule.status,
        series,
        theme: owned_text(texts.theme),
        venue: owned_text(texts.venue),
        city: owned_text(texts.city),
        country: owned_text(texts.country),
        organizers,
        partners,
        appearances,
        unnamed: Vec::new(),
        sessions,
        topics,
        source,
        summary: owned_text(texts.summary),
        image,
        aliases,
        extra: texts.extra,
        // A report with no text yet (as an import writes them) still resolves its `image:`
        // against its own folder.
        body: markdown_of(doc, body).unwrap_or_else(|| super::empty_markdown_of(doc)),
        upcoming: schedule.upcoming,
    })
}

/// A text of the front matter, trimmed; `None` when empty.
fn text(t: &Option<Text>) -> Option<String> {
    t.as_ref()
        .map(|t| t.0.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `text`, of a text the forum takes: kept as it is unless it needs trimming.
fn owned_text(t: Option<Text>) -> Option<String> {
    let t = t?.0;
    let trimmed = t.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == t.len() {
        Some(t)
    } else {
        Some(trimmed.to_string())
    }
}

/// The texts of a report's front matter that its forum shows as written. A whole build
/// takes them from the documents, which nothing reads them from afterwards (at 100,000
/// reports, copies of them were 40 MB of an edit's rebuild, kept until it ends); `serve`,
/// reading one report again, copies them.
pub(super) struct ForumTexts {
    title: Option<Text>,
    theme: Option<Text>,
    venue: Option<Text>,
    city: Option<Text>,
    country: Option<Text>,
    summary: Option<Text>,
    extra: crate::load::documents::Extra,
}

impl ForumTexts {
    pub(super) fn taken_from(front: &mut ReportFront) -> ForumTexts {
        ForumTexts {
            title: front.title.take(),
            theme: front.theme.take(),
            venue: front.venue.take(),
            city: front.city.take(),
            country: front.country.take(),
            summary: front.summary.take(),
            extra: std::mem::take(&mut front.extra),
        }
    }

    fn copied_from(front: &ReportFront) -> ForumTexts {
        ForumTexts {
            title: front.title.clone(),
            theme: front.theme.clone(),
            venue: front.venue.clone(),
            city: front.city.clone(),
            country: front.country.clone(),
            summary: front.summary.clone(),
            extra: front.extra.clone(),
        }
    }
}

/// When a forum is, as its front matter says and "today" makes it.
struct Schedule {
    start: Option<When>,
    end: Option<When>,
    status: Status,
    /// Not over yet (or not dated and not cancelled).
    upcoming: bool,
}

/// One report's front matter, read part by part into its forum; each part reports its own
/// mistakes at the key they are under.
struct Report<'d> {
    doc: &'d Document<ReportFront>,
    site: &'d Site,
}

impl Report<'_> {
    fn error(&self, d: &mut Diagnostics, key: &str, message: String, help: &str) {
        let mut diag = Diagnostic::error(message);
        if !help.is_empty() {
            diag = diag.with_help(help);
        }
        d.push(self.doc.diagnostic(diag, self.doc.key_span(key)));
    }

    /// A date or moment under `key`, in the site's time zone unless it names its own.
    fn when(&self, d: &mut Diagnostics, key: &str, value: &Option<Text>) -> Option<When> {
        let v = value.as_ref()?;
        match dates::parse_when(v, &self.site.timezone, &self.site.timezone_name) {
            Ok(w) => Some(w),
            Err(why) => {
                d.push(self.doc.diagnostic(
                    Diagnostic::error(format!("`{key}`: {why}")),
                    self.doc.key_span(key),
                ));
                None
            }
        }
    }

    /// `date`, `end` and `status`, checked against each other.
    fn schedule(&self, today: civil::Date, diags: &mut Diagnostics) -> Schedule {
        let f = &self.doc.front;
        let status = match &f.status {
            Some(s) => match Status::parse(s) {
                Some(st) => Some(st),
                None => {
                    self.error(
                        diags,
                        "status",
                        format!("unknown status `{}`", s.0),
                        &Status::unknown_help(s),
                    );
                    None
                }
            },
            None => None,
        };
        let start = self.when(diags, "date", &f.date);
        let end = self.when(diags, "end", &f.end);
        if f.date.is_none() && status != Some(Status::Announced) {
            let mut help = "add `date: YYYY-MM-DD`; a forum whose date is not known yet takes `status: announced`".to_string();
            if let Some((base, code)) = translation_spelled_otherwise(&self.doc.file) {
                help.push_str(&format!(
                    "; if this is a translation, name it `{base}.{code}.md`: a language code in a file name is written in lower case, with no region"
                ));
            }
            self.error(diags, "date", "missing `date`".into(), &help);
        }
        if f.end.is_some() && f.date.is_none() {
            self.error(
                diags,
                "end",
                "`end` without `date`".into(),
                "add the start as `date: YYYY-MM-DD`",
            );
        }
        if let (Some(s), Some(e)) = (&start, &end)
            && e.ends_before(s)
        {
            // With the offset: two times may compare otherwise than their clocks read.
            let show = |w: &When| match w {
                When::Date(d) => d.to_string(),
                When::DateTime(z) => z.strftime("%Y-%m-%dT%H:%M%:z").to_string(),
            };
            self.error(
                diags,
                "end",
                format!("`end` {} is before `date` {}", show(e), show(s)),
                "swap the two, or correct the end date",
            );
        }
        // Without a status, a forum is held once its date has passed and announced before.
        let status = status.unwrap_or(match &start {
            Some(s) if s.date() > today => Status::Announced,
            _ => Status::Held,
        });
        let last_day = end.as_ref().or(start.as_ref()).map(When::date);
        let upcoming = match last_day {
            None => status != Status::Cancelled,
            Some(d) => d >= today,
        };
        Schedule {
            start,
            end,
            status,
            upcoming,
        }
    }

    /// An organization named under `key`, noted in `names`.
    fn organization(
        &self,
        key: &str,
        name: &Text,
        names: &mut Mentions,
        d: &mut Diagnostics,
    ) -> Option<OrganizationId> {
        let id = names.organizations.note(name);
        if id.is_none() {
            d.push(self.doc.diagnostic(
                Diagnostic::error(format!("`{}` is not a usable organization name", name.0)),
                self.doc.value_span(key, name),
            ));
        }
        id.map(OrganizationId)
    }

    /// The organizations listed under `key` (`organizers`, `partners`).
    fn organizations(
        &self,
        key: &str,
        listed: &[Text],
        names: &mut Mentions,
        d: &mut Diagnostics,
    ) -> Vec<OrganizationId> {
        listed
            .iter()
            .filter_map(|n| self.organization(key, n, names, d))
            .collect()
    }

    /// Who spoke, under `speakers:` and in each session, and the sessions.
    fn appearances(
        &self,
        names: &mut Mentions,
        diags: &mut Diagnostics,
    ) -> (Vec<Appearance>, Vec<Session>) {
        let f = &self.doc.front;
        let mut appearances = Vec::new();
        let mut sessions = Vec::new();
        // (entry, mention, role) of each speaker listed so far, to tell one listed twice.
        let mut listed: Vec<(usize, u32, Role)> = Vec::with_capacity(f.speakers.0.len());
        for (i, a) in f.speakers.0.iter().enumerate() {
            let Some(appearance) =
                self.appearance(a, Role::Speaker, Entry::Listed(i), names, diags)
            else {
                continue;
            };
            let mention = appearance.speaker.0;
            let name = |m: u32| &names.speakers.names[m as usize];
            // A repeat with a privacy setting of its own is kept: its protection holds.
            let twice = listed.iter().find(|&&(_, m, role)| {
                role == appearance.role
                    && a.privacy.is_none()
                    && name(m).key() == name(mention).key()
            });
            if let Some(&(first, m, _)) = twice {
                let first_line = self.doc.list_item_span("speakers", first).line;
                let (now, then) = (name(mention).cleaned(), name(m).cleaned());
                let spelt = if now == then {
                    String::new()
                } else {
                    format!(", as `{then}`")
                };
                diags.push(self.doc.diagnostic(
                    Diagnostic::warning(format!(
                        "`{now}` is listed already among the speakers (line {first_line}{spelt}); shown once"
                    ))
                    .with_help("remove the repeated entry; someone who also moderates or speaks in a session is listed under that session"),
                    self.doc.list_item_span("speakers", i),
                ));
                continue;
            }
            listed.push((i, mention, appearance.role));
            appearances.push(appearance);
        }
        for (i, s) in f.sessions.0.iter().enumerate() {
            let Some(title) = text(&s.title) else {
                diags.push(
                    self.doc.diagnostic(
                        Diagnostic::error("a session has no `title`")
                            .with_help("give every session a `title:`"),
                        self.doc.list_item_span("sessions", i),
                    ),
                );
                continue;
            };
            sessions.push(Session {
                title,
                time: text(&s.time),
                summary: text(&s.summary),
                untranslated: [false; 2],
            });
            if let Some(m) = &s.moderator {
                appearances.extend(self.appearance(
                    m,
                    Role::Moderator,
                    Entry::InSession(i),
                    names,
                    diags,
                ));
            }
            // (mention, role) of each panelist of this session so far, to tell one listed
            // twice (a line copied) as at the top.
            let mut panel: Vec<(u32, Role)> = Vec::with_capacity(s.speakers.0.len());
            for a in &s.speakers.0 {
                let Some(appearance) =
                    self.appearance(a, Role::Panelist, Entry::InSession(i), names, diags)
                else {
                    continue;
                };
                let mention = appearance.speaker.0;
                let name = |m: u32| &names.speakers.names[m as usize];
                let twice = a.privacy.is_none()
                    && panel.iter().any(|&(m, role)| {
                        role == appearance.role && name(m).key() == name(mention).key()
                    });
                if twice {
                    diags.push(
                        self.doc.diagnostic(
                            Diagnostic::warning(format!(
                                "`{}` is listed twice among this session's speakers; shown once",
                                name(mention).cleaned()
                            ))
                            .with_help("remove the repeated entry"),
                            self.doc
                                .value_span("sessions", a.name.as_deref().unwrap_or_default()),
                        ),
                    );
                    continue;
                }
                panel.push((mention, appearance.role));
                appearances.push(appearance);
            }
        }
        (appearances, sessions)
    }

    /// One entry of a speakers list; `None` when it names nobody usable.
    fn appearance(
        &self,
        a: &AppearanceFront,
        default_role: Role,
        entry: Entry,
        names: &mut Mentions,
        d: &mut Diagnostics,
    ) -> Option<Appearance> {
        let doc = self.doc;
        let session = match entry {
            Entry::Listed(_) => None,
            Entry::InSession(i) => Some(i),
        };
        let Some(name) = a.name.as_ref().filter(|n| !n.trim().is_empty()) else {
            let (message, span) = match entry {
                Entry::Listed(i) => (
                    "a speaker entry has no `name`",
                    doc.list_item_span("speakers", i),
                ),
                Entry::InSession(i) => (
                    "a speaker entry of this session has no `name`",
                    doc.list_item_span("sessions", i),
                ),
            };
            d.push(
                doc.diagnostic(
                    Diagnostic::error(message)
                        .with_help("every entry under `speakers:` needs `name: Full Name`"),
                    span,
                ),
            );
            return None;
        };
        if let Some(people) = super::names::two_people(name) {
            d.push(
                doc.diagnostic(
                    Diagnostic::warning(format!(
                        "`{}` looks like {} people in one name",
                        name.trim(),
                        people.len()
                    ))
                    .with_help(format!(
                        "give each person an entry of their own: {}",
                        people
                            .iter()
                            .map(|p| format!("`- name: {p}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    doc.value_span("speakers", name),
                ),
            );
        }
        let Some(speaker) = names.speakers.note(name) else {
            d.push(doc.diagnostic(
                Diagnostic::error(format!("`{}` is not a usable name", name.0)),
                doc.value_span("speakers", name),
            ));
            return None;
        };
        let role = match &a.role {
            None => default_role,
            Some(r) => match Role::parse(r) {
                Some(role) => role,
                None => {
                    let hint = did_you_mean(&r.to_ascii_lowercase(), Role::NAMES)
                        .map(|b| format!("did you mean `{b}`? "))
                        .unwrap_or_default();
                    d.push(doc.diagnostic(
                        Diagnostic::error(format!("unknown role `{}`", r.0)).with_help(format!(
                            "{hint}a role is one of: {}",
                            Role::NAMES.join(", ")
                        )),
                        doc.value_span("speakers", r),
                    ));
                    default_role
                }
            },
        };
        let organization = a
            .organization
            .as_ref()
            .filter(|o| !o.trim().is_empty())
            .and_then(|o| self.organization("speakers", o, names, d));
        let privacy = match &a.privacy {
            None => Privacy::Public,
            Some(p) => Privacy::parse(p).unwrap_or_else(|| {
                d.push(doc.diagnostic(unknown_privacy(p), doc.value_span("speakers", p)));
                Privacy::Unlisted
            }),
        };
        Some(Appearance {
            speaker: SpeakerId(speaker),
            role,
            title: text(&a.title),
            organization,
            topic: text(&a.topic),
            session,
            privacy,
            untranslated: false,
            original_title: None,
        })
    }

    fn topics(&self, names: &mut Mentions, diags: &mut Diagnostics) -> Vec<TopicId> {
        let doc = self.doc;
        doc.front
            .topics
            .0
            .iter()
            .filter_map(|t| {
                let id = names.topics.note(t).map(TopicId);
                if id.is_none() {
                    diags.push(
                        doc.diagnostic(
                            Diagnostic::error(format!(
                                "cannot make a URL from the topic `{}`",
                                t.0
                            ))
                            .with_help("a topic needs letters or digits"),
                            doc.value_span("topics", t),
                        ),
                    );
                }
                id
            })
            .collect()
    }

    fn series(&self, names: &mut Mentions, diags: &mut Diagnostics) -> Option<SeriesId> {
        let doc = self.doc;
        let s = doc.front.series.as_ref()?;
        let id = names.series.note(s).map(SeriesId);
        if id.is_none() {
            diags.push(
                doc.diagnostic(
                    Diagnostic::error(format!("cannot make a URL from the series `{}`", s.0))
                        .with_help("a series name needs letters or digits"),
                    doc.key_span("series"),
                ),
            );
        }
        id
    }

    /// Where the report was first published, if it says.
    fn source(&self, diags: &mut Diagnostics) -> Option<Source> {
        let doc = self.doc;
        let s = doc.front.source.as_ref()?;
        let date = s.date.as_ref().and_then(|d| {
            match dates::parse_when(d, &self.site.timezone, &self.site.timezone_name) {
                Ok(w) => Some(w.date()),
                Err(why) => {
                    diags.push(doc.diagnostic(
                        Diagnostic::error(format!("`source.date`: {why}")),
                        doc.value_span("source", d),
                    ));
                    None
                }
            }
        });
        Some(Source {
            publisher: text(&s.publisher),
            title: text(&s.title),
            date,
            url: s
                .url
                .as_ref()
                .and_then(|u| checked_url(doc, "source", u, diags)),
        })
    }
}

/// `2025/Khankendi Forum.md` -> `2025/khankendi-forum`; `slug:` replaces the last segment.
fn forum_path(doc: &Document<ReportFront>, diags: &mut Diagnostics) -> Option<String> {
    let mut segments: Vec<String> = Vec::new();
    let components: Vec<&str> = doc.relative.iter().filter_map(|c| c.to_str()).collect();
    for (i, c) in components.iter().enumerate() {
        let is_last = i + 1 == components.len();
        let raw = if is_last {
            c.strip_suffix(".md").unwrap_or(c)
        } else {
            c
        };
        let slug = slug::fit(slug::slugify(raw));
        if slug.is_empty() {
            diags.push(
                doc.diagnostic(
                    Diagnostic::error(format!("cannot make a URL from the name `{raw}`"))
                        .with_help(
                            "rename the file or folder with letters or digits, or set `slug:`",
                        ),
                    doc.key_span("slug"),
                ),
            );
            return None;
        }
        segments.push(slug);
    }
    if let Some(custom) = &doc.front.slug {
        if let Err(why) = slug::check_slug(custom) {
            diags.push(doc.diagnostic(
                Diagnostic::error(format!("invalid slug `{}`: {why}", custom.0))
                    .with_help("a slug is one path segment of lower-case letters, digits and hyphens, such as `khankendi-ngo-forum`"),
                doc.key_span("slug"),
            ));
            return None;
        }
        *segments.last_mut()? = custom.0.clone();
    }
    Some(segments.join("/"))
}

/// The error for a `privacy:` value that is not one of the levels.
pub(super) fn unknown_privacy(written: &str) -> Diagnostic {
    let hint = did_you_mean(&written.trim().to_ascii_lowercase(), Privacy::NAMES)
        .map(|b| format!("did you mean `{b}`? "))
        .unwrap_or_default();
    Diagnostic::error(format!("unknown privacy setting `{}`", written.trim())).with_help(format!(
        "{hint}a privacy setting is one of: {} (see docs/privacy.md)",
        Privacy::NAMES.join(", ")
    ))
}

/// `x.AZ.md` or `x.az-Latn.md`, read as a report because a translation's language code is
/// lower case with no region (`x.az.md`): the name and code it was likely meant to have.
fn translation_spelled_otherwise(file: &std::path::Path) -> Option<(String, String)> {
    let stem = file.file_stem()?.to_str()?;
    let (base, code) = stem.rsplit_once('.')?;
    let primary = code.split(['-', '_']).next()?;
    let language_like = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let lower = primary.to_ascii_lowercase();
    (language_like && !base.is_empty() && code != lower).then(|| (base.to_string(), lower))
}

#[cfg(test)]
mod tests {
    use super::super::{Today, build_model};
    use super::*;
    use crate::load::{Content, parse_document};
    use std::path::PathBuf;

    #[test]
    fn a_text_the_forum_takes_is_trimmed_as_a_copied_one() {
        for written in [
            "",
            "  ",
            "Alpha",
            " Alpha ",
            "Alpha\n",
            "\tAlpha Forum",
            "A  B",
        ] {
            let t = Some(Text(written.to_string()));
            assert_eq!(owned_text(t.clone()), text(&t), "{written:?}");
        }
        assert_eq!(owned_text(None), None);
    }

    #[test]
    fn a_translation_named_in_capitals_or_with_a_region_is_recognised() {
        let spelled = |name: &str| translation_spelled_otherwise(std::path::Path::new(name));
        assert_eq!(
            spelled("content/forums/2025/x.AZ.md"),
            Some(("x".into(), "az".into()))
        );
        assert_eq!(
            spelled("content/forums/2025/x.az-Latn.md"),
            Some(("x".into(), "az".into()))
        );
        for not in [
            "x.md",
            "x.az.md",
            "x.v2.md",
            "forum.2025.md",
            ".AZ.md",
            "x.final.md",
        ] {
            assert_eq!(spelled(not), None, "{not}");
        }
    }

    /// Reports read side by side must give every entity the id, name, spellings and count
    /// it gets when each name is registered one report after the other, in file order.
    #[test]
    fn names_read_in_parallel_are_registered_as_one_report_after_the_other() {
        // Ann Lee's profile takes a Cyrillic spelling whose key is not hers; the spellings
        // come in turns, within a report and across reports.
        let profile = "---\nname: Ann Lee\naliases: [Энн Ли]\n---\n";
        let texts: Vec<String> = (0..40)
            .map(|i| {
                let ann = ["Ann Lee", "Энн Ли", "ANN  LEE", "Ann Lée"][i % 4];
                let other = ["Ann Lée", "Энн Ли", "Ann Lee"][i % 3];
                format!(
                    "---\ntitle: Forum {i}\ndate: 2025-03-{:02}\nseries: Spring {}\n\
                     topics: [Water, water, \"WATER \", Air {}]\n\
                     organizers: [Org {}, \"org  {}\"]\n\
                     speakers:\n  - name: {ann}\n    organization: Org {}\n  - name: Person {}\n\
                     sessions:\n  - title: S\n    moderator: {{name: {other}}}\n\
                     \x20   speakers: [Person {}]\n---\nText.\n",
                    i % 28 + 1,
                    i % 3,
                    i % 5,
                    i % 7,
                    i % 4,
                    i % 6,
                    i % 9,
                    i % 11,
                )
            })
            .collect();
        let reports: Vec<_> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let file = PathBuf::from(format!("content/forums/2025/f{i:02}.md"));
                parse_document(&file, PathBuf::from(format!("2025/f{i:02}.md")), t).unwrap()
            })
            .collect();
        let speaker_profile = parse_document(
            std::path::Path::new("content/speakers/ann-lee.md"),
            PathBuf::from("ann-lee.md"),
            profile,
        )
        .unwrap();
        let content = Content {
            reports: reports.clone(),
            speakers: vec![speaker_profile],
            ..Content::default()
        };
        let today = Today::Fixed(jiff::civil::date(2025, 11, 1));
        let model = build_model(content, today).unwrap().0;

        // The same names, registered one report after the other.
        let mut speakers = Registry::default();
        speakers
            .add_profile(
                "ann-lee".into(),
                "Ann Lee".into(),
                &["Энн Ли".into()],
                &["ann-lee".into()],
                "content/speakers/ann-lee.md".into(),
            )
            .unwrap();
        let mut organizations = Registry::default();
        let mut topics = Registry::default();
        let mut series = Registry::default();
        for doc in &reports {
            let f: &ReportFront = &doc.front;
            for o in f.organizers.0.iter().chain(&f.partners.0) {
                organizations.mention(o);
            }
            let mut appearance = |a: &AppearanceFront| {
                speakers.mention(a.name.as_ref().unwrap());
                if let Some(o) = &a.organization {
                    organizations.mention(o);
                }
            };
            f.speakers.0.iter().for_each(&mut appearance);
            for s in &f.sessions.0 {
                s.moderator.iter().for_each(&mut appearance);
                s.speakers.0.iter().for_each(&mut appearance);
            }
            for t in &f.topics.0 {
                topics.mention(t);
            }
            if let Some(s) = &f.series {
                series.mention(s);
            }
        }
        let shown =
            |e: &super::super::resolve::Entry| (e.slug.clone(), e.name.clone(), e.aliases.clone());
        let speakers_seen: Vec<_> = model
            .speakers
            .iter()
            .map(|s| (s.slug.clone(), s.name.clone(), s.aliases.clone()))
            .collect();
        assert_eq!(
            speakers_seen,
            speakers.entries.iter().map(shown).collect::<Vec<_>>()
        );
        assert!(speakers_seen[0].2.len() >= 3, "{speakers_seen:?}");
        let orgs_seen: Vec<_> = model
            .organizations
            .iter()
            .map(|o| (o.slug.clone(), o.name.clone(), o.aliases.clone()))
            .collect();
        assert_eq!(
            orgs_seen,
            organizations.entries.iter().map(shown).collect::<Vec<_>>()
        );
        let terms = |t: &[Term]| t.iter().map(|t| t.slug.clone()).collect::<Vec<_>>();
        let slugs = |r: &Registry| r.entries.iter().map(|e| e.slug.clone()).collect::<Vec<_>>();
        assert_eq!(terms(&model.topics), slugs(&topics));
        assert_eq!(terms(&model.series), slugs(&series));
        // "Water", "water" and "WATER " are one topic, listed once on the forum.
        for f in &model.forums {
            assert_eq!(f.topics.len(), 2, "{}: {:?}", f.title, f.topics);
            let first = f.appearances[0].speaker;
            assert_eq!(model.speaker(first).slug, "ann-lee");
        }
    }
}
