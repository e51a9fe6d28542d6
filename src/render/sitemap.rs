//! `/sitemap.xml` (every page, with the date its content last changed) and `/robots.txt`
//! pointing at it.

use super::feeds::escape;
use super::routes::{Route, Urls};
use crate::write::{Contents, OutputFile};
use jiff::civil::Date;

/// One page of the sitemap: its route, when it last changed, and (on a site in several
/// languages) the folders of the languages it is really translated into (`""` for the
/// default, `az/`...), with their codes. Each language's page is listed with every
/// alternate and `x-default`; a page that only falls back to the original is not listed
/// (its canonical link names the original).
pub struct Entry<'a> {
    pub route: Route<'a>,
    pub lastmod: Option<Date>,
    pub languages: Vec<(String, String)>,
}

pub fn sitemap(urls: &Urls, pages: &[Entry]) -> OutputFile<'static> {
    let mut xml = String::with_capacity(200 + pages.len() * 120);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for page in pages {
        let locs: Vec<(String, &str)> = if page.languages.is_empty() {
            vec![(urls.permalink(page.route), "")]
        } else {
            page.languages
                .iter()
                .map(|(prefix, code)| {
                    (
                        urls.in_language(prefix).permalink(page.route),
                        code.as_str(),
                    )
                })
                .collect()
        };
        for (loc, _) in &locs {
            xml.push_str("<url><loc>");
            xml.push_str(&escape(loc));
            xml.push_str("</loc>");
            if let Some(d) = page.lastmod {
                xml.push_str(&format!("<lastmod>{d}</lastmod>"));
            }
            if !page.languages.is_empty() {
                let default = urls.permalink(page.route);
                for (href, code) in locs
                    .iter()
                    .map(|(h, c)| (h, *c))
                    .chain([(&default, "x-default")])
                {
                    xml.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\"/>",
                        escape(href)
                    ));
                }
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: Route::Sitemap.output_file(),
        contents: Contents::Bytes(xml.into_bytes()),
        origin: "sitemap".into(),
    }
}

pub fn robots(urls: &Urls) -> OutputFile<'static> {
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.permalink(Route::Sitemap)
    );
    OutputFile {
        path: Route::Robots.output_file(),
        contents: Contents::Bytes(text.into_bytes()),
        origin: "robots.txt".into(),
    }
}
