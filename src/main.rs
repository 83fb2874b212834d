use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Panics (bugs) get color-eyre's report; user mistakes never reach it.
    let _ = color_eyre::install();
    let cli = needlelog::cli::Cli::parse();
    match needlelog::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("needlelog: {e}");
            ExitCode::FAILURE
        }
    }
}
