package io.serendip.runtime.server;

import io.serendip.config.InterestModelSettings;
import io.serendip.config.RecommenderSettings;
import io.serendip.config.RuntimeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a pod's volume mounts are when the process runs outside a container (the local node of the
 * demo and end-to-end suite): {@code SERENDIP_PATH_MAP=/artifacts=/srv/a,/etc/serendip=/tmp/p1/config}.
 * Paths in the config file and on the command line keep the in-pod names the operator wrote; they are
 * resolved through the longest matching mount. Without the variable every path is used as written.
 */
public final class MountedPaths {
    public static final String ENV = "SERENDIP_PATH_MAP";
    private static final MountedPaths NONE = new MountedPaths(List.of());

    private record Mount(String containerPath, String hostPath) {
    }

    private final List<Mount> mounts;

    private MountedPaths(List<Mount> mounts) {
        this.mounts = mounts;
    }

    public static MountedPaths fromEnvironment() {
        return parse(System.getenv(ENV));
    }

    /** Parses {@code containerPath=hostPath} pairs separated by commas; longest container path first. */
    public static MountedPaths parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Mount> mounts = new ArrayList<>();
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1 || !pair.startsWith("/")) {
                throw new IllegalArgumentException(ENV + ": expected /container/path=/host/path pairs, got '" + pair + "'");
            }
            mounts.add(new Mount(trimSlash(pair.substring(0, eq)), trimSlash(pair.substring(eq + 1))));
        }
        mounts.sort(Comparator.comparingInt((Mount m) -> m.containerPath().length()).reversed());
        return new MountedPaths(List.copyOf(mounts));
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The host path of an in-pod path (unchanged when no mount covers it). */
    public String resolve(String path) {
        if (path == null) {
            return null;
        }
        for (Mount m : mounts) {
            String c = m.containerPath();
            if (path.equals(c) || path.startsWith(c.endsWith("/") ? c : c + "/")) {
                return m.hostPath() + path.substring(c.length());
            }
        }
        return path;
    }

    public Path resolve(Path path) {
        return mounts.isEmpty() || path == null ? path : Path.of(resolve(path.toString()));
    }

    /** The config with every artifact path resolved; other settings untouched. */
    public RuntimeConfig resolve(RuntimeConfig config) {
        if (mounts.isEmpty()) {
            return config;
        }
        RecommenderSettings r = config.recommender();
        if (r != null) {
            r = new RecommenderSettings(resolve(r.modelDir()), resolve(r.clustersDir()), resolve(r.noveltyTable()),
                    r.defaultSlateSize(), r.defaultExplorationShare(), r.device(), r.maxBatchSize());
        }
        InterestModelSettings i = config.interestModel();
        if (i != null) {
            i = new InterestModelSettings(resolve(i.modelDir()), resolve(i.clustersDir()), i.historyLength(),
                    i.candidates(), i.device());
        }
        return new RuntimeConfig(config.apiVersion(), config.kind(), config.server(), r, i, config.router());
    }
}
