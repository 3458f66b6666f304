package io.serendip.ml.interest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prefix tree of the clusters' description token sequences. Decoding walks it so that every finished
 * sequence is exactly some cluster's description; a node is open for a request only while some cluster
 * below it is outside the excluded set (the history), so no path ends on an excluded-only description.
 * Several clusters may share a description; they then share a terminal node. Immutable, thread-safe.
 */
public final class DescriptionTrie {

    /** One prefix. {@code below} lists (sorted) every cluster whose description starts with this prefix. */
    public static final class Node {
        private final Map<Integer, Node> children = new HashMap<>();
        private int[] terminal = new int[0];
        private int[] below = new int[0];
        private final int depth;

        private Node(int depth) {
            this.depth = depth;
        }

        public int depth() {
            return depth;
        }
    }

    private final Node root = new Node(0);
    private final int clusterCount;
    private final int maxDepth;

    /** @param descriptions token ids of each cluster's description, indexed by cluster; none may be empty */
    public DescriptionTrie(List<int[]> descriptions) {
        this.clusterCount = descriptions.size();
        int deepest = 0;
        Map<Node, List<Integer>> below = new HashMap<>();
        Map<Node, List<Integer>> terminal = new HashMap<>();
        for (int cluster = 0; cluster < descriptions.size(); cluster++) {
            int[] tokens = descriptions.get(cluster);
            if (tokens.length == 0) {
                throw new IllegalArgumentException("description of cluster " + cluster + " has no tokens");
            }
            Node node = root;
            below.computeIfAbsent(node, n -> new ArrayList<>()).add(cluster);
            for (int token : tokens) {
                int depth = node.depth + 1;
                node = node.children.computeIfAbsent(token, t -> new Node(depth));
                below.computeIfAbsent(node, n -> new ArrayList<>()).add(cluster);
            }
            terminal.computeIfAbsent(node, n -> new ArrayList<>()).add(cluster);
            deepest = Math.max(deepest, tokens.length);
        }
        below.forEach((node, clusters) -> node.below = clusters.stream().mapToInt(Integer::intValue).sorted().toArray());
        terminal.forEach((node, clusters) -> node.terminal = clusters.stream().mapToInt(Integer::intValue).sorted().toArray());
        this.maxDepth = deepest;
    }

    public Node root() {
        return root;
    }

    public int clusterCount() {
        return clusterCount;
    }

    /** Length of the longest description. */
    public int maxDepth() {
        return maxDepth;
    }

    /** The child for a token, or null. */
    public Node child(Node node, int token) {
        return node.children.get(token);
    }

    /** Tokens that continue towards at least one cluster outside {@code excluded}. */
    public int[] allowedTokens(Node node, int[] excluded) {
        int[] allowed = new int[node.children.size()];
        int count = 0;
        for (Map.Entry<Integer, Node> entry : node.children.entrySet()) {
            if (hasAllowed(entry.getValue().below, excluded)) {
                allowed[count++] = entry.getKey();
            }
        }
        int[] result = Arrays.copyOf(allowed, count);
        Arrays.sort(result);
        return result;
    }

    /** Clusters whose description ends exactly at this node and that are not excluded. */
    public int[] allowedClustersEndingAt(Node node, int[] excluded) {
        return Arrays.stream(node.terminal).filter(c -> !contains(excluded, c)).toArray();
    }

    /** Clusters whose description is exactly these tokens (empty if none). */
    public int[] clustersOf(int[] tokens) {
        Node node = root;
        for (int token : tokens) {
            node = node.children.get(token);
            if (node == null) {
                return new int[0];
            }
        }
        return node.terminal.clone();
    }

    private static boolean hasAllowed(int[] clusters, int[] excluded) {
        int excludedBelow = 0;
        for (int i = 0; i < excluded.length; i++) {
            if (Arrays.binarySearch(clusters, excluded[i]) >= 0 && firstIndexOf(excluded, excluded[i]) == i) {
                excludedBelow++;
            }
        }
        return clusters.length > excludedBelow;
    }

    private static int firstIndexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    static boolean contains(int[] values, int value) {
        return firstIndexOf(values, value) >= 0;
    }
}
