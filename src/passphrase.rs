//! Asking for a passphrase: on the terminal without echo; for automation, from
//! the file named by `TIPLINE_PASSPHRASE_FILE`; with no terminal, one line of
//! standard input.

use std::io::BufRead;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

/// Shortest new passphrase, in characters. The identity file is scrypt-protected,
/// but a stolen file can be attacked offline for as long as the thief likes.
pub const MIN_CHARS: usize = 12;

/// Names the file a script can put the passphrase in (mode 0600, on tmpfs).
pub const FILE_ENV: &str = "TIPLINE_PASSPHRASE_FILE";

/// Why no passphrase could be had.
#[derive(Debug, thiserror::Error)]
pub enum PassphraseError {
    /// Reading failed.
    #[error("cannot read a passphrase: {0}")]
    Io(#[from] std::io::Error),
    /// Empty input.
    #[error("the passphrase is empty")]
    Empty,
    /// A new passphrase shorter than [`MIN_CHARS`].
    #[error("the passphrase is too short: use at least {MIN_CHARS} characters (a few words are easy to remember)")]
    TooShort,
    /// The two entries differ.
    #[error("the two passphrases differ")]
    Mismatch,
}

fn read_one(prompt: &str) -> Result<Zeroizing<String>, PassphraseError> {
    if let Some(path) = std::env::var_os(FILE_ENV) {
        let text = Zeroizing::new(std::fs::read_to_string(path)?);
        return Ok(Zeroizing::new(
            text.trim_end_matches(['\r', '\n']).to_string(),
        ));
    }
    match rpassword::prompt_password(prompt) {
        Ok(p) => Ok(Zeroizing::new(p)),
        Err(_) => {
            // No terminal: take one line from standard input.
            let mut line = Zeroizing::new(String::new());
            std::io::stdin().lock().read_line(&mut line)?;
            Ok(Zeroizing::new(
                line.trim_end_matches(['\r', '\n']).to_string(),
            ))
        }
    }
}

/// Asks once (to unlock).
pub fn ask(prompt: &str) -> Result<SecretString, PassphraseError> {
    let p = read_one(prompt)?;
    if p.is_empty() {
        return Err(PassphraseError::Empty);
    }
    Ok(SecretString::from(p.to_string()))
}

/// Asks twice (to set), unless it comes from a file; refuses one shorter than
/// [`MIN_CHARS`].
pub fn ask_new(prompt: &str) -> Result<SecretString, PassphraseError> {
    let first = read_one(prompt)?;
    if first.is_empty() {
        return Err(PassphraseError::Empty);
    }
    if first.chars().count() < MIN_CHARS {
        return Err(PassphraseError::TooShort);
    }
    if std::env::var_os(FILE_ENV).is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr())
    {
        let second = read_one("Repeat the passphrase: ")?;
        if *second != *first {
            return Err(PassphraseError::Mismatch);
        }
    }
    Ok(SecretString::from(first.to_string()))
}
