//! Podium's integration tests: one binary, many modules. Each test writes a small site
//! inline (txtar style, see `support`), builds it, and asserts on the part of the output that
//! matters, parsed as HTML where it is HTML.

mod build;
mod charts;
mod check;
mod connections;
mod errors;
mod fuzz;
mod images;
mod import;
mod incremental;
mod languages;
mod machine;
mod privacy;
mod search;
mod serve;
mod support;
mod themes;
