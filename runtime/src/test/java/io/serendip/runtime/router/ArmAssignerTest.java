package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.config.ArmSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArmAssignerTest {
    static List<ArmSettings> arms(int... weights) {
        List<ArmSettings> arms = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            arms.add(new ArmSettings("arm-" + i, i == 0, weights[i], 0.0, "http://arm-" + i + ":8080", true));
        }
        return arms;
    }

    @ParameterizedTest
    @ValueSource(strings = {"5000,5000", "9000,1000", "100,9900", "3333,3333,3334", "2500,2500,2500,2500", "0,10000"})
    void hundredThousandUsersSplitWithinOnePercentagePointOfTheWeights(String weightList) {
        int[] weights = java.util.Arrays.stream(weightList.split(",")).mapToInt(Integer::parseInt).toArray();
        ArmAssigner assigner = new ArmAssigner(arms(weights));
        Map<String, Integer> counts = new HashMap<>();
        int users = 100_000;
        for (int u = 0; u < users; u++) {
            counts.merge(assigner.assign("2026-11", "user-" + u).name(), 1, Integer::sum);
        }
        for (int i = 0; i < weights.length; i++) {
            double observedPercent = 100.0 * counts.getOrDefault("arm-" + i, 0) / users;
            assertThat(observedPercent).as("arm-%d", i).isCloseTo(weights[i] / 100.0, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void bucketsArePinned() {
        // Golden values: a change here would reshuffle every running experiment's users.
        int[] golden = {ArmAssigner.bucket("s", "alice"), ArmAssigner.bucket("s", "bob"), ArmAssigner.bucket("t", "alice")};
        assertThat(golden).containsExactly(GOLDEN_ALICE_S, GOLDEN_BOB_S, GOLDEN_ALICE_T);
    }

    static final int GOLDEN_ALICE_S = 5114;
    static final int GOLDEN_BOB_S = 523;
    static final int GOLDEN_ALICE_T = 5769;

    @Test
    void saltReshufflesAssignments() {
        int moved = 0;
        for (int u = 0; u < 10_000; u++) {
            if (ArmAssigner.bucket("a", "u" + u) != ArmAssigner.bucket("b", "u" + u)) {
                moved++;
            }
        }
        assertThat(moved).isGreaterThan(9_900);
    }

    @Test
    void raisingOneWeightOnlyMovesUsersIntoThatArm() {
        ArmAssigner before = new ArmAssigner(arms(9000, 1000));
        ArmAssigner after = new ArmAssigner(arms(8000, 2000));
        for (int u = 0; u < 20_000; u++) {
            String b = before.assign("s", "u" + u).name();
            String a = after.assign("s", "u" + u).name();
            if (b.equals("arm-1")) {
                assertThat(a).isEqualTo("arm-1");
            }
        }
    }

    /**
     * A ramp of 2 to 8 arms: each treatment arm's weight grows (in random steps, some standing still) from 0 to its
     * final weight, which it reserves throughout; control has the rest. Every user either keeps their arm from one
     * step to the next or moves from control into a treatment arm; and at each step the arms own exactly their
     * weights' share of the buckets.
     */
    @Property(tries = 200)
    void aRampMovesUsersOnlyFromControlIntoATreatmentArm(@ForAll @IntRange(min = 2, max = 8) int armCount,
                                                         @ForAll @IntRange(min = 2, max = 6) int steps,
                                                         @ForAll("seeds") long seed) {
        java.util.Random random = new java.util.Random(seed);
        int[] reserved = new int[armCount];
        int left = 10_000;
        for (int i = 1; i < armCount; i++) {
            reserved[i] = random.nextInt(left / (armCount - i) + 1);
            left -= reserved[i];
        }
        int[] weights = new int[armCount];
        ArmAssigner previous = null;
        for (int step = 0; step <= steps; step++) {
            int treatments = 0;
            for (int i = 1; i < armCount; i++) {
                weights[i] = step == steps ? reserved[i]
                        : weights[i] + random.nextInt(reserved[i] - weights[i] + 1) * (random.nextBoolean() ? 1 : 0);
                treatments += weights[i];
            }
            weights[0] = 10_000 - treatments;
            List<ArmSettings> arms = new ArrayList<>();
            for (int i = 0; i < armCount; i++) {
                arms.add(new ArmSettings("arm-" + i, i == 0, weights[i], i == 0 ? null : reserved[i], 0.0,
                        "http://arm-" + i + ":8080", true));
            }
            ArmAssigner current = new ArmAssigner(arms);
            int[] owned = new int[armCount];
            for (int bucket = 0; bucket < 10_000; bucket++) {
                String now = current.armForBucket(bucket).name();
                owned[Integer.parseInt(now.substring(4))]++;
                if (previous != null) {
                    String before = previous.armForBucket(bucket).name();
                    assertThat(now.equals(before) || before.equals("arm-0"))
                            .as("bucket %d moved from %s to %s at step %d", bucket, before, now, step).isTrue();
                }
            }
            assertThat(owned).containsExactly(weights);
            previous = current;
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    @Test
    void withoutReservedBucketsTheRangesAreTheWeightsInConfigOrder() {
        ArmAssigner assigner = new ArmAssigner(arms(5000, 3000, 2000));
        assertThat(assigner.armForBucket(4999).name()).isEqualTo("arm-0");
        assertThat(assigner.armForBucket(5000).name()).isEqualTo("arm-1");
        assertThat(assigner.armForBucket(7999).name()).isEqualTo("arm-1");
        assertThat(assigner.armForBucket(8000).name()).isEqualTo("arm-2");
        assertThat(assigner.armForBucket(9999).name()).isEqualTo("arm-2");
        assertThatThrownBy(() -> assigner.armForBucket(10_000)).hasMessageContaining("out of range");
    }

    @Test
    void aTreatmentArmFillsItsReservedBucketsFromTheirStart() {
        // Final 50/25/25 at a quarter of the way: explore-a owns [5000, 5625), explore-b [7500, 8125).
        ArmAssigner assigner = new ArmAssigner(List.of(
                new ArmSettings("control", true, 8750, null, 0.0, "http://c:1", true),
                new ArmSettings("a", false, 625, 2500, 0.0, "http://a:1", true),
                new ArmSettings("b", false, 625, 2500, 0.0, "http://b:1", true)));
        assertThat(assigner.armForBucket(4999).name()).isEqualTo("control");
        assertThat(assigner.armForBucket(5000).name()).isEqualTo("a");
        assertThat(assigner.armForBucket(5624).name()).isEqualTo("a");
        assertThat(assigner.armForBucket(5625).name()).isEqualTo("control");
        assertThat(assigner.armForBucket(7500).name()).isEqualTo("b");
        assertThat(assigner.armForBucket(8125).name()).isEqualTo("control");
        assertThatThrownBy(() -> new ArmAssigner(List.of(
                new ArmSettings("control", true, 7000, null, 0.0, "http://c:1", true),
                new ArmSettings("a", false, 3000, 2500, 0.0, "http://a:1", true))))
                .hasMessageContaining("exceeds its reserved 2500");
    }

    @Test
    void refusesWeightsThatDoNotSumToTenThousand() {
        assertThatThrownBy(() -> new ArmAssigner(arms(5000, 4000))).hasMessageContaining("10000");
    }
}
