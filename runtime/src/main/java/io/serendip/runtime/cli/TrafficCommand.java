package io.serendip.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.PositiveSequences;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Replays real users against a router: each user's earlier positive engagements are the history, the
 * items they engaged with afterwards are what they "click" when a slate shows them. Prints a few slates
 * with titles and the novel-interest descriptions of explored items, then the router's per-arm stats.
 */
@Command(name = "traffic", mixinStandardHelpOptions = true,
        description = "Replay a dataset's users against a router (recommend requests and click events naming the served slate) and print "
                + "sample slates and the per-arm stats.")
final class TrafficCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--router", required = true, description = "Router base URL, e.g. http://127.0.0.1:8080.")
    URI router;

    @Option(names = "--dataset", required = true, description = "Dataset directory (catalog.jsonl + interactions.jsonl).")
    Path dataset;

    @Option(names = "--users", defaultValue = "300", description = "Users to replay (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--history", defaultValue = "10", description = "Items of history sent per user (default ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--show", defaultValue = "3", description = "Slates to print (default ${DEFAULT-VALUE}).")
    int show;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private io.serendip.ml.artifact.ItemIndex index;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Dataset data = Dataset.read(dataset);
        Catalog catalog = data.catalog();
        PositiveSequences sequences = data.positiveSequences();
        int sent = 0;
        int shown = 0;
        int clicks = 0;
        int failed = 0;
        for (int u = 0; u < sequences.size() && sent < users; u++) {
            int[] seq = sequences.sequences().get(u);
            if (seq.length < 4) {
                continue;
            }
            // The last quarter of the sequence is the user's "future": what they will engage with if shown.
            int split = Math.max(2, seq.length * 3 / 4);
            ArrayNode historyIds = JSON.createArrayNode();
            for (int i = Math.max(0, split - history); i < split; i++) {
                historyIds.add(catalog.get(seq[i]).id());
            }
            Set<String> future = new HashSet<>();
            for (int i = split; i < seq.length; i++) {
                future.add(catalog.get(seq[i]).id());
            }
            String user = sequences.users().get(u);
            ObjectNode request = JSON.createObjectNode().put("user", user).put("k", 10);
            request.set("history", historyIds);
            sent++;
            JsonNode slate;
            try {
                slate = post("/v1/recommend", request, 200);
            } catch (IOException e) {
                failed++; // a replayer reports failures, it does not stop at the first one
                if (failed <= 3) {
                    out.println("request failed: " + cause(e));
                }
                continue;
            }
            String arm = slate.path("arm").asText();
            // the router counted the slate's impressions; clicks name the slate by its request id
            ArrayNode clicked = JSON.createArrayNode();
            for (JsonNode item : slate.path("items")) {
                if (future.contains(item.path("id").asText())) {
                    clicked.add(JSON.createObjectNode().put("id", item.path("id").asText())
                            .put("explored", item.path("explored").asBoolean()));
                }
            }
            event(slate.path("requestId").asText(), "click", clicked);
            clicks += clicked.size();
            if (shown < show && slate.path("exploration").path("slots").asInt() > 0) {
                printSlate(out, user, arm, historyIds, slate, catalog, future);
                shown++;
            }
        }
        out.printf(Locale.ROOT, "%nreplayed %d users (%d requests failed), %d clicks on shown items they engaged with later%n%n",
                sent, failed, clicks);
        try {
            printStats(out, get("/v1/stats"));
        } catch (IOException e) {
            spec.commandLine().getErr().println("traffic: cannot read " + router.resolve("/v1/stats") + ": " + e);
            return 1;
        } finally {
            out.flush();
        }
        return failed == sent ? 1 : 0;
    }

    private void printSlate(PrintWriter out, String user, String arm, ArrayNode history, JsonNode slate, Catalog catalog,
                            Set<String> future) {
        out.printf(Locale.ROOT, "user %s, arm %s%n  history (last 3): %s%n", user, arm,
                String.join(" | ", tail(history, 3).stream().map(id -> title(catalog, id)).toList()));
        int position = 1;
        for (JsonNode item : slate.path("items")) {
            String id = item.path("id").asText();
            String mark = future.contains(id) ? "  <- engaged later" : "";
            if (item.path("explored").asBoolean()) {
                out.printf(Locale.ROOT, "  %2d. %-45s explored: \"%s\"%s%s%n", position, title(catalog, id),
                        item.path("cluster").path("description").asText(), item.path("novel").asBoolean() ? " (novel)" : "", mark);
            } else {
                out.printf(Locale.ROOT, "  %2d. %s%s%n", position, title(catalog, id), mark);
            }
            position++;
        }
        out.println();
    }

    private static List<String> tail(ArrayNode ids, int n) {
        List<String> all = new java.util.ArrayList<>();
        ids.forEach(id -> all.add(id.asText()));
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    private String title(Catalog catalog, String id) {
        if (index == null) {
            index = catalog.index();
        }
        int index = this.index.indexOf(id);
        String title = index < 0 ? id : catalog.get(index).title();
        return title == null || title.isBlank() ? id : title;
    }

    private static void printStats(PrintWriter out, JsonNode stats) {
        out.printf(Locale.ROOT, "per-arm stats of experiment %s (router /v1/stats):%n", stats.path("experiment").asText());
        out.printf(Locale.ROOT, "  %-10s %9s %7s %12s %9s %14s %11s %8s%n", "arm", "requests", "errors", "impressions",
                "explored", "explored-clicks", "clicks", "p99 ms");
        stats.path("arms").fields().forEachRemaining(e -> {
            JsonNode a = e.getValue();
            out.printf(Locale.ROOT, "  %-10s %9d %7d %12d %9d %14d %11d %8.1f%n", e.getKey(), a.path("requests").asLong(),
                    a.path("errors").asLong(), a.path("impressions").asLong(), a.path("explorationImpressions").asLong(),
                    a.path("exploredPositiveFeedback").asLong(), a.path("positiveFeedback").asLong(),
                    a.path("latencyMs").path("p99").asDouble());
        });
    }

    private void event(String requestId, String type, ArrayNode items) throws IOException, InterruptedException {
        if (!items.isEmpty()) {
            ObjectNode body = JSON.createObjectNode().put("requestId", requestId).put("type", type);
            body.set("items", items);
            post("/v1/events", body, 202);
        }
    }

    private JsonNode post(String path, JsonNode body, int expected) throws IOException, InterruptedException {
        return check(http.send(HttpRequest.newBuilder(router.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString()), path, expected);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return check(http.send(HttpRequest.newBuilder(router.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()), path, 200);
    }

    /**
     * Every link of a failure's cause chain with its type, so that e.g. a connection closed by a stopping server
     * reads as such; the JDK client's own exceptions often have no message at all.
     */
    static String cause(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    private static JsonNode check(HttpResponse<String> r, String path, int expected) throws IOException {
        if (r.statusCode() != expected) {
            throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
