//! Receipt codes: the reporter's only key to their report, and what it unlocks.
//!
//! A code is 80 random bits shown as 16 Crockford base32 characters in four groups.
//! It is never stored. Argon2id (with a per-install salt and a pepper kept outside
//! the database) stretches it into a master secret, and HKDF splits that into two
//! independent values: the lookup key (hashed once more before it is used as a
//! database key) and the reporter's X25519 secret, whose public half is stored with
//! the report so staff can encrypt replies the reporter alone can open. A third,
//! separately labelled output is the seed of the reporter's hybrid (ML-KEM-768 +
//! X25519) identity, stored instead when the centre's keys are post-quantum; a
//! fourth is the reporter's Ed25519 signing key (see [`crate::reporter_signing`]).

use std::fmt;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use argon2::{Algorithm, Argon2, Params, Version};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Random bytes in a code: 80 bits, enough that guessing online or offline is hopeless.
pub const CODE_BYTES: usize = 10;
/// Characters in a code, without separators.
const CODE_CHARS: usize = 16;
/// Characters per group when shown.
const GROUP: usize = 4;
/// Longest input we even look at; anything longer is not a code.
const MAX_INPUT: usize = 64;

/// Bytes of the per-install salt.
pub const SALT_BYTES: usize = 16;
/// Bytes of the server pepper.
pub const PEPPER_BYTES: usize = 32;

/// HKDF label for the lookup key (domain separation from the reporter key).
const LOOKUP_KEY_LABEL: &[u8] = b"tipline/v1/lookup-key";
/// HKDF label for the reporter's X25519 secret.
const REPORTER_KEY_LABEL: &[u8] = b"tipline/v1/reporter-x25519";
/// HKDF label for the seed of the reporter's hybrid (`mlkem768x25519`) identity.
const REPORTER_HYBRID_LABEL: &[u8] = b"tipline/v1/reporter-mlkem768x25519";
/// HKDF label for the reporter's Ed25519 signing seed (follow-up signatures).
const SIGNING_KEY_LABEL: &[u8] = b"tipline/v1/reporter-ed25519";
/// Prefix hashed with the lookup key to make the database key.
const LOOKUP_HASH_LABEL: &[u8] = b"tipline/v1/lookup-hash";

/// Why a typed code was refused. Callers show one page for every variant.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvalidCode {
    /// Longer than any code could be, even with separators.
    #[error("too long")]
    TooLong,
    /// Not 16 characters once separators are removed.
    #[error("wrong length")]
    WrongLength,
    /// A character outside the Crockford alphabet.
    #[error("not a code character")]
    BadCharacter,
}

/// Failures of key derivation; all point at configuration, not at the reporter.
#[derive(Debug, thiserror::Error)]
pub enum DeriveError {
    /// The Argon2 cost settings are outside what Argon2 accepts.
    #[error("invalid key-derivation settings: {0}")]
    Params(argon2::Error),
    /// Argon2 refused to run (e.g. salt or pepper of a bad length).
    #[error("key derivation failed: {0}")]
    Argon2(argon2::Error),
    /// The derived secret could not be turned into an age identity.
    #[error("could not form the reporter key")]
    Identity,
}

/// A receipt code. Its bytes are wiped when dropped and never printed by `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct ReceiptCode([u8; CODE_BYTES]);

impl ReceiptCode {
    /// Draws a fresh code from the operating system's RNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; CODE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The code as the reporter sees it: `ABCD-EFGH-JKMN-PQRS`.
    pub fn to_display(&self) -> Zeroizing<String> {
        let plain = Zeroizing::new(base32::encode(base32::Alphabet::Crockford, &self.0));
        let mut out = Zeroizing::new(String::with_capacity(CODE_CHARS + 3));
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % GROUP == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReceiptCode(..)")
    }
}

impl FromStr for ReceiptCode {
    type Err = InvalidCode;

    /// Accepts any case, spaces and dashes, and the look-alikes Crockford allows
    /// (`O` for zero, `I`/`L` for one), so a code copied by hand still works.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if input.len() > MAX_INPUT {
            return Err(InvalidCode::TooLong);
        }
        let mut norm = Zeroizing::new(String::with_capacity(CODE_CHARS));
        for c in input.chars() {
            let c = match c.to_ascii_uppercase() {
                c if c.is_whitespace() || c == '-' || c == '\u{2010}' || c == '\u{2013}' => {
                    continue
                }
                'O' => '0',
                'I' | 'L' => '1',
                c @ ('0'..='9' | 'A'..='Z') if c != 'U' => c,
                _ => return Err(InvalidCode::BadCharacter),
            };
            norm.push(c);
        }
        if norm.len() != CODE_CHARS {
            return Err(InvalidCode::WrongLength);
        }
        let decoded = Zeroizing::new(
            base32::decode(base32::Alphabet::Crockford, &norm).ok_or(InvalidCode::BadCharacter)?,
        );
        let bytes: [u8; CODE_BYTES] = decoded
            .as_slice()
            .try_into()
            .map_err(|_| InvalidCode::WrongLength)?;
        Ok(Self(bytes))
    }
}

/// The database key of a report: a hash of the lookup key. Not secret on its own,
/// but only computable from the code (with the pepper and salt).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LookupHash(pub [u8; 32]);

impl fmt::Debug for LookupHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LookupHash(..)")
    }
}

/// Argon2id cost. The defaults follow OWASP's 19 MiB / 2 passes profile, which
/// costs ~32 ms a derivation here; raise them before installation if the hardware
/// allows: the first start records them and later starts refuse others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct KdfCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for KdfCost {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// What a code unlocks: where the report is, and the reporter's key.
pub struct ReporterKeys {
    /// Database key of the report.
    pub lookup: LookupHash,
    /// The reporter's age identity; replies are encrypted to its recipient.
    pub identity: age::x25519::Identity,
    /// The reporter's hybrid identity, used when the centre's keys are hybrid.
    pub hybrid: crate::hybrid::HybridIdentity,
    /// The reporter's Ed25519 key: signs follow-ups and code changes while the
    /// reporter checks in (wiped on drop).
    pub signing: ed25519_dalek::SigningKey,
}

impl ReporterKeys {
    /// The classical public recipient (`age1...`).
    pub fn recipient(&self) -> age::x25519::Recipient {
        self.identity.to_public()
    }

    /// The recipient stored with the report: hybrid (`age1pq1...`) when the
    /// centre's recipients are, since age refuses to mix the two kinds.
    pub fn reporter_recipient(&self, hybrid: bool) -> crate::hybrid::AnyRecipient {
        if hybrid {
            crate::hybrid::AnyRecipient::Hybrid(Box::new(self.hybrid.to_public()))
        } else {
            crate::hybrid::AnyRecipient::Classical(self.recipient())
        }
    }
}

/// Most Argon2 memory buffers kept for reuse (one per concurrent derivation).
const KEPT_BUFFERS: usize = 8;

/// Turns codes into keys. Holds the install's salt and pepper.
pub struct Deriver {
    cost: KdfCost,
    salt: [u8; SALT_BYTES],
    pepper: Zeroizing<[u8; PEPPER_BYTES]>,
    /// Argon2 working memory, reused: allocating 19 MiB per derivation makes the
    /// allocator keep freed blocks around per thread, and memory grows.
    buffers: std::sync::Mutex<Vec<Vec<argon2::Block>>>,
}

impl fmt::Debug for Deriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deriver")
            .field("cost", &self.cost)
            .finish_non_exhaustive()
    }
}

impl Deriver {
    /// Checks the cost once at start-up so a bad setting fails there, not per request.
    pub fn new(
        cost: KdfCost,
        salt: [u8; SALT_BYTES],
        pepper: Zeroizing<[u8; PEPPER_BYTES]>,
    ) -> Result<Self, DeriveError> {
        Params::new(cost.memory_kib, cost.iterations, cost.parallelism, Some(32))
            .map_err(DeriveError::Params)?;
        Ok(Self {
            cost,
            salt,
            pepper,
            buffers: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The memory-hard step; run it on a blocking thread, never on an async worker.
    pub fn derive(&self, code: &ReceiptCode) -> Result<ReporterKeys, DeriveError> {
        let params = Params::new(
            self.cost.memory_kib,
            self.cost.iterations,
            self.cost.parallelism,
            Some(32),
        )
        .map_err(DeriveError::Params)?;
        let block_count = params.block_count();
        let argon = Argon2::new_with_secret(
            self.pepper.as_slice(),
            Algorithm::Argon2id,
            Version::V0x13,
            params,
        )
        .map_err(DeriveError::Argon2)?;
        let mut master = Zeroizing::new([0u8; 32]);
        let taken = self.buffers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut blocks = taken.unwrap_or_else(|| vec![argon2::Block::default(); block_count]);
        let hashed = argon.hash_password_into_with_memory(
            code.as_bytes(),
            &self.salt,
            master.as_mut_slice(),
            &mut blocks,
        );
        // The working memory holds material derived from the code: wipe it.
        blocks.iter_mut().for_each(zeroize::Zeroize::zeroize);
        {
            let mut kept = self.buffers.lock().unwrap_or_else(|p| p.into_inner());
            if kept.len() < KEPT_BUFFERS {
                kept.push(blocks);
            }
        }
        hashed.map_err(DeriveError::Argon2)?;

        let hk = Hkdf::<Sha256>::from_prk(master.as_slice()).map_err(|_| DeriveError::Identity)?;
        let mut lookup_key = Zeroizing::new([0u8; 32]);
        let mut reporter_secret = Zeroizing::new([0u8; 32]);
        let mut hybrid_seed = Zeroizing::new([0u8; crate::hybrid::SEED_BYTES]);
        hk.expand(LOOKUP_KEY_LABEL, lookup_key.as_mut_slice())
            .map_err(|_| DeriveError::Identity)?;
        hk.expand(REPORTER_KEY_LABEL, reporter_secret.as_mut_slice())
            .map_err(|_| DeriveError::Identity)?;
        hk.expand(REPORTER_HYBRID_LABEL, hybrid_seed.as_mut_slice())
            .map_err(|_| DeriveError::Identity)?;
        let mut signing_seed = Zeroizing::new([0u8; 32]);
        hk.expand(SIGNING_KEY_LABEL, signing_seed.as_mut_slice())
            .map_err(|_| DeriveError::Identity)?;
        let signing = ed25519_dalek::SigningKey::from_bytes(&signing_seed);

        let mut hasher = Sha256::new();
        hasher.update(LOOKUP_HASH_LABEL);
        hasher.update(lookup_key.as_slice());
        let lookup = LookupHash(hasher.finalize().into());

        let identity = identity_from_secret(&reporter_secret)?;
        let hybrid = crate::hybrid::HybridIdentity::from_seed(&hybrid_seed);
        Ok(ReporterKeys {
            lookup,
            identity,
            hybrid,
            signing,
        })
    }
}

/// age builds identities only from their bech32 text, so the derived scalar takes
/// that road (`AGE-SECRET-KEY-1...`); the text is wiped after parsing.
pub fn identity_from_secret(secret: &[u8; 32]) -> Result<age::x25519::Identity, DeriveError> {
    let hrp = bech32::Hrp::parse("age-secret-key-").map_err(|_| DeriveError::Identity)?;
    let text = Zeroizing::new(
        bech32::encode::<bech32::Bech32>(hrp, secret)
            .map_err(|_| DeriveError::Identity)?
            .to_uppercase(),
    );
    age::x25519::Identity::from_str(&text).map_err(|_| DeriveError::Identity)
}

/// The identity's secret text, for tests and the desk; wiped when dropped.
pub fn identity_text(identity: &age::x25519::Identity) -> Zeroizing<String> {
    Zeroizing::new(identity.to_string().expose_secret().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixed_deriver() -> Deriver {
        Deriver::new(
            KdfCost {
                memory_kib: 64,
                iterations: 1,
                parallelism: 1,
            },
            [7u8; SALT_BYTES],
            Zeroizing::new([9u8; PEPPER_BYTES]),
        )
        .unwrap()
    }

    #[test]
    fn display_is_four_groups_of_four_crockford_characters() {
        let code = ReceiptCode::generate();
        let shown = code.to_display();
        let groups: Vec<&str> = shown.split('-').collect();
        assert_eq!(groups.len(), 4);
        for g in groups {
            assert_eq!(g.len(), 4);
            assert!(g
                .chars()
                .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)));
        }
    }

    #[test]
    fn parsing_ignores_case_spaces_and_dashes() {
        let code = ReceiptCode::generate();
        let shown = code.to_display();
        let variants = [
            shown.to_string(),
            shown.to_lowercase(),
            shown.replace('-', ""),
            shown.replace('-', " "),
            format!("  {}  ", shown.replace('-', " - ").to_lowercase()),
        ];
        for v in variants {
            assert_eq!(v.parse::<ReceiptCode>().unwrap(), code, "{v}");
        }
    }

    #[test]
    fn look_alike_letters_read_as_digits() {
        let code: ReceiptCode = "0000-1111-2222-3333".parse().unwrap();
        assert_eq!("oooo-iiii-2222-3333".parse::<ReceiptCode>().unwrap(), code);
        assert_eq!("OOOO-LLLL-2222-3333".parse::<ReceiptCode>().unwrap(), code);
    }

    #[test]
    fn malformed_codes_are_refused() {
        assert_eq!(
            "ABCD-EFGH-JKMN-PQR".parse::<ReceiptCode>(),
            Err(InvalidCode::WrongLength)
        );
        assert_eq!(
            "ABCD-EFGH-JKMN-PQRSX".parse::<ReceiptCode>(),
            Err(InvalidCode::WrongLength)
        );
        assert_eq!(
            "ABCD-EFGH-JKMN-PQRU".parse::<ReceiptCode>(),
            Err(InvalidCode::BadCharacter)
        );
        assert_eq!(
            "ABCD-EFGH-JKMN-PQR!".parse::<ReceiptCode>(),
            Err(InvalidCode::BadCharacter)
        );
        assert_eq!("".parse::<ReceiptCode>(), Err(InvalidCode::WrongLength));
        assert_eq!(
            "A".repeat(100).parse::<ReceiptCode>(),
            Err(InvalidCode::TooLong)
        );
    }

    #[test]
    fn generated_codes_differ_and_use_all_bits() {
        // 1,000 codes of 80 bits: a repeat or a constant byte would mean a broken RNG path.
        let codes: Vec<ReceiptCode> = (0..1000).map(|_| ReceiptCode::generate()).collect();
        let mut seen = std::collections::HashSet::new();
        let mut ones = 0u32;
        for c in &codes {
            assert!(seen.insert(c.0));
            ones += c.0.iter().map(|b| b.count_ones()).sum::<u32>();
        }
        let total = (codes.len() * CODE_BYTES * 8) as f64;
        let ratio = f64::from(ones) / total;
        assert!((0.48..0.52).contains(&ratio), "bit balance {ratio}");
    }

    /// The keys of the code every vector file is made from.
    fn fixed_keys() -> ReporterKeys {
        fixed_deriver()
            .derive(&"0123-4567-89AB-CDEF".parse().unwrap())
            .unwrap()
    }

    /// One `field: value` line of a vector file.
    fn vector_field(vector: &str, field: &str) -> String {
        vector
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}: ")))
            .unwrap()
            .trim()
            .to_string()
    }

    #[test]
    fn derivation_matches_the_recorded_vector() {
        // Pins the derivation: changing labels, KDF or encoding would orphan every
        // stored report, so this must fail loudly if it ever changes.
        let keys = fixed_keys();
        let vector = include_str!("../tests/vectors/derive-fixed.txt");
        let expect = |field: &str| vector_field(vector, field);
        assert_eq!(hex::encode(keys.lookup.0), expect("lookup_hash"));
        assert_eq!(keys.recipient().to_string(), expect("recipient"));
    }

    #[test]
    fn hybrid_reporter_key_derivation_matches_the_recorded_vector() {
        use sha2::Digest;
        let keys = fixed_keys();
        let vector = include_str!("../tests/vectors/derive-hybrid.txt");
        let expect = |field: &str| vector_field(vector, field);
        assert_eq!(keys.hybrid.to_text().as_str(), expect("identity"));
        let recipient = keys.reporter_recipient(true).to_string();
        assert!(recipient.starts_with("age1pq1"));
        assert_eq!(
            hex::encode(Sha256::digest(recipient.as_bytes())),
            expect("recipient_sha256")
        );
        // The classical key is unchanged by the new output.
        assert_eq!(
            keys.reporter_recipient(false).to_string(),
            keys.recipient().to_string()
        );
    }

    #[test]
    fn signing_key_derivation_matches_the_recorded_vector() {
        // Pins the Ed25519 derivation: the verifying key sealed in every report
        // must still match the key a later check-in derives from the same code.
        let keys = fixed_keys();
        let vector = include_str!("../tests/vectors/derive-signing.txt");
        let expect = |field: &str| vector_field(vector, field);
        assert_eq!(
            hex::encode(keys.signing.verifying_key().as_bytes()),
            expect("verifying_key")
        );
        assert_eq!(keys.recipient().to_string(), expect("recipient"));
    }

    #[test]
    fn pepper_salt_and_code_each_change_both_outputs() {
        let code: ReceiptCode = "0123-4567-89AB-CDEF".parse().unwrap();
        let base = fixed_deriver().derive(&code).unwrap();
        let cost = fixed_deriver().cost;
        let other_pepper = Deriver::new(cost, [7u8; 16], Zeroizing::new([8u8; 32]))
            .unwrap()
            .derive(&code)
            .unwrap();
        let other_salt = Deriver::new(cost, [6u8; 16], Zeroizing::new([9u8; 32]))
            .unwrap()
            .derive(&code)
            .unwrap();
        let other_code = fixed_deriver()
            .derive(&"0123-4567-89AB-CDEG".parse().unwrap())
            .unwrap();
        for other in [other_pepper, other_salt, other_code] {
            assert_ne!(other.lookup, base.lookup);
            assert_ne!(other.recipient().to_string(), base.recipient().to_string());
        }
    }

    #[test]
    fn derived_identity_matches_x25519_dalek() {
        let secret = [42u8; 32];
        let identity = identity_from_secret(&secret).unwrap();
        let dalek = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(secret));
        let hrp = bech32::Hrp::parse("age").unwrap();
        let expected = bech32::encode::<bech32::Bech32>(hrp, dalek.as_bytes()).unwrap();
        assert_eq!(identity.to_public().to_string(), expected);
    }

    proptest! {
        #[test]
        fn any_code_survives_display_and_parse(bytes in proptest::array::uniform10(any::<u8>())) {
            let code = ReceiptCode(bytes);
            prop_assert_eq!(code.to_display().parse::<ReceiptCode>().unwrap(), code);
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(s in "\\PC{0,80}") {
            let _ = s.parse::<ReceiptCode>();
        }
    }
}
