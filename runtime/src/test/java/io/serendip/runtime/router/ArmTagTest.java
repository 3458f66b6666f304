package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArmTagTest {
    @Test
    void addsTheArmsAndRequestIdAsTheLastMembersAndKeepsTheRestByteForByte() {
        String slate = "{\"user\":\"u1\",\"items\":[{\"id\":\"7\",\"score\":0.5}],\"arm\":\"spoofed\"}\n";
        Buffer tagged = ArmTag.tag(Buffer.buffer(slate), "explore", "control", "cjE.dGFn");
        assertThat(tagged.toString()).isEqualTo(
                "{\"user\":\"u1\",\"items\":[{\"id\":\"7\",\"score\":0.5}],\"arm\":\"spoofed\",\"arm\":\"explore\",\"assignedArm\":\"control\",\"requestId\":\"cjE.dGFn\"}");
        JsonObject read = new JsonObject(tagged); // Jackson keeps the last of duplicate keys
        assertThat(read.getString("arm")).isEqualTo("explore");
        assertThat(read.getString("assignedArm")).isEqualTo("control");
        assertThat(read.getString("requestId")).isEqualTo("cjE.dGFn");
        assertThat(read.getJsonArray("items")).hasSize(1);
    }

    @Test
    void anEmptyObjectGetsNoStrayCommaAndNamesAreEscaped() {
        assertThat(ArmTag.tag(Buffer.buffer(" { } "), "a\"b", "c", "r").toString())
                .isEqualTo(" { \"arm\":\"a\\\"b\",\"assignedArm\":\"c\",\"requestId\":\"r\"}");
        assertThat(new JsonObject(ArmTag.tag(Buffer.buffer("{}"), "a\"b", "c", "r")).getString("arm")).isEqualTo("a\"b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[1]", "\"text\"", "{\"truncated\":", "null", "}{"})
    void aBodyThatIsNotOneObjectIsNotTagged(String body) {
        assertThat(ArmTag.tag(Buffer.buffer(body), "a", "b", "r")).isNull();
        assertThat(ArmTag.isObject(Buffer.buffer(body))).isFalse();
    }
}
