package org.fedrec.core;

/**
 * What the engine hands a client for one request: the round number and the client's own random source
 * for that round (split from the run's seed, so results do not depend on scheduling).
 */
public record ClientContext(int round, RandomSource random) {
}
