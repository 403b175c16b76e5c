package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedrec.privacy.secagg.Message.AdvertiseKeys;
import org.fedrec.privacy.secagg.Message.EncryptedShare;
import org.fedrec.privacy.secagg.Message.KeyDirectory;
import org.fedrec.privacy.secagg.Message.MaskedInput;
import org.fedrec.privacy.secagg.Message.RevealedShare;
import org.fedrec.privacy.secagg.Message.ShareBundle;
import org.fedrec.privacy.secagg.Message.UnmaskingRequest;
import org.fedrec.privacy.secagg.Message.UnmaskingResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sessions driven by hand, message by message, to break the protocol on purpose: tampered shares and
 * messages are detected and named; calls in the wrong state, and messages for the wrong round, stage or
 * recipient are refused.
 */
class TamperingAndStateTest {

    static final RoundSetup SETUP = RoundSetup.complete(9, Fixtures.ids(5), 3, 8, 32);
    static final Map<String, long[]> INPUTS = Fixtures.randomInputs(SETUP, 3);

    ServerSession server;
    Map<String, ClientSession> clients;

    @BeforeEach
    void startRound() {
        server = new ServerSession(SETUP);
        clients = new LinkedHashMap<>();
        for (String id : SETUP.clients()) {
            clients.put(id, new ClientSession(SETUP, id, Fixtures.clientRandom(1, id)));
            server.receive(clients.get(id).start());
        }
    }

    /** Runs stage 1 and returns the bundles. */
    Map<String, ShareBundle> shareKeys() {
        server.closeKeyAdvertisement().forEach((id, d) -> server.receive(clients.get(id).onKeyDirectory(d)));
        return server.closeKeySharing();
    }

    Map<String, UnmaskingRequest> maskInputs(Map<String, ShareBundle> bundles) {
        bundles.forEach((id, b) -> server.receive(clients.get(id).onShareBundle(b, INPUTS.get(id))));
        return server.closeMaskedInputCollection();
    }

    @Test
    void aTamperedEncryptedShareIsDetectedNamingSenderAndRecipient() {
        ShareBundle bundle = shareKeys().get("c2");
        List<EncryptedShare> shares = new ArrayList<>(bundle.shares());
        EncryptedShare fromC4 = shares.stream().filter(s -> s.sender().equals("c4")).findFirst().orElseThrow();
        byte[] flipped = fromC4.ciphertext().clone();
        flipped[5] ^= 1;
        shares.set(shares.indexOf(fromC4), new EncryptedShare("c4", "c2", fromC4.nonce(), flipped));

        assertThatThrownBy(() -> clients.get("c2").onShareBundle(new ShareBundle(9, "c2", shares), INPUTS.get("c2")))
                .isInstanceOfSatisfying(ShareAuthenticationException.class, e -> {
                    assertThat(e.sender()).isEqualTo("c4");
                    assertThat(e.recipient()).isEqualTo("c2");
                })
                .hasMessageContaining("from client c4 to client c2");
    }

    @Test
    void aShareRedirectedToAnotherClientFailsAuthentication() {
        Map<String, ShareBundle> bundles = shareKeys();
        EncryptedShare c4ToC1 = bundles.get("c1").shares().stream().filter(s -> s.sender().equals("c4")).findFirst()
                .orElseThrow();
        List<EncryptedShare> forC2 = new ArrayList<>(bundles.get("c2").shares());
        forC2.removeIf(s -> s.sender().equals("c4"));
        forC2.add(new EncryptedShare("c4", "c2", c4ToC1.nonce(), c4ToC1.ciphertext()));

        assertThatThrownBy(() -> clients.get("c2").onShareBundle(new ShareBundle(9, "c2", forC2), INPUTS.get("c2")))
                .isInstanceOf(ShareAuthenticationException.class);
    }

    @Test
    void aTamperedRevealedShareIsDetectedAndItsSenderNamed() {
        Map<String, UnmaskingRequest> requests = maskInputs(shareKeys());
        requests.forEach((id, r) -> {
            UnmaskingResponse response = clients.get(id).onUnmaskingRequest(r);
            if (id.equals("c3")) {
                List<RevealedShare> selfShares = new ArrayList<>(response.selfMaskShares());
                byte[] bad = selfShares.get(0).share().clone();
                bad[20] ^= 0x40;
                selfShares.set(0, new RevealedShare(selfShares.get(0).owner(), bad));
                response = new UnmaskingResponse(9, "c3", response.maskKeyShares(), selfShares);
            }
            server.receive(response);
        });

        assertThatThrownBy(() -> server.closeUnmasking()).isInstanceOf(SecAggProtocolException.class)
                .hasMessageContaining("self-mask seed share of client c0 revealed by client c3 is corrupt");
        assertThat(server.state()).isEqualTo(ServerSession.State.ABORTED);
    }

    @Test
    void aTamperedMessageIsRefusedNamingTheClient() {
        Map<String, ShareBundle> bundles = shareKeys();
        MaskedInput honest = clients.get("c1").onShareBundle(bundles.get("c1"), INPUTS.get("c1"));
        long[] outOfRange = honest.masked().clone();
        outOfRange[3] = 1L << 40;
        assertThatThrownBy(() -> server.receive(new MaskedInput(9, "c1", 32, outOfRange)))
                .isInstanceOf(SecAggProtocolException.class)
                .hasMessageContaining("MaskedInput from client c1 whose entry 3 = 1099511627776 is outside Z_2^32");
        assertThatThrownBy(() -> server.receive(new MaskedInput(9, "c1", 32, new long[7])))
                .hasMessageContaining("MaskedInput from client c1 of 7 entries over Z_2^32; expected 8");

        byte[] wire = WireFormat.encode(honest);
        assertThatThrownBy(() -> WireFormat.decode(Arrays.copyOf(wire, wire.length - 3)))
                .isInstanceOf(SecAggProtocolException.class).hasMessageContaining("malformed MaskedInput: a length prefix of 8 items with only 29 bytes left");
        server.receive(honest);
        assertThatThrownBy(() -> server.receive(honest)).hasMessageContaining("second MaskedInput from client c1");
    }

    @Test
    void shareKeysMissingANeighbourIsRefused() {
        Map<String, KeyDirectory> directories = server.closeKeyAdvertisement();
        Message.ShareKeys full = clients.get("c0").onKeyDirectory(directories.get("c0"));
        assertThatThrownBy(() -> server.receive(new Message.ShareKeys(9, "c0", full.selfMaskCommitment(),
                full.shares().subList(1, full.shares().size()))))
                .isInstanceOf(SecAggProtocolException.class)
                .hasMessageContaining("ShareKeys from client c0 without shares for its live neighbours [c1]");
    }

    @Test
    void messagesForAnotherRoundStageOrRecipientAreRefused() {
        assertThatThrownBy(() -> server.receive(new AdvertiseKeys(10, "c0", new byte[32], new byte[32])))
                .hasMessageContaining("AdvertiseKeys for round 10 from client c0");
        assertThatThrownBy(() -> server.receive(new MaskedInput(9, "c0", 32, new long[8])))
                .hasMessageContaining("MaskedInput (stage MASKED_INPUT) from client c0 while collecting stage "
                        + "ADVERTISE_KEYS");
        assertThatThrownBy(() -> server.receive(new AdvertiseKeys(9, "stranger", new byte[32], new byte[32])))
                .hasMessageContaining("client stranger is not on the roster");

        Map<String, KeyDirectory> directories = server.closeKeyAdvertisement();
        KeyDirectory forC1 = directories.get("c1");
        assertThatThrownBy(() -> clients.get("c0").onKeyDirectory(forC1))
                .isInstanceOf(SecAggProtocolException.class)
                .hasMessageContaining("client c0 in round 9 (state KEYS_ADVERTISED) got a KeyDirectory addressed to "
                        + "client c1");
        assertThatThrownBy(() -> clients.get("c0").onKeyDirectory(new KeyDirectory(8, "c0", forC1.neighbours())))
                .hasMessageContaining("got a KeyDirectory for round 8");
    }

    @Test
    void callsInTheWrongStateAreIllegalTransitions() {
        assertThatThrownBy(() -> clients.get("c0").start())
                .isInstanceOf(SecAggProtocolException.class)
                .hasMessageContaining("cannot start in state KEYS_ADVERTISED; that needs state NEW");
        assertThatThrownBy(() -> clients.get("c0").onShareBundle(new ShareBundle(9, "c0", List.of()), INPUTS.get("c0")))
                .hasMessageContaining("cannot handle a ShareBundle in state KEYS_ADVERTISED; that needs state "
                        + "KEYS_SHARED");
        assertThatThrownBy(() -> server.closeKeySharing())
                .hasMessageContaining("cannot closeKeySharing in state COLLECTING_KEYS");
    }

    @Test
    void aClientRefusesToRevealBothSecretsOfOneClient() {
        maskInputs(shareKeys());
        UnmaskingRequest greedy = new UnmaskingRequest(9, "c0", List.of("c1"), List.of("c0", "c1", "c2"));
        assertThatThrownBy(() -> clients.get("c0").onUnmaskingRequest(greedy))
                .isInstanceOf(SecAggProtocolException.class)
                .hasMessageContaining("naming client c1 both dropped and surviving");
        assertThat(clients.get("c0").state()).isEqualTo(ClientSession.State.INPUT_MASKED);
    }

    @Test
    void aClientRefusesToUnmaskWhenFewerThanTSurvived() {
        maskInputs(shareKeys());
        UnmaskingRequest tooFew = new UnmaskingRequest(9, "c0", List.of("c2", "c3", "c4"), List.of("c0", "c1"));
        assertThatThrownBy(() -> clients.get("c0").onUnmaskingRequest(tooFew))
                .hasMessageContaining("has 2 surviving group members in its UnmaskingRequest (itself included), fewer "
                        + "than the threshold t = 3");
    }
}
