package org.fedrec.privacy.secagg;

/**
 * The four stages of a secure-aggregation round (Bonawitz et al., CCS 2017, Figure 4, semi-honest
 * variant, without the consistency-check round), in order. Each stage is one message from each live
 * client to the server and one answer from the server to each client still needed.
 */
public enum Stage {
    /** Clients send two X25519 public keys; the server answers with the keys of each client's neighbours. */
    ADVERTISE_KEYS,
    /** Clients send encrypted Shamir shares of their secrets; the server forwards each to its recipient. */
    SHARE_KEYS,
    /** Clients send their masked input; the server answers with who dropped and who survived. */
    MASKED_INPUT,
    /** Clients reveal the shares the server needs to remove the masks; the server outputs the sum. */
    UNMASKING
}
