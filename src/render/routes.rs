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
}

impl Route<'_> {
    /// Path relative to the site root: folders end with `/`, files do not.
    pub fn path(&self) -> String {
        match *self {
            Route::Home => String::new(),
            Route::Forums => "forums/".into(),
            Route::ForumYear(y) => format!("forums/{y}/"),
            Route::Forum(p) => format!("forums/{p}/"),
            Route::Speakers => "speakers/".into(),
            Route::Speaker(s) => format!("speakers/{s}/"),
            Route::Organizations => "organizations/".into(),
            Route::Organization(s) => format!("organizations/{s}/"),
            Route::Topics => "topics/".into(),
            Route::Topic(s) => format!("topics/{s}/"),
            Route::SeriesIndex => "series/".into(),
            Route::Series(s) => format!("series/{s}/"),
            Route::Page(p) => format!("{p}/"),
            Route::Alias(p) => p.to_string(),
            Route::NotFound => "404.html".into(),
            Route::File(p) => p.to_string(),
        }
    }

    /// The file written for this route, relative to the output folder.
    pub fn output_file(&self) -> String {
        let path = self.path();
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        }
    }
}

/// Turns routes into links for one site.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/archive/`.
    base_path: String,
    /// `https://example.org/archive/`, or the base path when the site has no absolute URL.
    base_url: String,
}

impl Urls {
    pub fn new(base_url: &str, base_path: &str) -> Urls {
        Urls {
            base_path: base_path.to_string(),
            base_url: base_url.to_string(),
        }
    }

    /// Root-relative link for use inside the site: `/archive/forums/`.
    pub fn href(&self, route: Route) -> String {
        format!("{}{}", self.base_path, route.path())
    }

    /// Absolute URL for feeds, canonical links and structured data.
    pub fn permalink(&self, route: Route) -> String {
        format!("{}{}", self.base_url, route.path())
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
