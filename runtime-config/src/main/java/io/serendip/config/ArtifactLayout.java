package io.serendip.config;

/**
 * Names inside artifact directories that more than one party relies on: the jobs write them, later jobs and the
 * servers read them, and the operator derives Job inputs from them. Defined once, here.
 */
public final class ArtifactLayout {
    /** Sub-directory of a cluster-set artifact holding the imported dataset the clusters were built from. */
    public static final String CLUSTER_SET_DATASET_DIR = "dataset";
    /** Sub-directory of a cluster-set artifact holding the item embeddings the clusters were built from. */
    public static final String CLUSTER_SET_EMBEDDINGS_DIR = "embeddings";
    /** File name of the novelty table inside its artifact directory. */
    public static final String NOVELTY_TABLE_FILE = "novelty-table.bin";
    /** Sub-directory of a novelty-table directory where the precompute's shard files wait for the merge. */
    public static final String NOVELTY_SHARDS_DIR = "shards";
    /** The descriptor every artifact directory carries (kind, inputs, metrics, file digests). */
    public static final String MANIFEST_FILE = "manifest.json";

    private ArtifactLayout() {
    }

    /** The dataset a cluster-set artifact was built from. */
    public static String datasetOf(String clusterSetDir) {
        return join(clusterSetDir, CLUSTER_SET_DATASET_DIR);
    }

    /** The item embeddings a cluster-set artifact was built from. */
    public static String embeddingsOf(String clusterSetDir) {
        return join(clusterSetDir, CLUSTER_SET_EMBEDDINGS_DIR);
    }

    /**
     * Whether {@code path} lies strictly inside {@code root} (both absolute, no {@code .} or {@code ..} segments):
     * what a job that deletes artifacts checks before it deletes anything.
     */
    public static boolean isStrictlyInside(String root, String path) {
        if (root == null || path == null || !root.startsWith("/") || !path.startsWith("/")) {
            return false;
        }
        String base = root.replaceAll("/+$", "");
        boolean climbs = java.util.Arrays.stream(path.split("/")).anyMatch(p -> p.equals("..") || p.equals("."));
        return !climbs && path.startsWith(base + "/") && path.replaceAll("/+$", "").length() > base.length() + 1;
    }

    /**
     * Where a training keeps the checkpoint it resumes from: a hidden file beside its output directory
     * ({@code /a/b/v1} -> {@code /a/b/.v1.checkpoint}), so that a retried pod finds it and retiring the version
     * deletes it with the output.
     */
    public static String checkpointOf(String outputDir) {
        String dir = outputDir.replaceAll("/+$", "");
        int slash = dir.lastIndexOf('/');
        return dir.substring(0, slash + 1) + "." + dir.substring(slash + 1) + ".checkpoint";
    }

    public static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
