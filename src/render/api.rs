//! Open data: every forum, speaker and organization as JSON under `/api/`, each file
//! described by a JSON Schema shipped beside it (`/api/schema/*.json`, also in `docs/api.md`),
//! and every appearance as CSV for spreadsheets.
//!
//! Ids are the entities' URL slugs (a forum's id is its path under `/forums/`), so they are
//! stable as long as the URLs are, and every record carries its page's URL.

use super::routes::{Route, Urls};
use crate::connections::Connections;
use crate::model::*;
use crate::write::{Contents, OutputFile, Stream};
use rayon::prelude::*;
use serde::Serialize;

pub const FORUMS_SCHEMA: &str = include_str!("schema/forums.json");
pub const SPEAKERS_SCHEMA: &str = include_str!("schema/speakers.json");
pub const ORGANIZATIONS_SCHEMA: &str = include_str!("schema/organizations.json");
pub const QUOTES_SCHEMA: &str = include_str!("schema/quotes.json");

#[derive(Serialize)]
struct Named<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ApiAppearance<'a> {
    speaker: Named<'a>,
    role: Role,
    title: Option<&'a str>,
    organization: Option<Named<'a>>,
    topic: Option<&'a str>,
    session: Option<&'a str>,
}

#[derive(Serialize)]
struct ApiSource<'a> {
    publisher: Option<&'a str>,
    title: Option<&'a str>,
    date: Option<String>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct ApiForum<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    start: Option<String>,
    end: Option<String>,
    status: Status,
    upcoming: bool,
    series: Option<Named<'a>>,
    theme: Option<&'a str>,
    venue: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    organizers: Vec<Named<'a>>,
    partners: Vec<Named<'a>>,
    appearances: Vec<ApiAppearance<'a>>,
    sessions: Vec<&'a str>,
    topics: Vec<Named<'a>>,
    summary: Option<&'a str>,
    source: Option<ApiSource<'a>>,
    /// Ids of the related forums, best first.
    related: Vec<&'a str>,
    /// The report's reader-facing texts in the site's other languages (issue 12).
    translations: Vec<ApiForumText<'a>>,
}

/// A report's translation: what it says in one more language, and its page there.
#[derive(Serialize)]
struct ApiForumText<'a> {
    language: &'a str,
    url: String,
    title: Option<&'a str>,
    summary: Option<&'a str>,
    theme: Option<&'a str>,
    venue: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    /// The source's title.
    source_title: Option<&'a str>,
    /// The record's sessions in order, each with its title and summary as translated.
    sessions: Vec<ApiSessionText<'a>>,
    /// The record's appearances in order, each with its title and topic as translated.
    appearances: Vec<ApiAppearanceText<'a>>,
}

/// A session's texts in a translation: null where it leaves the original's.
#[derive(Serialize)]
struct ApiSessionText<'a> {
    title: Option<&'a str>,
    summary: Option<&'a str>,
}

/// An appearance's texts in a translation: null where it leaves the original's.
#[derive(Serialize)]
struct ApiAppearanceText<'a> {
    title: Option<&'a str>,
    topic: Option<&'a str>,
}

/// A profile's translation: the name in that language and script, and its page there.
#[derive(Serialize)]
struct ApiName<'a> {
    language: &'a str,
    url: String,
    name: Option<&'a str>,
}

/// `name` in every language a profile is translated into.
fn names<'a>(
    list: Option<&'a Vec<ProfileText>>,
    model: &Model,
    urls: &Urls,
    route: Route,
) -> Vec<ApiName<'a>> {
    let languages = &model.translations.languages;
    list.into_iter()
        .flatten()
        .map(|t| ApiName {
            language: &t.lang,
            url: urls
                .in_language(&super::routes::language_folder(&t.lang, languages))
                .permalink(route),
            name: t.name.as_deref(),
        })
        .collect()
}

#[derive(Serialize)]
struct ForumAppearance<'a> {
    forum: &'a str,
    role: Role,
    title: Option<&'a str>,
    organization: Option<&'a str>,
}

#[derive(Serialize)]
struct ApiSpeaker<'a> {
    id: &'a str,
    url: String,
    name: &'a str,
    translations: Vec<ApiName<'a>>,
    aliases: &'a [String],
    links: &'a [Link],
    organizations: Vec<&'a str>,
    appearances: Vec<ForumAppearance<'a>>,
    careers: Vec<ApiCareer<'a>>,
    often_with: Vec<ApiTogether<'a>>,
}

#[derive(Serialize)]
struct ApiCareer<'a> {
    title: Option<&'a str>,
    organization: Option<&'a str>,
    from: Option<i16>,
    to: Option<i16>,
    forums: Vec<&'a str>,
}

#[derive(Serialize)]
struct ApiTogether<'a> {
    id: &'a str,
    forums: u32,
}

#[derive(Serialize)]
struct ApiQuote<'a> {
    forum: &'a str,
    url: String,
    speaker: Named<'a>,
    title: Option<&'a str>,
    organization: Option<Named<'a>>,
    text: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct ApiOrganization<'a> {
    id: &'a str,
    url: String,
    name: &'a str,
    translations: Vec<ApiName<'a>>,
    kind: Option<OrganizationKind>,
    aliases: &'a [String],
    website: Option<&'a str>,
    parent: Option<&'a str>,
    children: Vec<&'a str>,
    organized: Vec<&'a str>,
    partnered: Vec<&'a str>,
    spoke_at: Vec<&'a str>,
    people: Vec<&'a str>,
    works_with: Vec<ApiTogether<'a>>,
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    #[serde(rename = "$schema")]
    schema: String,
    generated: String,
    site: &'a str,
    items: Vec<T>,
}

fn iso(w: &When) -> String {
    match w {
        When::Date(d) => d.to_string(),
        When::DateTime(z) => z.timestamp().display_with_offset(z.offset()).to_string(),
    }
}

/// How many records (or forums' CSV rows) are serialized, and kept, together.
const CHUNK: usize = 256;

/// Serialized records kept between `serve` rebuilds, a chunk at a time; a `None` chunk is
/// made again. After a report changed in place only its chunks are, not 65 MB of JSON.
#[derive(Debug, Default)]
pub struct Records {
    forums: Vec<Option<Vec<u8>>>,
    speakers: Vec<Option<Vec<u8>>>,
    organizations: Vec<Option<Vec<u8>>>,
    appearances: Vec<Option<Vec<u8>>>,
}

impl Records {
    /// Forget every chunk that shows the forum `id`, after `model::update_report` replaced
    /// it: its record, its CSV rows, and the records of the people who appeared (their
    /// appearances carry their titles and roles). Organizations' records list forums only by
    /// id, which such a change keeps.
    pub fn forum_changed(&mut self, model: &Model, id: ForumId) {
        forget(&mut self.forums, id.index());
        forget(&mut self.appearances, id.index());
        for a in &model.forum(id).appearances {
            forget(&mut self.speakers, a.speaker.index());
        }
    }
}

fn forget(chunks: &mut [Option<Vec<u8>>], index: usize) {
    if let Some(chunk) = chunks.get_mut(index / CHUNK) {
        *chunk = None;
    }
}

/// The API files, each handed to `sink` as soon as it is made. `kept` holds the chunks of an
/// earlier call for the same site (`serve`), which serves each file joined; without it (a
/// build) the large files are streamed: made as they are written, a batch of records at a
/// time (at 100,000 reports those of the forums alone are 400 MB).
pub fn files<'m>(
    model: &'m Model,
    urls: &'m Urls,
    connections: &'m Connections,
    kept: Option<&mut Records>,
    sink: &dyn Fn(OutputFile<'m>),
) {
    let emit = |name: &'static str, contents: Contents<'m>| {
        sink(OutputFile {
            path: Route::Api(name).output_file(),
            contents,
            origin: format!("open data {name}"),
        });
    };
    let forums = record_chunk(move |f| forum_record(model, urls, connections, f));
    let speakers = record_chunk(move |s| speaker_record(model, urls, connections, s));
    let organizations = record_chunk(move |o| organization_record(model, urls, connections, o));
    let rows = move |forums: &[Forum]| forum_rows(model, forums);
    let envelope = |schema| envelope(model, urls, schema);
    match kept {
        Some(kept) => {
            fill(&mut kept.forums, &model.forums, &forums);
            emit(
                "forums.json",
                joined(&kept.forums, envelope("schema/forums.json")),
            );
            fill(&mut kept.speakers, &model.speakers, &speakers);
            emit(
                "speakers.json",
                joined(&kept.speakers, envelope("schema/speakers.json")),
            );
            let schema = envelope("schema/organizations.json");
            fill(
                &mut kept.organizations,
                &model.organizations,
                &organizations,
            );
            emit("organizations.json", joined(&kept.organizations, schema));
            fill(&mut kept.appearances, &model.forums, rows);
            emit(
                "appearances.csv",
                joined(&kept.appearances, appearances_csv()),
            );
        }
        None => {
            let schema = envelope("schema/forums.json");
            emit("forums.json", streamed(schema, &model.forums, forums));
            let schema = envelope("schema/speakers.json");
            emit("speakers.json", streamed(schema, &model.speakers, speakers));
            let schema = envelope("schema/organizations.json");
            emit(
                "organizations.json",
                streamed(schema, &model.organizations, organizations),
            );
            emit(
                "appearances.csv",
                streamed(appearances_csv(), &model.forums, rows),
            );
        }
    }
    // A handful of quotes per report at most: never worth keeping between rebuilds.
    let quotes = quote_chunk(model, urls, connections);
    let schema = envelope("schema/quotes.json");
    emit("quotes.json", streamed(schema, &model.forums, quotes));
    let bytes = |b: Vec<u8>| Contents::Bytes(b);
    emit("schema/forums.json", bytes(FORUMS_SCHEMA.into()));
    emit("schema/speakers.json", bytes(SPEAKERS_SCHEMA.into()));
    emit(
        "schema/organizations.json",
        bytes(ORGANIZATIONS_SCHEMA.into()),
    );
    emit("schema/quotes.json", bytes(QUOTES_SCHEMA.into()));
}

/// How a file's chunks of records are framed: the bytes before them, between two of them and
/// after them.
struct Frame {
    head: Vec<u8>,
    between: &'static [u8],
    tail: &'static [u8],
}

impl Frame {
    /// Add `piece` to `out`, after the separator unless it is the `first`: a file's records
    /// are framed the same way whether its chunks are joined or streamed. An empty piece (a
    /// chunk of forums with no appearance) adds nothing.
    fn add(&self, out: &mut Vec<u8>, piece: &[u8], first: &mut bool) {
        if piece.is_empty() {
            return;
        }
        if !*first {
            out.extend_from_slice(self.between);
        }
        *first = false;
        out.extend_from_slice(piece);
    }
}

/// The file of the kept `chunks` in `frame`, joined (as `serve` serves it).
fn joined(chunks: &[Option<Vec<u8>>], mut frame: Frame) -> Contents<'static> {
    let mut out = std::mem::take(&mut frame.head);
    let mut first = true;
    for chunk in chunks.iter().flatten() {
        frame.add(&mut out, chunk, &mut first);
    }
    out.extend_from_slice(frame.tail);
    Contents::Bytes(out)
}

/// How many records a streamed file makes at once, in parallel, before writing them, in
/// pieces of `STREAMED_PIECE`: enough to keep every core busy, few enough that a batch of
/// the largest records (an organization's, 11 kB at 100,000 reports) is a few megabytes.
const STREAMED_BATCH: usize = 512;
const STREAMED_PIECE: usize = 32;

/// The file of `items` in `frame`, made by `make` a few records at a time as it is written
/// (see `Contents::Streamed`): the same bytes as `joined` of every chunk.
fn streamed<'m, I: Sync>(
    frame: Frame,
    items: &'m [I],
    make: impl Fn(&'m [I]) -> Vec<u8> + Send + Sync + 'm,
) -> Contents<'m> {
    Contents::Streamed(Stream::new(move |each| {
        let make_batch = |records: &'m [I]| -> Vec<Vec<u8>> {
            records.par_chunks(STREAMED_PIECE).map(&make).collect()
        };
        let mut batches = items.chunks(STREAMED_BATCH);
        let mut ready = batches.next().map(make_batch);
        let mut batch = frame.head.clone();
        let mut first = true;
        while let Some(pieces) = ready.take() {
            for piece in &pieces {
                frame.add(&mut batch, piece, &mut first);
            }
            // The next batch is made on the other cores while this one is written: the
            // kernel's copy of hundreds of megabytes would otherwise leave them idle.
            let next = batches.next();
            rayon::in_place_scope(|scope| {
                if let Some(records) = next {
                    scope.spawn(|_| ready = Some(make_batch(records)));
                }
                each(&batch);
            });
            batch.clear();
        }
        batch.extend_from_slice(frame.tail);
        each(&batch);
    }))
}

/// An organization as a record names it: its id, name and address.
fn organization_named<'m>(model: &'m Model, urls: &Urls, id: OrganizationId) -> Named<'m> {
    let o = model.organization(id);
    Named {
        id: &o.slug,
        name: &o.name,
        url: urls.permalink(Route::Organization(&o.slug)),
    }
}

/// A forum's record in `forums.json`.
fn forum_record<'m>(
    model: &'m Model,
    urls: &Urls,
    connections: &'m Connections,
    f: &'m Forum,
) -> ApiForum<'m> {
    ApiForum {
        translations: model
            .translations
            .forums
            .get(&f.file)
            .into_iter()
            .flatten()
            .map(|t| ApiForumText {
                language: &t.lang,
                url: urls
                    .in_language(&super::routes::language_folder(
                        &t.lang,
                        &model.translations.languages,
                    ))
                    .permalink(Route::Forum(&f.path)),
                title: t.title.as_deref(),
                summary: t.summary.as_deref(),
                theme: t.theme.as_deref(),
                venue: t.venue.as_deref(),
                city: t.city.as_deref(),
                country: t.country.as_deref(),
                source_title: t.source_title.as_deref(),
                sessions: (0..f.sessions.len())
                    .map(|i| {
                        let (title, summary) = t
                            .sessions
                            .get(i)
                            .map_or((None, None), |(t, s)| (t.as_deref(), s.as_deref()));
                        ApiSessionText { title, summary }
                    })
                    .collect(),
                // Matched as the pages match them: by the speaker's address (never shown
                // here, so a withheld person's is not given away).
                appearances: f
                    .appearances
                    .iter()
                    .map(|a| {
                        let slug = model.speaker(a.speaker).slug.as_str();
                        let (title, topic) = t
                            .speakers
                            .iter()
                            .find(|(s, _, _)| s == slug)
                            .map_or((None, None), |(_, title, topic)| {
                                (title.as_deref(), topic.as_deref())
                            });
                        ApiAppearanceText { title, topic }
                    })
                    .collect(),
            })
            .collect(),
        id: &f.path,
        url: urls.permalink(Route::Forum(&f.path)),
        title: &f.title,
        start: f.start.as_ref().map(iso),
        end: f.end.as_ref().map(iso),
        status: f.status,
        upcoming: f.upcoming,
        series: f.series.map(|s| {
            let t = model.series_of(s);
            Named {
                id: &t.slug,
                name: &t.name,
                url: urls.permalink(Route::Series(&t.slug)),
            }
        }),
        theme: f.theme.as_deref(),
        venue: f.venue.as_deref(),
        city: f.city.as_deref(),
        country: f.country.as_deref(),
        organizers: f
            .organizers
            .iter()
            .map(|&o| organization_named(model, urls, o))
            .collect(),
        partners: f
            .partners
            .iter()
            .map(|&o| organization_named(model, urls, o))
            .collect(),
        appearances: f
            .appearances
            .iter()
            .map(|a| {
                let s = model.speaker(a.speaker);
                ApiAppearance {
                    speaker: Named {
                        id: &s.slug,
                        name: &s.name,
                        url: urls.permalink(Route::Speaker(&s.slug)),
                    },
                    role: a.role,
                    title: a.title.as_deref(),
                    organization: a.organization.map(|o| organization_named(model, urls, o)),
                    topic: a.topic.as_deref(),
                    session: a.session.map(|i| f.sessions[i].title.as_str()),
                }
            })
            .collect(),
        sessions: f.sessions.iter().map(|s| s.title.as_str()).collect(),
        topics: f
            .topics
            .iter()
            .map(|&t| {
                let t = model.topic(t);
                Named {
                    id: &t.slug,
                    name: &t.name,
                    url: urls.permalink(Route::Topic(&t.slug)),
                }
            })
            .collect(),
        summary: f.summary.as_deref(),
        source: f.source.as_ref().map(|s| ApiSource {
            publisher: s.publisher.as_deref(),
            title: s.title.as_deref(),
            date: s.date.map(|d| d.to_string()),
            url: s.url.as_deref(),
        }),
        related: connections
            .related(f.id)
            .iter()
            .map(|&r| model.forum(r).path.as_str())
            .collect(),
    }
}

/// A speaker's record in `speakers.json`.
fn speaker_record<'m>(
    model: &'m Model,
    urls: &Urls,
    connections: &'m Connections,
    s: &'m Speaker,
) -> ApiSpeaker<'m> {
    ApiSpeaker {
        id: &s.slug,
        url: urls.permalink(Route::Speaker(&s.slug)),
        name: &s.name,
        translations: names(
            model.translations.speakers.get(&s.slug),
            model,
            urls,
            Route::Speaker(&s.slug),
        ),
        aliases: &s.aliases,
        links: &s.links,
        organizations: s
            .organizations
            .iter()
            .map(|&o| model.organization(o).slug.as_str())
            .collect(),
        appearances: s
            .appearances
            .iter()
            .map(|&(f, i)| {
                let forum = model.forum(f);
                let a = &forum.appearances[i];
                ForumAppearance {
                    forum: &forum.path,
                    role: a.role,
                    title: a.title.as_deref(),
                    organization: a.organization.map(|o| model.organization(o).slug.as_str()),
                }
            })
            .collect(),
        careers: connections.careers[s.id.index()]
            .iter()
            .map(|c| ApiCareer {
                title: c.title.as_deref(),
                organization: c.organization.map(|o| model.organization(o).slug.as_str()),
                from: c.from,
                to: c.to,
                forums: c
                    .forums
                    .iter()
                    .map(|&f| model.forum(f).path.as_str())
                    .collect(),
            })
            .collect(),
        often_with: connections.often_with[s.id.index()]
            .iter()
            .map(|&(p, n)| ApiTogether {
                id: &model.speaker(p).slug,
                forums: n,
            })
            .collect(),
    }
}

/// An organization's record in `organizations.json`.
fn organization_record<'m>(
    model: &'m Model,
    urls: &Urls,
    connections: &'m Connections,
    o: &'m Organization,
) -> ApiOrganization<'m> {
    let forum_ids = |ids: &[ForumId]| {
        ids.iter()
            .map(|&f| model.forum(f).path.as_str())
            .collect::<Vec<_>>()
    };
    let mut spoke: Vec<ForumId> = o.spoke_at.iter().map(|(f, _)| *f).collect();
    spoke.dedup();
    ApiOrganization {
        id: &o.slug,
        url: urls.permalink(Route::Organization(&o.slug)),
        name: &o.name,
        translations: names(
            model.translations.organizations.get(&o.slug),
            model,
            urls,
            Route::Organization(&o.slug),
        ),
        kind: o.kind,
        aliases: &o.aliases,
        website: o.website.as_deref(),
        parent: o.parent.map(|p| model.organization(p).slug.as_str()),
        children: o
            .children
            .iter()
            .map(|&c| model.organization(c).slug.as_str())
            .collect(),
        organized: forum_ids(&o.organized),
        partnered: forum_ids(&o.partnered),
        spoke_at: forum_ids(&spoke),
        people: o
            .people
            .iter()
            .map(|&p| model.speaker(p).slug.as_str())
            .collect(),
        works_with: connections.works_with[o.id.index()]
            .iter()
            .map(|&(x, n)| ApiTogether {
                id: &model.organization(x).slug,
                forums: n,
            })
            .collect(),
    }
}

/// The records of the attributed quotes of a chunk of forums, in forum order, then report
/// order, joined by commas.
fn quote_chunk<'m>(
    model: &'m Model,
    urls: &'m Urls,
    connections: &'m Connections,
) -> impl Fn(&'m [Forum]) -> Vec<u8> + Send + Sync + 'm {
    let named_speaker = move |id: SpeakerId| {
        let s = model.speaker(id);
        Named {
            id: &s.slug,
            name: &s.name,
            url: urls.permalink(Route::Speaker(&s.slug)),
        }
    };
    move |forums| {
        let mut out = Vec::new();
        for f in forums {
            for (n, q) in connections.quotes_of_forum(f.id).enumerate() {
                let a = &f.appearances[q.appearance];
                let quote = ApiQuote {
                    forum: &f.path,
                    url: format!(
                        "{}#{}",
                        urls.permalink(Route::Forum(&f.path)),
                        super::connections::quote_anchor(n)
                    ),
                    speaker: named_speaker(q.speaker),
                    title: a.title.as_deref(),
                    organization: a.organization.map(|o| organization_named(model, urls, o)),
                    text: q.text(),
                    line: q.line,
                    column: q.column,
                };
                if !out.is_empty() {
                    out.push(b',');
                }
                serde_json::to_writer(&mut out, &quote).expect("API records are plain data");
            }
        }
        out
    }
}

/// The chunk of `items`' records, each serialized by `make`, joined by commas.
fn record_chunk<'m, I: 'm, R: Serialize>(
    make: impl Fn(&'m I) -> R + Send + Sync + 'm,
) -> impl Fn(&'m [I]) -> Vec<u8> + Send + Sync + 'm {
    move |chunk| {
        let mut out = Vec::new();
        for (i, item) in chunk.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, &make(item)).expect("API records are plain data");
        }
        out
    }
}

/// Make the missing chunks of `kept` (all of them if `items` changed in number), in parallel.
fn fill<'m, I: Sync>(
    kept: &mut Vec<Option<Vec<u8>>>,
    items: &'m [I],
    make: impl Fn(&'m [I]) -> Vec<u8> + Sync,
) {
    let count = items.len().div_ceil(CHUNK);
    if kept.len() != count {
        *kept = vec![None; count];
    }
    let missing: Vec<bool> = kept.iter().map(Option::is_none).collect();
    let made: Vec<(usize, Vec<u8>)> = items
        .par_chunks(CHUNK)
        .enumerate()
        .filter(|(i, _)| missing[*i])
        .map(|(i, chunk)| (i, make(chunk)))
        .collect();
    for (i, bytes) in made {
        kept[i] = Some(bytes);
    }
}

/// The envelope the records go in as they are: `items` is its last field, so its list is at
/// the very end (`[]}` and a newline).
fn envelope(model: &Model, urls: &Urls, schema: &'static str) -> Frame {
    let mut head = to_json(&Envelope::<()> {
        schema: urls.permalink(Route::Api(schema)),
        generated: model.today.to_string(),
        site: &model.site.title,
        items: Vec::new(),
    });
    let tail = b"]}\n";
    head.truncate(head.len() - tail.len());
    debug_assert!(head.ends_with(b"\"items\":["));
    Frame {
        head,
        between: b",",
        tail,
    }
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Compact: the files are large (50 MB of forums at 10,000 reports) and read by programs.
    let mut bytes = serde_json::to_vec(value).expect("API records are plain data");
    bytes.push(b'\n');
    bytes
}

/// The frame of `appearances.csv`: its header row. One row per appearance follows,
/// chronological: what a spreadsheet user wants.
fn appearances_csv() -> Frame {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "forum_id",
        "forum",
        "date",
        "city",
        "country",
        "speaker_id",
        "speaker",
        "role",
        "title",
        "organization_id",
        "organization",
        "session",
    ];
    let _ = writer.write_record(header);
    Frame {
        head: writer.into_inner().unwrap_or_default(),
        between: b"",
        tail: b"",
    }
}

/// The CSV rows of the appearances at `forums`.
fn forum_rows(model: &Model, forums: &[Forum]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for f in forums {
        for a in &f.appearances {
            let s = model.speaker(a.speaker);
            let o = a.organization.map(|o| model.organization(o));
            let record = [
                f.path.as_str(),
                f.title.as_str(),
                &f.start
                    .as_ref()
                    .map(|w| w.date().to_string())
                    .unwrap_or_default(),
                f.city.as_deref().unwrap_or_default(),
                f.country.as_deref().unwrap_or_default(),
                s.slug.as_str(),
                s.name.as_str(),
                a.role.as_str(),
                a.title.as_deref().unwrap_or_default(),
                o.map_or("", |o| o.slug.as_str()),
                o.map_or("", |o| o.name.as_str()),
                a.session.map_or("", |i| f.sessions[i].title.as_str()),
            ];
            let _ = writer.write_record(record);
        }
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers of `chunk` divisible by seven, as a JSON list's items: many chunks have
    /// none, as many forums' chunks of CSV rows have no appearance.
    fn sevens(chunk: &[u32]) -> Vec<u8> {
        let items: Vec<String> = chunk
            .iter()
            .filter(|n| *n % 7 == 0)
            .map(u32::to_string)
            .collect();
        items.join(",").into_bytes()
    }

    fn frame() -> Frame {
        Frame {
            head: b"{\"items\":[".to_vec(),
            between: b",",
            tail: b"]}\n",
        }
    }

    #[test]
    fn a_streamed_file_holds_the_same_bytes_as_its_chunks_joined() {
        for count in [0, 1, 6, 7, STREAMED_PIECE * 3 + 5, STREAMED_BATCH * 2 + 33] {
            let numbers: Vec<u32> = (0..count as u32).collect();
            let streamed = streamed(frame(), &numbers, sevens);
            let mut kept = Vec::new();
            fill(&mut kept, &numbers, sevens);
            let whole = joined(&kept, frame());
            assert_eq!(streamed.joined(), whole.joined(), "{count} items");
            let parsed: serde_json::Value = serde_json::from_slice(&streamed.joined()).unwrap();
            let expected: Vec<u32> = numbers.iter().copied().filter(|n| n % 7 == 0).collect();
            assert_eq!(
                parsed["items"],
                serde_json::json!(expected),
                "{count} items"
            );
            // Made again on every reading, the same each time.
            assert_eq!(streamed.joined(), streamed.joined());
        }
    }
}
