package io.serendip.ml.interest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptAndCurationTest {

    private final DescriptionVocabulary vocabulary =
            DescriptionVocabulary.fromDescriptions(List.of("Drama, 1990s, war", "comedy, romance"));

    @Test
    void vocabularySplitsWordsAndPunctuationAndRoundTrips() {
        int[] tokens = vocabulary.encode("Drama, 1990s, war");
        assertThat(tokens).hasSize(5).doesNotContain(DescriptionVocabulary.UNK);
        assertThat(vocabulary.decode(tokens)).isEqualTo("drama, 1990s, war");
        assertThat(vocabulary.encode("drama, western")).endsWith(DescriptionVocabulary.UNK);
        assertThatThrownBy(() -> vocabulary.token(vocabulary.size())).hasMessageContaining("token id");
    }

    @Test
    void offDescriptionTextsAreShownOnceInOrderUpToTheLimit() {
        List<String> descriptions = List.of("Drama, 1990s, war", "comedy, romance");
        List<String> texts = List.of("drama, 1990s, war", "comedy, war", "COMEDY,  romance", "comedy, war",
                "drama", "romance, comedy", "western");
        assertThat(GateEvaluator.offDescription(descriptions, texts, 3))
                .containsExactly("comedy, war", "drama", "romance, comedy");
        assertThat(GateEvaluator.offDescription(descriptions, texts.subList(0, 1), 3)).isEmpty();
    }

    @Test
    void promptSeparatesHistoryDescriptionsAndAnswerEndsWithEos() {
        int[] drama = vocabulary.encode("drama, 1990s, war");
        int[] comedy = vocabulary.encode("comedy, romance");
        int[] prompt = PromptFormat.prompt(List.of(drama, comedy));
        assertThat(prompt[0]).isEqualTo(DescriptionVocabulary.BOS);
        assertThat(prompt[drama.length + 1]).isEqualTo(DescriptionVocabulary.SEP);
        assertThat(prompt[prompt.length - 1]).isEqualTo(DescriptionVocabulary.ANS);
        assertThat(prompt).hasSize(1 + drama.length + 1 + comedy.length + 1);
        assertThat(PromptFormat.prompt(List.of())).containsExactly(DescriptionVocabulary.BOS, DescriptionVocabulary.ANS);
        assertThat(PromptFormat.answer(comedy)).endsWith(DescriptionVocabulary.EOS).hasSize(comedy.length + 1);
        assertThat(prompt.length + comedy.length + 1).isLessThanOrEqualTo(PromptFormat.maxSequenceLength(2, 5));
    }

    @Test
    void trainingRowPutsLossOnlyOnTheAnswer() {
        List<int[]> descriptions = List.of(vocabulary.encode("drama, 1990s, war"), vocabulary.encode("comedy, romance"),
                vocabulary.encode("war"));
        var row = InterestModelTrainer.example(new int[] {0, 1, 2}, descriptions);
        int promptLength = PromptFormat.prompt(List.of(descriptions.get(0), descriptions.get(1))).length;
        for (int i = 0; i < promptLength - 1; i++) {
            assertThat(row.target()[i]).isZero();
        }
        assertThat(row.target()[promptLength - 1]).isEqualTo(descriptions.get(2)[0]);
        assertThat(row.target()[row.target().length - 1]).isEqualTo(DescriptionVocabulary.EOS);
    }

    @Test
    void balancingCapsFrequentTargetsAndKeepsTheTail() {
        List<int[]> examples = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            examples.add(new int[] {1, 2, 0});
        }
        for (int target = 3; target < 8; target++) {
            for (int i = 0; i < 4; i++) {
                examples.add(new int[] {1, 2, target});
            }
        }
        examples.add(new int[] {1, 2, 9});
        List<int[]> balanced = InterestExamples.balanceByTarget(examples, 2.0, 1);
        int[] counts = InterestExamples.targetCounts(balanced, 10);
        assertThat(counts[0]).isEqualTo(8); // 2 x median (4)
        assertThat(counts[3]).isEqualTo(4);
        assertThat(counts[9]).isEqualTo(1);
        assertThat(InterestExamples.balanceByTarget(examples, 0, 1)).hasSameSizeAs(examples);
    }
}
