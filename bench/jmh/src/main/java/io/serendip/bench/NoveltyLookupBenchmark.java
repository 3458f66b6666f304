package io.serendip.bench;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.NoveltyTable;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.novelty.TransitionCurator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link NoveltyTable#novelClusters}: reduce a user's raw cluster history (up to 50 clusters, repeats allowed) to
 * its last k = 2 distinct clusters, address the row and read the top-10 novel clusters from the memory-mapped
 * file. The table is precomputed for |C| clusters in the setup (transition-frequency rows) and opened with the
 * serving-side checks; each call takes the next of a few thousand generated users' histories.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NoveltyLookupBenchmark {
    private static final int HISTORIES = 1024;
    private static final int MAX_HISTORY = 50;

    /** Serving-level cluster count |C|. */
    @Param({"50", "100", "200"})
    public int clusters;

    private Path dir;
    private NoveltyTable table;
    int[][] histories;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ServingFixture.Spec spec = ServingFixture.Spec.DEFAULT;
        Dataset data = ServingFixture.dataset(spec.items(), clusters, spec.users(), spec.seed());
        ClusterSet clusterSet = ServingFixture.topicClusters(data.catalog(), clusters);
        List<int[]> sequences = data.positiveSequences().sequences();
        dir = Files.createTempDirectory("serendip-bench-novelty");
        Path file = dir.resolve(NoveltyTable.FILE_NAME);
        ServingFixture.writeNoveltyTable(file, clusterSet, sequences, spec.topN());
        table = NoveltyTable.open(file, clusterSet);
        List<int[]> clusterSequences = TransitionCurator.clusterSequences(sequences, clusterSet);
        histories = new int[Math.min(HISTORIES, clusterSequences.size())][];
        for (int i = 0; i < histories.length; i++) {
            int[] s = clusterSequences.get(i);
            histories[i] = Arrays.copyOfRange(s, Math.max(0, s.length - MAX_HISTORY), s.length);
        }
    }

    @Benchmark
    public int[] lookup() {
        int[] history = histories[next];
        next = (next + 1) % histories.length;
        return table.novelClusters(history);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        table.close();
        Files.deleteIfExists(dir.resolve(NoveltyTable.FILE_NAME));
        Files.deleteIfExists(dir);
    }
}
