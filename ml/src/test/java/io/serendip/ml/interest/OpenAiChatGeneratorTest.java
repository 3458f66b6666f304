package io.serendip.ml.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.serendip.ml.novelty.RandomNoveltySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The endpoint generator against a local stub server that answers with fixed text: this checks the request,
 * the answer parsing and the mapping of answers onto clusters, not any language model.
 */
class OpenAiChatGeneratorTest {

    private static final List<String> DESCRIPTIONS = List.of("space, aliens", "romance, paris", "war, history",
            "cooking, italy", "jazz, music");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final AtomicReference<String> answer = new AtomicReference<>("jazz, music");
    private final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            lastRequest.set(JSON.readTree(exchange.getRequestBody()));
            byte[] body = JSON.createObjectNode().set("choices", JSON.createArrayNode().add(JSON.createObjectNode()
                    .set("message", JSON.createObjectNode().put("role", "assistant").put("content", answer.get()))))
                    .toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OpenAiChatGenerator generator() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new OpenAiChatGenerator(base, "stub-model", "secret", DESCRIPTIONS,
                new DescriptionMatcher(DESCRIPTIONS, DescriptionMatcher.bagOfWords()), Duration.ofSeconds(5));
    }

    @Test
    void sendsTheHistoryDescriptionsAndMapsAnExactAnswer() {
        answer.set("  Jazz,  music ");
        assertThat(generator().novelClusters(new int[] {0, 1}, 1)).containsExactly(4);
        JsonNode request = lastRequest.get();
        assertThat(request.path("model").asText()).isEqualTo("stub-model");
        String user = request.path("messages").path(1).path("content").asText();
        assertThat(user).contains("space, aliens").contains("romance, paris");
    }

    @Test
    void mapsANearMissToTheNearestDescriptionOutsideTheHistory() {
        answer.set("history of the war");
        OpenAiChatGenerator generator = generator();
        assertThat(generator.novelClusters(new int[] {0, 1}, 1)).containsExactly(2);
        // the nearest description is in the history, so the next nearest one is used
        assertThat(generator.novelClusters(new int[] {2, 1}, 2)).doesNotContain(2, 1).hasSize(2);
    }

    @Test
    void gatesCountExactAnswersAndRecallOfMappedOnes() {
        List<GateEvaluator.GateCase> cases = new ArrayList<>();
        cases.add(new GateEvaluator.GateCase(new int[] {0, 1}, new int[] {4}));
        cases.add(new GateEvaluator.GateCase(new int[] {2, 3}, new int[] {0}));
        answer.set("jazz, music");
        GateReport exactAnswers = GateEvaluator.evaluate(generator(), DESCRIPTIONS, cases,
                List.of(new RandomNoveltySource(DESCRIPTIONS.size(), 1)));
        assertThat(exactAnswers.exactMatchRate()).isEqualTo(1.0);
        assertThat(exactAnswers.constrainedValidRate()).isEqualTo(1.0);
        assertThat(exactAnswers.testRecall()).isEqualTo(0.5);
        assertThat(exactAnswers.baselineRecall()).containsKey("random");

        answer.set("smooth jazz records");
        GateReport looseAnswers = GateEvaluator.evaluate(generator(), DESCRIPTIONS, cases, List.of());
        assertThat(looseAnswers.exactMatchRate()).isZero();
        assertThat(looseAnswers.constrainedValidRate()).isEqualTo(1.0);
        assertThat(looseAnswers.passed()).isFalse();
        assertThat(looseAnswers.failures()).anyMatch(f -> f.contains("exact-match"));
    }

    @Test
    void endpointErrorsAreReportedWithTheStatus() {
        status.set(503);
        assertThatThrownBy(() -> generator().generate(new int[] {0}))
                .isInstanceOf(OpenAiChatGenerator.GeneratorException.class).hasMessageContaining("503");
    }
}
