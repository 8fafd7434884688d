//! Who an age file was encrypted to, by recipient type, read from its header
//! without decrypting: so a message this identity cannot open is named, not
//! fatal. Bounded: the first 64 KiB and at most 64 stanzas.

use std::io::Read;
use std::path::Path;

/// How much of a file is read to find its header.
const MAX_HEADER: u64 = 64 * 1024;
/// How many stanzas are counted at most.
const MAX_STANZAS: usize = 64;
/// How long a stanza type may be before it is cut.
const MAX_TYPE: usize = 32;

/// The stanza types of the age v1 file at `path`, e.g. `["X25519", "X25519"]`;
/// `None` when it is not a binary age v1 file.
pub fn stanza_types(path: &Path) -> Option<Vec<String>> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_HEADER)
        .read_to_end(&mut head)
        .ok()?;
    parse(&head)
}

/// The stanza types in the header at the start of `bytes`.
pub fn parse(bytes: &[u8]) -> Option<Vec<String>> {
    let mut lines = bytes.split(|b| *b == b'\n');
    if lines.next()? != b"age-encryption.org/v1" {
        return None;
    }
    let mut types = Vec::new();
    for line in lines {
        if line.starts_with(b"---") || types.len() == MAX_STANZAS {
            return Some(types);
        }
        if let Some(rest) = line.strip_prefix(b"-> ") {
            let kind = rest.split(|b| *b == b' ').next().unwrap_or_default();
            let kind = String::from_utf8_lossy(kind);
            types.push(kind.chars().take(MAX_TYPE).collect());
        }
    }
    None
}

/// The types as one phrase, e.g. `X25519 ×3, scrypt`, or `unknown recipients`.
pub fn describe(types: Option<&[String]>) -> String {
    let Some(types) = types.filter(|t| !t.is_empty()) else {
        return "unknown recipients".into();
    };
    let mut counted: Vec<(&str, usize)> = Vec::new();
    for t in types {
        match counted.iter_mut().find(|(k, _)| k == t) {
            Some((_, n)) => *n += 1,
            None => counted.push((t, 1)),
        }
    }
    counted
        .iter()
        .map(|(k, n)| match n {
            1 => (*k).to_string(),
            n => format!("{k} ×{n}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stanza_types_of_a_real_age_file_are_read_without_a_key() {
        let a = age::x25519::Identity::generate().to_public();
        let b = age::x25519::Identity::generate().to_public();
        let file =
            crate::envelope::seal(b"x", [&a as &dyn age::Recipient, &b].into_iter()).unwrap();
        let types = parse(&file);
        assert_eq!(
            types
                .as_ref()
                .map(|t| t.iter().filter(|k| *k == "X25519").count()),
            Some(2)
        );
        assert!(describe(types.as_deref()).contains("X25519 ×2"));
    }

    #[test]
    fn a_header_that_never_ends_or_is_not_age_names_no_types() {
        assert_eq!(parse(b"not age\n-> X25519 abc\n--- mac\n"), None);
        assert_eq!(parse(b"age-encryption.org/v1\n-> X25519 abc\n"), None);
        assert_eq!(describe(None), "unknown recipients");
        let many = format!("age-encryption.org/v1\n{}--- x\n", "-> a\n".repeat(500));
        assert_eq!(parse(many.as_bytes()).map(|t| t.len()), Some(MAX_STANZAS));
    }
}
