package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.config.ArmSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void refusesWeightsThatDoNotSumToTenThousand() {
        assertThatThrownBy(() -> new ArmAssigner(arms(5000, 4000))).hasMessageContaining("10000");
    }
}
