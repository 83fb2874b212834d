//! Creating the data directory and files with private modes before SQLite
//! (or anything else) writes health data into them.

use super::error::StoreError;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Read};
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates missing parent directories with mode 0700. Existing directories
/// are left as they are: they may be shared folders the user chose.
pub fn create_private_dirs(dir: &Path) -> Result<(), StoreError> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    b.mode(0o700);
    b.create(dir).map_err(|e| io(dir, e))
}

/// Creates `path` empty with mode 0600, failing if it exists.
pub fn create_private_file(path: &Path) -> Result<fs::File, StoreError> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    o.mode(0o600);
    o.open(path).map_err(|e| io(path, e))
}

/// Makes sure `path` can become or already is a needlelog database: its
/// folder exists (0700 when we create it), the file exists (0600 when we
/// create it), and an existing non-empty file starts with SQLite's header.
pub fn prepare_db_path(path: &Path) -> Result<(), StoreError> {
    if let Some(parent) = path.parent() {
        create_private_dirs(parent)?;
    }
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(StoreError::NotOurs {
                path: path.to_path_buf(),
                reason: "it is a directory".into(),
            });
        }
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => match create_private_file(path) {
            Ok(_) => return Ok(()),
            // Another process created it between our look and our create.
            Err(StoreError::Io { source, .. }) if source.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        },
        Err(e) => return Err(io(path, e)),
    }
    let mut header = [0u8; 16];
    let mut f = fs::File::open(path).map_err(|e| io(path, e))?;
    let mut read = 0;
    while read < header.len() {
        match f.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(io(path, e)),
        }
    }
    if read == 0 {
        return Ok(()); // empty: a new database
    }
    // An encrypted file has no readable header; with its passphrase
    // handed over, opening it proves what it is.
    let encrypted = super::cipher::key_for(path).is_some()
        && super::cipher::kind(path).map_err(|e| io(path, e))? == super::cipher::Kind::Encrypted;
    if !encrypted && (read < header.len() || &header != SQLITE_MAGIC) {
        return Err(StoreError::NotOurs {
            path: path.to_path_buf(),
            reason: "it is not an SQLite file".into(),
        });
    }
    Ok(())
}

/// Names the network filesystem that holds the folder of `path`, e.g.
/// `nfs4 (nas:/export/clinic)`, or None for a local disk (or when it
/// cannot tell). SQLite's locking, and so WAL mode, is not reliable over a
/// network: a database there can be damaged by two computers using it.
pub fn network_filesystem(path: &Path) -> Option<String> {
    let dir = existing_folder(path)?;
    #[cfg(target_os = "linux")]
    {
        if let Ok(text) = fs::read_to_string("/proc/self/mountinfo")
            && let Some(m) = mount_of(&text, &dir)
            && let Some(kind) = network_fs_type(&m.fs_type)
        {
            return Some(format!("{kind} ({})", m.source));
        }
        statfs_magic(&dir)
            .and_then(network_fs_magic)
            .map(String::from)
    }
    #[cfg(any(target_os = "macos", target_os = "freebsd"))]
    {
        // These name the file system in the statfs record itself.
        let fs = rustix::fs::statfs(&dir).ok()?;
        let name = c_name(&fs.f_fstypename);
        network_fs_type(&name).map(String::from)
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "freebsd")))]
    {
        let _ = dir;
        None
    }
}

/// A NUL-terminated name in a fixed-size C array, as statfs gives them.
#[cfg(any(test, target_os = "macos", target_os = "freebsd"))]
fn c_name(chars: &[std::ffi::c_char]) -> String {
    // c_char is i8 or u8 depending on the platform: the bytes are the same.
    #[allow(clippy::unnecessary_cast)]
    let bytes: Vec<u8> = chars
        .iter()
        .map(|&c| c as u8)
        .take_while(|&b| b != 0)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The folder of `path`, or its nearest existing ancestor, made absolute
/// with symbolic links resolved (mount points are real paths).
fn existing_folder(path: &Path) -> Option<std::path::PathBuf> {
    let start = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    start.ancestors().find_map(|a| fs::canonicalize(a).ok())
}

/// One line of `/proc/self/mountinfo`, the parts needed here.
#[cfg(any(test, target_os = "linux"))]
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mount {
    point: std::path::PathBuf,
    fs_type: String,
    source: String,
}

/// Undoes mountinfo's octal escapes (`\040` is a space).
#[cfg(any(test, target_os = "linux"))]
fn unescape_mount_field(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses one mountinfo line: `id parent major:minor root mount-point
/// options [optional fields…] - fs-type source super-options`.
#[cfg(any(test, target_os = "linux"))]
fn parse_mount(line: &str) -> Option<Mount> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let sep = fields.iter().skip(6).position(|f| *f == "-")? + 6;
    Some(Mount {
        point: unescape_mount_field(fields.get(4)?).into(),
        fs_type: (*fields.get(sep + 1)?).to_string(),
        source: unescape_mount_field(fields.get(sep + 2).unwrap_or(&"")),
    })
}

/// The mount that holds `dir` (absolute, canonical): the deepest mount
/// point above it, the last mounted one when several share that point.
#[cfg(any(test, target_os = "linux"))]
fn mount_of(mountinfo: &str, dir: &Path) -> Option<Mount> {
    let mut best: Option<Mount> = None;
    for m in mountinfo.lines().filter_map(parse_mount) {
        if !dir.starts_with(&m.point) {
            continue;
        }
        let deeper = best
            .as_ref()
            .is_none_or(|b| m.point.components().count() >= b.point.components().count());
        if deeper {
            best = Some(m);
        }
    }
    best
}

/// The filesystem types (as mountinfo names them) that reach over a
/// network, and the FUSE ones known to.
#[cfg(any(test, target_os = "linux", target_os = "macos", target_os = "freebsd"))]
fn network_fs_type(fs_type: &str) -> Option<&str> {
    const NETWORK: [&str; 16] = [
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gfs2",
        "ocfs2",
        "davfs",
        // macOS's names for AppleShare and WebDAV mounts.
        "afpfs",
        "webdav",
    ];
    const NETWORK_FUSE: [&str; 14] = [
        "sshfs",
        "rclone",
        "s3fs",
        "gcsfuse",
        "glusterfs",
        "davfs",
        "smbnetfs",
        "gvfsd-fuse",
        "juicefs",
        "goofys",
        "blobfuse",
        "blobfuse2",
        "onedriver",
        "ceph-fuse",
    ];
    if NETWORK.contains(&fs_type) {
        return Some(fs_type);
    }
    match fs_type.split_once('.') {
        Some(("fuse", sub)) if NETWORK_FUSE.contains(&sub) => Some(fs_type),
        // FUSE with no subtype named: it may well be a network drive.
        None if fs_type == "fuse" => Some("fuse, possibly a network drive"),
        _ => None,
    }
}

/// The filesystem magic numbers (statfs `f_type`) of network filesystems.
#[cfg(any(test, target_os = "linux"))]
fn network_fs_magic(magic: u64) -> Option<&'static str> {
    Some(match magic & 0xFFFF_FFFF {
        0x6969 => "nfs",
        0x517B => "smb",
        0xFF53_4D42 => "cifs",
        0xFE53_4D42 => "smb2",
        0x5346_414F => "afs",
        0x00C3_6400 => "ceph",
        0x7375_7245 => "coda",
        0x564C => "ncp",
        0x0102_1997 => "9p",
        0x0116_1970 => "gfs2",
        0x7461_636F => "ocfs2",
        0x0BD0_0BD0 => "lustre",
        0x6573_5546 => "fuse, possibly a network drive",
        _ => return None,
    })
}

#[cfg(target_os = "linux")]
fn statfs_magic(dir: &Path) -> Option<u64> {
    let fs = rustix::fs::statfs(dir).ok()?;
    // f_type's width and sign differ between platforms; the magic numbers
    // are 32-bit patterns.
    #[allow(clippy::unnecessary_cast)]
    Some(fs.f_type as u64)
}

/// Opens a database that this process may not write, read-only and
/// "immutable" (no locks, no WAL index), which SQLite allows without write
/// access to the file's folder.
pub fn open_immutable(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    use rusqlite::OpenFlags;
    let absolute = std::path::absolute(path).map_err(|e| io(path, e))?;
    let mut uri = String::from("file:");
    for c in absolute.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    super::cipher::open(Path::new(&uri), path, flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
25 22 0:23 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw
40 22 0:35 / /mnt/nas rw,relatime shared:20 - nfs4 nas.local:/export/clinic rw,vers=4.2,addr=10.0.0.5
41 22 0:36 / /mnt/nasty rw,relatime - ext4 /dev/sdb1 rw
42 22 0:37 / /srv/share rw,relatime shared:21 - cifs //fileserver/practice rw,vers=3.1.1
43 22 0:38 / /home/ana/remote rw,nosuid,nodev,relatime shared:22 - fuse.sshfs ana@host:/data rw,user_id=1000
44 22 0:39 / /home/ana/My\\040Drive rw,relatime - fuse.rclone gdrive: rw
45 22 8:17 / /media/usb rw,relatime - fuseblk /dev/sdc1 rw
46 40 0:40 / /mnt/nas/local-cache rw,relatime - tmpfs tmpfs rw
47 22 0:41 / /run/user/1000/doc rw,nosuid,nodev,relatime - fuse.portal portal rw
";

    fn on(dir: &str) -> Option<(String, String)> {
        mount_of(MOUNTINFO, Path::new(dir)).map(|m| (m.fs_type, m.source))
    }

    fn network(dir: &str) -> Option<String> {
        let m = mount_of(MOUNTINFO, Path::new(dir))?;
        network_fs_type(&m.fs_type).map(|k| format!("{k} ({})", m.source))
    }

    #[test]
    fn the_deepest_mount_point_holds_the_folder() {
        assert_eq!(on("/home/ana").unwrap().0, "ext4");
        assert_eq!(on("/mnt/nas").unwrap().0, "nfs4");
        assert_eq!(on("/mnt/nas/clinic/db").unwrap().0, "nfs4");
        // A mount point is matched by whole path components.
        assert_eq!(on("/mnt/nasty/db").unwrap().0, "ext4");
        assert_eq!(on("/mnt/nasty/db").unwrap().1, "/dev/sdb1");
        // A local mount inside a network one is local.
        assert_eq!(on("/mnt/nas/local-cache/x").unwrap().0, "tmpfs");
        // Escaped spaces in mount points.
        assert_eq!(on("/home/ana/My Drive/clinic").unwrap().0, "fuse.rclone");
    }

    #[test]
    fn network_filesystems_are_named_local_ones_are_not() {
        for (path, named) in [
            ("/mnt/nas/clinic", "nfs4 (nas.local:/export/clinic)"),
            ("/srv/share/needlelog", "cifs (//fileserver/practice)"),
            ("/home/ana/remote", "fuse.sshfs (ana@host:/data)"),
            ("/home/ana/My Drive", "fuse.rclone (gdrive:)"),
        ] {
            assert_eq!(network(path).as_deref(), Some(named), "{path}");
        }
        for local in [
            "/home/ana/.local/share/needlelog",
            "/mnt/nasty",
            "/media/usb/db",
            "/mnt/nas/local-cache",
            "/run/user/1000/doc/x",
        ] {
            assert_eq!(network(local), None, "{local}");
        }
    }

    #[test]
    fn filesystem_types_by_name() {
        for t in ["nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "afs"] {
            assert_eq!(network_fs_type(t), Some(t));
        }
        assert_eq!(network_fs_type("fuse.sshfs"), Some("fuse.sshfs"));
        assert_eq!(
            network_fs_type("fuse"),
            Some("fuse, possibly a network drive")
        );
        for t in [
            "ext4",
            "btrfs",
            "xfs",
            "zfs",
            "tmpfs",
            "overlay",
            "fuseblk",
            "fuse.portal",
            "vfat",
            "apfs",
            "",
        ] {
            assert_eq!(network_fs_type(t), None, "{t}");
        }
    }

    #[test]
    fn filesystem_magic_numbers() {
        assert_eq!(network_fs_magic(0x6969), Some("nfs"));
        assert_eq!(network_fs_magic(0x517B), Some("smb"));
        assert_eq!(network_fs_magic(0xFF53_4D42), Some("cifs"));
        assert_eq!(network_fs_magic(0xFE53_4D42), Some("smb2"));
        // The same pattern read through a signed 32-bit f_type.
        assert_eq!(
            network_fs_magic(0xFF53_4D42_u32 as i32 as i64 as u64),
            Some("cifs")
        );
        assert_eq!(
            network_fs_magic(0x6573_5546),
            Some("fuse, possibly a network drive")
        );
        for local in [
            0xEF53_u64,
            0x9123_683E,
            0x0102_1994,
            0x5846_5342,
            0x2FC1_2FC1,
        ] {
            assert_eq!(network_fs_magic(local), None, "{local:#x}");
        }
    }

    /// The statfs call itself (through rustix): /proc is procfs, whose
    /// magic number is fixed, and the temporary folder is no network share.
    #[cfg(target_os = "linux")]
    #[test]
    fn statfs_reads_the_file_system_type() {
        assert_eq!(statfs_magic(Path::new("/proc")), Some(0x9FA0));
        let tmp = statfs_magic(&std::env::temp_dir()).expect("statfs on the temporary folder");
        assert_eq!(network_fs_magic(tmp), None, "{tmp:#x}");
    }

    #[test]
    fn statfs_type_names_end_at_their_nul() {
        let c = |bytes: &[u8]| -> Vec<std::ffi::c_char> {
            bytes.iter().map(|&b| b as std::ffi::c_char).collect()
        };
        assert_eq!(c_name(&c(b"smbfs\0\0\0junk")), "smbfs");
        assert_eq!(c_name(&c(b"apfs\0")), "apfs");
        assert_eq!(c_name(&c(b"")), "");
        // The names macOS and FreeBSD give network mounts.
        for t in ["nfs", "smbfs", "afpfs", "webdav"] {
            assert_eq!(network_fs_type(&c_name(&c(t.as_bytes()))), Some(t));
        }
        for t in ["apfs", "hfs", "ufs", "zfs", "msdos", "exfat"] {
            assert_eq!(network_fs_type(t), None, "{t}");
        }
    }

    #[test]
    fn malformed_lines_are_skipped() {
        assert_eq!(parse_mount(""), None);
        assert_eq!(parse_mount("1 2 3"), None);
        assert_eq!(parse_mount("1 2 8:1 / /x rw no-separator here"), None);
        let m = parse_mount("1 2 8:1 / /x rw - ext4").unwrap();
        assert_eq!((m.fs_type.as_str(), m.source.as_str()), ("ext4", ""));
    }

    #[test]
    fn a_local_temporary_folder_is_not_reported() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("sub").join("needlelog.db");
        // /tmp may be tmpfs or a disk, never a network share on a test machine.
        assert_eq!(network_filesystem(&db), None);
    }
}
