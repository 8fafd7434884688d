//! The centre recipients the desk trusts for what only staff may read (case
//! events): the same as for replies, the deletion audit log and forwards,
//! namely the identity's own recipients plus the workstation's trusted copy of
//! the centre recipients ([`CentreKeys`]: `MIRROR/keys/*.pub` or `--keys DIR`).
//! Never the server's word: a server that adds a recipient must not receive
//! staff notes.
//!
//! age refuses to mix hybrid (`age1pq1...`) and classical recipients in one
//! file, so only one kind is used, chosen as for the audit log
//! ([`CentreKeys::audit_recipients`]): hybrid once the centre is.

use std::path::Path;

use super::identity::DeskIdentity;
use super::mirror::Mirror;
use super::reply::CentreKeys;
use super::DeskError;

/// The trusted recipients: the identity's plus the trusted copy's, of one kind.
pub struct Trusted<'a> {
    identity: &'a DeskIdentity,
    centre: CentreKeys,
}

impl Trusted<'_> {
    /// Every recipient of the chosen kind, for [`crate::envelope::seal`].
    pub fn iter(&self) -> impl Iterator<Item = &dyn age::Recipient> {
        self.centre.audit_recipients(self.identity).into_iter()
    }
}

/// The recipients case events are encrypted to: the identity and the trusted
/// copy of the centre recipients (`keys`, else `MIRROR/keys`), as for replies.
pub fn trusted<'a>(
    identity: &'a DeskIdentity,
    mirror: &Mirror,
    keys: Option<&Path>,
) -> Result<Trusted<'a>, DeskError> {
    Ok(Trusted {
        identity,
        centre: CentreKeys::load(mirror, keys)?,
    })
}

/// The identity's own recipients only (for what stays on this workstation,
/// such as the case summary index); hybrid if the identity has a hybrid key.
pub fn own(identity: &DeskIdentity) -> Trusted<'_> {
    Trusted {
        identity,
        centre: CentreKeys {
            recipients: Vec::new(),
            source: None,
        },
    }
}
