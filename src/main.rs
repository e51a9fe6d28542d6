//! The `podium` command: parse the command line, run it, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = podium::cli::Cli::parse();
    podium::cli::run(cli)
}
