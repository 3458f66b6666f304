package io.serendip.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link ScoringBenchmark} with item scoring in plain Java ({@code serendip.scoring.simd=false}), beside the Vector
 * API kernel that the same run measures in {@link ScoringBenchmark}: the kernel is chosen once per JVM, so each
 * has its own forks.
 */
@Fork(jvmArgsAppend = "-Dserendip.scoring.simd=false")
public class ScalarScoringBenchmark extends ScoringBenchmark {
}
