package io.serendip.runtime.interest;

import io.serendip.config.InterestModelSettings;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.interest.NovelInterestModel;
import io.serendip.runtime.server.DevicePolicy;
import java.nio.file.Path;

/** One loaded novel-interest model with the cluster set it generates over. Swapped as a whole on reload. */
public final class InterestModels implements AutoCloseable {
    private final ClusterSet clusters;
    private final NovelInterestModel model;
    private final InterestModelSettings settings;

    private InterestModels(ClusterSet clusters, NovelInterestModel model, InterestModelSettings settings) {
        this.clusters = clusters;
        this.model = model;
        this.settings = settings;
    }

    /** Loads and verifies both artifacts; the model must read the configured history length. */
    public static InterestModels load(InterestModelSettings settings) {
        DevicePolicy.check("interestModel.device", settings.device());
        ClusterSet clusters = ClusterSet.load(Path.of(settings.clustersDir()));
        NovelInterestModel model = NovelInterestModel.load(Path.of(settings.modelDir()), clusters);
        if (model.historyLength() != settings.historyLength()) {
            model.close();
            throw new ArtifactException("interestModel.historyLength: config says " + settings.historyLength()
                    + " but the model at " + settings.modelDir() + " reads " + model.historyLength());
        }
        return new InterestModels(clusters, model, settings);
    }

    public ClusterSet clusters() {
        return clusters;
    }

    public NovelInterestModel model() {
        return model;
    }

    public InterestModelSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        model.close();
    }
}
