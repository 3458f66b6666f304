package io.serendip.runtime.server;

import io.serendip.config.Device;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.recommender.ExternalFormat;
import java.util.function.IntSupplier;

/**
 * Checks the configured device against what the engine sees. Models load on the engine's default
 * device (a GPU when DJL finds one, else the CPU), so {@code gpu} is refused on a machine without
 * one rather than silently running on the CPU, and {@code cpu} is refused where a GPU would be used.
 */
public final class DevicePolicy {
    private DevicePolicy() {
    }

    public static void check(String field, Device device) {
        check(field, device, "PyTorch");
    }

    /** Checks against the named DJL engine ({@code PyTorch} or {@code OnnxRuntime}). */
    public static void check(String field, Device device, String engine) {
        check(field, device, () -> ExternalFormat.gpuCount(engine));
    }

    static void check(String field, Device device, IntSupplier gpuCount) {
        if (device == Device.AUTO) {
            return;
        }
        int gpus = gpuCount.getAsInt();
        if (device == Device.GPU && gpus == 0) {
            throw new ArtifactException(field + ": gpu requested but the engine sees no GPU");
        }
        if (device == Device.CPU && gpus > 0) {
            throw new ArtifactException(field + ": cpu requested but the engine would place the model on one of "
                    + gpus + " GPUs (hide them with an empty CUDA_VISIBLE_DEVICES, or use auto)");
        }
    }
}
