/**
 * Secure aggregation as pure protocol logic (no transport): the server learns the sum of the clients'
 * vectors and nothing else about any one of them, even when clients drop out mid-round.
 *
 * <p>The protocol is the semi-honest variant of Bonawitz, Ivanov, Kreuter, Marcedone, McMahan, Patel,
 * Ramage, Segal and Seth, "Practical Secure Aggregation for Privacy-Preserving Machine Learning" (CCS 2017),
 * with the sparse neighbour graph of SecAgg+ (Bell, Bonawitz, Gascón, Lepoint, Raykova, "Secure
 * Single-Server Aggregation with (Poly)Logarithmic Overhead", CCS 2020) as an option
 * ({@link org.fedrec.privacy.secagg.NeighbourGraph}). Building blocks, all from the JDK: X25519 key
 * agreement, HKDF-SHA256, AES-256-GCM for the shares clients exchange through the server, Shamir t-of-n
 * sharing over GF(2^256 + 297) of each client's mask key and self-mask seed, and AES-256-CTR expanding
 * full-entropy seeds into masks over Z_(2^k).
 *
 * <ul>
 * <li>{@link org.fedrec.privacy.secagg.ClientSession} and {@link org.fedrec.privacy.secagg.ServerSession}:
 * the two state machines, exchanging the {@link org.fedrec.privacy.secagg.Message} records of a
 * {@link org.fedrec.privacy.secagg.RoundSetup}; {@link org.fedrec.privacy.secagg.WireFormat} is their byte
 * form.</li>
 * <li>{@link org.fedrec.privacy.secagg.FixedPoint} and {@link org.fedrec.privacy.secagg.UpdateLayout}: from
 * model updates (dense tables and sparse rows, optionally example-weighted) to vectors over Z_(2^k) and
 * from the aggregate back to the mean delta that {@link org.fedrec.core.strategy.FedAvg}-family strategies
 * apply.</li>
 * <li>{@link org.fedrec.privacy.secagg.DistributedDp}: client-side clipping and Gaussian noise before
 * masking, and the effective noise multiplier to account a round with dropouts.</li>
 * <li>{@link org.fedrec.privacy.secagg.InMemorySecAgg}: runs a round in one JVM over the byte form, with a
 * dropout schedule, measuring time and traffic.</li>
 * </ul>
 *
 * <p><b>Threat model.</b> Semi-honest (honest-but-curious) server and clients: parties follow the protocol
 * but try to learn from what they see. Not covered: a server that lies about who dropped to different
 * clients (the consistency-check round and signatures of the malicious variant), and tampering with an
 * unauthenticated public key or masked input in transit (the transport's TLS and client authentication
 * must provide that). Encrypted shares are authenticated end to end and bound to round, sender and
 * recipient; reconstructed secrets are checked against the advertised public key or a commitment.
 */
package org.fedrec.privacy.secagg;
