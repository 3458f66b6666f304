package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    static final long HOUR = 3_600_000;
    final RequestIds ids = new RequestIds(RequestIds.randomKey());

    @Test
    void anIssuedIdSaysWhatWasServed() {
        String id = ids.issue(1_000_000, "10.0.0.7:8080", "explore", 10, 3, false);
        RequestIds.Checked checked = ids.check(id, 1_000_000 + HOUR, HOUR);
        assertThat(checked.refusal()).isNull();
        assertThat(checked.served()).extracting(RequestIds.Served::issuedAtMillis, RequestIds.Served::issuer,
                        RequestIds.Served::arm, RequestIds.Served::items, RequestIds.Served::explored, RequestIds.Served::qa)
                .containsExactly(1_000_000L, "10.0.0.7:8080", "explore", 10, 3, false);
        assertThat(ids.check(ids.issue(5, "[fd00::1]:8080", "control", 0, 0, true), 5, HOUR).served())
                .extracting(RequestIds.Served::issuer, RequestIds.Served::qa).containsExactly("[fd00::1]:8080", true);
    }

    @Test
    void idsAreDistinctEvenForTheSameSlateAtTheSameMillisecond() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(ids.issue(42, "h:1", "a", 1, 0, false));
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void anAlteredForgedOrForeignIdIsUnknown() {
        String id = ids.issue(1_000, "h:1", "control", 2, 0, false);
        String payload = id.substring(0, id.indexOf('.'));
        String tag = id.substring(id.indexOf('.') + 1);
        String decoded = new String(Base64.getUrlDecoder().decode(payload));
        String morePayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                decoded.replace("~2~0~", "~9~9~").getBytes());
        for (String bad : new String[] {morePayload + "." + tag, payload + "." + tag.substring(1), payload,
                payload + "." + tag + ".x", "%%%." + tag, "", "a".repeat(600),
                new RequestIds(RequestIds.randomKey()).issue(1_000, "h:1", "control", 2, 0, false)}) {
            assertThat(ids.check(bad, 1_000, HOUR).refusal()).as(bad).isEqualTo(RequestIds.Refusal.UNKNOWN);
        }
        assertThat(ids.check(null, 1_000, HOUR).refusal()).isEqualTo(RequestIds.Refusal.UNKNOWN);
    }

    @Test
    void anIdExpiresAfterTheWindowAndOneFromTheFutureIsUnknown() {
        String id = ids.issue(10 * HOUR, "h:1", "a", 1, 0, false);
        assertThat(ids.check(id, 11 * HOUR, HOUR).refusal()).isNull();
        assertThat(ids.check(id, 11 * HOUR + 1, HOUR).refusal()).isEqualTo(RequestIds.Refusal.EXPIRED);
        assertThat(ids.check(id, 10 * HOUR - 59_000, HOUR).refusal()).as("clock skew").isNull();
        assertThat(ids.check(id, 10 * HOUR - 61_000, HOUR).refusal()).isEqualTo(RequestIds.Refusal.UNKNOWN);
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new RequestIds(new byte[16])).hasMessageContaining("at least 32 bytes");
    }
}
