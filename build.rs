// Puts the git commit into the binary for `/healthz` (or "unknown" outside a git checkout).
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=DOONGJI_GIT_COMMIT");
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let commit = std::env::var("DOONGJI_GIT_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            Command::new("git")
                .args(["rev-parse", "--short=12", "HEAD"])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .and_then(|o| String::from_utf8(o.stdout).ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        });
    println!(
        "cargo:rustc-env=DOONGJI_GIT_COMMIT={}",
        commit.unwrap_or_else(|| "unknown".into())
    );
}
