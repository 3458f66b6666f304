package io.serendip.operator.experiment;

/**
 * Always-valid inference on a rate or a difference of rates: the mixture sequential probability ratio test (mSPRT)
 * of Robbins (1970) as Johari, Pekelis and Walsh use it for A/B tests ("Always valid inference", 2017), on the normal
 * approximation of the estimate with plug-in variance.
 *
 * <p>For an estimate {@code θ̂} with variance {@code V} and a normal mixture N(θ0, τ²) over the alternatives, the
 * likelihood ratio against {@code θ = θ0} is
 * {@code Λ(θ0) = sqrt(V / (V + τ²)) · exp(τ² (θ̂ − θ0)² / (2 V (V + τ²)))}. Under {@code θ = θ0} it is a
 * nonnegative martingale with mean 1 as data arrive, so by Ville's inequality it exceeds {@code 1/α} at any time with
 * probability at most {@code α}: {@code min(1, 1/Λ)} is a p-value that stays valid however often it is looked at, and
 * {@code {θ0 : Λ(θ0) < 1/α}} is a confidence sequence. {@code τ} is the size of effect the test is tuned to find
 * soonest; any τ keeps the guarantee.
 *
 * @param estimate the rate, or the difference of rates
 * @param variance its variance; infinite when there is no data
 */
public record SequentialEvidence(double estimate, double variance) {
  /** Evidence of nothing: every p-value 1, every interval unbounded. */
  public static final SequentialEvidence NONE = new SequentialEvidence(0, Double.POSITIVE_INFINITY);

  /** A rate {@code x / n}. */
  public static SequentialEvidence rate(long x, long n) {
    return n <= 0 ? NONE : new SequentialEvidence((double) x / n, bernoulliVariance(x, n));
  }

  /** The difference {@code xT/nT − factor · xC/nC} (factor 1: plain difference; 0.9: against 90% of control). */
  public static SequentialEvidence difference(long xT, long nT, long xC, long nC, double factor) {
    if (nT <= 0 || nC <= 0) {
      return NONE;
    }
    return new SequentialEvidence((double) xT / nT - factor * xC / nC,
        bernoulliVariance(xT, nT) + factor * factor * bernoulliVariance(xC, nC));
  }

  /** Variance of a rate with half a success and half a failure added, so 0 of n is not certainty. */
  private static double bernoulliVariance(long x, long n) {
    double p = (x + 0.5) / (n + 1.0);
    return p * (1 - p) / n;
  }

  /** The always-valid p-value of {@code θ = theta0}. */
  public double pValue(double theta0, double tau) {
    if (!Double.isFinite(variance)) {
      return 1.0;
    }
    double t2 = tau * tau;
    double d = estimate - theta0;
    double logLambda = 0.5 * Math.log(variance / (variance + t2)) + t2 * d * d / (2 * variance * (variance + t2));
    return Math.min(1.0, Math.exp(-logLambda));
  }

  /** Half the width of the confidence sequence at level {@code 1 − alpha}. */
  public double halfWidth(double alpha, double tau) {
    if (!Double.isFinite(variance)) {
      return Double.POSITIVE_INFINITY;
    }
    double t2 = tau * tau;
    return Math.sqrt(variance * (variance + t2) / t2 * (2 * Math.log(1 / alpha) + Math.log((variance + t2) / variance)));
  }

  public double lower(double alpha, double tau) {
    return estimate - halfWidth(alpha, tau);
  }

  public double upper(double alpha, double tau) {
    return estimate + halfWidth(alpha, tau);
  }
}
