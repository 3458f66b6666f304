package io.serendip.ml.interest.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.serendip.ml.interest.NovelInterestModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A fine-tuned (or zero-shot) LLM answering one history at a time for the interest-model server, from a
 * component process that keeps the model loaded ({@code serendip-llm serve}). Its answers are the constrained
 * proposals of the batch path ({@link LlmInterestModel}), which the precomputed novelty table holds.
 */
public final class LlmOnlineInterestModel implements NovelInterestModel {
    private final LlmInterestModel.Spec spec;
    private final PromptTemplate template;
    private final LlmProcess.Session session;

    LlmOnlineInterestModel(LlmInterestModel.Spec spec, PromptTemplate template, LlmProcess.Session session) {
        this.spec = spec;
        this.template = template;
        this.session = session;
    }

    @Override
    public int historyLength() {
        return spec.historyLength();
    }

    /** At most the model's {@code proposals} clusters: what its beam search finishes with. */
    @Override
    public List<ScoredCluster> novelInterests(int[] historyClusters, int n) {
        int[] history = historyClusters.length <= spec.historyLength() ? historyClusters
                : Arrays.copyOfRange(historyClusters, historyClusters.length - spec.historyLength(),
                historyClusters.length);
        var row = new LlmRequests.ProposeRow(template.render(history, spec.descriptions()), history);
        JsonNode reply;
        try {
            reply = LlmRequests.JSON.readTree(session.exchange(
                    LlmRequests.JSON.writeValueAsString(Map.of("requests", List.of(row)))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (reply.has("error")) {
            throw new IllegalStateException("the LLM component refused a history: " + reply.get("error").asText());
        }
        JsonNode answer = reply.path("results").path(0);
        List<ScoredCluster> result = new ArrayList<>();
        for (int i = 0; i < answer.path("clusters").size() && result.size() < n; i++) {
            result.add(new ScoredCluster(answer.get("clusters").get(i).asInt(), answer.get("scores").get(i).asDouble()));
        }
        return result;
    }

    @Override
    public void close() {
        session.close();
    }
}
