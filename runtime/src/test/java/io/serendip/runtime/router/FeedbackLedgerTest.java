package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FeedbackLedgerTest {
    static final long WINDOW = 60_000;

    @Test
    void anEventIsRecordedOnceAndAPartialReplayRecordsNothing() {
        FeedbackLedger ledger = new FeedbackLedger(WINDOW, 1000, 0);
        assertThat(ledger.recordIfNew(List.of("r1|p|a", "r1|p|b"), 1)).isTrue();
        assertThat(ledger.recordIfNew(List.of("r1|p|a"), 2)).isFalse();
        assertThat(ledger.recordIfNew(List.of("r1|p|c", "r1|p|b"), 3)).as("b was counted").isFalse();
        assertThat(ledger.recordIfNew(List.of("r1|p|c"), 4)).as("c was not recorded by the refused event").isTrue();
        assertThat(ledger.recordIfNew(List.of("r1|s|a"), 5)).as("another kind").isTrue();
    }

    /** A key counted at any time stays known for at least one whole window, however the rotations fall. */
    @Test
    void aKeyIsRememberedForAtLeastOneWindow() {
        FeedbackLedger ledger = new FeedbackLedger(WINDOW, 1000, 0);
        for (long at : new long[] {0, 1, WINDOW - 1, WINDOW, WINDOW + 1, 3 * WINDOW / 2}) {
            String key = "k" + at;
            assertThat(ledger.recordIfNew(List.of(key), at)).isTrue();
            for (long later = at; later <= at + WINDOW; later += WINDOW / 10) {
                assertThat(ledger.recordIfNew(List.of(key), later)).as(key + " at " + later).isFalse();
            }
        }
        assertThat(ledger.recordIfNew(List.of("k0"), 10 * WINDOW)).as("long forgotten").isTrue();
        assertThat(ledger.earlyRotations()).isZero();
    }

    @Test
    void moreKeysThanExpectedRotateEarlyAndSaySo() {
        FeedbackLedger ledger = new FeedbackLedger(WINDOW, 1000, 0);
        IntStream.range(0, 2500).forEach(i -> assertThat(ledger.recordIfNew(List.of("k" + i), 1)).isTrue());
        assertThat(ledger.earlyRotations()).isEqualTo(2);
        assertThat(ledger.recordIfNew(List.of("k2400"), 2)).as("still in the current filter").isFalse();
    }
}
