package io.serendip.ml.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Interest clusters over a catalog: a hierarchy of levels (coarse to fine), each assigning every item
 * to one cluster and describing every cluster by keywords. One level is the serving level used by
 * {@link #clusterOf(int)}, {@link #description(int)} and the novelty table.
 *
 * <p>Directory layout: {@code items.txt} (item ids in index order), {@code clusters.json}
 * (levels, serving level) and {@code manifest.json} of kind {@value #KIND}.
 */
public final class ClusterSet {
    public static final String KIND = "clusters";
    public static final String ITEMS_FILE = "items.txt";
    public static final String CLUSTERS_FILE = "clusters.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One level of the hierarchy.
     *
     * @param assignment item index to cluster index at this level
     * @param parents    cluster to its parent cluster at the previous level; null for the top level
     * @param keywords   cluster to its keywords, most descriptive first
     */
    public record Level(int[] assignment, int[] parents, List<List<String>> keywords) {
        public int clusterCount() {
            return keywords.size();
        }
    }

    /** The JSON document stored in {@code clusters.json}. */
    record Document(int servingLevel, List<Level> levels) {
    }

    private final ItemIndex items;
    private final List<Level> levels;
    private final int servingLevel;
    private final int[][][] membersByLevel;
    private final String fingerprint;

    private ClusterSet(ItemIndex items, List<Level> levels, int servingLevel, String fingerprint) {
        validate(items, levels, servingLevel);
        this.items = items;
        this.levels = List.copyOf(levels);
        this.servingLevel = servingLevel;
        this.fingerprint = fingerprint;
        this.membersByLevel = new int[levels.size()][][];
        for (int l = 0; l < levels.size(); l++) {
            membersByLevel[l] = membersOf(levels.get(l));
        }
    }

    /** Builds an in-memory cluster set; the serving level defaults to the finest level if negative. */
    public static ClusterSet of(ItemIndex items, List<Level> levels, int servingLevel) {
        int serving = servingLevel < 0 ? levels.size() - 1 : servingLevel;
        return new ClusterSet(items, levels, serving, Digests.sha256(serialize(new Document(serving, levels))));
    }

    /** Loads a cluster artifact directory after verifying its manifest and every file digest. */
    public static ClusterSet load(Path dir) {
        ArtifactManifest.readVerified(dir, KIND);
        ItemIndex items = ItemIndex.read(dir.resolve(ITEMS_FILE));
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve(CLUSTERS_FILE));
            Document document = JSON.readValue(bytes, Document.class);
            if (document == null || document.levels() == null || document.levels().isEmpty()) {
                throw new ArtifactException(dir.resolve(CLUSTERS_FILE) + ": field 'levels' is missing or empty");
            }
            return new ClusterSet(items, document.levels(), document.servingLevel(), Digests.sha256(bytes));
        } catch (IOException e) {
            throw new ArtifactException("unreadable " + dir.resolve(CLUSTERS_FILE) + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("invalid cluster set in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code items.txt} and {@code clusters.json} into {@code dir} (the manifest is written by the caller). */
    public void writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        items.write(dir.resolve(ITEMS_FILE));
        Files.write(dir.resolve(CLUSTERS_FILE), serialize(new Document(servingLevel, levels)));
    }

    private static byte[] serialize(Document document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cluster set is not serializable", e);
        }
    }

    private static void validate(ItemIndex items, List<Level> levels, int servingLevel) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a cluster set needs at least one level");
        }
        if (servingLevel < 0 || servingLevel >= levels.size()) {
            throw new IllegalArgumentException("servingLevel " + servingLevel + " outside 0.." + (levels.size() - 1));
        }
        for (int l = 0; l < levels.size(); l++) {
            Level level = levels.get(l);
            if (level == null || level.keywords() == null) {
                throw new IllegalArgumentException("level " + l + ": 'keywords' is required");
            }
            int count = level.clusterCount();
            if (count < 1) {
                throw new IllegalArgumentException("level " + l + " has no clusters");
            }
            if (level.assignment() == null || level.assignment().length != items.size()) {
                throw new IllegalArgumentException("level " + l + ": 'assignment' must have one entry per item ("
                        + items.size() + ")");
            }
            for (int item = 0; item < items.size(); item++) {
                int cluster = level.assignment()[item];
                if (cluster < 0 || cluster >= count) {
                    throw new IllegalArgumentException("level " + l + ": item " + item + " assigned to cluster "
                            + cluster + " outside 0.." + (count - 1));
                }
            }
            if (l == 0) {
                if (level.parents() != null) {
                    throw new IllegalArgumentException("level 0: 'parents' must be null");
                }
            } else {
                int parentCount = levels.get(l - 1).clusterCount();
                if (level.parents() == null || level.parents().length != count) {
                    throw new IllegalArgumentException("level " + l + ": 'parents' must have one entry per cluster");
                }
                for (int parent : level.parents()) {
                    if (parent < 0 || parent >= parentCount) {
                        throw new IllegalArgumentException("level " + l + ": parent " + parent + " outside 0.."
                                + (parentCount - 1));
                    }
                }
            }
            Set<String> descriptions = new HashSet<>();
            for (int c = 0; c < count; c++) {
                List<String> words = level.keywords().get(c);
                if (words == null || words.isEmpty()) {
                    throw new IllegalArgumentException("level " + l + ": cluster " + c + " has no keywords");
                }
                if (!descriptions.add(String.join(", ", words))) {
                    throw new IllegalArgumentException("level " + l + ": cluster " + c
                            + " has the same description as another cluster: " + words);
                }
            }
        }
    }

    private int[][] membersOf(Level level) {
        int[] sizes = new int[level.clusterCount()];
        for (int cluster : level.assignment()) {
            sizes[cluster]++;
        }
        int[][] members = new int[sizes.length][];
        for (int c = 0; c < sizes.length; c++) {
            members[c] = new int[sizes[c]];
        }
        int[] fill = new int[sizes.length];
        for (int item = 0; item < level.assignment().length; item++) {
            int cluster = level.assignment()[item];
            members[cluster][fill[cluster]++] = item;
        }
        return members;
    }

    public ItemIndex items() {
        return items;
    }

    public int levels() {
        return levels.size();
    }

    public int servingLevel() {
        return servingLevel;
    }

    public Level level(int level) {
        return levels.get(level);
    }

    /** Number of clusters at the serving level. */
    public int clusterCount() {
        return clusterCount(servingLevel);
    }

    public int clusterCount(int level) {
        return levels.get(level).clusterCount();
    }

    /** Cluster of an item at the serving level. */
    public int clusterOf(int item) {
        return clusterOf(servingLevel, item);
    }

    public int clusterOf(int level, int item) {
        return levels.get(level).assignment()[item];
    }

    /** Parent cluster (at level - 1) of a cluster at {@code level >= 1}. */
    public int parentOf(int level, int cluster) {
        if (level == 0) {
            throw new IllegalArgumentException("level 0 clusters have no parent");
        }
        return levels.get(level).parents()[cluster];
    }

    public List<String> keywords(int cluster) {
        return keywords(servingLevel, cluster);
    }

    public List<String> keywords(int level, int cluster) {
        return levels.get(level).keywords().get(cluster);
    }

    /** The cluster's language description: its keywords joined by ", ". Unique within a level. */
    public String description(int cluster) {
        return description(servingLevel, cluster);
    }

    public String description(int level, int cluster) {
        return String.join(", ", keywords(level, cluster));
    }

    /** Items of a cluster at the serving level (ascending item index). Do not modify the returned array. */
    public int[] itemsOf(int cluster) {
        return itemsOf(servingLevel, cluster);
    }

    public int[] itemsOf(int level, int cluster) {
        return membersByLevel[level][cluster];
    }

    /** Sizes of all clusters at a level. */
    public int[] sizes(int level) {
        return Arrays.stream(membersByLevel[level]).mapToInt(m -> m.length).toArray();
    }

    /** sha256 of the serialized hierarchy; novelty tables record it to refuse a table built for another set. */
    public String fingerprint() {
        return fingerprint;
    }

    /** All serving-level descriptions, in cluster order. */
    public List<String> descriptions() {
        List<String> result = new ArrayList<>(clusterCount());
        for (int c = 0; c < clusterCount(); c++) {
            result.add(description(c));
        }
        return result;
    }
}
