package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedrec.core.Clock;
import org.fedrec.privacy.secagg.Message.AdvertiseKeys;
import org.fedrec.privacy.secagg.Message.MaskedInput;
import org.fedrec.privacy.secagg.Message.RevealedShare;
import org.fedrec.privacy.secagg.Message.UnmaskingResponse;
import org.fedrec.privacy.secagg.internal.Derivation;
import org.fedrec.privacy.secagg.internal.MaskExpansion;
import org.fedrec.privacy.secagg.internal.Shamir;
import org.fedrec.privacy.secagg.internal.X25519;
import org.junit.jupiter.api.Test;

/**
 * A curious server: it records every byte it receives and then does everything it can with it, removing
 * each survivor's self mask and every pairwise mask it can reconstruct. It still never holds any client's
 * input, while the decoded total is the plain sum.
 */
class CuriousServerTest {

    static final int N = 8;
    static final int T = 5;
    static final int LENGTH = 4096;
    static final FixedPoint CODEC = new FixedPoint(1.0, 1 << 16, 32);
    static final RoundSetup SETUP = RoundSetup.complete(21, Fixtures.ids(N), T, LENGTH, 32);

    @Test
    void theServerNeverHoldsAnUnmaskedInputButGetsTheSum() {
        // small real inputs: their encodings are far from uniform, so a leak would show
        SplittableRandom rng = new SplittableRandom(4);
        Map<String, long[]> inputs = new LinkedHashMap<>();
        double[] plain = new double[LENGTH];
        for (String id : SETUP.clients()) {
            long[] x = new long[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                double v = rng.nextGaussian() * 0.01;
                x[i] = CODEC.encode(v, id);
                plain[i] += Math.rint(v * CODEC.scale()) / CODEC.scale();
            }
            inputs.put(id, x);
        }
        List<byte[]> received = new ArrayList<>();
        Map<String, Message> messages = new LinkedHashMap<>();
        InMemorySecAgg curious = new InMemorySecAgg(Clock.system(), false, (sender, bytes) -> {
            received.add(bytes);
            Message m = WireFormat.decode(bytes);
            messages.put(sender + "/" + m.stage(), m);
        });
        Map<String, Stage> drops = Map.of("c2", Stage.MASKED_INPUT, "c6", Stage.MASKED_INPUT);

        InMemorySecAgg.Outcome out = curious.run(SETUP, drops, id -> Fixtures.clientRandom(77, id), inputs::get);

        for (int i = 0; i < LENGTH; i++) {
            double expected = 0;
            for (String id : out.result().contributors()) {
                expected += CODEC.decode(inputs.get(id)[i]);
            }
            assertThat(CODEC.decode(out.result().sum()[i])).isEqualTo(expected, offset(1e-9));
        }

        // controls: the byte search finds an input sent in the clear, and the stripping is right (what is
        // left of the survivors' inputs are pairwise masks that cancel in their sum)
        long[] c0 = inputs.get("c0");
        assertThat(containsWindow(List.of(WireFormat.encode(new MaskedInput(21, "c0", 32, c0))), c0)).isTrue();
        long[] strippedSum = new long[LENGTH];
        for (String id : out.result().contributors()) {
            long[] stripped = stripEverythingTheServerCan(id,
                    ((MaskedInput) messages.get(id + "/" + Stage.MASKED_INPUT)).masked(), messages,
                    out.result().contributors());
            for (int i = 0; i < LENGTH; i++) {
                strippedSum[i] = (strippedSum[i] + stripped[i]) & 0xFFFF_FFFFL;
            }
        }
        assertThat(strippedSum).isEqualTo(out.result().sum());

        for (String id : out.result().contributors()) {
            long[] x = inputs.get(id);
            long[] y = ((MaskedInput) messages.get(id + "/" + Stage.MASKED_INPUT)).masked();
            assertThat(agreeing(y, x)).as("coordinates of %s's masked input equal to its input", id).isZero();
            // masked entries look uniform over Z_2^32: mean near 2^31 (sd of the mean is 2^32/sqrt(12*4096) ~ 0.0045)
            double mean = 0;
            for (long v : y) {
                mean += v / 0x1p32;
            }
            assertThat(mean / LENGTH).as("mean of %s's masked entries / 2^32", id).isBetween(0.48, 0.52);
            assertThat(containsWindow(received, x)).as("the server's bytes contain %s's input", id).isFalse();

            long[] stripped = stripEverythingTheServerCan(id, y, messages, out.result().contributors());
            assertThat(agreeing(stripped, x)).as("coordinates the curious server recovers of %s's input", id)
                    .isLessThan(LENGTH / 1000);
        }
    }

    /** y minus the self mask and the pairwise masks with dropped neighbours, from the revealed shares. */
    static long[] stripEverythingTheServerCan(String id, long[] y, Map<String, Message> messages,
                                              List<String> survivors) {
        long[] acc = y.clone();
        MaskExpansion.addMask(reconstruct(id, false, messages), 32, -1, acc);
        int me = SETUP.number(id);
        for (String v : SETUP.clients()) {
            if (survivors.contains(v) || v.equals(id) || !messages.containsKey(v + "/" + Stage.SHARE_KEYS)) {
                continue;
            }
            byte[] maskKey = reconstruct(v, true, messages);
            byte[] publicKey = ((AdvertiseKeys) messages.get(id + "/" + Stage.ADVERTISE_KEYS)).maskingKey();
            byte[] agreed = X25519.agree(X25519.privateKey(maskKey, v), X25519.publicKey(publicKey, id), v, id);
            int other = SETUP.number(v);
            MaskExpansion.addMask(Derivation.pairwiseMaskSeed(agreed, SETUP.round(), me, other), 32,
                    me < other ? -1 : 1, acc);
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] &= 0xFFFF_FFFFL;
        }
        return acc;
    }

    /** A secret from every share of it the server received. */
    static byte[] reconstruct(String owner, boolean maskKey, Map<String, Message> messages) {
        List<Integer> xs = new ArrayList<>();
        List<byte[]> ys = new ArrayList<>();
        messages.forEach((key, m) -> {
            if (m instanceof UnmaskingResponse r) {
                for (RevealedShare s : maskKey ? r.maskKeyShares() : r.selfMaskShares()) {
                    if (s.owner().equals(owner)) {
                        xs.add(SETUP.number(r.client()) + 1);
                        ys.add(s.share());
                    }
                }
            }
        });
        assertThat(xs.size()).as("shares of %s's %s", owner, maskKey ? "mask key" : "seed").isGreaterThanOrEqualTo(T);
        return Shamir.reconstruct(xs.stream().mapToInt(Integer::intValue).toArray(), ys.toArray(new byte[0][]), T);
    }

    static int agreeing(long[] a, long[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return same;
    }

    /** True when the first 8 entries of x, as 4-byte big-endian words, appear in any received message. */
    static boolean containsWindow(List<byte[]> received, long[] x) {
        byte[] window = new byte[32];
        for (int i = 0; i < 8; i++) {
            for (int b = 0; b < 4; b++) {
                window[4 * i + b] = (byte) (x[i] >>> (24 - 8 * b));
            }
        }
        for (byte[] bytes : received) {
            outer:
            for (int p = 0; p + window.length <= bytes.length; p++) {
                for (int q = 0; q < window.length; q++) {
                    if (bytes[p + q] != window[q]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
