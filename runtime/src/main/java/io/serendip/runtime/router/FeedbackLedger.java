package io.serendip.runtime.router;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which feedback was already counted: a key per (request id, kind, item) in two Bloom filters, the current one and the
 * one before it. A filter becomes the previous one once it is a window old, so a key stays known for at least one
 * window after it was counted, and a request id is valid for one window after it was issued: every replay of an
 * accepted id is caught. A false positive (about one in a million) refuses a first event as a replay; memory is fixed
 * (about 7 MB per filter at the default size). When a window brings more keys than expected the filter rotates early,
 * and then a replay older than the rotation is no longer caught (logged as a warning, counted by {@link #earlyRotations()}).
 */
final class FeedbackLedger {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackLedger.class);
    private static final double FALSE_POSITIVE_RATE = 1e-6;
    private final long windowMillis;
    private final int expected;
    private BloomFilter<CharSequence> current;
    private BloomFilter<CharSequence> previous;
    private long currentSinceMillis;
    private long earlyRotations;

    FeedbackLedger(long windowMillis, int expectedPerWindow, long nowMillis) {
        this.windowMillis = windowMillis;
        this.expected = expectedPerWindow;
        this.current = newFilter();
        this.previous = newFilter();
        this.currentSinceMillis = nowMillis;
    }

    /**
     * Records the keys when none of them was recorded before and answers true; answers false and records nothing when
     * any of them was (a replay, whole or in part).
     */
    synchronized boolean recordIfNew(List<String> keys, long nowMillis) {
        if (nowMillis - currentSinceMillis >= windowMillis) {
            rotate(nowMillis);
        } else if (current.approximateElementCount() + keys.size() > expected) {
            earlyRotations++;
            LOG.warn("more than {} feedback keys within one window: the replay record rotates early (the {}th time),"
                    + " replays older than now are no longer caught; raise router.feedback.expectedPerWindow",
                    expected, earlyRotations);
            rotate(nowMillis);
        }
        for (String key : keys) {
            if (current.mightContain(key) || previous.mightContain(key)) {
                return false;
            }
        }
        keys.forEach(current::put);
        return true;
    }

    synchronized long earlyRotations() {
        return earlyRotations;
    }

    private void rotate(long nowMillis) {
        previous = current;
        current = newFilter();
        currentSinceMillis = nowMillis;
    }

    private BloomFilter<CharSequence> newFilter() {
        return BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), expected, FALSE_POSITIVE_RATE);
    }
}
