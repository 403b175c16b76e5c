package org.fedrec.core.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fedrec.core.RandomSource;
import org.junit.jupiter.api.Test;

class DeviceProfilesTest {

    private static final DeviceProfiles.Settings QUARTER = new DeviceProfiles.Settings(100, 1.0, 1000, 4000, 0.5,
            100, 0.25, 0);

    @Test
    void availabilityIsAWindowOfTheCycleAtTheDevicesPhase() {
        DeviceProfiles d = new DeviceProfiles(QUARTER, RandomSource.seeded(7));
        DeviceProfiles.Profile p = d.profile("c1");
        // the window opens where t / 100 + phase is a whole number
        double opens = (1 - p.phase()) * 100;
        assertThat(d.available(p, opens + 0.001)).isTrue();
        assertThat(d.available(p, opens + 24.9)).isTrue();
        assertThat(d.available(p, opens + 25.1)).isFalse();
        assertThat(d.available(p, opens + 99.9)).isFalse();
        assertThat(d.available(p, opens + 100.5)).isTrue();
        assertThat(d.windowEnd(p, opens + 10)).isCloseTo(opens + 25, within(1e-9));
        assertThat(d.nextAvailable(p, opens + 30)).isCloseTo(opens + 100, within(1e-9));
        assertThat(d.nextAvailable(p, opens + 10)).isEqualTo(opens + 10);
    }

    @Test
    void aTaskTakesDownloadPlusComputePlusUploadAndFailsWhenTheWindowCloses() {
        DeviceProfiles d = new DeviceProfiles(QUARTER, RandomSource.seeded(7));
        DeviceProfiles.Profile p = d.profile("c1");
        double opens = (1 - p.phase()) * 100;
        double computeAndDownload = 2000 / p.downlinkBytesPerSecond() + 5 / p.examplesPerSecond();
        assertThat(computeAndDownload).isLessThan(20); // so the task fits the window
        DeviceProfiles.Plan plan = d.plan("c1", 0, opens + 1, 5, 2000);
        assertThat(plan.delivered()).isTrue();
        assertThat(plan.computedAt()).isCloseTo(opens + 1 + computeAndDownload, within(1e-9));
        assertThat(d.deliveredAt("c1", plan, 500)).isCloseTo(plan.computedAt() + 500 / p.uplinkBytesPerSecond(),
                within(1e-9));
        // a task far longer than the window goes offline when the window closes
        DeviceProfiles.Plan tooLong = d.plan("c1", 1, opens + 1, 1_000_000, 2000);
        assertThat(tooLong.outcome()).isEqualTo(DeviceProfiles.Outcome.WENT_OFFLINE);
        assertThat(tooLong.endsAt()).isCloseTo(opens + 25, within(1e-9));
        assertThat(tooLong.failureMessage()).contains("went offline");
        assertThatThrownBy(() -> d.deliveredAt("c1", tooLong, 10)).hasMessageContaining("not delivered");
    }

    @Test
    void dropoutsHappenAtTheConfiguredRateBeforeComputeEnds() {
        DeviceProfiles d = new DeviceProfiles(new DeviceProfiles.Settings(100, 0, 1000, 1000, 0, 100, 1, 0.2),
                RandomSource.seeded(3));
        int dropped = 0;
        int tasks = 20_000;
        for (int task = 0; task < tasks; task++) {
            DeviceProfiles.Plan plan = d.plan("c" + (task % 50), task, 10, 100, 1000);
            if (plan.outcome() == DeviceProfiles.Outcome.DROPPED_OUT) {
                dropped++;
                assertThat(plan.endsAt()).isBetween(10.0, plan.computedAt());
            } else {
                assertThat(plan.computedAt()).isCloseTo(10 + 1000 / 1000.0 + 100 / 100.0, within(1e-12));
            }
        }
        // binomial(20000, 0.2): sd 57; 5 sd either side
        assertThat(dropped).isBetween(4000 - 285, 4000 + 285);
    }

    @Test
    void profilesAreSeededPerClientAndSpreadLogNormally() {
        DeviceProfiles a = new DeviceProfiles(QUARTER, RandomSource.seeded(11));
        DeviceProfiles b = new DeviceProfiles(QUARTER, RandomSource.seeded(11));
        assertThat(a.profile("u5")).isEqualTo(b.profile("u5"));
        assertThat(a.profile("u5")).isNotEqualTo(a.profile("u6"));
        double sumLog = 0;
        double sumSq = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double z = Math.log(a.profile("u" + i).examplesPerSecond() / 100);
            sumLog += z;
            sumSq += z * z;
        }
        double mean = sumLog / n;
        assertThat(mean).isCloseTo(0, within(0.04));
        assertThat(Math.sqrt(sumSq / n - mean * mean)).isCloseTo(1.0, within(0.03));
    }

    @Test
    void uniformDevicesAreAlwaysAvailableAndSettingsAreChecked() {
        DeviceProfiles d = new DeviceProfiles(DeviceProfiles.Settings.uniform(10, 100, 100), RandomSource.seeded(1));
        assertThat(d.available("x", 123_456.7)).isTrue();
        assertThat(d.windowEnd(d.profile("x"), 5)).isInfinite();
        assertThat(d.profile("x").examplesPerSecond()).isEqualTo(10);
        assertThatThrownBy(() -> new DeviceProfiles.Settings(0, 0, 1, 1, 0, 1, 1, 0))
                .hasMessageContaining("examplesPerSecond must be a positive number, found 0");
        assertThatThrownBy(() -> new DeviceProfiles.Settings(1, 0, 1, 1, 0, 1, 1.5, 0))
                .hasMessageContaining("availableFraction must be in (0, 1], found 1.5");
        assertThatThrownBy(() -> new DeviceProfiles.Settings(1, 0, 1, 1, 0, 1, 1, 1))
                .hasMessageContaining("dropout must be in [0, 1)");
    }

    @Test
    void theSimulatedClockOnlyMovesForward() {
        SimulatedClock clock = new SimulatedClock();
        clock.advanceBy(1.5);
        clock.advanceTo(2.25);
        assertThat(clock.seconds()).isEqualTo(2.25);
        assertThat(clock.nanoTime()).isEqualTo(2_250_000_000L);
        assertThat(clock.now()).isEqualTo(java.time.Instant.EPOCH.plusMillis(2250));
        assertThatThrownBy(() -> clock.advanceTo(2)).hasMessageContaining("only move forward");
        assertThatThrownBy(() -> clock.advanceBy(-1)).hasMessageContaining(">= 0");
    }
}
