package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class SlateCountsTest {
    @Test
    void theHeaderRoundTripsAndBadValuesAreNone() {
        SlateCounts counts = new SlateCounts(10, 3, 2);
        assertThat(SlateCounts.ofHeader(counts.header())).contains(counts);
        assertThat(SlateCounts.ofHeader(" items = 4 ; explored=0;novel=0;later=7")).contains(new SlateCounts(4, 0, 0));
        for (String bad : new String[] {null, "", "items=3", "items=3;explored=4;novel=0", "items=3;explored=2;novel=3",
                "items=-1;explored=0;novel=0", "items=x;explored=0;novel=0", "items3;explored=0;novel=0",
                "items=999999999;explored=0;novel=0"}) {
            assertThat(SlateCounts.ofHeader(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void theBodyIsReadWhenThereIsNoHeader() {
        assertThat(SlateCounts.ofBody(Buffer.buffer("""
                {"items":[{"id":"1"},{"id":"2","explored":true,"novel":true},{"id":"3","explored":true}]}""")))
                .contains(new SlateCounts(3, 2, 1));
        assertThat(SlateCounts.ofBody(Buffer.buffer("{\"no\":1}"))).isEmpty();
        assertThat(SlateCounts.ofBody(Buffer.buffer("[1]"))).isEmpty();
    }
}
