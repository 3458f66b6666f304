package io.serendip.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * An HTTP check from inside the image, so that the chart's `helm test` needs no other image: GET a URL until it
 * answers 2xx or the attempts run out.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "GET a URL; exit 0 when it answers 2xx, 1 when every attempt failed (each failure printed).")
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "http:// or https:// URL")
    URI url;

    @Option(names = "--attempts", defaultValue = "10", description = "attempts in all (default ${DEFAULT-VALUE})")
    int attempts;

    @Option(names = "--interval", defaultValue = "PT3S", description = "pause between attempts, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--timeout", defaultValue = "PT5S", description = "per-attempt timeout, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            err.println("probe: " + url + " is not an http(s) URL with a host");
            return 2;
        }
        if (attempts < 1) {
            err.println("probe: --attempts must be at least 1, got " + attempts);
            return 2;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    out.println("probe: " + url + " answered " + response.statusCode() + " " + response.body().strip());
                    return 0;
                }
                err.println("probe: attempt " + attempt + "/" + attempts + ": " + url + " answered " + response.statusCode());
            } catch (IOException e) {
                err.println("probe: attempt " + attempt + "/" + attempts + ": " + url + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
            if (attempt < attempts) {
                Thread.sleep(interval.toMillis());
            }
        }
        return 1;
    }
}
