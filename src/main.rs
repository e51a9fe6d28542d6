//! The `podium` command: parse the command line, run it, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

// A build makes and frees millions of small values (template values, strings): with glibc's
// allocator that was a fifth of its time. docs/benchmarks.md, "The allocator".
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = podium::cli::Cli::parse();
    podium::cli::run(cli)
}
