package io.kontroler.core.run;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * The choices a simulated run makes (which task, which outcome), read one after another from values
 * jqwik draws, so that a failing case shrinks towards fewer and smaller choices (all zeros: every
 * attempt succeeds at once). Read past the end, they start over.
 */
final class Choices {
  private final List<Integer> values;
  private int next;

  Choices(List<Integer> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("Expected at least one choice");
    }
    this.values = List.copyOf(values);
  }

  /** Values for jqwik to draw and shrink. */
  static Arbitrary<List<Integer>> values() {
    return Arbitraries.integers().between(0, 9_999).list().ofMinSize(1).ofMaxSize(500);
  }

  /** Values from a seed, for plain tests that want many different runs. */
  static List<Integer> seeded(long seed) {
    Random random = new Random(seed);
    return IntStream.range(0, 2_000).map(i -> random.nextInt(10_000)).boxed().toList();
  }

  /** A choice in {@code [0, bound)}. */
  int nextInt(int bound) {
    return values.get(next++ % values.size()) % bound;
  }

  boolean nextBoolean() {
    return nextInt(2) == 1;
  }
}
