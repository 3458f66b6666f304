package io.serendip.ml.recommender;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Model file formats of externally trained recommenders, each run by one DJL engine. */
public enum ExternalFormat {
    TORCHSCRIPT("torchscript", "PyTorch", "model.pt"),
    ONNX("onnx", "OnnxRuntime", "model.onnx");

    private final String label;
    private final String engine;
    private final String fileName;

    ExternalFormat(String label, String engine, String fileName) {
        this.label = label;
        this.engine = engine;
        this.fileName = fileName;
    }

    /** The name used on the command line and in {@code model.json}. */
    @JsonValue
    public String label() {
        return label;
    }

    /** The DJL engine that runs this format. */
    public String engine() {
        return engine;
    }

    /** Name of the model file inside an artifact directory. */
    public String fileName() {
        return fileName;
    }

    @JsonCreator
    public static ExternalFormat parse(String label) {
        for (ExternalFormat format : values()) {
            if (format.label.equals(label == null ? null : label.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown model format '" + label + "', expected one of "
                + Arrays.stream(values()).map(ExternalFormat::label).toList());
    }

    /**
     * GPUs the named engine will place a model on. ONNX Runtime only uses one when its build has the CUDA execution
     * provider (the default build is CPU-only), whatever the machine has.
     */
    public static int gpuCount(String engineName) {
        Engine engine = Engine.getEngine(engineName);
        if (ONNX.engine.equals(engineName) && !engine.hasCapability("CUDA")) {
            return 0;
        }
        return engine.getGpuCount();
    }

    /** The device a model of this format loads on: the first GPU when the engine finds one, else the CPU. */
    Device device() {
        return gpuCount(engine) > 0 ? Device.gpu() : Device.cpu();
    }
}
