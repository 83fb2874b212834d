use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // color-eyre's report is the fallback for a panic (a bug) whose crash
    // report cannot be written; user mistakes never reach either.
    let _ = color_eyre::install();
    needlelog::crash::install_report_hook();
    let cli = needlelog::cli::Cli::parse();
    match needlelog::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("needlelog: {e}");
            ExitCode::FAILURE
        }
    }
}
