package io.serendip.ml.jobs;

import io.serendip.config.ArtifactLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Deletes artifact directories of retired versions, refusing anything outside the artifact volume. */
@Command(name = "delete-artifacts", mixinStandardHelpOptions = true,
        description = "Delete artifact directories (with everything in them) that lie strictly inside --root.")
public final class DeleteArtifactsJob extends Job {
    @Option(names = "--root", required = true, description = "The artifact volume's mount point, e.g. /artifacts.")
    String root;

    @Option(names = "--path", required = true, description = "A directory to delete (repeatable); absent ones are skipped.")
    List<String> paths;

    @Override
    protected void execute() throws Exception {
        for (String path : paths) {
            if (!ArtifactLayout.isStrictlyInside(root, path)) {
                throw new Failure(2, "--path " + path + " does not lie strictly inside --root " + root);
            }
        }
        for (String path : paths) {
            Path dir = Path.of(path);
            if (!Files.exists(dir)) {
                progress("%s is already gone", dir);
                continue;
            }
            long[] files = {0};
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                    files[0]++;
                }
            } catch (IOException e) {
                throw new IOException("cannot delete " + dir + ": " + e.getMessage(), e);
            }
            progress("deleted %s (%d entries)", dir, files[0]);
        }
    }
}
