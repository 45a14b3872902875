package io.kontroler.scheduler;

import java.util.List;
import java.util.Properties;

/** Runs one check of a {@link DeadInstanceFencer} from tests in other packages. */
public final class DeadInstanceFencerProbe {
  private DeadInstanceFencerProbe() {}

  /** Fences the open transactions of {@code applicationId}'s instances not in its group. */
  public static List<String> fenceDead(String bootstrapServers, String applicationId)
      throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    try (DeadInstanceFencer fencer = new DeadInstanceFencer(p, applicationId, List::of)) {
      return fencer.fenceDead();
    }
  }
}
