package io.serendip.ml.recommender;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.serendip.ml.artifact.ArtifactException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The input and output an ONNX recommender declares, checked against the contract before any forward pass: one
 * int64 input [batch, L] and one float32 output [batch, d]. DJL does not expose declared shapes or types, so the
 * graph is opened once more with ONNX Runtime's own API, only to read them.
 */
final class OnnxSignature {

    private OnnxSignature() {
    }

    /** The declared history length L, or null when the graph leaves it dynamic. */
    static Integer check(Path modelFile, int dimension) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = OrtEnvironment.getEnvironment().createSession(modelFile.toString(), options)) {
            long[] input = single(modelFile, "input", session.getInputInfo(), OnnxJavaType.INT64, "int64 history [batch, L]");
            long[] output = single(modelFile, "output", session.getOutputInfo(), OnnxJavaType.FLOAT,
                    "float32 user state [batch, " + dimension + "]");
            if (output[1] > 0 && output[1] != dimension) {
                throw new ArtifactException(modelFile + ": output has shape " + Arrays.toString(output)
                        + " but the item vectors have dimension " + dimension);
            }
            return input[1] > 0 ? Math.toIntExact(input[1]) : null;
        } catch (OrtException e) {
            throw new ArtifactException(modelFile + ": not a loadable onnx model: " + e.getMessage(), e);
        }
    }

    private static long[] single(Path modelFile, String role, Map<String, NodeInfo> nodes, OnnxJavaType type,
                                 String expected) {
        if (nodes.size() != 1) {
            throw new ArtifactException(modelFile + ": declares " + nodes.size() + " " + role + "s " + nodes.keySet()
                    + ", expected one " + expected);
        }
        NodeInfo node = nodes.values().iterator().next();
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != type || tensor.getShape().length != 2) {
            throw new ArtifactException(modelFile + ": " + role + " '" + node.getName() + "' is " + node.getInfo()
                    + ", expected " + expected);
        }
        return tensor.getShape();
    }
}
