package io.kontroler.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.stream.Stream;

/** This JVM's heap: peak use since the last reset, and use after a collection. */
final class HeapPeak {
  private HeapPeak() {}

  static void reset() {
    pools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The sum of each heap pool's peak since {@link #reset}, in MB (at least the true peak). */
  static long peakMb() {
    return pools().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
  }

  static long usedAfterGcBytes() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static Stream<MemoryPoolMXBean> pools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP);
  }
}
