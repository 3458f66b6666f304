package io.serendip.ml.interest;

import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.artifact.ItemIndex;
import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.CatalogItem;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.Interaction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small catalog with planted interest structure: {@value #CLUSTERS} clusters of {@value #ITEMS_PER_CLUSTER}
 * items; after cluster c users mostly move on to cluster (c + 1) mod C, sometimes to (c + 4) mod C.
 */
final class PlantedInterests {

    static final int CLUSTERS = 10;
    static final int ITEMS_PER_CLUSTER = 4;
    private static final String[] NAMES = {"jazz", "opera", "chess", "tennis", "sailing", "baking", "poetry",
        "hiking", "cinema", "pottery"};
    private static final String[] KINDS = {"indoor", "outdoor"};

    private PlantedInterests() {
    }

    static ClusterSet clusters() {
        return clusters(NAMES, KINDS);
    }

    /** Same shape, different descriptions: a different cluster set. */
    static ClusterSet otherClusters() {
        return clusters(new String[] {"north", "south", "east", "west", "up", "down", "left", "right", "in", "out"},
                KINDS);
    }

    private static ClusterSet clusters(String[] first, String[] second) {
        List<String> ids = new ArrayList<>();
        int[] assignment = new int[CLUSTERS * ITEMS_PER_CLUSTER];
        for (int item = 0; item < assignment.length; item++) {
            ids.add("item-" + item);
            assignment[item] = item / ITEMS_PER_CLUSTER;
        }
        List<List<String>> keywords = new ArrayList<>();
        for (int c = 0; c < CLUSTERS; c++) {
            // the second word is shared between clusters, so descriptions share trie prefixes and suffixes
            keywords.add(List.of(first[c], second[c % second.length]));
        }
        return ClusterSet.of(ItemIndex.of(ids), List.of(new ClusterSet.Level(assignment, null, keywords)), 0);
    }

    static List<int[]> itemSequences(int users, long seed) {
        Random random = new Random(seed);
        List<int[]> sequences = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int length = 10 + random.nextInt(10);
            int[] items = new int[length];
            int cluster = random.nextInt(CLUSTERS);
            for (int i = 0; i < length; i++) {
                items[i] = cluster * ITEMS_PER_CLUSTER + random.nextInt(ITEMS_PER_CLUSTER);
                double move = random.nextDouble();
                if (move < 0.15) {
                    continue; // another item of the same cluster
                }
                double next = random.nextDouble();
                cluster = next < 0.75 ? (cluster + 1) % CLUSTERS
                        : next < 0.92 ? (cluster + 4) % CLUSTERS : random.nextInt(CLUSTERS);
            }
            sequences.add(items);
        }
        return sequences;
    }

    /**
     * Writes the cluster set as an artifact at {@code dir/clusters} and a dataset of {@code users} planted
     * sequences (item ids as titles) at {@code dir/data}.
     */
    static void writeInputs(Path dir, int users, long seed) throws IOException {
        ClusterSet clusters = clusters();
        clusters.writeFiles(dir.resolve("clusters"));
        ArtifactManifest.builder(ClusterSet.KIND).write(dir.resolve("clusters"));
        List<CatalogItem> items = new ArrayList<>();
        for (String id : clusters.items().ids()) {
            items.add(new CatalogItem(id, id, id, List.of()));
        }
        List<Interaction> interactions = new ArrayList<>();
        List<int[]> sequences = itemSequences(users, seed);
        for (int u = 0; u < sequences.size(); u++) {
            int[] sequence = sequences.get(u);
            for (int i = 0; i < sequence.length; i++) {
                interactions.add(new Interaction("user-" + u, clusters.items().idOf(sequence[i]), 1_000L + i, null, 5.0));
            }
        }
        new Dataset(new Catalog(items), interactions).write(dir.resolve("data"));
    }
}
