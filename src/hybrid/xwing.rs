//! The X-Wing KEM (MLKEM768-X25519, HPKE KEM id 0x647a) as an `hpke` 0.12 KEM, the
//! way age 0.12 builds its own `tagpq` hybrid: ML-KEM-768 from `ml-kem`, X25519 from
//! `x25519-dalek`, the X-Wing combiner and key expansion with SHA-3. No lattice or
//! curve arithmetic here; the CCTV vectors in `hybrid`'s tests pin the result.
//!
//! The `hpke` crate 0.15 has X-Wing built in, but it needs `kem` 0.3.0 while age
//! 0.12.1 pins `ml-kem` 0.2 on `kem` 0.3.0-pre.0: the two cannot share one build.

use hpke::generic_array::typenum::{self, Unsigned, U32};
use hpke::{kem::SharedSecret, Deserializable, HpkeError, Serializable};
use ml_kem::kem::Decapsulate;
use ml_kem::{Ciphertext, EncapsulateDeterministic, EncodedSizeUser, KemCore, MlKem768};
use rand::{CryptoRng, RngCore};
use sha3::digest::{ExtendableOutput, FixedOutput, Update, XofReader};
use sha3::{Sha3_256, Shake256};
use zeroize::{Zeroize, Zeroizing};

/// X-Wing's domain separator, hashed last by the combiner.
const XWING_LABEL: &[u8; 6] = br"\.//^\";

type KemNct = <MlKem768 as KemCore>::CiphertextSize;
type KemNek = <<MlKem768 as KemCore>::EncapsulationKey as EncodedSizeUser>::EncodedSize;

/// The decapsulation key: its 32-byte seed and what it expands to.
#[derive(Clone)]
pub struct PrivateKey {
    seed: Zeroizing<[u8; 32]>,
    dk_m: <MlKem768 as KemCore>::DecapsulationKey,
    sk_x: x25519_dalek::StaticSecret,
    pk: PublicKey,
}

impl PartialEq for PrivateKey {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.seed.ct_eq(other.seed.as_slice()).into()
    }
}
impl Eq for PrivateKey {}

impl Serializable for PrivateKey {
    type OutputSize = U32;

    fn write_exact(&self, buf: &mut [u8]) {
        buf.copy_from_slice(self.seed.as_slice());
    }
}

impl Deserializable for PrivateKey {
    fn from_bytes(encoded: &[u8]) -> Result<Self, HpkeError> {
        let seed: [u8; 32] = encoded
            .try_into()
            .map_err(|_| HpkeError::IncorrectInputLength(32, encoded.len()))?;
        Ok(expand_key(Zeroizing::new(seed)))
    }
}

/// The encapsulation key: ML-KEM-768's then X25519's.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicKey {
    ek_m: <MlKem768 as KemCore>::EncapsulationKey,
    pk_x: x25519_dalek::PublicKey,
}
impl Eq for PublicKey {}

impl Serializable for PublicKey {
    type OutputSize = typenum::Sum<KemNek, U32>;

    fn write_exact(&self, buf: &mut [u8]) {
        let at = KemNek::to_usize();
        buf[..at].copy_from_slice(&self.ek_m.as_bytes());
        buf[at..].copy_from_slice(self.pk_x.as_bytes());
    }
}

impl Deserializable for PublicKey {
    fn from_bytes(encoded: &[u8]) -> Result<Self, HpkeError> {
        let want = Self::OutputSize::to_usize();
        if encoded.len() != want {
            return Err(HpkeError::IncorrectInputLength(want, encoded.len()));
        }
        let (m, x) = encoded.split_at(KemNek::to_usize());
        if !coefficients_reduced(m) {
            return Err(HpkeError::ValidationError);
        }
        let m = m.try_into().map_err(|_| HpkeError::ValidationError)?;
        let x: [u8; 32] = x.try_into().map_err(|_| HpkeError::ValidationError)?;
        Ok(Self {
            ek_m: <MlKem768 as KemCore>::EncapsulationKey::from_bytes(m),
            pk_x: x.into(),
        })
    }
}

/// The encapsulation: ML-KEM-768 ciphertext then the X25519 share.
#[derive(Clone)]
pub struct EncappedKey {
    ct_m: Ciphertext<MlKem768>,
    ct_x: [u8; 32],
}

impl Serializable for EncappedKey {
    type OutputSize = typenum::Sum<KemNct, U32>;

    fn write_exact(&self, buf: &mut [u8]) {
        let at = KemNct::to_usize();
        buf[..at].copy_from_slice(&self.ct_m);
        buf[at..].copy_from_slice(&self.ct_x);
    }
}

impl Deserializable for EncappedKey {
    fn from_bytes(encoded: &[u8]) -> Result<Self, HpkeError> {
        let want = Self::OutputSize::to_usize();
        if encoded.len() != want {
            return Err(HpkeError::IncorrectInputLength(want, encoded.len()));
        }
        let (m, x) = encoded.split_at(KemNct::to_usize());
        let ct_m = <[u8; 1088]>::try_from(m)
            .map_err(|_| HpkeError::ValidationError)?
            .into();
        let ct_x = x.try_into().map_err(|_| HpkeError::ValidationError)?;
        Ok(Self { ct_m, ct_x })
    }
}

/// X-Wing, for `hpke`.
pub struct XWing;

impl hpke::Kem for XWing {
    type PublicKey = PublicKey;
    type PrivateKey = PrivateKey;
    type EncappedKey = EncappedKey;
    type NSecret = U32;
    const KEM_ID: u16 = 0x647a;

    fn sk_to_pk(sk: &PrivateKey) -> PublicKey {
        sk.pk.clone()
    }

    /// Only used by `gen_keypair`, which we do not call: identities come from seeds.
    fn derive_keypair(ikm: &[u8]) -> (PrivateKey, PublicKey) {
        let mut seed = Zeroizing::new([0u8; 32]);
        Shake256::default()
            .chain(ikm)
            .finalize_xof()
            .read(seed.as_mut_slice());
        let sk = expand_key(seed);
        let pk = sk.pk.clone();
        (sk, pk)
    }

    fn decap(
        sk: &PrivateKey,
        pk_sender_id: Option<&PublicKey>,
        enc: &EncappedKey,
    ) -> Result<SharedSecret<Self>, HpkeError> {
        if pk_sender_id.is_some() {
            return Err(HpkeError::DecapError);
        }
        let ss_m = sk
            .dk_m
            .decapsulate(&enc.ct_m)
            .map_err(|()| HpkeError::DecapError)?;
        let ss_x = sk
            .sk_x
            .diffie_hellman(&x25519_dalek::PublicKey::from(enc.ct_x));
        Ok(SharedSecret(combine(
            &ss_m,
            ss_x.as_bytes(),
            &enc.ct_x,
            sk.pk.pk_x.as_bytes(),
        )))
    }

    fn encap<R: CryptoRng + RngCore>(
        pk: &PublicKey,
        sender_id_keypair: Option<(&PrivateKey, &PublicKey)>,
        csprng: &mut R,
    ) -> Result<(SharedSecret<Self>, EncappedKey), HpkeError> {
        if sender_id_keypair.is_some() {
            return Err(HpkeError::EncapError);
        }
        let mut eseed = Zeroizing::new([0u8; 64]);
        csprng.fill_bytes(eseed.as_mut_slice());
        let mut m = [0u8; 32];
        m.copy_from_slice(&eseed[..32]);
        let (ct_m, ss_m) = pk
            .ek_m
            .encapsulate_deterministic(&m.into())
            .map_err(|()| HpkeError::EncapError)?;
        m.zeroize();
        let mut ek = [0u8; 32];
        ek.copy_from_slice(&eseed[32..]);
        let ek_x = x25519_dalek::StaticSecret::from(ek);
        ek.zeroize();
        let ct_x = x25519_dalek::PublicKey::from(&ek_x).to_bytes();
        let ss_x = ek_x.diffie_hellman(&pk.pk_x);
        let ss = combine(&ss_m, ss_x.as_bytes(), &ct_x, pk.pk_x.as_bytes());
        Ok((SharedSecret(ss), EncappedKey { ct_m, ct_x }))
    }
}

/// ML-KEM-768's value modulus.
const Q: u16 = 3329;
/// Bytes of the encoded vector `t` at the start of an ML-KEM-768 key (then `rho`).
const T_BYTES: usize = 1152;

/// FIPS 203's encapsulation key check (7.2): every 12-bit coefficient of `t` is
/// below q, i.e. the key is canonically encoded. `ml-kem` 0.2 does not check it.
fn coefficients_reduced(ek: &[u8]) -> bool {
    ek.len() > T_BYTES
        && ek[..T_BYTES].chunks_exact(3).all(|b| {
            let lo = u16::from(b[0]) | (u16::from(b[1] & 0x0f) << 8);
            let hi = u16::from(b[1] >> 4) | (u16::from(b[2]) << 4);
            lo < Q && hi < Q
        })
}

/// X-Wing key expansion: SHAKE256(seed) gives the ML-KEM seed (d, z) and the
/// X25519 scalar.
fn expand_key(seed: Zeroizing<[u8; 32]>) -> PrivateKey {
    let mut d = Zeroizing::new([0u8; 32]);
    let mut z = Zeroizing::new([0u8; 32]);
    let mut x = [0u8; 32];
    let mut xof = Shake256::default().chain(seed.as_slice()).finalize_xof();
    xof.read(d.as_mut_slice());
    xof.read(z.as_mut_slice());
    xof.read(&mut x);
    let (dk_m, ek_m) = MlKem768::generate_deterministic(&(*d).into(), &(*z).into());
    let sk_x = x25519_dalek::StaticSecret::from(x);
    x.zeroize();
    let pk_x = x25519_dalek::PublicKey::from(&sk_x);
    PrivateKey {
        seed,
        dk_m,
        sk_x,
        pk: PublicKey { ek_m, pk_x },
    }
}

/// X-Wing's combiner: SHA3-256(ss_M || ss_X || ct_X || pk_X || label).
fn combine(
    ss_m: &[u8],
    ss_x: &[u8],
    ct_x: &[u8],
    pk_x: &[u8],
) -> hpke::generic_array::GenericArray<u8, U32> {
    let out = Sha3_256::default()
        .chain(ss_m)
        .chain(ss_x)
        .chain(ct_x)
        .chain(pk_x)
        .chain(XWING_LABEL)
        .finalize_fixed();
    let mut ss = hpke::generic_array::GenericArray::default();
    ss.copy_from_slice(&out);
    ss
}

#[cfg(test)]
mod tests {
    use super::*;
    use hpke::Kem as _;

    #[test]
    fn an_encapsulation_key_with_an_unreduced_coefficient_is_refused() {
        let (_, pk) = XWing::derive_keypair(b"some seed material");
        let mut bytes = pk.to_bytes().to_vec();
        assert!(PublicKey::from_bytes(&bytes).is_ok());
        // The first coefficient becomes 0xfff, above q = 3329.
        bytes[0] = 0xff;
        bytes[1] |= 0x0f;
        assert!(PublicKey::from_bytes(&bytes).is_err());
    }
}
