/**
 * Cryptographic building blocks of secure aggregation (HKDF, X25519 encodings, Shamir sharing, the mask
 * PRG, share encryption, key derivations). Public only so that the protocol package and its tests can
 * reach them; not an API.
 */
package org.fedrec.privacy.secagg.internal;
