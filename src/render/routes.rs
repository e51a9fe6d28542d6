//! Routes: the one place where URLs and output paths are made.
//!
//! Every page, feed and redirect is a `Route`. Its `path()` is relative to the site root with
//! `/` separators and no leading slash (`forums/2025/khankendi-ngo-forum/`); `Urls` turns it
//! into a root-relative link honouring a `base_url` sub-path, or an absolute permalink. All
//! segments come from the model already checked (slugified or validated), so a route can
//! never name a file outside the output folder; `write` checks again regardless.

/// A page or file of the built site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route<'a> {
    Home,
    Forums,
    ForumYear(i16),
    Forum(&'a str),
    Speakers,
    Speaker(&'a str),
    Organizations,
    Organization(&'a str),
    Topics,
    Topic(&'a str),
    SeriesIndex,
    Series(&'a str),
    Page(&'a str),
    /// An old URL kept as a redirect; already normalised (`old/url/` or `old/page.html`).
    Alias(&'a str),
    NotFound,
    /// A file copied as is (a theme stylesheet, a photo beside a report).
    File(&'a str),
    /// The Atom feed of the whole site or of one entity, beside its page.
    Feed(FeedOwner<'a>),
    /// `calendar.ics`: every dated forum.
    Calendar,
    /// One forum as an iCalendar file, beside its page.
    ForumCalendar(&'a str),
    /// The forums of a speaker or an organization as an iCalendar file, beside its page.
    OwnerCalendar(FeedOwner<'a>),
    Sitemap,
    Robots,
    /// Open data under `api/`: `forums.json`, `schema/forums.json`, `appearances.csv`.
    Api(&'static str),
    /// Page 2, 3, ... of a long list (page 1 is the list's own page): `<page>/page/2/`.
    ListPage(Listed<'a>, u32),
    /// The search page.
    Search,
    /// A file of the search index under `search/` (`index.json`, `terms/al.json`); the
    /// folder itself with `""`.
    SearchData(&'a str),
}

/// A page whose list of forums may run over several pages (see `render::paginate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listed<'a> {
    /// The forums index (its upcoming forums).
    Forums,
    /// The speakers' A-Z index.
    Speakers,
    /// The organizations' index, by kind.
    Organizations,
    /// The topics' index.
    Topics,
    /// The series' index.
    SeriesIndex,
    Year(i16),
    Speaker(&'a str),
    Organization(&'a str),
    Topic(&'a str),
    Series(&'a str),
}

impl<'a> Listed<'a> {
    /// The list's first page.
    pub fn page(self) -> Route<'a> {
        match self {
            Listed::Forums => Route::Forums,
            Listed::Speakers => Route::Speakers,
            Listed::Organizations => Route::Organizations,
            Listed::Topics => Route::Topics,
            Listed::SeriesIndex => Route::SeriesIndex,
            Listed::Year(y) => Route::ForumYear(y),
            Listed::Speaker(s) => Route::Speaker(s),
            Listed::Organization(s) => Route::Organization(s),
            Listed::Topic(s) => Route::Topic(s),
            Listed::Series(s) => Route::Series(s),
        }
    }
}

/// Whose feed a `Route::Feed` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedOwner<'a> {
    Site,
    Speaker(&'a str),
    Organization(&'a str),
    Topic(&'a str),
    Series(&'a str),
}

impl<'a> FeedOwner<'a> {
    /// The page the feed belongs to.
    pub fn page(self) -> Route<'a> {
        match self {
            FeedOwner::Site => Route::Home,
            FeedOwner::Speaker(s) => Route::Speaker(s),
            FeedOwner::Organization(s) => Route::Organization(s),
            FeedOwner::Topic(s) => Route::Topic(s),
            FeedOwner::Series(s) => Route::Series(s),
        }
    }
}

/// What a file's path keeps as it is in a URL: letters, digits, `-._~` and `/`. Every other
/// byte is percent-encoded: a space (which `srcset` reads as the end of the URL), a comma
/// (its separator), a quote, and letters beyond ASCII (a file may be named `Зал 1.jpg`).
const PATH_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A file's output path (`forums/2025/hall 1-480w.webp`) as the path of its URL
/// (`forums/2025/hall%201-480w.webp`). Pages, whose paths are slugs, need none of this.
pub fn file_url_path(path: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(path, PATH_KEPT).into()
}

/// The string `make` writes, made in a scratch buffer and then copied at its exact size:
/// a build holds the paths of all its files to the end (355,000 at 100,000 reports), and
/// a string grown piece by piece keeps up to twice the room it needs.
fn exact(make: impl FnOnce(&mut String)) -> String {
    thread_local! {
        static SCRATCH: std::cell::RefCell<String> = std::cell::RefCell::new(String::with_capacity(256));
    }
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        scratch.clear();
        make(&mut scratch);
        scratch.as_str().to_owned()
    })
}

impl Route<'_> {
    /// Path relative to the site root: folders end with `/`, files do not.
    pub fn path(&self) -> String {
        exact(|path| self.push_path(path))
    }

    /// `path`, appended to `out`. Pieces are pushed rather than formatted: every link of
    /// every page is made here (hundreds of thousands in a large site), and `format!` cost
    /// several times the copying.
    pub fn push_path(&self, out: &mut String) {
        let mut push = |parts: &[&str]| parts.iter().for_each(|p| out.push_str(p));
        match *self {
            Route::Home => {}
            Route::Forums => push(&["forums/"]),
            Route::ForumYear(y) => push(&["forums/", &y.to_string(), "/"]),
            Route::Forum(p) => push(&["forums/", p, "/"]),
            Route::Speakers => push(&["speakers/"]),
            Route::Speaker(s) => push(&["speakers/", s, "/"]),
            Route::Organizations => push(&["organizations/"]),
            Route::Organization(s) => push(&["organizations/", s, "/"]),
            Route::Topics => push(&["topics/"]),
            Route::Topic(s) => push(&["topics/", s, "/"]),
            Route::SeriesIndex => push(&["series/"]),
            Route::Series(s) => push(&["series/", s, "/"]),
            Route::Page(p) => push(&[p, "/"]),
            Route::Alias(p) => push(&[p]),
            Route::NotFound => push(&["404.html"]),
            Route::File(p) => push(&[p]),
            Route::Feed(owner) => {
                owner.page().push_path(out);
                out.push_str("feed.xml");
            }
            Route::Calendar => push(&["calendar.ics"]),
            Route::ForumCalendar(p) => push(&["forums/", p, "/event.ics"]),
            Route::OwnerCalendar(owner) => {
                owner.page().push_path(out);
                out.push_str("calendar.ics");
            }
            Route::Sitemap => push(&["sitemap.xml"]),
            Route::Robots => push(&["robots.txt"]),
            Route::Api(file) => push(&["api/", file]),
            Route::ListPage(listed, n) => {
                listed.page().push_path(out);
                out.push_str("page/");
                out.push_str(&n.to_string());
                out.push('/');
            }
            Route::Search => push(&["search/"]),
            Route::SearchData(file) => push(&["search/", file]),
        }
    }

    /// The file written for this route, relative to the output folder.
    pub fn output_file(&self) -> String {
        exact(|path| {
            self.push_path(path);
            if path.is_empty() || path.ends_with('/') {
                path.push_str("index.html");
            }
        })
    }
}

impl Route<'_> {
    /// Whether every language shares this file (a stylesheet, a photo, the open data, the
    /// search index, the sitemap) rather than having its own under `/<code>/`.
    pub fn is_shared(&self) -> bool {
        matches!(
            self,
            Route::File(_) | Route::Api(_) | Route::SearchData(_) | Route::Sitemap | Route::Robots
        )
    }
}

/// The folder of `lang`'s pages and feeds: `""` for the default (first) language, else
/// `<code>/` (`/az/forums/…`). Shared files (`Route::is_shared`) are in no folder.
pub fn language_folder(lang: &str, languages: &[String]) -> String {
    if languages.first().is_none_or(|d| d == lang) {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// Turns routes into links for one language of one site.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/archive/`.
    base_path: String,
    /// `https://example.org/archive/`, or the base path when the site has no absolute URL.
    base_url: String,
    /// The folder of this language's pages: `""` for the default language, else `az/`.
    language: String,
}

impl Urls {
    pub fn new(base_url: &str, base_path: &str) -> Urls {
        Urls {
            base_path: base_path.to_string(),
            base_url: base_url.to_string(),
            language: String::new(),
        }
    }

    /// The same site's links for the language whose pages are in `prefix` (`az/`).
    pub fn in_language(&self, prefix: &str) -> Urls {
        Urls {
            language: prefix.to_string(),
            ..self.clone()
        }
    }

    fn prefix(&self, route: Route) -> &str {
        if route.is_shared() {
            ""
        } else {
            &self.language
        }
    }

    /// Root-relative link for use inside the site: `/archive/forums/`, `/archive/az/forums/`.
    pub fn href(&self, route: Route) -> String {
        self.joined(&self.base_path, route)
    }

    /// Absolute URL for feeds, canonical links and structured data.
    pub fn permalink(&self, route: Route) -> String {
        self.joined(&self.base_url, route)
    }

    /// `start`, the route's language folder and its path.
    fn joined(&self, start: &str, route: Route) -> String {
        exact(|link| {
            link.push_str(start);
            link.push_str(self.prefix(route));
            route.push_path(link);
        })
    }

    /// This language's folder (`""` or `az/`).
    pub fn language_prefix(&self) -> &str {
        &self.language
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_map_to_folders_with_index_files() {
        assert_eq!(Route::Home.output_file(), "index.html");
        assert_eq!(
            Route::Forum("2025/x").output_file(),
            "forums/2025/x/index.html"
        );
        assert_eq!(
            Route::ForumYear(2025).output_file(),
            "forums/2025/index.html"
        );
        assert_eq!(Route::Alias("old/page.html").output_file(), "old/page.html");
        assert_eq!(Route::NotFound.output_file(), "404.html");
        assert_eq!(Route::Feed(FeedOwner::Site).output_file(), "feed.xml");
        assert_eq!(
            Route::Feed(FeedOwner::Speaker("a")).output_file(),
            "speakers/a/feed.xml"
        );
        assert_eq!(
            Route::ForumCalendar("2025/x").output_file(),
            "forums/2025/x/event.ics"
        );
        assert_eq!(
            Route::ListPage(Listed::Year(2025), 2).output_file(),
            "forums/2025/page/2/index.html"
        );
        assert_eq!(Route::Search.output_file(), "search/index.html");
        assert_eq!(
            Route::SearchData("terms/al.json").output_file(),
            "search/terms/al.json"
        );
        assert_eq!(
            Route::Api("schema/forums.json").output_file(),
            "api/schema/forums.json"
        );
    }

    #[test]
    fn only_other_languages_get_a_folder() {
        let langs = ["en".to_string(), "az".to_string()];
        assert_eq!(language_folder("en", &langs), "");
        assert_eq!(language_folder("az", &langs), "az/");
        let az = Urls::new("https://example.org/", "/").in_language("az/");
        assert_eq!(az.href(Route::Forums), "/az/forums/");
        assert_eq!(az.href(Route::File("style.css")), "/style.css");
    }

    #[test]
    fn links_honour_a_base_sub_path() {
        let urls = Urls::new("https://example.org/archive/", "/archive/");
        assert_eq!(
            urls.href(Route::Speaker("aygun-aliyeva")),
            "/archive/speakers/aygun-aliyeva/"
        );
        assert_eq!(urls.permalink(Route::Home), "https://example.org/archive/");
    }
}
