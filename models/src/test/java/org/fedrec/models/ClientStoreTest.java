package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ClientStoreTest {

    /** Random clients: silos of 1..3 users or single users, items chronological with repeats, recency weights. */
    private static List<ClientData> clients(long seed, int n, boolean singleUsers, RecencyWeighting weighting) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<ClientData> out = new ArrayList<>();
        int nextUser = 0;
        for (int c = 0; c < n; c++) {
            int users = singleUsers ? 1 : 1 + rng.nextInt(3);
            int[] ids = new int[users];
            int[][] items = new int[users][];
            for (int u = 0; u < users; u++) {
                ids[u] = nextUser;
                nextUser += 1 + rng.nextInt(3);
                items[u] = rng.ints(1 + rng.nextInt(12), 0, 40).toArray();
            }
            out.add(ClientData.ofChronological(ids, items, weighting));
        }
        return out;
    }

    private static void assertSameData(ClientData actual, ClientData expected) {
        assertThat(actual.users()).containsExactly(expected.users());
        assertThat(actual.interactionCount()).isEqualTo(expected.interactionCount());
        assertThat(actual.visitsPerEpoch()).isEqualTo(expected.visitsPerEpoch());
        for (int u = 0; u < expected.userCount(); u++) {
            assertThat(actual.start(u)).isEqualTo(expected.start(u));
            assertThat(actual.end(u)).isEqualTo(expected.end(u));
            assertThat(actual.itemsOf(u)).containsExactly(expected.itemsOf(u));
        }
        for (int p = 0; p < expected.interactionCount(); p++) {
            assertThat(actual.visits(p)).isEqualTo(expected.visits(p));
        }
    }

    @Property(tries = 60)
    void everyClientComesBackAsItWentIn(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int n,
                                        @ForAll boolean singleUsers, @ForAll @IntRange(min = 0, max = 300) int boost) {
        RecencyWeighting weighting = boost == 0 ? RecencyWeighting.NONE : new RecencyWeighting(boost, 3);
        List<ClientData> data = clients(seed, n, singleUsers, weighting);
        ClientStore.Builder b = ClientStore.builder();
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            String id = singleUsers ? "u" + data.get(c).user(0) : "silo-" + c;
            ids.add(id);
            b.add(id, data.get(c));
        }
        ClientStore store = b.build();
        assertThat(store.clients()).isEqualTo(n);
        assertThat(store.ids()).containsExactlyElementsOf(ids);
        long pairs = 0;
        for (int c = 0; c < n; c++) {
            assertThat(store.idOf(c)).isEqualTo(ids.get(c));
            assertThat(store.indexOf(ids.get(c))).isEqualTo(c);
            assertSameData(store.client(c), data.get(c));
            assertSameData(store.client(ids.get(c)), data.get(c));
            assertThat(store.usersOf(c)).containsExactly(data.get(c).users());
            assertThat(store.visitsPerEpoch(c)).isEqualTo(data.get(c).visitsPerEpoch());
            pairs += data.get(c).interactionCount();
        }
        assertThat(store.pairs()).isEqualTo(pairs);
        assertThat(store.indexOf("nobody")).isEqualTo(-1);
        assertThat(store.indexOf("u")).isEqualTo(-1);
        assertThat(store.indexOf("u99999999999")).isEqualTo(-1);
    }

    @Test
    void perUserIdsAreDerivedSoAnIdleClientCostsItsDataAndAFewBytes() {
        List<ClientData> data = clients(1, 1000, true, RecencyWeighting.NONE);
        ClientStore.Builder b = ClientStore.builder();
        long pairs = 0;
        for (ClientData d : data) {
            b.add("u" + d.user(0), d);
            pairs += d.interactionCount();
        }
        ClientStore store = b.build();
        int maxUser = data.get(999).user(0);
        // 4 bytes per pair, 4 + 8 per client, and the user -> client index; no strings, no visits (all 1)
        assertThat(store.bytes()).isEqualTo(4 * pairs + 4L * (1001 + 1000 + 1001) + 4L * (maxUser + 1));
        assertThat(store.indexOf("u0" + data.get(5).user(0))).isEqualTo(-1); // not a canonical id
        assertThatThrownBy(() -> store.client("u" + (maxUser + 7))).hasMessageContaining("no client 'u");
    }
}
