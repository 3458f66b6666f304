package io.serendip.operator.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequentialEvidenceTest {
  @Test
  void theIntervalIsWhereThePValueCrossesAlpha() {
    SequentialEvidence e = SequentialEvidence.difference(130, 1000, 100, 1000, 1);
    double tau = 0.01;
    double alpha = 0.05;
    assertThat(e.pValue(e.upper(alpha, tau), tau)).isCloseTo(alpha, within(1e-9));
    assertThat(e.pValue(e.lower(alpha, tau), tau)).isCloseTo(alpha, within(1e-9));
    assertThat(e.pValue(e.estimate(), tau)).isEqualTo(1.0);
  }

  @Test
  void itIsWiderThanAFixedSampleIntervalAndNarrowsWithData() {
    SequentialEvidence small = SequentialEvidence.rate(100, 1000);
    SequentialEvidence large = SequentialEvidence.rate(10_000, 100_000);
    double fixed = 1.96 * Math.sqrt(small.variance());
    assertThat(small.halfWidth(0.05, 0.01)).isGreaterThan(fixed);
    assertThat(large.halfWidth(0.05, 0.01)).isLessThan(small.halfWidth(0.05, 0.01) / 2);
  }

  @Test
  void noDataIsNoEvidence() {
    assertThat(SequentialEvidence.rate(0, 0).pValue(0.5, 0.1)).isEqualTo(1.0);
    assertThat(SequentialEvidence.difference(1, 10, 0, 0, 1).halfWidth(0.05, 0.1)).isInfinite();
    // none of many is not certainty: the variance keeps half a success
    assertThat(SequentialEvidence.rate(0, 1000).variance()).isPositive();
  }

  @Test
  void peekingAfterEveryBatchKeepsTheFalsePositiveRateBelowAlpha() {
    // 400 A/A experiments, 50 looks of 200 observations per arm each: a fixed-sample z-test looked at that often
    // rejects far more often than its 5%; the always-valid p-value does not.
    SplittableRandom random = new SplittableRandom(11);
    int rejectedSequential = 0;
    int rejectedNaive = 0;
    for (int experiment = 0; experiment < 400; experiment++) {
      long xT = 0, xC = 0, n = 0;
      boolean sequential = false, naive = false;
      for (int look = 0; look < 50; look++) {
        for (int i = 0; i < 200; i++) {
          xT += random.nextDouble() < 0.1 ? 1 : 0;
          xC += random.nextDouble() < 0.1 ? 1 : 0;
        }
        n += 200;
        SequentialEvidence e = SequentialEvidence.difference(xT, n, xC, n, 1);
        sequential |= e.pValue(0, 0.01) < 0.05;
        naive |= Math.abs(e.estimate()) / Math.sqrt(e.variance()) > 1.96;
      }
      rejectedSequential += sequential ? 1 : 0;
      rejectedNaive += naive ? 1 : 0;
    }
    assertThat(rejectedSequential / 400.0).isLessThanOrEqualTo(0.05);
    assertThat(rejectedNaive / 400.0).isGreaterThan(0.15);
  }
}
