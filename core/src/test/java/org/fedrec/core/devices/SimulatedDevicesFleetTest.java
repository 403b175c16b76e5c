package org.fedrec.core.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.fedrec.core.Client;
import org.fedrec.core.ClientContext;
import org.fedrec.core.ClientFactory;
import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.InMemoryFleet;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Responses;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

/**
 * Synchronous rounds in simulated time. Devices: 10 examples/s, 4 bytes/s each way; client i computes
 * 10 (i + 1) examples; the model and each update are one float (4 bytes). So client i takes 1 s to
 * download, i + 1 s to compute and 1 s to upload: i + 3 s in all.
 */
class SimulatedDevicesFleetTest {

    static final Set<String> trained = ConcurrentHashMap.newKeySet();

    static ClientFactory clients() {
        return id -> new Client() {
            @Override
            public FitResult fit(FitInstruction ins, ClientContext ctx) {
                trained.add(id);
                return new FitResult(id, 1, new ModelUpdate(Map.of("w", new TableDelta.Dense(new float[] {1}))),
                        Map.of());
            }

            @Override
            public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                return new EvaluateResult(id, 1, Map.of());
            }
        };
    }

    static long examples(String id) {
        return 10L * (Integer.parseInt(id.substring(1)) + 1);
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("c" + i);
        }
        return ids;
    }

    static List<FitInstruction> instructions(List<String> ids) {
        ModelState global = new ModelState(Map.of("w", FloatTable.zeros(1, 1)));
        List<FitInstruction> out = new ArrayList<>();
        for (String id : ids) {
            out.add(new FitInstruction(id, global, RoundConfig.EMPTY));
        }
        return out;
    }

    private static SimulatedDevicesFleet fleet(DeviceProfiles.Settings settings, double deadline) {
        return new SimulatedDevicesFleet(new InMemoryFleet(clients(), ids(3), RandomSource.seeded(1), 2),
                new DeviceProfiles(settings, RandomSource.seeded(2)), new SimulatedClock(),
                SimulatedDevicesFleetTest::examples, deadline);
    }

    @Test
    void aRoundLastsUntilItsSlowestUpdateArrives() {
        try (SimulatedDevicesFleet fleet = fleet(DeviceProfiles.Settings.uniform(10, 4, 4), 0)) {
            Responses<org.fedrec.core.FitResult> r = fleet.fit(1, instructions(ids(3)));
            assertThat(r.results()).extracting(FitResult::clientId).containsExactly("c0", "c1", "c2");
            assertThat(r.metrics()).containsEntry("sim_round_seconds", 5.0).containsEntry("sim_time", 5.0);
            Responses<FitResult> second = fleet.fit(2, instructions(ids(2)));
            assertThat(second.metrics()).containsEntry("sim_round_seconds", 4.0).containsEntry("sim_time", 9.0);
        }
    }

    @Test
    void updatesAfterTheDeadlineAreFailuresAndTheRoundEndsAtTheDeadline() {
        trained.clear();
        try (SimulatedDevicesFleet fleet = fleet(DeviceProfiles.Settings.uniform(10, 4, 4), 4.5)) {
            // client 2 computes until 4 s (trained) and uploads until 5 s: late
            Responses<FitResult> r = fleet.fit(1, instructions(ids(3)));
            assertThat(r.results()).extracting(FitResult::clientId).containsExactly("c0", "c1");
            assertThat(r.failures()).extracting(ClientFailure::clientId).containsExactly("c2");
            assertThat(r.failures().get(0).message()).contains("missed the round deadline of 4.5 s");
            assertThat(r.metrics()).containsEntry("sim_round_seconds", 4.5).containsEntry("missed_deadline", 1.0);
            assertThat(trained).contains("c2");
        }
        trained.clear();
        try (SimulatedDevicesFleet fleet = fleet(DeviceProfiles.Settings.uniform(10, 4, 4), 3.5)) {
            // client 1 would compute until 3 s and arrive at 4 s; client 2 cannot even compute in time: not trained
            Responses<FitResult> r = fleet.fit(1, instructions(ids(3)));
            assertThat(r.results()).extracting(FitResult::clientId).containsExactly("c0");
            assertThat(r.failures()).extracting(ClientFailure::clientId).containsExactlyInAnyOrder("c1", "c2");
            assertThat(trained).containsExactlyInAnyOrder("c0", "c1");
        }
    }

    @Test
    void dropoutsComeBackAsFailuresWithoutTrainingAndUnavailableClientsAreNotOffered() {
        trained.clear();
        DeviceProfiles.Settings flaky = new DeviceProfiles.Settings(10, 0, 4, 4, 0, 1000, 0.5, 0.5);
        List<String> population = ids(40);
        DeviceProfiles devices = new DeviceProfiles(flaky, RandomSource.seeded(2));
        try (SimulatedDevicesFleet fleet = new SimulatedDevicesFleet(
                new InMemoryFleet(clients(), population, RandomSource.seeded(1), 2), devices, new SimulatedClock(),
                id -> 10, 0)) {
            List<String> available = fleet.availableClients();
            assertThat(available).isNotEmpty().hasSizeLessThan(40);
            assertThat(available).allMatch(id -> devices.available(id, 0));
            assertThat(population).filteredOn(id -> !available.contains(id)).noneMatch(id -> devices.available(id, 0));
            assertThat(fleet.population()).hasSize(40);
            Responses<FitResult> r = fleet.fit(1, instructions(available));
            assertThat(r.failures()).isNotEmpty();
            assertThat(r.results().size() + r.failures().size()).isEqualTo(available.size());
            for (ClientFailure f : r.failures()) {
                assertThat(f.message()).contains("dropped out");
                assertThat(trained).doesNotContain(f.clientId());
            }
            assertThat(r.results()).allMatch(res -> trained.contains(res.clientId()));
            assertThat(r.metrics().get("dropped_out")).isEqualTo((double) r.failures().size());
            // every delivered client takes 1 + 1 + 1 s; a dropout ends earlier
            assertThat(r.metrics()).containsEntry("sim_round_seconds", 3.0);
        }
    }
}
