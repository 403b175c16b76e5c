package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Every message of a real round survives encode then decode unchanged. */
class WireFormatTest {

    @Test
    void everyMessageOfARoundRoundTrips() {
        for (int bits : new int[] {32, 64}) {
            RoundSetup setup = RoundSetup.complete(2, Fixtures.ids(4), 3, 5, bits);
            Map<String, long[]> inputs = Fixtures.randomInputs(setup, 1);
            ServerSession server = new ServerSession(setup);
            Map<String, ClientSession> clients = new LinkedHashMap<>();
            List<Message> all = new ArrayList<>();
            for (String id : setup.clients()) {
                clients.put(id, new ClientSession(setup, id, Fixtures.clientRandom(3, id)));
                all.add(deliver(clients.get(id).start(), server));
            }
            server.closeKeyAdvertisement().forEach((id, m) -> all.add(deliver(clients.get(id).onKeyDirectory(m), server)));
            server.closeKeySharing().forEach((id, m) -> {
                all.add(m);
                all.add(deliver(clients.get(id).onShareBundle(m, inputs.get(id)), server));
            });
            server.closeMaskedInputCollection().forEach((id, m) -> {
                all.add(m);
                all.add(deliver(clients.get(id).onUnmaskingRequest(m), server));
            });
            for (Message m : all) {
                Message back = WireFormat.decode(WireFormat.encode(m));
                assertThat(back).usingRecursiveComparison().isEqualTo(m);
            }
        }
    }

    static Message deliver(Message.ClientMessage m, ServerSession server) {
        server.receive(m);
        return m;
    }

    @Test
    void unknownVersionsAndTrailingBytesAreRefused() {
        byte[] ok = WireFormat.encode(new Message.UnmaskingRequest(1, "c0", List.of("c1"), List.of("c0")));
        byte[] longer = Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> WireFormat.decode(longer)).hasMessage("malformed UnmaskingRequest: 1 trailing bytes");
        ok[0] = 9;
        assertThatThrownBy(() -> WireFormat.decode(ok)).hasMessageContaining("version 9, type 5; expected version 1");
    }
}
