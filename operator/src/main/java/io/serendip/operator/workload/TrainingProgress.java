package io.serendip.operator.workload;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training Job's progress, read from its pod's log as a metrics collector reads stdout: the last line of the form
 * {@code epoch E/N [step S/T] loss L [... validation V]} that every trainer prints (the Java trainers once per epoch,
 * the LLM component every tenth of an epoch).
 *
 * @param epoch current epoch (1-based)
 * @param epochs the maximum epochs (early stopping may end sooner)
 * @param fraction share of the planned work done, 0..1
 * @param loss training loss of the epoch so far
 * @param validation the last validation figure (loss for the LLM, NDCG@10 or accuracy for the others), if any
 */
public record TrainingProgress(int epoch, int epochs, double fraction, double loss, Double validation) {
  private static final Pattern LINE = Pattern.compile(
      "epoch (\\d+)/(\\d+)(?: step (\\d+)/(\\d+))? loss ([0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)");
  private static final Pattern VALIDATION = Pattern.compile("validation(?: loss)? ([0-9]+(?:\\.[0-9]+)?)");

  /** The last progress line among {@code lines} (oldest first). */
  public static Optional<TrainingProgress> last(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      Optional<TrainingProgress> progress = parse(lines.get(i));
      if (progress.isPresent()) {
        return progress;
      }
    }
    return Optional.empty();
  }

  static Optional<TrainingProgress> parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    int epoch = Integer.parseInt(m.group(1));
    int epochs = Integer.parseInt(m.group(2));
    if (epochs < 1 || epoch < 1 || epoch > epochs) {
      return Optional.empty();
    }
    double withinEpoch = 1.0;
    if (m.group(3) != null) {
      int steps = Integer.parseInt(m.group(4));
      withinEpoch = steps < 1 ? 1.0 : Math.min(1.0, Integer.parseInt(m.group(3)) / (double) steps);
    }
    Matcher v = VALIDATION.matcher(line.substring(m.end()));
    Double validation = v.find() ? Double.valueOf(v.group(1)) : null;
    return Optional.of(new TrainingProgress(epoch, epochs, (epoch - 1 + withinEpoch) / epochs,
        Double.parseDouble(m.group(5)), validation));
  }

  /** Time left at the pace so far: an upper bound when early stopping ends training sooner. */
  public Optional<Duration> timeLeft(Duration elapsed) {
    if (fraction <= 0 || elapsed.isNegative()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Math.round(elapsed.toSeconds() * (1 - fraction) / fraction)));
  }
}
