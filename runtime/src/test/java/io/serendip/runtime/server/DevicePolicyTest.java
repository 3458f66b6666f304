package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.config.Device;
import io.serendip.ml.artifact.ArtifactException;
import org.junit.jupiter.api.Test;

class DevicePolicyTest {
    @Test
    void refusesADeviceTheEngineWillNotUse() {
        assertThatThrownBy(() -> DevicePolicy.check("recommender.device", Device.GPU, () -> 0))
                .isInstanceOf(ArtifactException.class).hasMessageStartingWith("recommender.device: gpu requested");
        assertThatThrownBy(() -> DevicePolicy.check("interestModel.device", Device.CPU, () -> 2))
                .isInstanceOf(ArtifactException.class).hasMessageStartingWith("interestModel.device: cpu requested");
    }

    @Test
    void acceptsMatchingDevicesAndAuto() {
        assertThatCode(() -> DevicePolicy.check("f", Device.GPU, () -> 1)).doesNotThrowAnyException();
        assertThatCode(() -> DevicePolicy.check("f", Device.CPU, () -> 0)).doesNotThrowAnyException();
        assertThatCode(() -> DevicePolicy.check("f", Device.AUTO, () -> 0)).doesNotThrowAnyException();
        assertThatCode(() -> DevicePolicy.check("f", Device.AUTO, () -> 4)).doesNotThrowAnyException();
    }

    @Test
    void onnxRuntimeWithoutItsCudaProviderOnlyRunsOnTheCpu() {
        // the OnnxRuntime build on the class path is the CPU one: a GPU is refused whatever the machine has
        assertThatThrownBy(() -> DevicePolicy.check("recommender.device", Device.GPU, "OnnxRuntime"))
                .isInstanceOf(ArtifactException.class).hasMessageContaining("gpu requested but the engine sees no GPU");
        assertThatCode(() -> DevicePolicy.check("recommender.device", Device.CPU, "OnnxRuntime")).doesNotThrowAnyException();
    }
}
