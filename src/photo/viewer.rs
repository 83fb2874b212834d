//! Showing a photo in the system viewer through a private temporary copy.
//!
//! The viewer is the program named by `NEEDLELOG_VIEWER` (a program name
//! or path, given the file as its one argument), else `xdg-open` on Linux
//! and the BSDs, `open` on macOS and `cmd /C start ""` on Windows. The
//! copy lives in a fresh 0700 temporary folder as a 0600 file named
//! `<view>-<date>.<ext>`; folder and file are removed when the
//! [`PrivateCopy`] is dropped, so keep it alive while the viewer may still
//! be reading (openers such as `xdg-open` return before the viewer has
//! loaded the file).

use super::{Format, PhotoError};
use chrono::NaiveDate;
use std::ffi::OsString;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The environment variable naming the viewer program.
pub const VIEWER_ENV: &str = "NEEDLELOG_VIEWER";

/// A plain copy of one photo in a private temporary folder.
#[derive(Debug)]
pub struct PrivateCopy {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl PrivateCopy {
    /// Writes `plain` as `<view>-<date>.<ext>` in a new private folder.
    /// Characters other than letters, digits, `-` and `_` in `view`
    /// become `_`.
    pub fn new(
        plain: &[u8],
        format: Format,
        view: &str,
        date: NaiveDate,
    ) -> Result<Self, PhotoError> {
        let dir = tempfile::Builder::new()
            .prefix("needlelog-view-")
            .tempdir()
            .map_err(|e| PhotoError::io(&std::env::temp_dir(), e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700))
                .map_err(|e| PhotoError::io(dir.path(), e))?;
        }
        let view: String = view
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let view = if view.is_empty() {
            "photo".to_string()
        } else {
            view
        };
        let path = dir
            .path()
            .join(format!("{view}-{date}.{}", format.extension()));
        let mut o = OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.open(&path)
            .and_then(|mut f| f.write_all(plain).and_then(|()| f.sync_all()))
            .map_err(|e| PhotoError::io(&path, e))?;
        Ok(Self { dir, path })
    }

    /// The copy's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The private folder holding it.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// The viewer command for the value of `NEEDLELOG_VIEWER` (`None` or
/// empty: the platform's opener).
pub fn viewer_command_for(env: Option<OsString>) -> Command {
    if let Some(program) = env.filter(|p| !p.is_empty()) {
        return Command::new(program);
    }
    if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    }
}

/// The viewer command: `NEEDLELOG_VIEWER`, else the platform's opener.
pub fn viewer_command() -> Command {
    viewer_command_for(std::env::var_os(VIEWER_ENV))
}

/// Starts the viewer on `copy` with no terminal (the interface owns it).
pub fn open_in_viewer(copy: &PrivateCopy) -> Result<Child, PhotoError> {
    open_with(viewer_command(), copy)
}

/// Starts `cmd` with the copy's path as its last argument.
pub fn open_with(mut cmd: Command, copy: &PrivateCopy) -> Result<Child, PhotoError> {
    cmd.arg(copy.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| PhotoError::Viewer {
            program: cmd.get_program().to_string_lossy().into_owned(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::testimg;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")
    }

    #[test]
    fn the_command_follows_the_setting() {
        let c = viewer_command_for(Some("my-viewer".into()));
        assert_eq!(c.get_program(), "my-viewer");
        let default = viewer_command_for(Some("".into()));
        let want = if cfg!(target_os = "macos") {
            "open"
        } else if cfg!(windows) {
            "cmd"
        } else {
            "xdg-open"
        };
        assert_eq!(default.get_program(), want);
        assert_eq!(viewer_command_for(None).get_program(), want);
    }

    #[cfg(unix)]
    #[test]
    fn the_viewer_gets_an_exact_private_copy_that_is_removed_afterwards() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let seen = tmp.path().join("seen.jpg");
        let script = tmp.path().join("viewer.sh");
        fs::write(&script, format!("cp \"$1\" '{}'\n", seen.display())).expect("script");
        let plain = testimg::jpeg(20, 10);
        let copy = PrivateCopy::new(&plain, Format::Jpeg, "left oblique", day()).expect("copy");
        let dir = copy.dir().to_path_buf();
        assert_eq!(
            copy.path().file_name().and_then(|n| n.to_str()),
            Some("left_oblique-2026-11-21.jpg")
        );
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(copy.path()), 0o600);
        // run through sh: executing a file just written can fail with ETXTBSY
        let mut cmd = Command::new("sh");
        cmd.arg(&script);
        let status = open_with(cmd, &copy).expect("spawn").wait().expect("wait");
        assert!(status.success());
        assert_eq!(fs::read(&seen).expect("seen"), plain);
        drop(copy);
        assert!(!dir.exists(), "the private copy was left behind");
    }

    #[test]
    fn a_missing_viewer_is_one_clear_error() {
        let copy = PrivateCopy::new(b"x", Format::Png, "", day()).expect("copy");
        assert!(copy.path().ends_with("photo-2026-11-21.png"));
        let e =
            open_with(Command::new("/nonexistent/needlelog-viewer"), &copy).expect_err("no viewer");
        assert!(
            e.to_string()
                .starts_with("the photo viewer /nonexistent/needlelog-viewer could not be started")
        );
    }
}
