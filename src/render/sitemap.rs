//! `/sitemap.xml` (every page, with the date its content last changed) and `/robots.txt`
//! pointing at it.

use super::feeds::escape;
use super::routes::{Route, Urls};
use crate::write::{Contents, OutputFile};
use jiff::civil::Date;

pub fn sitemap(urls: &Urls, pages: &[(Route, Option<Date>)]) -> OutputFile {
    let mut xml = String::with_capacity(200 + pages.len() * 120);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (route, lastmod) in pages {
        xml.push_str("<url><loc>");
        xml.push_str(&escape(&urls.permalink(*route)));
        xml.push_str("</loc>");
        if let Some(d) = lastmod {
            xml.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: Route::Sitemap.output_file(),
        contents: Contents::Bytes(xml.into_bytes()),
        origin: "sitemap".into(),
    }
}

pub fn robots(urls: &Urls) -> OutputFile {
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
