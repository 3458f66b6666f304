package io.serendip.ml.interest;

import io.serendip.ml.novelty.NoveltySource;

import java.util.List;

/**
 * A generator of novel interests that the quality gates can judge: its raw, unconstrained text answers (for
 * the exact-match gate) and its final cluster choices (for validity and recall).
 */
public interface InterestGenerator extends NoveltySource {

    /** The unconstrained generated description for each history (oldest cluster first). */
    List<String> generateText(List<int[]> histories);
}
