package io.serendip.bench;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.recommender.SequenceRecommender;
import io.serendip.runtime.recommender.RecommenderModels;
import io.serendip.runtime.recommender.SlateBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
 * Restricted versus full-catalog retrieval for one user, both ending in a top-k slate with the history excluded.
 * {@code fullCatalog}: {@link SequenceRecommender#scoreAll} over every item, then {@link SlateBuilder#topK}.
 * {@code restricted}: the recommend path's exploration step — the novelty table's novel clusters for the user,
 * {@link ClusterSet#itemsOf} (the per-cluster item index), the server's cluster scorer over those items (each
 * cluster's item vectors in one block, {@link io.serendip.ml.recommender.GroupScorer}) and
 * {@link SlateBuilder#pickExploration}. With the default fixture the novel clusters hold 5% of the
 * catalog. The user state (one transformer forward pass, shared by both paths) is computed in the setup, so
 * only the retrieval is timed; each call takes the next of a few hundred generated users.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScoringBenchmark {
    private static final int USERS = 512;

    /** Slate size. */
    @Param("10")
    public int k;

    /** One user's precomputed inputs: state, history items and the table's novel clusters. */
    record User(float[] state, BitSet seen, int[] novel) {
    }

    /** The artifacts to build or load (tests use a smaller one). */
    ServingFixture.Spec spec = ServingFixture.Spec.DEFAULT;
    /** Share of the catalog in the users' novel clusters, averaged over the users (set by the setup). */
    double restrictedShare;

    private RecommenderModels models;
    private SequenceRecommender recommender;
    private ClusterSet clusters;
    User[] users;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        models = ServingFixture.load(spec);
        recommender = models.recommender();
        clusters = models.clusters();
        List<int[]> sequences = ServingFixture.dataset(spec.items(), spec.clusters(), spec.users(), spec.seed())
                .positiveSequences().sequences();
        users = new User[Math.min(USERS, sequences.size())];
        long restrictedItems = 0;
        for (int u = 0; u < users.length; u++) {
            users[u] = user(sequences.get(u));
            for (int cluster : users[u].novel()) {
                restrictedItems += clusters.itemsOf(cluster).length;
            }
        }
        restrictedShare = (double) restrictedItems / users.length / recommender.itemCount();
        System.err.printf("restricted retrieval scores %.2f%% of %d items on average%n", 100 * restrictedShare,
                recommender.itemCount());
    }

    private User user(int[] sequence) {
        int[] history = sequence.length > recommender.maxHistory()
                ? Arrays.copyOfRange(sequence, sequence.length - recommender.maxHistory(), sequence.length) : sequence;
        BitSet seen = new BitSet(recommender.itemCount());
        int[] historyClusters = new int[history.length];
        for (int i = 0; i < history.length; i++) {
            seen.set(history[i]);
            historyClusters[i] = clusters.clusterOf(history[i]);
        }
        return new User(recommender.encode(history), seen, models.novelty().novelClusters(historyClusters));
    }

    private User nextUser() {
        User user = users[next];
        next = (next + 1) % users.length;
        return user;
    }

    @Benchmark
    public int[] fullCatalog() {
        User user = nextUser();
        return SlateBuilder.topK(recommender.scoreAll(user.state()), k, user.seen());
    }

    @Benchmark
    public List<SlateBuilder.Entry> restricted() {
        User user = nextUser();
        List<SlateBuilder.ClusterCandidates> candidates = new ArrayList<>(user.novel().length);
        for (int cluster : user.novel()) {
            int[] items = clusters.itemsOf(cluster);
            candidates.add(new SlateBuilder.ClusterCandidates(cluster, items, models.clusterScorer().scoreGroup(user.state(), cluster)));
        }
        return SlateBuilder.pickExploration(candidates, k, user.seen());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        models.close();
    }
}
