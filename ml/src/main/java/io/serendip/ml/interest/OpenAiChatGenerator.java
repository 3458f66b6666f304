package io.serendip.ml.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A novel-interest generator behind an OpenAI-compatible {@code /v1/chat/completions} endpoint, for users
 * whose LLM runs elsewhere. The answer text is mapped onto the cluster set by a {@link DescriptionMatcher}
 * (exact description match, else nearest description), so it can be judged by the same gates and used as a
 * {@link io.serendip.ml.novelty.NoveltySource} for the precompute. Thread-safe.
 */
public final class OpenAiChatGenerator implements InterestGenerator {

    /** Descriptions are listed in the system message up to this many clusters. */
    private static final int MAX_LISTED = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final List<String> descriptions;
    private final DescriptionMatcher matcher;
    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param baseUrl e.g. {@code http://llm:8000}; {@code /v1/chat/completions} is appended
     * @param apiKey  sent as a bearer token when not null
     */
    public OpenAiChatGenerator(URI baseUrl, String model, String apiKey, List<String> descriptions,
                               DescriptionMatcher matcher, Duration timeout) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/v1/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.descriptions = List.copyOf(descriptions);
        this.matcher = matcher;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The chat request body for a history (oldest cluster first). */
    String requestBody(int[] history) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("temperature", 0);
        ArrayNode messages = body.putArray("messages");
        StringBuilder system = new StringBuilder("You suggest a user's next, new interest. Answer with exactly one"
                + " interest description and nothing else.");
        if (descriptions.size() <= MAX_LISTED) {
            system.append(" Choose one of these interests:");
            for (String description : descriptions) {
                system.append("\n- ").append(description);
            }
        }
        messages.addObject().put("role", "system").put("content", system.toString());
        StringBuilder user = new StringBuilder("The user's recent interests, oldest first:");
        for (int cluster : history) {
            user.append("\n- ").append(description(cluster));
        }
        user.append("\nNext new interest:");
        messages.addObject().put("role", "user").put("content", user.toString());
        return body.toString();
    }

    private String description(int cluster) {
        if (cluster < 0 || cluster >= descriptions.size()) {
            throw new IllegalArgumentException("history cluster " + cluster + " is outside 0.." + (descriptions.size() - 1));
        }
        return descriptions.get(cluster);
    }

    /** The answer text for one history. Throws {@link GeneratorException} on transport or protocol errors. */
    public String generate(int[] history) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(history)));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GeneratorException("request to " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeneratorException("interrupted while calling " + endpoint, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new GeneratorException(endpoint + " answered HTTP " + response.statusCode());
        }
        try {
            JsonNode content = JSON.readTree(response.body()).path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw new GeneratorException(endpoint + " answer has no choices[0].message.content");
            }
            return content.asText().strip();
        } catch (IOException e) {
            throw new GeneratorException(endpoint + " answered invalid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> generateText(List<int[]> histories) {
        List<String> answers = new ArrayList<>(histories.size());
        for (int[] history : histories) {
            answers.add(generate(history));
        }
        return answers;
    }

    @Override
    public int[] novelClusters(int[] history, int n) {
        return matcher.match(generate(history), history, n);
    }

    @Override
    public String name() {
        return "openai-endpoint";
    }

    /** A failed call to the endpoint. */
    public static final class GeneratorException extends RuntimeException {
        public GeneratorException(String message) {
            super(message);
        }

        public GeneratorException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
