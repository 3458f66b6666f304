package io.serendip.runtime.recommender;

import io.serendip.config.RecommenderSettings;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.NoveltyTable;
import io.serendip.ml.recommender.GroupScorer;
import io.serendip.ml.recommender.SequenceRecommender;
import io.serendip.runtime.server.DevicePolicy;
import io.serendip.ml.artifact.ItemIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One loaded, cross-checked set of serving artifacts: the sequence recommender, the cluster set it
 * ranks over and the novelty table built for that cluster set. Swapped as a whole on reload.
 */
public final class RecommenderModels implements AutoCloseable {
    private final SequenceRecommender recommender;
    private final ClusterSet clusters;
    private final NoveltyTable novelty;
    private final RecommenderSettings settings;
    private final GroupScorer clusterScorer;

    RecommenderModels(SequenceRecommender recommender, ClusterSet clusters, NoveltyTable novelty, RecommenderSettings settings) {
        this.recommender = recommender;
        this.clusters = clusters;
        this.novelty = novelty;
        this.settings = settings;
        int[][] members = new int[clusters.clusterCount()][];
        for (int c = 0; c < members.length; c++) {
            members[c] = clusters.itemsOf(c);
        }
        this.clusterScorer = recommender.candidateGroups(members);
    }

    /** Loads and verifies every artifact (manifests, digests, table checksum, matching catalogs). */
    public static RecommenderModels load(RecommenderSettings settings) {
        Path modelDir = Path.of(settings.modelDir());
        DevicePolicy.check("recommender.device", settings.device(), SequenceRecommender.engineOf(modelDir));
        ClusterSet clusters = ClusterSet.load(Path.of(settings.clustersDir()));
        NoveltyTable novelty = NoveltyTable.open(Path.of(settings.noveltyTable()), clusters);
        SequenceRecommender recommender = null;
        try {
            recommender = SequenceRecommender.load(modelDir);
            if (recommender.itemCount() != clusters.items().size()) {
                throw new ArtifactException("recommender.modelDir: model ranks " + recommender.itemCount()
                        + " items but the cluster set has " + clusters.items().size());
            }
            requireSameItems(modelDir, clusters);
            return new RecommenderModels(recommender, clusters, novelty, settings);
        } catch (RuntimeException e) {
            novelty.close();
            if (recommender != null) {
                recommender.close();
            }
            throw e;
        }
    }

    /**
     * A model artifact that lists its item ids must list the cluster set's ids in the same order;
     * otherwise dense indices would name different items in the two artifacts.
     */
    static void requireSameItems(Path modelDir, ClusterSet clusters) {
        Path itemsFile = modelDir.resolve(ClusterSet.ITEMS_FILE);
        if (!Files.isRegularFile(itemsFile)) {
            return;
        }
        List<String> modelIds = ItemIndex.read(itemsFile).ids();
        List<String> clusterIds = clusters.items().ids();
        for (int i = 0; i < Math.min(modelIds.size(), clusterIds.size()); i++) {
            if (!modelIds.get(i).equals(clusterIds.get(i))) {
                throw new ArtifactException("recommender.modelDir: item " + i + " is " + modelIds.get(i)
                        + " in the model but " + clusterIds.get(i) + " in the cluster set (built from another catalog)");
            }
        }
    }

    public SequenceRecommender recommender() {
        return recommender;
    }

    public ClusterSet clusters() {
        return clusters;
    }

    /** Scores the serving level's clusters' members, each cluster's item vectors in one block (exploration). */
    public GroupScorer clusterScorer() {
        return clusterScorer;
    }

    public NoveltyTable novelty() {
        return novelty;
    }

    public RecommenderSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        recommender.close();
        novelty.close();
    }
}
