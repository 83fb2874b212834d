//! Sealing a photo file: XChaCha20-Poly1305 with a random key per file.
//!
//! Layout of a sealed file: the 8 bytes `NLPHOTO1`, a random 24-byte
//! nonce, then the ciphertext with its 16-byte tag. The associated data is
//! the photo's hash (hex), so a sealed file renamed to another photo's
//! name does not open. The key lives in the (encrypted) database as hex.

use super::PhotoError;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::fmt;
use zeroize::Zeroizing;

pub const MAGIC: &[u8; 8] = b"NLPHOTO1";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// The key of one sealed photo file; wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct FileKey(Zeroizing<[u8; 32]>);

impl fmt::Debug for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FileKey(***)")
    }
}

impl FileKey {
    /// A fresh random key.
    pub fn generate() -> Result<FileKey, PhotoError> {
        let mut k = Zeroizing::new([0u8; 32]);
        random(&mut k[..])?;
        Ok(FileKey(k))
    }

    /// 64 lower-case hex digits, for a TEXT column.
    pub fn to_hex(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(64));
        for b in self.0.iter() {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        s
    }

    /// A short name for this key (8 hex digits of a SHA-256 over a label
    /// and the key), which a sealed file's name carries: a file sealed
    /// with a new key gets a new name, so a conversion writes the new file
    /// beside the old one and the rows name the one that opens with their
    /// key at every moment. It says nothing usable about the key.
    pub fn id(&self) -> String {
        let mut input = b"needlelog photo key id\0".to_vec();
        input.extend_from_slice(&self.0[..]);
        let digest = openssl::sha::sha256(&input);
        input.iter_mut().for_each(|b| *b = 0);
        digest[..4].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The inverse of [`FileKey::to_hex`] (either case).
    pub fn from_hex(s: &str) -> Result<FileKey, PhotoError> {
        let s = s.as_bytes();
        if s.len() != 64 {
            return Err(PhotoError::BadKey);
        }
        let mut k = Zeroizing::new([0u8; 32]);
        for (i, pair) in s.chunks_exact(2).enumerate() {
            let hi = hex_val(pair[0]).ok_or(PhotoError::BadKey)?;
            let lo = hex_val(pair[1]).ok_or(PhotoError::BadKey)?;
            k[i] = hi << 4 | lo;
        }
        Ok(FileKey(k))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&*self.0).into())
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn random(buf: &mut [u8]) -> Result<(), PhotoError> {
    openssl::rand::rand_bytes(buf).map_err(|e| PhotoError::Random(e.to_string()))
}

/// Whether `bytes` look like a sealed photo file (by the magic only).
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Seals `plain` under `key`, bound to `hash` (the photo's SHA-256 hex).
pub fn seal(plain: &[u8], key: &FileKey, hash: &str) -> Result<Vec<u8>, PhotoError> {
    let mut nonce = [0u8; NONCE_LEN];
    random(&mut nonce)?;
    let ct = key
        .cipher()
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: hash.as_bytes(),
            },
        )
        .map_err(|_| PhotoError::Encode("encryption failed".into()))?;
    let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + ct.len());
    out.extend(MAGIC);
    out.extend(nonce);
    out.extend(ct);
    Ok(out)
}

/// Opens a sealed file; a wrong key, another photo's hash, a cut or a
/// changed byte all give [`PhotoError::Unseal`].
pub fn open(sealed: &[u8], key: &FileKey, hash: &str) -> Result<Vec<u8>, PhotoError> {
    if !is_sealed(sealed) {
        return Err(PhotoError::NotSealed);
    }
    let rest = &sealed[MAGIC.len()..];
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(PhotoError::Unseal);
    }
    let (nonce, ct) = rest.split_at(NONCE_LEN);
    key.cipher()
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ct,
                aad: hash.as_bytes(),
            },
        )
        .map_err(|_| PhotoError::Unseal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::{sha256_hex, testimg};

    #[test]
    fn sealed_photo_shows_no_picture_bytes_and_opens_back() {
        let key = FileKey::generate().expect("key");
        for plain in [testimg::jpeg(32, 16), testimg::png(32, 16)] {
            let hash = sha256_hex(&plain);
            let sealed = seal(&plain, &key, &hash).expect("seal");
            assert!(sealed.starts_with(MAGIC));
            assert!(!testimg::contains(&sealed, &[0xFF, 0xD8, 0xFF]));
            assert!(!testimg::contains(&sealed, b"\x89PNG"));
            assert!(!testimg::contains(&sealed, b"JFIF") && !testimg::contains(&sealed, b"IHDR"));
            assert_eq!(open(&sealed, &key, &hash).expect("open"), plain);
            // a fresh nonce each time
            assert_ne!(seal(&plain, &key, &hash).expect("seal"), sealed);
        }
    }

    #[test]
    fn tampering_wrong_key_wrong_hash_and_cuts_are_refused() {
        let key = FileKey::generate().expect("key");
        let plain = testimg::jpeg(8, 8);
        let hash = sha256_hex(&plain);
        let sealed = seal(&plain, &key, &hash).expect("seal");
        for i in [8, 20, 40, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(
                matches!(open(&bad, &key, &hash), Err(PhotoError::Unseal)),
                "byte {i}"
            );
        }
        let other = FileKey::generate().expect("key");
        assert!(matches!(
            open(&sealed, &other, &hash),
            Err(PhotoError::Unseal)
        ));
        assert!(matches!(
            open(&sealed, &key, &sha256_hex(b"x")),
            Err(PhotoError::Unseal)
        ));
        for n in [0, 8, 30, 47, sealed.len() - 1] {
            assert!(open(&sealed[..n], &key, &hash).is_err(), "cut at {n}");
        }
        assert!(matches!(
            open(&plain, &key, &hash),
            Err(PhotoError::NotSealed)
        ));
        assert!(open(&sealed, &key, &hash).is_ok());
    }

    #[test]
    fn key_hex_round_trips_and_debug_hides_it() {
        let key = FileKey::generate().expect("key");
        let hex = key.to_hex();
        assert_eq!(hex.len(), 64);
        assert_eq!(FileKey::from_hex(&hex).expect("parse"), key);
        assert_eq!(FileKey::from_hex(&hex.to_uppercase()).expect("parse"), key);
        assert_eq!(format!("{key:?}"), "FileKey(***)");
        assert!(!format!("{key:?}").contains(&hex[..8]));
        assert!(FileKey::from_hex("abc").is_err());
        assert!(FileKey::from_hex(&"g".repeat(64)).is_err());
        assert_ne!(FileKey::generate().expect("key"), key);
    }
}
