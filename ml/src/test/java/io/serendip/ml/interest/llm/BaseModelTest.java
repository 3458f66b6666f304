package io.serendip.ml.interest.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseModelTest {
    @Test
    void aBaseRecordedOnTheTrainingMachineIsFoundInThisMachinesModelCacheByName(@TempDir Path dir) throws Exception {
        // The build installs the default base into the model cache (llm/setup.sh) before these tests run.
        Path cached = BaseModel.defaultBase().path();
        assertThat(cached).isRegularFile();
        Path recordedElsewhere = Path.of("/training-machine/.cache/serendip/models", BaseModel.DEFAULT_FILE);
        assertThat(BaseModel.locate(recordedElsewhere)).isEqualTo(cached);

        Path here = Files.writeString(dir.resolve(BaseModel.DEFAULT_FILE), "a copy where it was recorded");
        assertThat(BaseModel.locate(here)).as("the recorded path wins when it exists").isEqualTo(here);
        Path unknown = Path.of("/training-machine/models/another-model.gguf");
        assertThat(BaseModel.locate(unknown)).as("nothing of that name in the cache").isEqualTo(unknown);
    }
}
