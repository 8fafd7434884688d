//! The centre recipients the desk trusts for what only staff may read (case
//! events, audit entries): the identity's own recipients plus, with `--keys
//! DIR`, the workstation's own copy of the centre's `*.pub` files. Never the
//! server's word: a server that adds a recipient must not receive staff notes.

use std::path::Path;

use super::identity::DeskIdentity;
use super::DeskError;

/// The trusted recipients: borrowed from the identity, plus those loaded from
/// `--keys`.
pub struct Trusted<'a> {
    own: &'a [Box<dyn age::Recipient + Send>],
    extra: Vec<age::x25519::Recipient>,
}

impl Trusted<'_> {
    /// Every recipient, for [`crate::envelope::seal`].
    pub fn iter(&self) -> impl Iterator<Item = &dyn age::Recipient> {
        self.own
            .iter()
            .map(|r| r.as_ref() as &dyn age::Recipient)
            .chain(self.extra.iter().map(|r| r as &dyn age::Recipient))
    }
}

/// The recipients case events are encrypted to.
pub fn trusted<'a>(
    identity: &'a DeskIdentity,
    keys: Option<&Path>,
) -> Result<Trusted<'a>, DeskError> {
    let extra = match keys {
        Some(dir) => {
            crate::keys::load_recipients(dir).map_err(|e| DeskError::Usage(e.to_string()))?
        }
        None => Vec::new(),
    };
    Ok(Trusted {
        own: &identity.recipients,
        extra,
    })
}
