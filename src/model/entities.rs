//! The entities a site is made of: forums, and the speakers, organizations, topics and
//! series they connect. Plain data, fully built before anyone reads it; ids are indexes into
//! the `Model`'s vectors, so edges are cheap to store and follow in both directions.

use crate::load::Asset;
use jiff::civil;
use std::path::PathBuf;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
id_type!(ForumId);
id_type!(SpeakerId);
id_type!(OrganizationId);
id_type!(TopicId);
id_type!(SeriesId);

/// Markdown source kept with its position, rendered by the `render` stage (which knows URLs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Markdown {
    /// The words (perhaps still in the document cache until a page needs them), and what
    /// scans of them found (`crate::load::Text`).
    pub source: crate::load::Text,
    pub file: PathBuf,
    /// Line of the file on which `source` starts, to position warnings about its links.
    pub first_line: usize,
    /// Output folder (relative to the output root, `/`-separated) that relative links in the
    /// source resolve against: the folder the file sits in.
    pub base_dir: String,
}

/// Forums per list page unless `paginate:` says otherwise: enough to scroll through, few
/// enough that the busiest organization's page stays well under 100 kB.
pub const DEFAULT_PAGINATE: usize = 30;

/// The most forums `paginate:` may put on one page: a number past any site's size would
/// only be a typo.
pub const MAX_PAGINATE: i64 = 100_000;

/// Site settings from `content/_index.md`, with defaults filled in and values checked.
#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub description: Option<String>,
    /// Absolute URL with a trailing slash: `https://example.org/archive/`.
    pub base_url: String,
    /// Path part of `base_url`, with leading and trailing slash: `/archive/`.
    pub base_path: String,
    pub language: String,
    pub timezone_name: String,
    pub timezone: jiff::tz::TimeZone,
    pub theme: String,
    pub author: Option<String>,
    /// Forums per page on the pages that list them (`paginate:`, default `DEFAULT_PAGINATE`).
    pub paginate: usize,
    /// The default sharing image (`image:`), relative to `content/`.
    pub image: Option<String>,
    /// `images:`: widths, quality, originals.
    pub images: crate::images::ImageSettings,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub intro: Markdown,
    /// The settings file's digest (0 without one).
    pub digest: u64,
}

/// When a forum starts or ends: a civil date (never shifted by any time zone), or a precise
/// moment with the offset it was written with.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    Date(civil::Date),
    DateTime(jiff::ZonedDateTime),
}

impl When {
    /// Whether an end at `self` comes before a start at `start`. Two moments compare as
    /// moments (offsets included); a plain date compares by day, so a timed start and a
    /// date-only end on the same day are fine.
    pub fn ends_before(&self, start: &When) -> bool {
        match (start, self) {
            (When::DateTime(a), When::DateTime(b)) => b.timestamp() < a.timestamp(),
            _ => self.date() < start.date(),
        }
    }

    pub fn date(&self) -> civil::Date {
        match self {
            When::Date(d) => *d,
            When::DateTime(z) => z.date(),
        }
    }

    /// A sort key that orders dates and date-times on one line (dates at midnight).
    pub fn sort_key(&self) -> civil::DateTime {
        match self {
            When::Date(d) => d.to_datetime(civil::Time::midnight()),
            When::DateTime(z) => z.datetime(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Held,
    Announced,
    Postponed,
    Cancelled,
}

impl Status {
    pub const NAMES: [&'static str; 4] = ["held", "announced", "postponed", "cancelled"];

    pub fn parse(s: &str) -> Option<Status> {
        match s.trim().to_ascii_lowercase().as_str() {
            "held" => Some(Status::Held),
            "announced" => Some(Status::Announced),
            "postponed" => Some(Status::Postponed),
            "cancelled" | "canceled" => Some(Status::Cancelled),
            _ => None,
        }
    }

    /// The help for a status that `parse` refused: the nearest name, then every name.
    pub fn unknown_help(written: &str) -> String {
        let hint = crate::diagnostic::did_you_mean(&written.to_ascii_lowercase(), Status::NAMES)
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        format!("{hint}a status is one of: {}", Status::NAMES.join(", "))
    }

    pub fn as_str(self) -> &'static str {
        Status::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Host,
    Moderator,
    Speaker,
    Panelist,
    Video,
}

impl Role {
    pub const NAMES: [&'static str; 5] = ["host", "moderator", "speaker", "panelist", "video"];

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "host" => Some(Role::Host),
            "moderator" => Some(Role::Moderator),
            "speaker" => Some(Role::Speaker),
            "panelist" => Some(Role::Panelist),
            "video" => Some(Role::Video),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Role::NAMES[self as usize]
    }
}

/// How much of a person the site may show (`privacy:` on a profile or on one speaker entry;
/// see docs/privacy.md). Ordered from least to most protective: the stricter setting wins.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Privacy {
    #[default]
    Public,
    /// No portrait anywhere, and the image file is not published.
    NoPhoto,
    /// Shown as initials, on a page at an address that reveals nothing of the name.
    Initials,
    /// No page; an unnamed participant in the report, and nowhere else.
    Unlisted,
}

impl Privacy {
    pub const NAMES: [&'static str; 4] = ["public", "no-photo", "initials", "unlisted"];

    pub fn parse(s: &str) -> Option<Privacy> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "public" => Some(Privacy::Public),
            "no-photo" | "nophoto" => Some(Privacy::NoPhoto),
            "initials" => Some(Privacy::Initials),
            "unlisted" => Some(Privacy::Unlisted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Privacy::NAMES[self as usize]
    }

    /// Whether the name itself is withheld (initials or unlisted).
    pub fn hides_name(self) -> bool {
        self >= Privacy::Initials
    }
}

/// One person's part in one forum, as it was then: their title and organization at the
/// time, which may differ from forum to forum.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    pub speaker: SpeakerId,
    pub role: Role,
    pub title: Option<String>,
    pub organization: Option<OrganizationId>,
    pub topic: Option<String>,
    /// Index into the forum's `sessions`, for appearances inside a panel.
    pub session: Option<usize>,
    /// As written on the entry; after the model is built, the stricter of the entry's and
    /// the person's setting (an `Unlisted` one has become an `Unnamed`).
    pub privacy: Privacy,
    /// In a model of another language (`i18n::localize`): the title or topic is shown in
    /// the original's language, the report's translation having none for it.
    pub untranslated: bool,
    /// In a model of another language: the original title, when the report's translation
    /// gives `title` in its place (a title is the same post in every language).
    pub original_title: Option<Box<str>>,
}

/// A part played by someone who must not be named (`privacy: unlisted`): the report shows
/// "a participant", with the organization they spoke for, and nothing else of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Unnamed {
    pub role: Role,
    pub organization: Option<OrganizationId>,
    pub session: Option<usize>,
    /// Tells people apart for counts ("3 more participants") without saying who they are.
    pub person: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub title: String,
    pub time: Option<String>,
    pub summary: Option<String>,
    /// On a page in another language: whether the title, and the summary, are the
    /// original's because the translation gives the forum's other sessions but not these.
    pub untranslated: [bool; 2],
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub publisher: Option<String>,
    pub title: Option<String>,
    pub date: Option<civil::Date>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Forum {
    pub id: ForumId,
    pub file: PathBuf,
    /// The forum's place under `/forums/`: its path in `content/forums/` without `.md`,
    /// slugified, with `slug:` replacing the last segment (`2025/khankendi-ngo-forum`).
    pub path: String,
    pub title: String,
    pub start: Option<When>,
    pub end: Option<When>,
    pub status: Status,
    pub series: Option<SeriesId>,
    pub theme: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub organizers: Vec<OrganizationId>,
    pub partners: Vec<OrganizationId>,
    pub appearances: Vec<Appearance>,
    /// Parts played by people who must not be named, in the order written.
    pub unnamed: Vec<Unnamed>,
    pub sessions: Vec<Session>,
    pub topics: Vec<TopicId>,
    pub source: Option<Source>,
    pub summary: Option<String>,
    pub image: Option<String>,
    pub aliases: Vec<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: Markdown,
    /// Upcoming relative to the build's "today": announced, or not yet over.
    pub upcoming: bool,
    /// The report file's digest.
    pub digest: u64,
    /// A digest of the report's front matter (and of its translations): everything about it
    /// but its body, which is all that the open data, the feeds, the calendars and the
    /// sitemap show of it.
    pub front_digest: u64,
}

impl Forum {
    /// Chronological order; undated (announced) forums sort after every dated one.
    pub fn sort_key(&self) -> (bool, Option<jiff::civil::DateTime>, &str) {
        (
            self.start.is_none(),
            self.start.as_ref().map(When::sort_key),
            &self.path,
        )
    }

    pub fn year(&self) -> Option<i16> {
        self.start.as_ref().map(|w| w.date().year())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrganizationKind {
    Government,
    Ngo,
    Foundation,
    Company,
    International,
    Media,
    Academic,
    Other,
}

impl OrganizationKind {
    pub const NAMES: [&'static str; 8] = [
        "government",
        "ngo",
        "foundation",
        "company",
        "international",
        "media",
        "academic",
        "other",
    ];

    pub fn parse(s: &str) -> Option<OrganizationKind> {
        use OrganizationKind::*;
        let all = [
            Government,
            Ngo,
            Foundation,
            Company,
            International,
            Media,
            Academic,
            Other,
        ];
        let s = s.trim().to_ascii_lowercase();
        all.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        OrganizationKind::NAMES[self as usize]
    }
}

#[derive(Debug, Clone)]
pub struct Speaker {
    pub id: SpeakerId,
    pub slug: String,
    pub name: String,
    /// Other spellings seen or declared, excluding `name`.
    pub aliases: Vec<String>,
    /// Old URLs of the page, kept as redirects.
    pub redirects: Vec<String>,
    pub bio: Option<Markdown>,
    pub photo: Option<String>,
    pub links: Vec<Link>,
    pub profile: Option<PathBuf>,
    /// The profile file's digest (0 without a profile).
    pub digest: u64,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// (forum, index into its appearances), chronological.
    pub appearances: Vec<(ForumId, usize)>,
    /// Organizations represented at any forum, by name.
    pub organizations: Vec<OrganizationId>,
    /// The person's own setting (`privacy:` in the profile).
    pub privacy: Privacy,
    /// Whether the person is in the site's lists (indexes, sitemap, API, search, other
    /// people's connections). False for someone shown as initials: their page exists, reached
    /// only from the reports they spoke at, and asks search engines not to index it.
    pub listed: bool,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: OrganizationId,
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Old URLs of the page, kept as redirects.
    pub redirects: Vec<String>,
    pub kind: Option<OrganizationKind>,
    pub parent: Option<OrganizationId>,
    pub children: Vec<OrganizationId>,
    pub description: Option<Markdown>,
    pub website: Option<String>,
    pub logo: Option<String>,
    pub links: Vec<Link>,
    pub profile: Option<PathBuf>,
    /// The profile file's digest (0 without a profile).
    pub digest: u64,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Chronological lists of forums by the part the organization played.
    pub organized: Vec<ForumId>,
    pub partnered: Vec<ForumId>,
    /// (forum, appearance index) of everyone who spoke for it.
    pub spoke_at: Vec<(ForumId, usize)>,
    /// Everyone who ever represented it, by name.
    pub people: Vec<SpeakerId>,
    /// How many more people represented it who are not named (privacy settings).
    pub unnamed_people: usize,
}

impl Organization {
    /// Every forum it took part in, in any way, chronological and without repeats.
    ///
    /// The three lists are chronological, and a forum's id is its place in time, so they are
    /// merged rather than sorted: pages, feeds and fingerprints ask for this for every
    /// organization, and sorting an organization's thousands of appearances each time was
    /// 1.7 % of a fresh build at 100,000 reports.
    pub fn forums(&self) -> Vec<ForumId> {
        let spoke_at: Vec<ForumId> = self.spoke_at.iter().map(|(f, _)| *f).collect();
        let lists = [&self.organized[..], &self.partnered[..], &spoke_at[..]];
        let mut all = Vec::with_capacity(lists.iter().map(|l| l.len()).sum());
        if !lists.iter().all(|l| l.is_sorted()) {
            // Not expected; the order is what matters, not how it is reached.
            all.extend(lists.iter().flat_map(|l| l.iter().copied()));
            all.sort_unstable();
            all.dedup();
            return all;
        }
        let mut at = [0usize; 3];
        loop {
            let next = (0..3).filter_map(|i| lists[i].get(at[i]).copied()).min();
            let Some(next) = next else { break };
            all.push(next);
            for i in 0..3 {
                while lists[i].get(at[i]) == Some(&next) {
                    at[i] += 1;
                }
            }
        }
        all
    }
}

/// A topic or a series: a named group of forums.
#[derive(Debug, Clone)]
pub struct Term {
    pub slug: String,
    pub name: String,
    /// Chronological.
    pub forums: Vec<ForumId>,
}

/// A plain page such as `content/about.md`.
#[derive(Debug, Clone)]
pub struct InfoPage {
    pub file: PathBuf,
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub aliases: Vec<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: Markdown,
    pub digest: u64,
}

/// The whole site, resolved: what `render` turns into pages.
#[derive(Debug, Clone)]
pub struct Model {
    pub site: Site,
    pub today: civil::Date,
    /// In chronological order, so `ForumId`s sort by date.
    pub forums: Vec<Forum>,
    /// In the order their names were first registered (profiles, then reports in file order).
    pub speakers: Vec<Speaker>,
    pub organizations: Vec<Organization>,
    pub topics: Vec<Term>,
    pub series: Vec<Term>,
    pub pages: Vec<InfoPage>,
    pub assets: Vec<Asset>,
    /// Output paths of the files beside the content that only drafts link to, left out of
    /// the site (see `drafts`).
    pub withheld: Vec<String>,
    /// The draft reports and pages, as links name them (`forums/2025/x`): left out of the
    /// site, but a link to one is told as such.
    pub drafts: Vec<String>,
    /// The names of protected people and what to show instead (see `crate::privacy`).
    pub redactions: std::sync::Arc<crate::privacy::Redactions>,
    /// The site's languages and the texts in each (see `crate::i18n`).
    pub translations: std::sync::Arc<Translations>,
    /// Which language this model is in, and which of its texts are untranslated.
    pub localized: Localized,
}

impl Model {
    /// A digest of everything in the model but the reports' bodies: the settings, "today",
    /// who is protected, every report's front matter and file, every profile, name and
    /// plain page. The model is made from these and the bodies, and nothing in it but the
    /// texts comes from the bodies, so whatever is drawn from the model without its texts
    /// (related forums and careers, the open data, the feeds and calendars, the sitemap) is
    /// the same while this digest is.
    pub fn digest_without_bodies(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        (
            self.site.digest,
            self.today.to_string(),
            self.redactions.digest,
        )
            .hash(&mut h);
        self.forums.len().hash(&mut h);
        // A path hashed as its bytes: `Path`'s own hash goes component by component, which
        // made hashing 100,000 paths a third of this digest.
        for f in &self.forums {
            (f.front_digest, f.file.as_os_str(), f.upcoming).hash(&mut h);
        }
        self.speakers.len().hash(&mut h);
        for s in &self.speakers {
            (s.digest, &s.slug, &s.name, s.listed, s.privacy, &s.profile).hash(&mut h);
        }
        self.organizations.len().hash(&mut h);
        for o in &self.organizations {
            let kind = o.kind.map(|k| k.as_str());
            (o.digest, &o.slug, &o.name, kind, &o.profile).hash(&mut h);
        }
        for t in self.topics.iter().chain(&self.series) {
            (&t.slug, &t.name).hash(&mut h);
        }
        for p in &self.pages {
            (p.digest, p.file.as_os_str()).hash(&mut h);
        }
        h.finish()
    }

    pub fn forum(&self, id: ForumId) -> &Forum {
        &self.forums[id.index()]
    }
    pub fn speaker(&self, id: SpeakerId) -> &Speaker {
        &self.speakers[id.index()]
    }
    pub fn organization(&self, id: OrganizationId) -> &Organization {
        &self.organizations[id.index()]
    }
    pub fn topic(&self, id: TopicId) -> &Term {
        &self.topics[id.index()]
    }
    pub fn series_of(&self, id: SeriesId) -> &Term {
        &self.series[id.index()]
    }
}

/// A report's reader-facing text in another language (`<name>.<code>.md`). Facts stay with
/// the original; whatever a translation leaves out falls back to the original's text.
#[derive(Debug, Clone, Default)]
pub struct ForumText {
    pub lang: String,
    pub file: PathBuf,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub theme: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub source_title: Option<String>,
    /// By position: (title, summary) of the original's first, second... session.
    pub sessions: Vec<(Option<String>, Option<String>)>,
    /// By the speaker's slug: (title, topic) of their appearances.
    pub speakers: Vec<(String, Option<String>, Option<String>)>,
    pub body: Option<Markdown>,
}

/// A speaker's or organization's profile in another language: the name in that language and
/// script, and the biography or description.
#[derive(Debug, Clone, Default)]
pub struct ProfileText {
    pub lang: String,
    pub file: PathBuf,
    pub name: Option<String>,
    pub body: Option<Markdown>,
}

/// A plain page, or the site's settings (title, description, home introduction), in another
/// language.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    pub lang: String,
    pub file: PathBuf,
    pub title: Option<String>,
    /// A page's summary; the site's description.
    pub summary: Option<String>,
    pub body: Option<Markdown>,
    /// Site only: topic and series names, original -> translated.
    pub topic_names: std::collections::BTreeMap<String, String>,
    pub series_names: std::collections::BTreeMap<String, String>,
}

/// The site's languages and every translation, by original: reports and pages by file,
/// profiles by slug (ids change when `privacy` withholds someone). See `crate::i18n`.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    /// The site's languages, the default (the originals' language) first.
    pub languages: Vec<String>,
    pub site: Vec<PageText>,
    pub forums: std::collections::HashMap<PathBuf, Vec<ForumText>>,
    pub speakers: std::collections::HashMap<String, Vec<ProfileText>>,
    pub organizations: std::collections::HashMap<String, Vec<ProfileText>>,
    pub pages: std::collections::HashMap<PathBuf, Vec<PageText>>,
}

impl Translations {
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }
}

/// Which texts of an entity, on a page in another language, are the original's (shown
/// marked with the original's language): all false on a page in the default language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Untranslated {
    pub title: bool,
    pub summary: bool,
    pub theme: bool,
    /// The whole place (every part of it there is).
    pub place: bool,
    /// Each part of the place (`venue`, `city`, `country`), where the translation gives some
    /// of them: a place reads `Hall, Баку, Azerbaijan`, the original's parts marked.
    pub place_parts: [bool; 3],
    pub body: bool,
    pub sessions: bool,
    pub source: bool,
    pub name: bool,
}

/// The language one model is rendered in and what of it is untranslated (`i18n::localize`);
/// empty lists mean "all translated" (the default language).
#[derive(Debug, Clone, Default)]
pub struct Localized {
    /// This model's language: the default language unless `i18n::localize` made it.
    pub lang: String,
    pub forums: Vec<Untranslated>,
    pub speakers: Vec<Untranslated>,
    pub organizations: Vec<Untranslated>,
    pub pages: Vec<Untranslated>,
    /// Topic and series names without a translation.
    pub topics: Vec<bool>,
    pub series: Vec<bool>,
    pub site: Untranslated,
}

impl Localized {
    pub fn forum(&self, id: ForumId) -> Untranslated {
        self.forums.get(id.0 as usize).copied().unwrap_or_default()
    }
    pub fn speaker(&self, id: SpeakerId) -> Untranslated {
        self.speakers
            .get(id.0 as usize)
            .copied()
            .unwrap_or_default()
    }
    pub fn organization(&self, id: OrganizationId) -> Untranslated {
        self.organizations
            .get(id.0 as usize)
            .copied()
            .unwrap_or_default()
    }
    pub fn page(&self, index: usize) -> Untranslated {
        self.pages.get(index).copied().unwrap_or_default()
    }
    pub fn topic(&self, id: TopicId) -> bool {
        self.topics.get(id.0 as usize).copied().unwrap_or(false)
    }
    pub fn series(&self, id: SeriesId) -> bool {
        self.series.get(id.0 as usize).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organization(organized: &[u32], partnered: &[u32], spoke_at: &[u32]) -> Organization {
        let ids = |l: &[u32]| l.iter().map(|&i| ForumId(i)).collect::<Vec<_>>();
        Organization {
            id: OrganizationId(0),
            slug: "o".into(),
            name: "O".into(),
            aliases: Vec::new(),
            redirects: Vec::new(),
            kind: None,
            parent: None,
            children: Vec::new(),
            description: None,
            website: None,
            logo: None,
            links: Vec::new(),
            profile: None,
            digest: 0,
            extra: Default::default(),
            organized: ids(organized),
            partnered: ids(partnered),
            spoke_at: spoke_at.iter().map(|&i| (ForumId(i), 0)).collect(),
            people: Vec::new(),
            unnamed_people: 0,
        }
    }

    #[test]
    fn an_organizations_forums_are_every_part_it_played_in_order_once_each() {
        let forums = |o: &Organization| o.forums().iter().map(|f| f.0).collect::<Vec<_>>();
        let o = organization(&[1, 5, 9], &[3, 5], &[1, 2, 2, 2, 7, 9, 12]);
        assert_eq!(forums(&o), [1, 2, 3, 5, 7, 9, 12]);
        assert_eq!(forums(&organization(&[], &[], &[])), Vec::<u32>::new());
        assert_eq!(forums(&organization(&[4], &[], &[])), [4]);
        // Out of order (not made so by the model): the same answer, sorted.
        assert_eq!(forums(&organization(&[9, 1], &[3], &[2, 1])), [1, 2, 3, 9]);
    }
}
