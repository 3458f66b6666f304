package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArmTagTest {
    /** The text in a buffer whose reader index is not 0, as a slice of a larger read is. */
    static ByteBuf bytes(String text) {
        ByteBuf buffer = Unpooled.buffer().writeBytes("HEAD".getBytes(StandardCharsets.UTF_8))
                .writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return buffer.skipBytes(4);
    }

    static ByteBuf tag(String body, String arm, String assigned, String requestId) {
        return ArmTag.tag(bytes(body), arm, assigned, requestId, ByteBufAllocator.DEFAULT);
    }

    static String text(ByteBuf buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addsTheArmsAndRequestIdAsTheLastMembersAndKeepsTheRestByteForByte() {
        String slate = "{\"user\":\"u1\",\"items\":[{\"id\":\"7\",\"score\":0.5}],\"arm\":\"spoofed\"}\n";
        String tagged = text(tag(slate, "explore", "control", "cjE.dGFn"));
        assertThat(tagged).isEqualTo(
                "{\"user\":\"u1\",\"items\":[{\"id\":\"7\",\"score\":0.5}],\"arm\":\"spoofed\",\"arm\":\"explore\",\"assignedArm\":\"control\",\"requestId\":\"cjE.dGFn\"}");
        JsonObject read = new JsonObject(Buffer.buffer(tagged)); // Jackson keeps the last of duplicate keys
        assertThat(read.getString("arm")).isEqualTo("explore");
        assertThat(read.getString("assignedArm")).isEqualTo("control");
        assertThat(read.getString("requestId")).isEqualTo("cjE.dGFn");
        assertThat(read.getJsonArray("items")).hasSize(1);
    }

    @Test
    void anEmptyObjectGetsNoStrayCommaAndNamesAreEscaped() {
        assertThat(text(tag(" { } ", "a\"b", "c", "r")))
                .isEqualTo(" { \"arm\":\"a\\\"b\",\"assignedArm\":\"c\",\"requestId\":\"r\"}");
        assertThat(new JsonObject(text(tag("{}", "a\"b", "c", "r"))).getString("arm")).isEqualTo("a\"b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[1]", "\"text\"", "{\"truncated\":", "null", "}{"})
    void aBodyThatIsNotOneObjectIsNotTagged(String body) {
        assertThat(tag(body, "a", "b", "r")).isNull();
        assertThat(ArmTag.isObject(bytes(body))).isFalse();
    }
}
