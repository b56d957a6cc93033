//! The `docent` binary: parses the command line and hands over to
//! [`docent::cli`], which maps every outcome to an exit code.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        // Secrets are masked in the log as in every other output.
        .with_writer(|| docent::secrets::MaskedStderr)
        .init();
    docent::cli::main(docent::cli::Cli::parse()).await.into()
}
